// A log-linear histogram of durations: constant memory per histogram whatever
// the number of samples, quantiles within 0.4 %.
#pragma once

#include <cstdint>
#include <vector>

namespace troupe_trace {

/// Counts values (nanoseconds) in buckets that are exact below 256 and, above,
/// split every power of two into 128 equal buckets, so a bucket is at most
/// 1/128 of its values wide and a quantile (the middle of its bucket) is
/// within 0.4 % of the true sample. Memory grows with the largest value
/// seen, to at most 7424 buckets.
/// @par Thread Safety One thread at a time.
class histogram {
 public:
  void record(std::uint64_t value);
  void merge(const histogram& other);

  std::uint64_t count() const noexcept { return count_; }
  std::uint64_t min() const noexcept { return count_ ? min_ : 0; }
  std::uint64_t max() const noexcept { return max_; }

  /// The value below which a fraction `q` (0..1) of the samples fall: the
  /// nearest-rank sample, to the precision above, clamped to [min, max].
  /// 0 when empty.
  std::uint64_t quantile(double q) const noexcept;

  /// The bucket holding `value`, and the smallest value in bucket `index`
  /// (exposed for tests).
  static std::size_t bucket_of(std::uint64_t value) noexcept;
  static std::uint64_t bucket_floor(std::size_t index) noexcept;
  static std::uint64_t bucket_width(std::size_t index) noexcept;

 private:
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  std::uint64_t min_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace troupe_trace
