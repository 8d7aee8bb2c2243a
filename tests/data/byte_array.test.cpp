#include "sster/data/byte_array.hpp"

#include <doctest.h>

#include <utility>

using namespace sster;

TEST_CASE("ByteArray grows, keeps its contents, copies and moves") {
  ByteArray a;
  CHECK(a.empty());
  for (std::size_t i = 0; i < 100000; ++i) {
    a.resize(i + 1);
    a[i] = static_cast<std::uint8_t>(i * 7);
  }
  CHECK(a.size() == 100000);
  CHECK(a.capacity() >= a.size());
  bool same = true;
  for (std::size_t i = 0; i < a.size(); ++i) same = same && a[i] == static_cast<std::uint8_t>(i * 7);
  CHECK(same);
  a.shrink_to_fit();
  CHECK(a.capacity() == a.size());
  ByteArray b = a;
  CHECK(b.size() == a.size());
  CHECK(b.data() != a.data());
  CHECK(b[99999] == a[99999]);
  ByteArray c = std::move(b);
  CHECK(b.size() == 0);
  CHECK(b.data() == nullptr);
  CHECK(c[12345] == a[12345]);
  c = ByteArray(3, 9);
  CHECK(c.size() == 3);
  CHECK(c[2] == 9);
  c.resize(0);
  c.shrink_to_fit();
  CHECK(c.data() == nullptr);
}
