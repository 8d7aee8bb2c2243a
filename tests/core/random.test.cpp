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
