// troupe/detail/handler_traits.hpp — what a handler member pointer says about
// its message: the actor class, the parameters to copy, the reply type.
#pragma once

#include <tuple>
#include <type_traits>

#include <troupe/task.hpp>

namespace troupe::detail {

template <class F>
struct member_traits;

#define TROUPE_DETAIL_MEMBER_TRAITS(QUALIFIERS)                     \
  template <class R, class C, class... P>                           \
  struct member_traits<R (C::*)(P...) QUALIFIERS> {                 \
    using class_type = C;                                           \
    using result_type = R;                                          \
    using params = std::tuple<P...>;                                \
    using stored_args = std::tuple<std::decay_t<P>...>;             \
    static constexpr std::size_t arity = sizeof...(P);              \
  };
TROUPE_DETAIL_MEMBER_TRAITS()
TROUPE_DETAIL_MEMBER_TRAITS(const)
TROUPE_DETAIL_MEMBER_TRAITS(noexcept)
TROUPE_DETAIL_MEMBER_TRAITS(const noexcept)
#undef TROUPE_DETAIL_MEMBER_TRAITS

template <auto M>
concept handler_pointer = std::is_member_function_pointer_v<decltype(M)>;

template <auto M>
using handler_class = typename member_traits<decltype(M)>::class_type;

template <auto M>
using handler_result = typename member_traits<decltype(M)>::result_type;

template <auto M>
inline constexpr bool is_coroutine_handler = is_task<handler_result<M>>::value;

template <class R>
struct reply_of {
  using type = R;
};
template <class T>
struct reply_of<task<T>> {
  using type = T;
};

/// What an ask of M yields: R, or T when M returns task<T>.
template <auto M>
using reply_t = typename reply_of<handler_result<M>>::type;

template <class Tuple, class... Args>
struct args_fit : std::false_type {};
template <class... P, class... Args>
  requires(sizeof...(P) == sizeof...(Args))
struct args_fit<std::tuple<P...>, Args...>
    : std::bool_constant<(std::is_constructible_v<std::decay_t<P>, Args&&> && ...)> {};

template <class P>
inline constexpr bool param_is_message_safe =
    !std::is_lvalue_reference_v<P> || std::is_const_v<std::remove_reference_t<P>>;

template <class Tuple>
struct params_safe;
template <class... P>
struct params_safe<std::tuple<P...>> : std::bool_constant<(param_is_message_safe<P> && ...)> {};

}  // namespace troupe::detail
