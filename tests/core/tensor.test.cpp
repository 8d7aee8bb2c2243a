#include <doctest.h>

#include <cstdint>

#include "sster/core/tensor.hpp"

using sster::Shape;
using sster::Tensor;

TEST_CASE_TEMPLATE("Tensor is channels-last, 64-byte aligned and keeps its allocation", T, float, double) {
  Tensor<T> t(Shape{2, 3, 5});
  CHECK(reinterpret_cast<std::uintptr_t>(t.data()) % 64 == 0);
  CHECK(t.size() == 30);
  t.fill(T{0});
  t.at(1, 2, 4) = T{7};
  CHECK(t[(1 * 3 + 2) * 5 + 4] == T{7});
  CHECK(t.sample(1)[2 * 5 + 4] == T{7});
  const T* before = t.data();
  t.resize(Shape{1, 3, 5});  // smaller: no new allocation
  CHECK(t.data() == before);
  CHECK(t.shape() == Shape{1, 3, 5});
  Tensor<T> copy = t;
  CHECK(copy.shape() == t.shape());
  CHECK(copy.data() != t.data());
}
