// troupe/detail/intrusive_list.hpp — a circular doubly-linked list of nodes
// that embed their own links; O(1) unlink, no allocation.
#pragma once

#include <cstddef>

namespace troupe::detail {

struct list_hook {
  list_hook* prev_ = nullptr;
  list_hook* next_ = nullptr;
  bool linked() const noexcept { return next_ != nullptr; }
};

/// Single thread only. T derives from list_hook.
template <class T>
class intrusive_list {
 public:
  intrusive_list() noexcept { head_.prev_ = head_.next_ = &head_; }
  intrusive_list(const intrusive_list&) = delete;
  intrusive_list& operator=(const intrusive_list&) = delete;

  bool empty() const noexcept { return head_.next_ == &head_; }
  std::size_t size() const noexcept { return size_; }

  void push_back(T* n) noexcept {
    list_hook* h = n;
    h->prev_ = head_.prev_;
    h->next_ = &head_;
    head_.prev_->next_ = h;
    head_.prev_ = h;
    ++size_;
  }
  void erase(T* n) noexcept {
    list_hook* h = n;
    if (!h->linked()) return;
    h->prev_->next_ = h->next_;
    h->next_->prev_ = h->prev_;
    h->prev_ = h->next_ = nullptr;
    --size_;
  }
  T* front() const noexcept { return empty() ? nullptr : static_cast<T*>(head_.next_); }

  /// Calls f on every node; f may erase the node it is given.
  template <class F>
  void for_each(F&& f) {
    for (list_hook* h = head_.next_; h != &head_;) {
      list_hook* next = h->next_;
      f(static_cast<T*>(h));
      h = next;
    }
  }

 private:
  list_hook head_;
  std::size_t size_ = 0;
};

}  // namespace troupe::detail
