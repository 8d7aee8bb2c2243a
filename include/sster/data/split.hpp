#pragma once
// Train / validation / test splits of a data set's record indices.
//
// random_split cuts a seeded permutation the way pysster does:
// train = the first int(n * train_fraction), validation up to
// int(n * (train_fraction + val_fraction)), test the rest (70/15/15 of 100
// records -> 70/15/15, of 20 -> 14/3/3). Each group is then sorted, so
// predictions for a group come in file order. A split file has one line per
// record, "train", "val" or "test", in record order.
//
// split_with_held_out is the split when validation and/or test records come
// in files of their own: those records keep their group, the others are
// split at random into what is left (see there).
//
// SplitRecipe is how a data set was split, as a model remembers it: enough to
// make the same groups again from the same files.
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/random.hpp"
#include "sster/core/tensor.hpp"
#include "sster/data/extra_inputs.hpp"

namespace sster {

enum class Group { train, val, test, all };

inline Group parse_group(const std::string& name) {
  if (name == "train") return Group::train;
  if (name == "val") return Group::val;
  if (name == "test") return Group::test;
  if (name == "all") return Group::all;
  throw Error("unknown data group '" + name + "': expected train, val, test or all");
}

inline const char* group_name(Group g) {
  switch (g) {
    case Group::train: return "train";
    case Group::val: return "val";
    case Group::test: return "test";
    case Group::all: return "all";
  }
  return "?";
}

struct Split {
  std::vector<index_t> train, val, test;
  bool operator==(const Split&) const = default;
};

struct SplitRecipe {
  enum class Kind {
    random,    // random_split(records, train_fraction, val_fraction, seed)
    held_out,  // the last val_files then test_files files are validation and test
               // records (split_with_held_out, seed, held-out train fraction)
    file,      // a split file: its path and its CRC-32
  };
  Kind kind = Kind::random;
  std::uint64_t seed = 42;
  double train_fraction = 0.7, val_fraction = 0.15;
  std::vector<index_t> file_records;  // records of each file read, in reading order
  index_t val_files = 0, test_files = 0;
  std::string split_file;
  std::uint32_t split_crc = 0;  // of split_file_text: the groups, however the file was written

  // Whether files with these record counts are the ones the recipe split.
  bool same_files(const std::vector<index_t>& records) const { return records == file_records; }
  // Whether both recipes put the same records of the same files in the same
  // groups (the split file's path and a seed that draws nothing may differ).
  bool same_groups(const SplitRecipe& o) const {
    if (kind != o.kind || file_records != o.file_records) return false;
    switch (kind) {
      case Kind::random: return seed == o.seed && train_fraction == o.train_fraction && val_fraction == o.val_fraction;
      case Kind::held_out:
        return val_files == o.val_files && test_files == o.test_files && train_fraction == o.train_fraction &&
               ((val_files > 0 && test_files > 0) || seed == o.seed);
      case Kind::file: return split_crc == o.split_crc;
    }
    return false;
  }
  bool operator==(const SplitRecipe&) const = default;
};

inline const char* split_kind_name(SplitRecipe::Kind k) {
  switch (k) {
    case SplitRecipe::Kind::random: return "random";
    case SplitRecipe::Kind::held_out: return "held_out";
    case SplitRecipe::Kind::file: return "file";
  }
  return "?";
}

// Throws unless every index is in [0, n) and no index is in two groups (or twice in one).
inline void validate_split(const Split& split, index_t n) {
  std::vector<std::int8_t> owner(to_size(n), -1);
  const std::vector<index_t>* groups[] = {&split.train, &split.val, &split.test};
  const char* names[] = {"train", "val", "test"};
  for (int g = 0; g < 3; ++g) {
    for (index_t i : *groups[g]) {
      require(i >= 0 && i < n, std::string("split: ") + names[g] + " index " + std::to_string(i) +
                                   " is out of range (the data set has " + std::to_string(n) + " records)");
      auto& o = at(owner, i);
      require(o < 0, "split: record " + std::to_string(i) + " is in " + names[o < 0 ? 0 : o] + " and in " +
                         names[g]);
      o = static_cast<std::int8_t>(g);
    }
  }
}

inline Split random_split(index_t n, double train_fraction, double val_fraction, std::uint64_t seed) {
  require(train_fraction >= 0 && val_fraction >= 0 && train_fraction + val_fraction <= 1.0 + 1e-12,
          "split fractions: train " + std::to_string(train_fraction) + " and val " + std::to_string(val_fraction) +
              " must be >= 0 and add up to at most 1");
  std::vector<index_t> perm(to_size(n));
  std::iota(perm.begin(), perm.end(), index_t{0});
  RandomStream rng(RandomKey(seed, Purpose::split).with(static_cast<std::uint64_t>(n)));
  shuffle(perm.begin(), perm.end(), rng);
  // Same truncation as pysster: int(n * p_train), int(n * (p_train + p_val)).
  const auto break_train = std::min(n, static_cast<index_t>(static_cast<double>(n) * train_fraction));
  const auto break_val =
      std::min(n, std::max(break_train, static_cast<index_t>(static_cast<double>(n) * (train_fraction + val_fraction))));
  Split s;
  s.train.assign(perm.begin(), perm.begin() + break_train);
  s.val.assign(perm.begin() + break_train, perm.begin() + break_val);
  s.test.assign(perm.begin() + break_val, perm.end());
  std::sort(s.train.begin(), s.train.end());
  std::sort(s.val.begin(), s.val.end());
  std::sort(s.test.begin(), s.test.end());
  return s;
}

// Records [0, pooled) are followed by `val` given validation records (if
// any are given), then by `test` given test records. The given ones keep
// their group. The pooled records fill the groups not given: with both given
// they all train; with one given, a random split (as random_split, seeded)
// puts int(pooled * train_fraction) of them in train and the rest in the
// missing group: pooled 100, train_fraction 0.85, only val given ->
// 85 train, 15 test.
inline Split split_with_held_out(index_t pooled, std::optional<index_t> val, std::optional<index_t> test,
                                 double train_fraction, std::uint64_t seed) {
  require(val || test, "split_with_held_out: neither validation nor test records are given (use random_split)");
  require(pooled >= 0 && val.value_or(0) >= 0 && test.value_or(0) >= 0, "split_with_held_out: negative record count");
  Split s;
  if (val && test) {
    s.train.resize(to_size(pooled));
    std::iota(s.train.begin(), s.train.end(), index_t{0});
  } else {
    s = random_split(pooled, train_fraction, 0.0, seed);  // train and the rest, in s.test
    if (test) std::swap(s.val, s.test);
  }
  index_t next = pooled;
  for (auto [given, group] : {std::pair{val, &s.val}, std::pair{test, &s.test}})
    for (index_t k = 0; k < given.value_or(0); ++k) group->push_back(next++);
  return s;
}

// One group name per line ("train", "val", "test"), one line per record.
inline Split read_split_file(const std::string& path, index_t n) {
  Split s;
  index_t row = 0;
  detail::for_each_value_line(path, [&](std::string_view line, index_t no) {
    const std::string name(line);
    if (name == "train") s.train.push_back(row);
    else if (name == "val") s.val.push_back(row);
    else if (name == "test") s.test.push_back(row);
    else
      throw Error(path + " line " + std::to_string(no) + ": " + quote_excerpt(line) +
                  " is not a group (expected train, val or test)");
    ++row;
  });
  require(row == n, path + ": " + std::to_string(row) + " lines, but the data set has " + std::to_string(n) +
                        " records (expected one line per record)");
  return s;
}

// The text of a split file; the split must put every record in a group.
inline std::string split_file_text(const Split& split, index_t n) {
  validate_split(split, n);
  std::vector<const char*> names(to_size(n), nullptr);
  for (index_t i : split.train) at(names, i) = "train";
  for (index_t i : split.val) at(names, i) = "val";
  for (index_t i : split.test) at(names, i) = "test";
  std::string text;
  for (index_t i = 0; i < n; ++i) {
    const char* g = at(names, i);
    require(g != nullptr, "split: record " + std::to_string(i) + " is in no group; a split file needs every record");
    text += g;
    text += '\n';
  }
  return text;
}

}  // namespace sster
