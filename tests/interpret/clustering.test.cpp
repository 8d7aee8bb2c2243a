// Built into sster_interpret_tests (tests/interpret/meson.build).
#include <doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>
#include <vector>

#include "sster/core/random.hpp"
#include "sster/interpret/clustering.hpp"

using namespace sster;

namespace {
RowMatrix<double> random_points(index_t n, index_t d, std::uint64_t seed) {
  const auto key = RandomKey(seed, Purpose::init);
  RowMatrix<double> x(n, d);
  for (index_t i = 0; i < n * d; ++i) x.data()[i] = key.uniform(static_cast<std::uint64_t>(i));
  return x;
}

// The hierarchy as a set: leaves of each merged cluster -> merge distance.
// Independent of cluster numbering and of the order of the input rows
// (`label` maps a row to its name).
std::map<std::vector<index_t>, double> merge_set(const Linkage& z, const std::vector<index_t>& label) {
  const auto n = static_cast<index_t>(z.size()) + 1;
  std::vector<std::vector<index_t>> members(to_size(2 * n - 1));
  for (index_t i = 0; i < n; ++i) members[i] = {label[i]};
  std::map<std::vector<index_t>, double> set;
  for (index_t k = 0; k + 1 < n; ++k) {
    auto m = members[z[k].left];
    m.insert(m.end(), members[z[k].right].begin(), members[z[k].right].end());
    std::sort(m.begin(), m.end());
    CHECK(static_cast<index_t>(m.size()) == z[k].size);
    members[n + k] = m;
    set[m] = z[k].distance;
  }
  return set;
}

std::vector<index_t> identity(index_t n) {
  std::vector<index_t> v(to_size(n));
  std::iota(v.begin(), v.end(), index_t{0});
  return v;
}

// The textbook algorithm: merge the closest pair, update distances with the
// Lance-Williams formula for Ward. O(n^3): the specification to compare with.
Linkage ward_reference(const RowMatrix<double>& x) {
  const index_t n = x.rows();
  std::vector<std::vector<double>> d(n, std::vector<double>(n));
  for (index_t i = 0; i < n; ++i)
    for (index_t j = 0; j < n; ++j) d[i][j] = (x.row(i) - x.row(j)).norm();
  std::vector<index_t> id = identity(n), size(n, 1);
  std::vector<bool> alive(n, true);
  Linkage z;
  for (index_t k = 0; k + 1 < n; ++k) {
    index_t a = -1, b = -1;
    double best = std::numeric_limits<double>::infinity();
    for (index_t i = 0; i < n; ++i)
      for (index_t j = i + 1; j < n; ++j)
        if (alive[i] && alive[j] && d[i][j] < best) best = d[i][j], a = i, b = j;
    for (index_t i = 0; i < n; ++i) {
      if (!alive[i] || i == a || i == b) continue;
      const double na = size[a], nb = size[b], ni = size[i], t = na + nb + ni;
      d[a][i] = d[i][a] = std::sqrt(((na + ni) * d[a][i] * d[a][i] + (nb + ni) * d[b][i] * d[b][i] -
                                     ni * best * best) / t);
    }
    z.push_back({std::min(id[a], id[b]), std::max(id[a], id[b]), best, size[a] + size[b]});
    size[a] += size[b];
    id[a] = n + k;
    alive[b] = false;
  }
  return z;
}
}  // namespace

TEST_CASE("standardize_columns: z-scores with the n-1 standard deviation, constant columns 0") {
  // clang-format off
  RowMatrix<double> m(4, 3);
  m << 1, 2, 3,
       2, 2, 5,
       3, 2, 4,
       4, 2, 9;
  // clang-format on
  // numpy: (m - m.mean(0)) / m.std(0, ddof=1); column 1 is NaN there, 0 here.
  const auto z = standardize_columns(m);
  const double want[4][3] = {{-1.161895003862225, 0, -0.8555277382080452},
                             {-0.3872983346207417, 0, -0.09505863757867168},
                             {0.3872983346207417, 0, -0.4752931878933584},
                             {1.161895003862225, 0, 1.4258795636800752}};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 3; ++j) CHECK(z(i, j) == doctest::Approx(want[i][j]));

  RowMatrix<float> tenths(3, 1);
  tenths << 0.1f, 0.1f, 0.1f;  // the mean is not exactly 0.1: must still give 0
  CHECK(standardize_columns(tenths).isZero(0));
  RowMatrix<double> one_row(1, 2);
  one_row << 3, 4;
  CHECK(standardize_columns(one_row).isZero(0));
}

TEST_CASE("Ward linkage of 0, 1, 5, 6, 20 by hand") {
  // {0},{1} and {5},{6} merge at sqrt(2*1*1/2) * 1 = 1, the first found first.
  // {0,1} (centre 0.5) with {5,6} (centre 5.5): sqrt(2*2*2/4) * 5 = 5*sqrt(2).
  // {0,1,5,6} (centre 3) with {20}: sqrt(2*4*1/5) * 17 = 17*sqrt(1.6).
  // scipy: [[0,1,1,2], [2,3,1,2], [5,6,7.0710678,4], [4,7,21.5034881,5]], leaves [4,0,1,2,3].
  RowMatrix<double> x(5, 1);
  x << 0, 1, 5, 6, 20;
  const auto z = ward_linkage(x);
  REQUIRE(z.size() == 4);
  CHECK(z[0] == ClusterMerge{0, 1, 1.0, 2});
  CHECK(z[1] == ClusterMerge{2, 3, 1.0, 2});
  CHECK(z[2].left == 5);
  CHECK(z[2].right == 6);
  CHECK(z[2].distance == doctest::Approx(5 * std::sqrt(2.0)));
  CHECK(z[2].size == 4);
  CHECK(z[3].left == 4);
  CHECK(z[3].right == 7);
  CHECK(z[3].distance == doctest::Approx(17 * std::sqrt(1.6)));
  CHECK(z[3].size == 5);
  CHECK(leaf_order(z) == std::vector<index_t>{4, 0, 1, 2, 3});
}

TEST_CASE("Ward linkage matches scipy on small 2-D and 3-D sets") {
  // clang-format off
  RowMatrix<double> x(7, 2);
  x << 0, 0,   0, 1,   4, 0,   4, 1.5,   10, 10,   1, 0.5,   9, 9;
  // clang-format on
  // scipy 1.10.1 linkage(x, "ward") and dendrogram(...)["leaves"]:
  const Linkage want{{0, 1, 1.0, 2},  {5, 7, 1.1547005383792517, 3}, {4, 6, 1.4142135623730951, 2},
                     {2, 3, 1.5, 2},  {8, 10, 5.693563617512908, 5}, {9, 11, 19.89256860524265, 7}};
  const auto z = ward_linkage(x);
  REQUIRE(z.size() == want.size());
  for (std::size_t k = 0; k < want.size(); ++k) {
    CHECK(z[k].left == want[k].left);
    CHECK(z[k].right == want[k].right);
    CHECK(z[k].distance == doctest::Approx(want[k].distance).epsilon(1e-12));
    CHECK(z[k].size == want[k].size);
  }
  CHECK(leaf_order(z) == std::vector<index_t>{4, 6, 5, 0, 1, 2, 3});

  // 30 points (sin 1.3i, 2 cos 0.7i, frac(0.618i)): scipy's leaves and last merges.
  RowMatrix<double> y(30, 3);
  for (int i = 0; i < 30; ++i) y.row(i) << std::sin(1.3 * i), 2 * std::cos(0.7 * i), std::fmod(0.618 * i, 1.0);
  const auto zy = ward_linkage(y);
  CHECK(leaf_order(zy) == std::vector<index_t>{0, 1, 10, 26, 18, 28, 17, 19, 8,  9,  27, 3,  24, 5,  14,
                                               22, 4, 13, 23, 6,  21, 12, 15, 29, 11, 16, 2,  7,  20, 25});
  CHECK(zy[0] == ClusterMerge{11, 16, zy[0].distance, 2});
  CHECK(zy[0].distance == doctest::Approx(0.14599399506649532).epsilon(1e-12));
  CHECK(zy[27] == ClusterMerge{54, 56, zy[27].distance, 19});
  CHECK(zy[28] == ClusterMerge{55, 57, zy[28].distance, 30});
  CHECK(zy[28].distance == doctest::Approx(9.368883311820019).epsilon(1e-12));
}

TEST_CASE("the nearest-neighbour chain finds the same hierarchy as the textbook algorithm") {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const auto x = random_points(60 + static_cast<index_t>(seed), 4, seed);
    const auto fast = merge_set(ward_linkage(x), identity(x.rows()));
    const auto slow = merge_set(ward_reference(x), identity(x.rows()));
    REQUIRE(fast.size() == slow.size());
    for (const auto& [members, distance] : slow) {
      REQUIRE(fast.count(members) == 1);
      CHECK(fast.at(members) == doctest::Approx(distance).epsilon(1e-10));
    }
  }
}

TEST_CASE("wide data: the chunked parallel scan finds the same hierarchy") {
  // 300 x 2000 = 600k multiply-adds per scan (30 chunks): the nearest-neighbour search
  // runs in chunks on threads (the shape of kernels clustered over sequences).
  const auto x = random_points(300, 2000, 4);
  const auto fast = merge_set(ward_linkage(x), identity(x.rows()));
  const auto slow = merge_set(ward_reference(x), identity(x.rows()));
  REQUIRE(fast.size() == slow.size());
  for (const auto& [members, distance] : slow) {
    REQUIRE(fast.count(members) == 1);
    CHECK(fast.at(members) == doctest::Approx(distance).epsilon(1e-10));
  }
}

TEST_CASE("1 and 2 threads give the same linkage, bit for bit") {
  const auto x = random_points(1500, 40, 8);
  set_threads(1);
  const auto one = ward_linkage(x);
  set_threads(2);
  const auto two = ward_linkage(x);
  set_threads(detail::default_threads());
  CHECK(one == two);
}

TEST_CASE("the merges do not depend on the order of the rows") {
  const auto x = random_points(200, 5, 11);
  std::vector<index_t> perm = identity(x.rows());
  const auto key = RandomKey(5, Purpose::shuffle);
  for (index_t i = x.rows() - 1; i > 0; --i)
    std::swap(perm[i], perm[key.below(static_cast<std::uint64_t>(i), static_cast<std::uint64_t>(i) + 1)]);
  RowMatrix<double> shuffled(x.rows(), x.cols());
  for (index_t i = 0; i < x.rows(); ++i) shuffled.row(i) = x.row(perm[i]);  // row i of shuffled is row perm[i]

  const auto a = merge_set(ward_linkage(x), identity(x.rows()));
  const auto b = merge_set(ward_linkage(shuffled), perm);
  REQUIRE(a.size() == b.size());
  for (const auto& [members, distance] : a) {
    REQUIRE(b.count(members) == 1);
    CHECK(b.at(members) == doctest::Approx(distance).epsilon(1e-10));
  }
}

TEST_CASE("two well-separated blobs split at the root") {
  const index_t n = 150;
  auto x = random_points(n, 3, 21);
  std::vector<bool> far(n);
  for (index_t i = 0; i < n; ++i) {
    far[i] = i % 3 == 0;  // interleaved, so the input order gives nothing away
    if (far[i]) x.row(i).array() += 50;
  }
  const auto z = ward_linkage(x);
  const auto order = leaf_order(z);
  const auto& root = z.back();
  CHECK(root.size == n);
  const index_t left_size = root.left < n ? 1 : z[root.left - n].size;
  CHECK((left_size == 50 || left_size == 100));
  for (index_t i = 0; i < n; ++i) {
    const bool same_side_as_first = i < left_size;
    CHECK((far[order[i]] == far[order[0]]) == same_side_as_first);
  }
  for (std::size_t k = 1; k < z.size(); ++k) CHECK(z[k].distance >= z[k - 1].distance);
}

TEST_CASE("edge cases: one row, duplicates, bad input, invalid linkage") {
  RowMatrix<double> one(1, 3);
  one << 1, 2, 3;
  CHECK(ward_linkage(one).empty());
  CHECK(leaf_order(Linkage{}) == std::vector<index_t>{0});

  RowMatrix<double> two(2, 2);
  two << 0, 0, 3, 4;  // Ward distance of two points is their Euclidean distance
  CHECK(ward_linkage(two) == Linkage{{0, 1, 5.0, 2}});

  RowMatrix<double> same(4, 2);
  same.setConstant(3);  // all distances 0: merges in scipy's order, ids still valid
  const auto z = ward_linkage(same);
  REQUIRE(z.size() == 3);
  for (const auto& m : z) CHECK(m.distance == 0);
  auto order = leaf_order(z);
  std::sort(order.begin(), order.end());
  CHECK(order == identity(4));

  RowMatrix<double> empty(0, 3);
  CHECK_THROWS_AS(ward_linkage(empty), Error);
  RowMatrix<double> nan(2, 1);
  nan << 1, std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH_AS(ward_linkage(nan), "ward_linkage: the data has a NaN or infinite value", Error);
  CHECK_THROWS_AS(standardize_columns(nan), Error);
  CHECK_THROWS_WITH_AS(leaf_order(Linkage{{0, 3, 1.0, 2}, {1, 2, 2.0, 3}}),
                       "leaf_order: linkage row 0 refers to cluster 3, which does not exist yet or was merged before",
                       Error);
  CHECK_THROWS_AS(leaf_order(Linkage{{0, 1, 1.0, 2}, {0, 3, 2.0, 3}}), Error);
}

TEST_CASE("cluster_heatmap: 5,000 sequences x 30 kernels, both axes") {
  // Performance sanity only (no timing assertion); scipy 1.10's linkage of
  // the rows alone took 0.6 s on the machine where this was written.
  auto x = random_points(5000, 30, 3);
  for (index_t i = 0; i < x.rows(); i += 4) x.row(i).head(10).array() += 2;  // some structure
  const auto start = std::chrono::steady_clock::now();
  const auto h = cluster_heatmap(x);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  MESSAGE("cluster_heatmap 5000 x 30: " << seconds << " s");
  CHECK(h.values.rows() == 5000);
  CHECK(h.values.col(0).mean() == doctest::Approx(0).epsilon(1e-9).scale(1));
  CHECK(h.row_linkage.size() == 4999);
  CHECK(h.col_linkage.size() == 29);
  auto rows = h.row_order;
  std::sort(rows.begin(), rows.end());
  CHECK(rows == identity(5000));
  auto cols = h.col_order;
  std::sort(cols.begin(), cols.end());
  CHECK(cols == identity(30));
  CHECK(h.row_linkage.back().size == 5000);
}
