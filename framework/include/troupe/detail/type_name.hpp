// troupe/detail/type_name.hpp — readable names of types and member
// functions, computed at compile time from the compiler's function signature.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace troupe::detail {

template <class T>
constexpr std::string_view raw_signature_of_type() noexcept {
  return __PRETTY_FUNCTION__;
}

template <auto M>
constexpr std::string_view raw_signature_of_value() noexcept {
  return __PRETTY_FUNCTION__;
}

// GCC and Clang print "... [with T = counter]" / "[T = counter]" and
// "[with auto M = &counter::add]" / "[M = &counter::add]". We keep the text
// after the first " = " up to the closing bracket (or the ';' GCC uses before
// further template arguments) and drop a leading '&'.
constexpr std::string_view strip_signature(std::string_view s) noexcept {
  const auto eq = s.find(" = ");
  if (eq == std::string_view::npos) return s;
  s.remove_prefix(eq + 3);
  auto end = s.find(';');
  if (end == std::string_view::npos) end = s.rfind(']');
  if (end != std::string_view::npos) s = s.substr(0, end);
  if (!s.empty() && s.front() == '&') s.remove_prefix(1);
  return s;
}

template <std::size_t N>
struct fixed_name {
  std::array<char, N + 1> text{};
  constexpr explicit fixed_name(std::string_view s) noexcept {
    for (std::size_t i = 0; i < N; ++i) text[i] = s[i];
  }
  constexpr std::string_view view() const noexcept { return {text.data(), N}; }
};

template <class T>
inline constexpr auto type_name_storage =
    fixed_name<strip_signature(raw_signature_of_type<T>()).size()>(
        strip_signature(raw_signature_of_type<T>()));

template <auto M>
inline constexpr auto value_name_storage =
    fixed_name<strip_signature(raw_signature_of_value<M>()).size()>(
        strip_signature(raw_signature_of_value<M>()));

/// "counter", "app::counter": the name of a type, NUL-terminated.
template <class T>
constexpr std::string_view type_name() noexcept {
  return type_name_storage<T>.view();
}

/// "counter::add": the name of a member function pointer, NUL-terminated.
template <auto M>
constexpr std::string_view handler_name() noexcept {
  return value_name_storage<M>.view();
}

}  // namespace troupe::detail
