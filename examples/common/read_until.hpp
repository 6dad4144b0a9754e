// examples/common/read_until.hpp — reading from a socket up to a delimiter,
// with troupe::use_future, safely under cancellation.
//
// Why not asio::async_read_until(socket, asio::dynamic_buffer(s), ...)?
// Cancelling a troupe::use_future operation (fut.cancel(), a wait_for
// deadline, a task_group) completes the future at once, so the awaiting
// coroutine unwinds and frees its locals before Asio has run the cancelled
// operation's handler. A composed read into a dynamic buffer resizes that
// buffer when its handler runs, and would write into a string that is gone.
// A single async_read_some into a buffer of this coroutine's frame is safe:
// a cancelled read is dropped unperformed, and `data` is only touched here,
// after a read has completed.
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
