// troupe/reactor.hpp — troupe::reactor, one thread around one
// asio::io_context, and troupe::this_reactor().
#pragma once

#include <cstddef>

#include <troupe/detail/reactor_core.hpp>

namespace troupe {

/// An event loop: one thread, one asio::io_context, a run queue of ready
/// coroutines and actor mailboxes, timers, and an inbox for other threads.
/// Created by troupe::run; never by users.
/// @par Thread Safety
/// index() and io_context() from any thread; the rest on its own thread.
class reactor : public detail::reactor_core {
 public:
  using detail::reactor_core::reactor_core;

  /// The Asio context this reactor runs: create sockets and timers on it
  /// for real I/O whose handlers run on this reactor's thread.
  asio::io_context& io_context() noexcept { return io(); }
};

/// The reactor running the calling thread. Throws std::logic_error when
/// called from a thread that is not a reactor's.
reactor& this_reactor();

}  // namespace troupe
