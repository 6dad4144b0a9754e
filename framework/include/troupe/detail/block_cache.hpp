// troupe/detail/block_cache.hpp — per-thread free lists for the small
// blocks allocated once per message or task (envelopes, task roots), backed
// by a process-wide depot that moves them between threads in batches. A
// message allocated on one reactor is freed on another; without the depot the
// receiver's frees and the sender's mallocs would each go to malloc, across
// arenas (the cost of a cross-reactor tell was mostly that).
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>

namespace troupe::detail {

/// A chain of free blocks of one size class, moved as a unit.
struct block_batch {
  struct free_block {
    free_block* next;
  };
  free_block* head = nullptr;
  std::uint32_t count = 0;

  void push(void* p) noexcept {
    auto* b = static_cast<free_block*>(p);
    b->next = head;
    head = b;
    ++count;
  }
  void* pop() noexcept {
    free_block* b = head;
    head = b->next;
    --count;
    return b;
  }
};

/// The shared stock of batches, per size class; bounded, the rest goes back
/// to malloc. Any thread; one short lock per batch.
namespace block_depot {
constexpr std::size_t granule = 64;
constexpr std::size_t classes = 8;  // blocks up to 512 bytes
constexpr std::uint32_t batch_size = 64;
/// Takes a batch of class `c` (empty if the depot has none).
block_batch take(std::size_t c) noexcept;
/// Keeps `b` (of class `c`) or frees it when the depot is full.
void give(std::size_t c, block_batch b) noexcept;
}  // namespace block_depot

class block_cache {
 public:
  static constexpr std::size_t granule = block_depot::granule;
  static constexpr std::size_t classes = block_depot::classes;
  /// Full batches a thread keeps before it hands one to the depot: a burst
  /// of a few thousand messages on one reactor never reaches the depot.
  static constexpr std::uint32_t batches_kept = 64;

  constexpr block_cache() noexcept = default;
  block_cache(const block_cache&) = delete;
  block_cache& operator=(const block_cache&) = delete;
  ~block_cache() {
    for (std::size_t c = 0; c < classes; ++c) {
      while (spare_count_[c] != 0) block_depot::give(c, pop_spare(c));
      if (local_[c].count != 0) block_depot::give(c, local_[c]);
    }
  }

  void* allocate(std::size_t n) {
    const std::size_t c = (n - 1) / granule;
    if (c >= classes) return ::operator new(n);
    if (local_[c].count == 0) {
      if (spare_count_[c] != 0) {
        local_[c] = pop_spare(c);
      } else {
        local_[c] = block_depot::take(c);
        if (local_[c].count == 0) return ::operator new((c + 1) * granule);
      }
    }
    return local_[c].pop();
  }

  void deallocate(void* p, std::size_t n) noexcept {
    const std::size_t c = (n - 1) / granule;
    if (c >= classes) {
      ::operator delete(p);
      return;
    }
    if (local_[c].count == block_depot::batch_size) {
      if (spare_count_[c] == batches_kept) block_depot::give(c, pop_spare(c));
      push_spare(c, local_[c]);
      local_[c] = {};
    }
    local_[c].push(p);
  }

 private:
  // Full batches are chained through their head block's second word, as in
  // the depot.
  void push_spare(std::size_t c, block_batch b) noexcept {
    b.head[1].next = spares_[c];
    spares_[c] = b.head;
    ++spare_count_[c];
  }
  block_batch pop_spare(std::size_t c) noexcept {
    block_batch b;
    b.head = spares_[c];
    b.count = block_depot::batch_size;
    spares_[c] = b.head[1].next;
    --spare_count_[c];
    return b;
  }

  block_batch local_[classes] = {};                 // allocated from and freed into
  block_batch::free_block* spares_[classes] = {};   // full batches kept here
  std::uint32_t spare_count_[classes] = {};
};

inline thread_local block_cache thread_blocks;

/// Gives a class operator new/delete from the calling thread's block cache.
/// A block freed on another thread joins that thread's cache, and from there
/// the depot.
struct recycled {
  static void* operator new(std::size_t n) { return thread_blocks.allocate(n); }
  static void operator delete(void* p, std::size_t n) noexcept { thread_blocks.deallocate(p, n); }
};

}  // namespace troupe::detail
