// The depot behind the per-thread block caches: full batches of free blocks
// shared by every thread, so blocks freed on one reactor are reused by the
// one that allocates them.

#include <troupe/detail/block_cache.hpp>

#include <mutex>

namespace troupe::detail::block_depot {
namespace {

// Memory kept per class, in full batches; beyond it blocks go back to malloc.
constexpr std::size_t bytes_kept_per_class = std::size_t{16} << 20;

struct stock {
  std::mutex mutex;
  block_batch::free_block* batches = nullptr;  // each batch's head links the next batch
  std::size_t count = 0;
};

struct depot {
  stock classes[block_depot::classes];
  ~depot() {
    for (stock& s : classes) {
      while (s.batches != nullptr) {
        block_batch::free_block* head = s.batches;
        s.batches = reinterpret_cast<block_batch::free_block*>(head[1].next);
        while (head != nullptr) {
          block_batch::free_block* next = head->next;
          ::operator delete(head);
          head = next;
        }
      }
    }
  }
};

depot& the_depot() {
  static depot d;
  return d;
}

std::size_t max_batches(std::size_t c) {
  return bytes_kept_per_class / ((c + 1) * granule * batch_size);
}

void free_batch(block_batch b) noexcept {
  block_batch::free_block* p = b.head;
  while (p != nullptr) {
    block_batch::free_block* next = p->next;
    ::operator delete(p);
    p = next;
  }
}

}  // namespace

// A stored batch is its chain of blocks; the head block's second word links
// the next batch (blocks are at least 64 bytes), and every stored batch is
// full, so its count is batch_size.
block_batch take(std::size_t c) noexcept {
  stock& s = the_depot().classes[c];
  block_batch b;
  {
    std::lock_guard lock(s.mutex);
    if (s.batches == nullptr) return b;
    b.head = s.batches;
    s.batches = reinterpret_cast<block_batch::free_block*>(b.head[1].next);
    --s.count;
  }
  b.count = batch_size;
  return b;
}

void give(std::size_t c, block_batch b) noexcept {
  if (b.count != batch_size) {  // partial batches (thread exit) go back to malloc
    free_batch(b);
    return;
  }
  stock& s = the_depot().classes[c];
  {
    std::lock_guard lock(s.mutex);
    if (s.count < max_batches(c)) {
      b.head[1].next = reinterpret_cast<block_batch::free_block*>(s.batches);
      s.batches = b.head;
      ++s.count;
      return;
    }
  }
  free_batch(b);
}

}  // namespace troupe::detail::block_depot
