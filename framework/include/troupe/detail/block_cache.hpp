// troupe/detail/block_cache.hpp — per-thread free lists for the small
// blocks allocated once per message or task (envelopes, task roots), so a
// burst of messages neither reaches malloc nor makes it trim and re-grow
// the heap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>

namespace troupe::detail {

class block_cache {
 public:
  static constexpr std::size_t granule = 64;
  static constexpr std::size_t classes = 8;  // blocks up to 512 bytes
  static constexpr std::size_t bytes_kept_per_class = std::size_t{4} << 20;

  constexpr block_cache() noexcept = default;
  block_cache(const block_cache&) = delete;
  block_cache& operator=(const block_cache&) = delete;
  ~block_cache() {
    for (std::size_t c = 0; c < classes; ++c) {
      while (free_block* b = heads_[c]) {
        heads_[c] = b->next;
        ::operator delete(b);
      }
    }
  }

  void* allocate(std::size_t n) {
    const std::size_t c = (n - 1) / granule;
    if (c >= classes) return ::operator new(n);
    if (free_block* b = heads_[c]) {
      heads_[c] = b->next;
      --counts_[c];
      return b;
    }
    return ::operator new((c + 1) * granule);
  }

  void deallocate(void* p, std::size_t n) noexcept {
    const std::size_t c = (n - 1) / granule;
    if (c >= classes || counts_[c] >= bytes_kept_per_class / ((c + 1) * granule)) {
      ::operator delete(p);
      return;
    }
    auto* b = static_cast<free_block*>(p);
    b->next = heads_[c];
    heads_[c] = b;
    ++counts_[c];
  }

 private:
  struct free_block {
    free_block* next;
  };
  free_block* heads_[classes] = {};
  std::uint32_t counts_[classes] = {};
};

inline thread_local block_cache thread_blocks;

/// Gives a class operator new/delete from the calling thread's block cache.
/// A block freed on another thread joins that thread's cache.
struct recycled {
  static void* operator new(std::size_t n) { return thread_blocks.allocate(n); }
  static void operator delete(void* p, std::size_t n) noexcept { thread_blocks.deallocate(p, n); }
};

}  // namespace troupe::detail
