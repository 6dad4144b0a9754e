// troupe/gather.hpp — troupe::gather and troupe::gather_settled: await
// several futures at once, results in input order (asyncio.gather).
#pragma once

#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <troupe/errors.hpp>
#include <troupe/future.hpp>
#include <troupe/outcome.hpp>
#include <troupe/task.hpp>
#include <troupe/detail/wait_block.hpp>

namespace troupe {
namespace detail {

template <class F>
inline constexpr bool is_future_v = false;
template <class T>
inline constexpr bool is_future_v<future<T>> = true;

/// What a future<void> contributes to a gathered tuple.
template <class T>
using gathered_t = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

template <class T>
gathered_t<T> take_gathered(future<T>& f) {
  if constexpr (std::is_void_v<T>) {
    f.state()->take();
    return {};
  } else {
    return f.state()->take();
  }
}

/// Owns the combinator's reference to a wait_block.
class block_ref {
 public:
  explicit block_ref(const std::vector<state_base*>& states) : b_(wait_block::create(states)) {}
  /// Watches every future of `fs` (all valid), without copying their states.
  template <class T>
  explicit block_ref(const std::vector<future<T>>& fs)
      : b_(wait_block::create(
            fs.size(),
            [](const void* range, std::size_t i) noexcept -> state_base* {
              return (*static_cast<const std::vector<future<T>>*>(range))[i].state();
            },
            &fs)) {}
  block_ref(const block_ref&) = delete;
  block_ref& operator=(const block_ref&) = delete;
  ~block_ref() { b_->release(); }
  wait_block* operator->() const noexcept { return b_; }

 private:
  wait_block* b_;
};

void throw_empty_future(const char* what);

template <class T>
void check_valid(const std::vector<future<T>>& fs, const char* what) {
  for (const auto& f : fs)
    if (!f.valid()) throw_empty_future(what);
}

template <class T>
std::vector<state_base*> states_of(const std::vector<future<T>>& fs, const char* what) {
  std::vector<state_base*> states;
  states.reserve(fs.size());
  for (const auto& f : fs) {
    if (!f.valid()) throw_empty_future(what);
    states.push_back(f.state());
  }
  return states;
}

/// Rethrows the failure of the future at `index` (its error, or
/// cancelled_error), marking it retrieved.
inline void rethrow_failure(state_base* s) {
  s->taken_ = true;
  s->rethrow_if_failed();
}

template <class... T>
task<std::tuple<gathered_t<T>...>> gather_all(future<T>... fs) {
  const std::vector<state_base*> states{fs.state()...};
  block_ref block(states);
  try {
    co_await block->until(sizeof...(T), /*stop_on_failure=*/true);
  } catch (const cancelled_error&) {
    (fs.cancel(), ...);  // a cancelled gather cancels what it gathers
    throw;
  }
  if (auto i = block->first_failure()) rethrow_failure(states[*i]);
  co_return std::tuple<gathered_t<T>...>{take_gathered(fs)...};
}

template <class T>
auto gather_vector(std::vector<future<T>> fs)
    -> task<std::conditional_t<std::is_void_v<T>, void, std::vector<gathered_t<T>>>> {
  check_valid(fs, "troupe::gather");
  block_ref block(fs);
  try {
    co_await block->until(fs.size(), /*stop_on_failure=*/true);
  } catch (const cancelled_error&) {
    for (auto& f : fs) f.cancel();
    throw;
  }
  if (auto i = block->first_failure()) rethrow_failure(fs[*i].state());
  if constexpr (std::is_void_v<T>) {
    for (auto& f : fs) f.state()->take();
  } else {
    std::vector<T> values;
    values.reserve(fs.size());
    for (auto& f : fs) values.push_back(f.state()->take());
    co_return values;
  }
}

template <class... T>
task<std::tuple<outcome<T>...>> gather_settled_all(future<T>... fs) {
  const std::vector<state_base*> states{fs.state()...};
  block_ref block(states);
  try {
    co_await block->until(sizeof...(T));
  } catch (const cancelled_error&) {
    (fs.cancel(), ...);
    throw;
  }
  co_return std::tuple<outcome<T>...>{settle(fs)...};
}

template <class T>
task<std::vector<outcome<T>>> gather_settled_vector(std::vector<future<T>> fs) {
  check_valid(fs, "troupe::gather_settled");
  block_ref block(fs);
  try {
    co_await block->until(fs.size());
  } catch (const cancelled_error&) {
    for (auto& f : fs) f.cancel();
    throw;
  }
  std::vector<outcome<T>> outcomes;
  outcomes.reserve(fs.size());
  for (auto& f : fs) outcomes.push_back(settle(f));
  co_return outcomes;
}

template <class... Fs>
void check_futures(const char* what, const Fs&... fs) {
  if ((!fs.valid() || ...)) throw_empty_future(what);
}

}  // namespace detail

/// Awaits every future; `co_await` yields a tuple of their values in input
/// order (std::monostate for future<void>). The first exception (or
/// cancellation) propagates as soon as it happens and the other operations
/// keep running, as in asyncio. Cancelling the awaiting task cancels every
/// future still pending. Takes over the futures (lvalues are moved from).
/// Reactor threads only.
template <class... Fs>
  requires(sizeof...(Fs) > 0 && (detail::is_future_v<std::remove_cvref_t<Fs>> && ...))
auto gather(Fs&&... fs) {
  detail::check_futures("troupe::gather", fs...);
  return detail::gather_all(std::move(fs)...);
}

/// The vector form: `co_await` yields std::vector<T> in input order (nothing
/// for future<void>). Same failure and cancellation rules.
template <class T>
auto gather(std::vector<future<T>>&& fs) {
  return detail::gather_vector<T>(std::move(fs));
}
/// Takes the futures out of `fs`.
template <class T>
auto gather(std::vector<future<T>>& fs) {
  return detail::gather_vector<T>(std::move(fs));
}

/// Awaits every future and never throws for their results: `co_await`
/// yields one troupe::outcome<T> per input, in input order (asyncio's
/// gather(..., return_exceptions=True)). Cancelling the awaiting task
/// cancels every future still pending.
template <class... Fs>
  requires(sizeof...(Fs) > 0 && (detail::is_future_v<std::remove_cvref_t<Fs>> && ...))
auto gather_settled(Fs&&... fs) {
  detail::check_futures("troupe::gather_settled", fs...);
  return detail::gather_settled_all(std::move(fs)...);
}

template <class T>
task<std::vector<outcome<T>>> gather_settled(std::vector<future<T>>&& fs) {
  return detail::gather_settled_vector<T>(std::move(fs));
}
template <class T>
task<std::vector<outcome<T>>> gather_settled(std::vector<future<T>>& fs) {
  return detail::gather_settled_vector<T>(std::move(fs));
}

}  // namespace troupe
