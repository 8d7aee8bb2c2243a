#pragma once
// AlignedVector<T>: a std::vector whose buffer starts on a 64-byte boundary.
// Parameter and gradient buffers use it because Eigen and xsimd peel
// unaligned heads with a scalar loop whose summation order differs from the
// vector loop's: with a fixed alignment every run adds in the same order.
#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

#include "sster/core/index.hpp"

namespace sster {

template <class T>
struct AlignedAllocator {
  using value_type = T;
  static constexpr std::size_t alignment = 64;
  AlignedAllocator() = default;
  template <class U>
  AlignedAllocator(const AlignedAllocator<U>&) noexcept {}  // NOLINT: rebinding
  T* allocate(std::size_t n) {
    const std::size_t bytes = (n * sizeof(T) + alignment - 1) / alignment * alignment;
    void* p = std::aligned_alloc(alignment, bytes == 0 ? alignment : bytes);
    if (!p) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t) noexcept { std::free(p); }
  template <class U>
  bool operator==(const AlignedAllocator<U>&) const noexcept {
    return true;
  }
};

template <class T>
using AlignedVector = std::vector<T, AlignedAllocator<T>>;

// Makes a scratch buffer hold at least n values, keeping what it holds.
// Buffers that calls of several sizes share (a layer's forward and its
// weight gradient) keep their largest size: resize() would zero-fill the
// regrown values after every smaller call, megabytes per training step.
template <class T>
void grow_to(AlignedVector<T>& v, index_t n) {
  if (v.size() < to_size(n)) v.resize(to_size(n));
}

}  // namespace sster
