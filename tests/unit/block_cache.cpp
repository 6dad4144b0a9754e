// Suite for <troupe/detail/block_cache.hpp>: the per-thread block caches, the
// depot and the slabs behind them.
#include <troupe/detail/block_cache.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

#include <unistd.h>

#include "troupe_test.hpp"

namespace {

using troupe::detail::blocks_from_malloc;
using troupe::detail::thread_blocks;
using troupe::detail::block_depot::mapped_bytes;

constexpr std::size_t mib = std::size_t{1} << 20;

std::size_t resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long size = 0;
  unsigned long resident = 0;
  const int read = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  return read == 2 ? resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

class worker : public troupe::actor {
 public:
  std::int64_t square(std::int64_t i) { return i * i; }
};

struct burst_figures {
  std::size_t mapped_at_peak = 0;
  std::size_t resident_at_peak = 0;
  std::int64_t sum = 0;
};

// Many short-lived actors, each asked once, gathered: the fork-join shape.
troupe::task<burst_figures> actor_burst(std::int64_t n) {
  std::vector<troupe::future<std::int64_t>> squares;
  squares.reserve(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i)
    squares.push_back(troupe::spawn<worker>().ask<&worker::square>(i));
  burst_figures f;
  f.mapped_at_peak = mapped_bytes();
  f.resident_at_peak = resident_bytes();
  for (std::int64_t s : co_await troupe::gather(std::move(squares))) f.sum += s;
  co_return f;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(block_cache)

BOOST_AUTO_TEST_CASE(freed_blocks_are_reused_by_the_next_allocations) {
  if (blocks_from_malloc) return;  // AddressSanitizer: plain operator new, quarantined
  std::vector<void*> first;
  for (int i = 0; i < 1000; ++i) first.push_back(thread_blocks.allocate(200));
  for (void* p : first) thread_blocks.deallocate(p, 200);
  std::set<void*> again;
  for (int i = 0; i < 1000; ++i) again.insert(thread_blocks.allocate(200));
  BOOST_TEST((again == std::set<void*>(first.begin(), first.end())));
  for (void* p : again) thread_blocks.deallocate(p, 200);
}

BOOST_AUTO_TEST_CASE(every_size_gets_aligned_writable_blocks) {
  std::vector<std::pair<void*, std::size_t>> blocks;
  for (std::size_t n = 1; n <= 2048; n += 7) {
    void* p = thread_blocks.allocate(n);
    BOOST_TEST(reinterpret_cast<std::uintptr_t>(p) % __STDCPP_DEFAULT_NEW_ALIGNMENT__ == 0u);
    std::memset(p, 0xab, n);
    blocks.emplace_back(p, n);
  }
  for (auto [p, n] : blocks) thread_blocks.deallocate(p, n);
}

BOOST_AUTO_TEST_CASE(blocks_freed_on_an_exiting_thread_go_back_to_the_os) {
  if (blocks_from_malloc) return;
  thread_blocks.release_kept();
  const std::size_t before = mapped_bytes();
  std::vector<void*> blocks;
  for (int i = 0; i < 200'000; ++i) blocks.push_back(thread_blocks.allocate(96));
  BOOST_TEST(mapped_bytes() >= before + 16 * mib);
  std::thread([&] {
    for (void* p : blocks) thread_blocks.deallocate(p, 96);
  }).join();
  // The thread's cache went to the depot when it exited; the depot keeps a
  // few MiB until asked to let go.
  BOOST_TEST(mapped_bytes() <= before + 12 * mib);
  thread_blocks.release_kept();
  BOOST_TEST(mapped_bytes() <= before + 2 * mib);
}

BOOST_AUTO_TEST_CASE(memory_of_an_actor_burst_goes_back_to_the_os_after_run) {
  thread_blocks.release_kept();
  const std::size_t mapped_before = mapped_bytes();
  constexpr std::int64_t n = 200'000;
  const burst_figures f = troupe_test::run([] { return actor_burst(n); },
                                           troupe_test::test_options(), std::chrono::seconds(120));
  BOOST_TEST(f.sum == (n - 1) * n * (2 * n - 1) / 6);
  if (blocks_from_malloc) return;
  // 200 k cells and requests: tens of MiB of slabs at the peak.
  BOOST_TEST(f.mapped_at_peak >= mapped_before + 40 * mib);
  // run gives the burst's blocks back when it ends: only partly used slabs
  // are left (blocks still held, such as the result's).
  BOOST_TEST(mapped_bytes() <= mapped_before + 4 * mib);
  const std::size_t resident = resident_bytes();
  if (f.resident_at_peak != 0 && resident != 0)  // /proc mounted
    BOOST_TEST(resident + (f.mapped_at_peak - mapped_before) / 2 <= f.resident_at_peak);
}

BOOST_AUTO_TEST_SUITE_END()
