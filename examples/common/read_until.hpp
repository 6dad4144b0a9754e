// examples/common/read_until.hpp — reading from a socket up to a delimiter,
// with troupe::use_future, safely under cancellation.
//
// Like asio::async_read_until with a dynamic string buffer, but the bytes
// after the delimiter stay in `data` for the next call, and the function
// names read naturally in the examples. Cancellation is safe either way: a
// cancelled troupe::use_future read completes only once Asio has let go of
// the buffer.
#pragma once

#include <troupe/troupe.hpp>

#include <asio/buffer.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace example {

/// Reads from `socket` into `data` until `data` holds `delim`; returns the
/// length up to and including the first `delim` (bytes after it stay in
/// `data`). Throws std::system_error on a socket error, including end of file.
template <class Socket>
troupe::task<std::size_t> read_until(Socket& socket, std::string& data, std::string_view delim) {
  std::array<char, 1024> chunk;
  for (;;) {
    if (const auto at = data.find(delim); at != std::string::npos) co_return at + delim.size();
    const std::size_t n = co_await socket.async_read_some(asio::buffer(chunk), troupe::use_future);
    data.append(chunk.data(), n);
  }
}

/// Reads from `socket` until `data` holds at least `size` bytes.
template <class Socket>
troupe::task<void> read_at_least(Socket& socket, std::string& data, std::size_t size) {
  std::array<char, 1024> chunk;
  while (data.size() < size) {
    const std::size_t n = co_await socket.async_read_some(asio::buffer(chunk), troupe::use_future);
    data.append(chunk.data(), n);
  }
}

}  // namespace example
