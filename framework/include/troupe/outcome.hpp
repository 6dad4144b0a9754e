// troupe/outcome.hpp — troupe::outcome<T>: how one awaited operation ended
// (a value, an exception, or cancelled), as gather_settled reports it.
#pragma once

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include <troupe/errors.hpp>
#include <troupe/future.hpp>

namespace troupe {

/// A value, an exception, or "cancelled" (asyncio's gather with
/// return_exceptions=True, typed). For a cancelled outcome, error() is the
/// cancelled_error.
/// @par Thread Safety
/// A plain value type.
template <class T>
class outcome {
 public:
  static outcome success(T v) { return outcome(std::move(v), nullptr, false); }
  static outcome failure(std::exception_ptr e) { return outcome(std::nullopt, std::move(e), false); }
  static outcome cancellation(std::exception_ptr e) { return outcome(std::nullopt, std::move(e), true); }

  bool has_value() const noexcept { return value_.has_value(); }
  bool cancelled() const noexcept { return cancelled_; }
  /// The exception (null if it has a value).
  std::exception_ptr error() const noexcept { return error_; }
  /// The value; rethrows the exception (cancelled_error if cancelled).
  T& value() & {
    if (!value_) std::rethrow_exception(error_);
    return *value_;
  }
  const T& value() const& {
    if (!value_) std::rethrow_exception(error_);
    return *value_;
  }
  T&& value() && {
    if (!value_) std::rethrow_exception(error_);
    return std::move(*value_);
  }

 private:
  outcome(std::optional<T> v, std::exception_ptr e, bool c)
      : value_(std::move(v)), error_(std::move(e)), cancelled_(c) {}
  std::optional<T> value_;
  std::exception_ptr error_;
  bool cancelled_ = false;
};

template <>
class outcome<void> {
 public:
  static outcome success() { return outcome(true, nullptr, false); }
  static outcome failure(std::exception_ptr e) { return outcome(false, std::move(e), false); }
  static outcome cancellation(std::exception_ptr e) { return outcome(false, std::move(e), true); }

  bool has_value() const noexcept { return ok_; }
  bool cancelled() const noexcept { return cancelled_; }
  std::exception_ptr error() const noexcept { return error_; }
  void value() const {
    if (!ok_) std::rethrow_exception(error_);
  }

 private:
  outcome(bool ok, std::exception_ptr e, bool c) : ok_(ok), error_(std::move(e)), cancelled_(c) {}
  bool ok_ = false;
  std::exception_ptr error_;
  bool cancelled_ = false;
};

namespace detail {

/// Takes a done future's result as an outcome; never throws for it.
template <class T>
outcome<T> settle(future<T>& f) {
  const bool was_cancelled = f.cancelled();
  try {
    if constexpr (std::is_void_v<T>) {
      f.state()->take();
      return outcome<void>::success();
    } else {
      return outcome<T>::success(f.state()->take());
    }
  } catch (...) {
    return was_cancelled ? outcome<T>::cancellation(std::current_exception())
                         : outcome<T>::failure(std::current_exception());
  }
}

}  // namespace detail
}  // namespace troupe
