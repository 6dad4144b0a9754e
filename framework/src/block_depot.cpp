// The depot behind the per-thread block caches: full batches of free blocks
// shared by every thread, so blocks freed on one reactor are reused by the
// one that allocates them, and the slabs those blocks are carved from.
//
// Fresh blocks come from 2 MiB slabs mapped straight from the OS, one size
// class per slab, rather than one malloc each: a burst of a million actors or
// tasks then costs a few hundred page faults (transparent huge pages, asked
// for with MADV_HUGEPAGE once a class has outgrown its first slab) instead of
// a million mallocs and a hundred thousand faults. Each slab counts the
// blocks it has handed out; blocks beyond what the depot keeps go back to
// their slab, and a slab whose blocks have all come back is unmapped, so the
// memory of a burst returns to the OS once the burst is over.

#include <troupe/detail/block_cache.hpp>

#include <sys/mman.h>

#include <cstdint>
#include <mutex>
#include <new>
#include <utility>

namespace troupe::detail::block_depot {
namespace {

using free_block = block_batch::free_block;

// Memory kept per class in full batches; beyond it blocks go back to their
// slabs. Taking a batch from a slab costs little more than from here, so
// this only spares the slab walk for the cross-reactor traffic that frees a
// batch on one thread and allocates it on another, over and over.
constexpr std::size_t bytes_kept_per_class = std::size_t{4} << 20;

constexpr std::size_t slab_bytes = std::size_t{2} << 20;  // one huge page
constexpr std::uintptr_t slab_mask = ~std::uintptr_t{slab_bytes - 1};

/// A slab's bookkeeping, in its first bytes; the blocks follow. Guarded by
/// its class's stock mutex.
struct slab {
  slab* prev = nullptr;  // in its stock's list of slabs with blocks to give
  slab* next = nullptr;
  free_block* returned = nullptr;  // blocks given back, reused first
  std::uint32_t outstanding = 0;   // handed out, not given back
  std::uint32_t carved = 0;        // blocks ever handed out from the bump
  std::uint32_t capacity = 0;
  std::uint32_t block_size = 0;
  bool listed = false;

  bool exhausted() const noexcept { return returned == nullptr && carved == capacity; }
  std::byte* first_block() noexcept {
    const std::size_t header = (sizeof(slab) + block_size - 1) / block_size * block_size;
    return reinterpret_cast<std::byte*>(this) + header;
  }
  void* take() noexcept {
    ++outstanding;
    if (returned != nullptr) {
      free_block* b = returned;
      returned = b->next;
      return b;
    }
    return first_block() + std::size_t{carved++} * block_size;
  }
};

slab* slab_of(void* p) noexcept {
  return reinterpret_cast<slab*>(reinterpret_cast<std::uintptr_t>(p) & slab_mask);
}

/// Maps `bytes` (a multiple of slab_bytes) aligned to slab_bytes; null if
/// the OS refuses.
void* map_aligned(std::size_t bytes = slab_bytes) noexcept {
  void* p = ::mmap(nullptr, bytes + slab_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
  if (p == MAP_FAILED) return nullptr;
  const auto start = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t aligned = (start + slab_bytes - 1) & slab_mask;
  if (aligned != start) ::munmap(p, aligned - start);
  const std::uintptr_t end = start + bytes + slab_bytes;
  if (end != aligned + bytes)
    ::munmap(reinterpret_cast<void*>(aligned + bytes), end - aligned - bytes);
  return reinterpret_cast<void*>(aligned);
}

// Below this, operator new: malloc's own mmap threshold takes the middle.
constexpr std::size_t bulk_threshold = slab_bytes;

std::size_t bulk_mapping(std::size_t bytes) noexcept {
  return (bytes + slab_bytes - 1) & ~(slab_bytes - 1);
}

struct stock {
  std::mutex mutex;
  free_block* batches = nullptr;  // each batch's head links the next batch
  std::size_t count = 0;
  slab* open = nullptr;   // slabs that still have blocks to hand out
  slab* spare = nullptr;  // one wholly free slab, kept against mmap churn
  std::size_t slabs = 0;  // mapped, the spare included

  void list(slab* s) noexcept {
    s->prev = nullptr;
    s->next = open;
    if (open != nullptr) open->prev = s;
    open = s;
    s->listed = true;
  }
  void unlist(slab* s) noexcept {
    if (s->prev != nullptr)
      s->prev->next = s->next;
    else
      open = s->next;
    if (s->next != nullptr) s->next->prev = s->prev;
    s->listed = false;
  }

  slab* new_slab(std::size_t c) noexcept {
    void* mem = std::exchange(spare, nullptr);
    if (mem == nullptr) {
      mem = map_aligned();
      if (mem == nullptr) return nullptr;
      ++slabs;
      // A class's first slab stays in small pages: a program that sends a
      // few messages should not pay 2 MiB of resident memory per class.
      if (slabs > 1) ::madvise(mem, slab_bytes, MADV_HUGEPAGE);
    }
    auto* s = ::new (mem) slab;
    s->block_size = static_cast<std::uint32_t>((c + 1) * granule);
    s->capacity = static_cast<std::uint32_t>(
        (slab_bytes - static_cast<std::size_t>(s->first_block() - static_cast<std::byte*>(mem))) /
        s->block_size);
    list(s);
    return s;
  }

  /// Carves a full batch out of the slabs; a short one only if mmap fails.
  block_batch fill(std::size_t c) noexcept {
    block_batch b;
    while (b.count < batch_size) {
      slab* s = open != nullptr ? open : new_slab(c);
      if (s == nullptr) break;
      while (b.count < batch_size && !s->exhausted()) b.push(s->take());
      if (s->exhausted()) unlist(s);
    }
    return b;
  }

  /// Gives every block of `b` back to its slab, unmapping slabs left empty.
  void return_to_slabs(block_batch b) noexcept {
    free_block* p = b.head;
    while (p != nullptr) {
      free_block* next = p->next;
      slab* s = slab_of(p);
      p->next = s->returned;
      s->returned = p;
      if (--s->outstanding == 0) {
        if (s->listed) unlist(s);
        if (spare == nullptr) {
          spare = s;
        } else {
          ::munmap(s, slab_bytes);
          --slabs;
        }
      } else if (!s->listed) {
        list(s);
      }
      p = next;
    }
  }
};

struct depot {
  stock classes[block_depot::classes];
};

// Never destroyed: a block freed during static destruction (a thread_local
// cache, a static holding a message) must still find its depot. The OS takes
// the slabs back at exit.
depot& the_depot() {
  static depot* d = new depot;
  return *d;
}

std::size_t max_batches(std::size_t c) {
  return bytes_kept_per_class / ((c + 1) * granule * batch_size);
}

}  // namespace

// A stored batch is its chain of blocks; the head block's second word links
// the next batch (blocks are at least 16 bytes), and every stored batch is
// full, so its count is batch_size.
block_batch take(std::size_t c) noexcept {
  stock& s = the_depot().classes[c];
  std::lock_guard lock(s.mutex);
  if (s.batches == nullptr) return s.fill(c);
  block_batch b;
  b.head = s.batches;
  s.batches = b.head[1].next;
  --s.count;
  b.count = batch_size;
  return b;
}

void give(std::size_t c, block_batch b) noexcept {
  if (b.count == 0) return;
  stock& s = the_depot().classes[c];
  std::lock_guard lock(s.mutex);
  if (b.count == batch_size && s.count < max_batches(c)) {
    b.head[1].next = s.batches;
    s.batches = b.head;
    ++s.count;
    return;
  }
  s.return_to_slabs(b);  // partial batches (thread exit) too
}

void release_kept() noexcept {
  for (std::size_t c = 0; c < classes; ++c) {
    stock& s = the_depot().classes[c];
    std::lock_guard lock(s.mutex);
    while (s.batches != nullptr) {
      block_batch b;
      b.head = s.batches;
      b.count = batch_size;
      s.batches = b.head[1].next;
      --s.count;
      s.return_to_slabs(b);
    }
    if (s.spare != nullptr) {
      ::munmap(std::exchange(s.spare, nullptr), slab_bytes);
      --s.slabs;
    }
  }
}

void* allocate_bulk(std::size_t bytes) {
  if (bytes <= classes * granule) return thread_blocks.allocate(bytes);
  if (blocks_from_malloc || bytes < bulk_threshold) return ::operator new(bytes);
  void* p = map_aligned(bulk_mapping(bytes));
  if (p == nullptr) throw std::bad_alloc();
  ::madvise(p, bulk_mapping(bytes), MADV_HUGEPAGE);
  return p;
}

void deallocate_bulk(void* p, std::size_t bytes) noexcept {
  if (bytes <= classes * granule)
    thread_blocks.deallocate(p, bytes);
  else if (blocks_from_malloc || bytes < bulk_threshold)
    ::operator delete(p, bytes);
  else
    ::munmap(p, bulk_mapping(bytes));
}

std::size_t mapped_bytes() noexcept {
  std::size_t total = 0;
  for (std::size_t c = 0; c < classes; ++c) {
    stock& s = the_depot().classes[c];
    std::lock_guard lock(s.mutex);
    total += s.slabs * slab_bytes;
  }
  return total;
}

}  // namespace troupe::detail::block_depot
