// troupe/detail/block_cache.hpp — per-thread free lists for the small
// blocks allocated once per message or task (envelopes, task roots), backed
// by a process-wide depot that moves them between threads in batches. A
// message allocated on one reactor is freed on another; without the depot the
// receiver's frees and the sender's mallocs would each go to malloc, across
// arenas (the cost of a cross-reactor tell was mostly that). Fresh blocks
// are carved from slabs the depot maps from the OS (block_depot.cpp).
//
// Under AddressSanitizer every block is a plain operator new/delete instead,
// so a use after free or an overflow of a message, task root, frame or actor
// is reported as precisely as anywhere else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>

namespace troupe::detail {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool blocks_from_malloc = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool blocks_from_malloc = true;
#else
inline constexpr bool blocks_from_malloc = false;
#endif
#else
inline constexpr bool blocks_from_malloc = false;
#endif

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

/// The shared stock of batches, per size class, and the slabs behind them;
/// bounded, the rest goes back to the slabs, and a slab all of whose blocks
/// are back goes back to the OS. Any thread; one short lock per batch.
namespace block_depot {
constexpr std::size_t granule = 16;
constexpr std::size_t classes = 32;  // blocks up to 512 bytes
constexpr std::uint32_t batch_size = 64;
/// Takes a batch of class `c`, carving it from a slab if the depot has none;
/// empty (or short) only if the OS refuses memory.
block_batch take(std::size_t c) noexcept;
/// Keeps `b` (of class `c`), or gives its blocks back to their slabs when
/// the depot is full or `b` is not a full batch.
void give(std::size_t c, block_batch b) noexcept;
/// Gives every kept batch back to the slabs, so that wholly free slabs are
/// unmapped: what is left mapped is what some thread still uses or caches.
void release_kept() noexcept;
/// Bytes of slabs mapped now, for tests and diagnostics.
std::size_t mapped_bytes() noexcept;
/// One array of any size (a combinator's bookkeeping, for two futures or a
/// million): from the calling thread's block cache when it fits a class,
/// operator new up to 2 MiB, else mapped in huge pages and unmapped when
/// freed. Throws std::bad_alloc.
void* allocate_bulk(std::size_t bytes);
void deallocate_bulk(void* p, std::size_t bytes) noexcept;
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
  ~block_cache() { give_back(); }

  void* allocate(std::size_t n) {
    const std::size_t c = (n - 1) / granule;
    if (blocks_from_malloc || c >= classes) return ::operator new(n);
    if (local_[c].count == 0) {
      if (spare_count_[c] != 0) {
        local_[c] = pop_spare(c);
      } else {
        local_[c] = block_depot::take(c);
        if (local_[c].count == 0) throw std::bad_alloc();
      }
    }
    return local_[c].pop();
  }

  void deallocate(void* p, std::size_t n) noexcept {
    const std::size_t c = (n - 1) / granule;
    if (blocks_from_malloc || c >= classes) {
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

  /// Gives this thread's free blocks back, then the depot's kept batches to
  /// their slabs (block_depot::release_kept). For the end of a burst, such
  /// as the end of troupe::run.
  void release_kept() noexcept {
    give_back();
    block_depot::release_kept();
  }

 private:
  void give_back() noexcept {
    for (std::size_t c = 0; c < classes; ++c) {
      while (spare_count_[c] != 0) block_depot::give(c, pop_spare(c));
      if (local_[c].count != 0) block_depot::give(c, std::exchange(local_[c], {}));
    }
  }

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
/// Blocks are aligned for any type up to __STDCPP_DEFAULT_NEW_ALIGNMENT__;
/// an over-aligned class gets plain aligned operator new.
struct recycled {
  static void* operator new(std::size_t n) { return thread_blocks.allocate(n); }
  static void operator delete(void* p, std::size_t n) noexcept { thread_blocks.deallocate(p, n); }
  static void* operator new(std::size_t n, std::align_val_t a) { return ::operator new(n, a); }
  static void operator delete(void* p, std::size_t n, std::align_val_t a) noexcept {
    ::operator delete(p, n, a);
  }
};

}  // namespace troupe::detail
