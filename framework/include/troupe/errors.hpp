// troupe/errors.hpp — the exceptions troupe raises at co_await sites.
#pragma once

#include <stdexcept>
#include <string>

namespace troupe {

/// Base of every exception troupe raises. Messages name the actor, the
/// handler and the request involved.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Raised at a suspension point of a cancelled task or handler, and by
/// awaiting (or taking the result of) a cancelled future.
class cancelled_error : public error {
 public:
  using error::error;
};

/// Raised when a deadline set by `wait_for` (or inherited by a request)
/// expires; the timed-out work is cancelled.
class timeout_error : public error {
 public:
  using error::error;
};

/// Raised by an ask to an actor that is stopped or stops before handling it.
class actor_stopped : public error {
 public:
  using error::error;
};

/// Raised when a future is used in a state that does not allow the call:
/// `result()` before it is done, a second `co_await`, an empty future.
class invalid_state_error : public error {
 public:
  using error::error;
};

/// Raised by queue::put_nowait when the queue has no room for the item.
class queue_full : public error {
 public:
  using error::error;
};
/// Raised by queue::get_nowait when the queue has no item to give.
class queue_empty : public error {
 public:
  using error::error;
};
/// Raised by queue operations after queue::shutdown (asyncio's QueueShutDown).
class queue_shut_down : public error {
 public:
  using error::error;
};

}  // namespace troupe
