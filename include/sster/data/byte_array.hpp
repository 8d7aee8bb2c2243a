#pragma once
// ByteArray: a malloc/realloc-backed byte buffer for the symbols of a data
// set. A data set is read without knowing how many records will come; a
// std::vector would double by allocating a new block and copying, so the
// old and new blocks coexist (1.5x-2x the final size at the peak). realloc of
// a large block on Linux (glibc, mmap-backed above 32 MiB) remaps pages
// instead: growing costs no copy and no second block. New bytes are left
// uninitialised; the reader writes every one.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

namespace sster {

class ByteArray {
 public:
  ByteArray() = default;
  explicit ByteArray(std::size_t n, std::uint8_t value) { assign(n, value); }
  ByteArray(const ByteArray& o) {
    reserve(o.size_);
    if (o.size_ > 0) std::memcpy(data_, o.data_, o.size_);
    size_ = o.size_;
  }
  ByteArray(ByteArray&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)), capacity_(std::exchange(o.capacity_, 0)) {}
  ByteArray& operator=(ByteArray o) noexcept {
    swap(o);
    return *this;
  }
  ~ByteArray() { std::free(data_); }

  void swap(ByteArray& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(capacity_, o.capacity_);
  }

  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  std::uint8_t& operator[](std::size_t i) { return data_[i]; }
  const std::uint8_t& operator[](std::size_t i) const { return data_[i]; }
  std::uint8_t* begin() { return data_; }
  std::uint8_t* end() { return data_ + size_; }
  const std::uint8_t* begin() const { return data_; }
  const std::uint8_t* end() const { return data_ + size_; }

  void reserve(std::size_t n) {
    if (n > capacity_) reallocate(n);
  }
  // Grows by at least half the capacity, so appending record by record is amortised O(1).
  void resize(std::size_t n) {
    if (n > capacity_) reallocate(std::max(n, capacity_ + capacity_ / 2));
    size_ = n;
  }
  void assign(std::size_t n, std::uint8_t value) {
    resize(n);
    if (n > 0) std::memset(data_, value, n);
  }
  void clear() { size_ = 0; }
  void shrink_to_fit() {
    if (capacity_ > size_) reallocate(size_);
  }

 private:
  void reallocate(std::size_t n) {
    if (n == 0) {
      std::free(data_);
      data_ = nullptr;
      capacity_ = 0;
      return;
    }
    void* p = std::realloc(data_, n);
    if (!p) throw std::bad_alloc();
    data_ = static_cast<std::uint8_t*>(p);
    capacity_ = n;
  }

  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0, capacity_ = 0;
};

}  // namespace sster
