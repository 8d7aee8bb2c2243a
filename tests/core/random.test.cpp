#include <doctest.h>

#include <algorithm>
#include <numeric>
#include <vector>

#include "sster/core/random.hpp"

using namespace sster;

TEST_CASE("counter-based random numbers depend only on their key") {
  const auto a = RandomKey(42, Purpose::dropout).with({1, 2, 3});
  const auto b = RandomKey(42, Purpose::dropout).with({1, 2, 3});
  const auto c = RandomKey(42, Purpose::dropout).with({1, 2, 4});
  const auto d = RandomKey(42, Purpose::shuffle).with({1, 2, 3});
  CHECK(a.bits(7) == b.bits(7));
  CHECK(a.bits(7) != c.bits(7));
  CHECK(a.bits(7) != d.bits(7));
  CHECK(a.bits(7) != a.bits(8));
}

TEST_CASE("uniform numbers are in [0, 1) with the right mean") {
  const auto key = RandomKey(1, Purpose::init);
  double sum = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double u = key.uniform(static_cast<std::uint64_t>(i));
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    sum += u;
  }
  CHECK(sum / n == doctest::Approx(0.5).epsilon(0.01));
  std::vector<int> counts(10, 0);
  for (int i = 0; i < n; ++i) ++counts[key.below(static_cast<std::uint64_t>(i) + n, 10)];
  for (int c : counts) CHECK(c == doctest::Approx(n / 10).epsilon(0.05));
}

TEST_CASE("the 24-bit stream compared with threshold24 is its uniform float compared with p") {
  const auto key = RandomKey(3, Purpose::dropout).with(9);
  // rates whose float times 2^24 is whole (the threshold itself) and ones that are not, and the ends
  for (const float p : {0.f, 0.1f, 0.25f, 0.5f, 1.f / 3, 0.9f, 1.f - 0x1.0p-24f, 1.f}) {
    CAPTURE(p);
    int below = 0;
    for (std::uint32_t c = 0; c < 20000; ++c) {
      const std::uint32_t b = key.bits24(c);
      REQUIRE(b < (1u << 24));
      const float uniform = static_cast<float>(b) * 0x1.0p-24f;
      REQUIRE((b >= RandomKey::threshold24(p)) == (uniform >= p));
      below += uniform < p;
    }
    CHECK(below == doctest::Approx(20000.0 * p).epsilon(0.05).scale(200));
  }
  // Exactly at the threshold: the smallest number kept is threshold24(p) itself.
  CHECK(static_cast<float>(RandomKey::threshold24(0.25f)) * 0x1.0p-24f == 0.25f);
  CHECK(static_cast<float>(RandomKey::threshold24(0.1f) - 1) * 0x1.0p-24f < 0.1f);
  CHECK(static_cast<float>(RandomKey::threshold24(0.1f)) * 0x1.0p-24f >= 0.1f);
}

TEST_CASE("shuffle is a seeded permutation") {
  std::vector<int> v(100);
  std::iota(v.begin(), v.end(), 0);
  auto w = v;
  RandomStream r1(RandomKey(5, Purpose::shuffle)), r2(RandomKey(5, Purpose::shuffle));
  shuffle(v.begin(), v.end(), r1);
  shuffle(w.begin(), w.end(), r2);
  CHECK(v == w);
  CHECK(!std::is_sorted(v.begin(), v.end()));
  std::sort(v.begin(), v.end());
  for (int i = 0; i < 100; ++i) CHECK(at(v, i) == i);
}
