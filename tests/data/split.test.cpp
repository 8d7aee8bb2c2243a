#include "sster/data/split.hpp"

#include <doctest.h>

#include <algorithm>
#include <numeric>
#include <optional>
#include <set>
#include <string>

#include "data_test_util.hpp"

using namespace sster;
using sster::test::TempDir;

TEST_CASE("groups parse by name") {
  CHECK(parse_group("train") == Group::train);
  CHECK(parse_group("val") == Group::val);
  CHECK(parse_group("test") == Group::test);
  CHECK(parse_group("all") == Group::all);
  CHECK_THROWS_WITH_AS(parse_group("validation"), doctest::Contains("expected train, val, test or all"), Error);
  CHECK(std::string(group_name(Group::val)) == "val");
}

TEST_CASE("random split: pysster's sizes, disjoint, complete, sorted") {
  for (auto [n, tr, va, te] : {std::tuple{100, 70, 15, 15}, std::tuple{20, 14, 3, 3}, std::tuple{32, 22, 5, 5},
                               std::tuple{1, 0, 0, 1}, std::tuple{0, 0, 0, 0}}) {
    const auto s = random_split(n, 0.7, 0.15, 42);
    CHECK(static_cast<int>(s.train.size()) == tr);
    CHECK(static_cast<int>(s.val.size()) == va);
    CHECK(static_cast<int>(s.test.size()) == te);
    std::set<index_t> all(s.train.begin(), s.train.end());
    all.insert(s.val.begin(), s.val.end());
    all.insert(s.test.begin(), s.test.end());
    CHECK(static_cast<int>(all.size()) == n);
    CHECK(std::is_sorted(s.train.begin(), s.train.end()));
    CHECK(std::is_sorted(s.test.begin(), s.test.end()));
    CHECK_NOTHROW(validate_split(s, n));
  }
}

TEST_CASE("random split is reproducible for a seed and differs between seeds") {
  const auto a = random_split(1000, 0.7, 0.15, 5), b = random_split(1000, 0.7, 0.15, 5), c = random_split(1000, 0.7, 0.15, 6);
  CHECK(a == b);
  CHECK_FALSE(a == c);
  // Not just the first 70%: the permutation really mixes.
  CHECK(a.train.back() > 900);
  CHECK(a.test.front() < 100);
  const auto custom = random_split(1000, 0.5, 0.5, 5);
  CHECK(custom.train.size() == 500);
  CHECK(custom.val.size() == 500);
  CHECK(custom.test.empty());
  CHECK_THROWS_AS(random_split(10, 0.8, 0.3, 1), Error);
  CHECK_THROWS_AS(random_split(10, -0.1, 0.3, 1), Error);
}

TEST_CASE("split_with_held_out: given groups keep their records, the pooled ones fill the rest") {
  auto range = [](index_t from, index_t to) {
    std::vector<index_t> v(to_size(to - from));
    std::iota(v.begin(), v.end(), from);
    return v;
  };
  // both given: every pooled record trains
  CHECK(split_with_held_out(100, 20, 30, 0.85, 1) == Split{range(0, 100), range(100, 120), range(120, 150)});
  // only val: the pooled records split 85/15 into train/test, at random (as random_split)
  const auto v = split_with_held_out(100, 20, std::nullopt, 0.85, 1);
  CHECK(v.train == random_split(100, 0.85, 0.0, 1).train);
  CHECK(v.train.size() == 85);
  CHECK(v.val == range(100, 120));
  CHECK(v.test.size() == 15);
  CHECK(v.test.back() < 100);
  CHECK_NOTHROW(validate_split(v, 120));
  // only test: 85/15 into train/val
  const auto t = split_with_held_out(100, std::nullopt, 30, 0.85, 1);
  CHECK(t.train == v.train);
  CHECK(t.val == v.test);
  CHECK(t.test == range(100, 130));
  CHECK_NOTHROW(validate_split(t, 130));
  CHECK(split_with_held_out(100, std::nullopt, 30, 0.85, 2) != t);  // the seed picks the records
  CHECK(split_with_held_out(100, 0, std::nullopt, 0.85, 1).val.empty());  // an empty file given stays empty
  CHECK_THROWS_WITH_AS(split_with_held_out(100, std::nullopt, std::nullopt, 0.85, 1), doctest::Contains("use random_split"), Error);
}

TEST_CASE("explicit splits are validated") {
  CHECK_NOTHROW(validate_split(Split{{0, 1}, {2}, {}}, 4));  // not every record must be used
  CHECK_THROWS_WITH_AS(validate_split(Split{{0, 4}, {}, {}}, 4), doctest::Contains("train index 4 is out of range"), Error);
  CHECK_THROWS_WITH_AS(validate_split(Split{{0, 1}, {1}, {}}, 4), doctest::Contains("record 1 is in train and in val"), Error);
  CHECK_THROWS_WITH_AS(validate_split(Split{{}, {}, {-1}}, 4), doctest::Contains("test index -1"), Error);
}

TEST_CASE("split files: one group per record line") {
  TempDir dir;
  test::write_file(dir.file("s.txt"), "train\nval\r\ntest\ntrain\n\n");
  const auto s = read_split_file(dir.file("s.txt"), 4);
  CHECK(s == Split{{0, 3}, {1}, {2}});
  CHECK(split_file_text(s, 4) == "train\nval\ntest\ntrain\n");
  CHECK_THROWS_WITH_AS(read_split_file(dir.file("s.txt"), 5), doctest::Contains("s.txt: 4 lines, but the data set has 5 records"), Error);
  test::write_file(dir.file("bad.txt"), "train\nvalidation\n");
  CHECK_THROWS_WITH_AS(read_split_file(dir.file("bad.txt"), 2), doctest::Contains("bad.txt line 2: 'validation' is not a group"), Error);
  CHECK_THROWS_WITH_AS(split_file_text(Split{{0}, {}, {}}, 2), doctest::Contains("record 1 is in no group"), Error);
}
