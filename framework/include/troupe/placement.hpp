// troupe/placement.hpp — where spawn_on puts an actor: a given reactor, the
// next one in turn, or the least loaded.
#pragma once

#include <cstddef>

namespace troupe {

/// Placement on reactor `index` (0 is the one troupe::run was called on).
struct on_reactor {
  explicit constexpr on_reactor(std::size_t i) noexcept : index(i) {}
  std::size_t index;
};

/// Placement on each reactor in turn.
struct round_robin_t {
  explicit constexpr round_robin_t() noexcept = default;
};
inline constexpr round_robin_t round_robin{};

/// Placement on the reactor with the fewest live actors (ties: the next in
/// turn).
struct least_loaded_t {
  explicit constexpr least_loaded_t() noexcept = default;
};
inline constexpr least_loaded_t least_loaded{};

/// One of the placements above.
class placement {
 public:
  enum class kind : unsigned char { index, in_turn, by_load };

  constexpr placement(on_reactor r) noexcept : kind_(kind::index), index_(r.index) {}
  constexpr placement(round_robin_t) noexcept : kind_(kind::in_turn) {}
  constexpr placement(least_loaded_t) noexcept : kind_(kind::by_load) {}

  constexpr kind how() const noexcept { return kind_; }
  constexpr std::size_t index() const noexcept { return index_; }

 private:
  kind kind_;
  std::size_t index_ = 0;
};

}  // namespace troupe
