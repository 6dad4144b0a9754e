// Suite for tools/trace/histogram.hpp: bucket layout and quantile precision.
#include "histogram.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

using troupe_trace::histogram;

namespace {

// The nearest-rank quantile of sorted samples, as histogram::quantile defines it.
std::uint64_t exact_quantile(const std::vector<std::uint64_t>& sorted, double q) {
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

double relative_error(std::uint64_t got, std::uint64_t want) {
  return std::abs(static_cast<double>(got) - static_cast<double>(want)) / static_cast<double>(want);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(histogram_suite)

BOOST_AUTO_TEST_CASE(buckets_tile_the_whole_range_without_gaps_and_stay_under_one_percent_wide) {
  for (std::size_t i = 0; i + 1 < 7424; ++i) {
    BOOST_TEST_REQUIRE(histogram::bucket_floor(i) + histogram::bucket_width(i) ==
                       histogram::bucket_floor(i + 1));
    BOOST_TEST_REQUIRE(histogram::bucket_of(histogram::bucket_floor(i)) == i);
    BOOST_TEST_REQUIRE(histogram::bucket_of(histogram::bucket_floor(i + 1) - 1) == i);
    if (histogram::bucket_floor(i) >= 256)
      BOOST_TEST_REQUIRE(static_cast<double>(histogram::bucket_width(i)) /
                             static_cast<double>(histogram::bucket_floor(i)) <=
                         1.0 / 128);
  }
  BOOST_TEST(histogram::bucket_of(UINT64_MAX) == 7423u);
}

BOOST_AUTO_TEST_CASE(small_values_are_exact) {
  histogram h;
  for (std::uint64_t v = 1; v <= 200; ++v) h.record(v);
  BOOST_TEST(h.quantile(0.5) == 100u);
  BOOST_TEST(h.quantile(0.99) == 198u);
  BOOST_TEST(h.quantile(1.0) == 200u);
  BOOST_TEST(h.min() == 1u);
  BOOST_TEST(h.max() == 200u);
  BOOST_TEST(h.count() == 200u);
}

BOOST_AUTO_TEST_CASE(quantiles_of_a_wide_spread_are_within_half_a_percent) {
  histogram h;
  std::vector<std::uint64_t> samples;
  std::uint64_t x = 12345;
  for (int i = 0; i < 100000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    // Log-uniform from about 100 ns to about 10 s.
    const double exponent = 2.0 + 8.0 * static_cast<double>(x >> 11) / 9007199254740992.0;
    samples.push_back(static_cast<std::uint64_t>(std::pow(10.0, exponent)));
    h.record(samples.back());
  }
  std::sort(samples.begin(), samples.end());
  for (const double q : {0.01, 0.1, 0.5, 0.9, 0.99, 0.999}) {
    BOOST_TEST_CONTEXT("q = " << q) {
      BOOST_TEST(relative_error(h.quantile(q), exact_quantile(samples, q)) <= 0.004);
    }
  }
  BOOST_TEST(h.max() == samples.back());
  BOOST_TEST(h.min() == samples.front());
}

BOOST_AUTO_TEST_CASE(an_empty_histogram_reports_zero) {
  histogram h;
  BOOST_TEST(h.quantile(0.5) == 0u);
  BOOST_TEST(h.max() == 0u);
  BOOST_TEST(h.min() == 0u);
}

BOOST_AUTO_TEST_CASE(merging_equals_recording_everything_in_one) {
  histogram a, b, all;
  for (std::uint64_t v = 1000; v < 50000; v += 7) {
    (v % 2 ? a : b).record(v);
    all.record(v);
  }
  a.merge(b);
  BOOST_TEST(a.count() == all.count());
  for (const double q : {0.1, 0.5, 0.99}) BOOST_TEST(a.quantile(q) == all.quantile(q));
  BOOST_TEST(a.min() == all.min());
  BOOST_TEST(a.max() == all.max());
}

BOOST_AUTO_TEST_SUITE_END()
