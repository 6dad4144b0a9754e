#include "histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace troupe_trace {
namespace {

constexpr unsigned sub_bits = 7;
constexpr std::uint64_t sub_count = std::uint64_t{1} << sub_bits;  // buckets per power of two
constexpr std::uint64_t exact_below = 2 * sub_count;               // one bucket per value

}  // namespace

std::size_t histogram::bucket_of(std::uint64_t value) noexcept {
  if (value < exact_below) return static_cast<std::size_t>(value);
  const unsigned exponent = static_cast<unsigned>(std::bit_width(value)) - 1;  // >= sub_bits + 1
  const unsigned shift = exponent - sub_bits;
  const std::uint64_t mantissa = (value >> shift) - sub_count;  // [0, sub_count)
  return static_cast<std::size_t>(exact_below + (shift - 1) * sub_count + mantissa);
}

std::uint64_t histogram::bucket_floor(std::size_t index) noexcept {
  if (index < exact_below) return index;
  const std::uint64_t above = index - exact_below;
  const unsigned shift = static_cast<unsigned>(above / sub_count) + 1;
  return (sub_count + above % sub_count) << shift;
}

std::uint64_t histogram::bucket_width(std::size_t index) noexcept {
  if (index < exact_below) return 1;
  return std::uint64_t{1} << (static_cast<unsigned>((index - exact_below) / sub_count) + 1);
}

void histogram::record(std::uint64_t value) {
  const std::size_t b = bucket_of(value);
  if (b >= buckets_.size()) buckets_.resize(b + 1);
  ++buckets_[b];
  min_ = count_ == 0 ? value : std::min(min_, value);
  max_ = std::max(max_, value);
  ++count_;
}

void histogram::merge(const histogram& other) {
  if (other.count_ == 0) return;
  if (other.buckets_.size() > buckets_.size()) buckets_.resize(other.buckets_.size());
  for (std::size_t i = 0; i < other.buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
}

std::uint64_t histogram::quantile(double q) const noexcept {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::clamp<std::uint64_t>(rank, 1, count_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      const std::uint64_t mid = bucket_floor(i) + bucket_width(i) / 2;
      return std::clamp(i < exact_below ? bucket_floor(i) : mid, min_, max_);
    }
  }
  return max_;
}

}  // namespace troupe_trace
