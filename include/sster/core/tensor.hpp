#pragma once
// Tensor<T>: a 64-byte aligned, channels-last (batch, length, channels) buffer.
// Row-major, so element (b, t, c) sits at (b * L + t) * C + c: the layout of
// Keras, which keeps kernel weight shapes identical to pysster's.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <span>

#include "sster/core/index.hpp"

namespace sster {

struct Shape {
  index_t B = 0;  // batch
  index_t L = 0;  // length (positions)
  index_t C = 0;  // channels
  index_t size() const { return B * L * C; }
  index_t per_sample() const { return L * C; }
  bool operator==(const Shape&) const = default;
};

namespace detail {
struct AlignedFree {
  void operator()(void* p) const { std::free(p); }
};
inline constexpr std::size_t tensor_alignment = 64;  // one cache line, one AVX-512 vector
}  // namespace detail

template <class T>
class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(Shape shape) { resize(shape); }
  Tensor(Shape shape, T value) {
    resize(shape);
    fill(value);
  }
  Tensor(const Tensor& other) { *this = other; }
  Tensor(Tensor&&) noexcept = default;
  Tensor& operator=(Tensor&&) noexcept = default;
  Tensor& operator=(const Tensor& other) {
    if (this != &other) {
      resize(other.shape_);
      std::copy_n(other.data(), other.size(), data());
    }
    return *this;
  }

  // Keeps the allocation when it is large enough: buffers planned once are
  // reused every batch without touching the allocator.
  void resize(Shape shape) {
    const auto n = to_size(shape.size());
    if (n > capacity_) {
      const std::size_t bytes =
          (n * sizeof(T) + detail::tensor_alignment - 1) / detail::tensor_alignment * detail::tensor_alignment;
      void* p = std::aligned_alloc(detail::tensor_alignment, bytes);
      if (!p) throw std::bad_alloc();
      data_.reset(static_cast<T*>(p));
      capacity_ = n;
    }
    shape_ = shape;
  }

  const Shape& shape() const { return shape_; }
  index_t size() const { return shape_.size(); }
  T* data() { return data_.get(); }
  const T* data() const { return data_.get(); }
  T& operator[](index_t i) { return data_.get()[i]; }
  const T& operator[](index_t i) const { return data_.get()[i]; }
  T& at(index_t b, index_t t, index_t c) { return data_.get()[(b * shape_.L + t) * shape_.C + c]; }
  const T& at(index_t b, index_t t, index_t c) const { return data_.get()[(b * shape_.L + t) * shape_.C + c]; }
  T* sample(index_t b) { return data() + b * shape_.per_sample(); }
  const T* sample(index_t b) const { return data() + b * shape_.per_sample(); }
  std::span<T> span() { return {data(), to_size(size())}; }
  std::span<const T> span() const { return {data(), to_size(size())}; }
  void fill(T value) { std::fill_n(data(), size(), value); }

 private:
  std::unique_ptr<T[], detail::AlignedFree> data_;
  std::size_t capacity_ = 0;
  Shape shape_{};
};

}  // namespace sster
