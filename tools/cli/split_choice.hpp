#pragma once
// Which records a command evaluates: the pieces of the split options that
// common.hpp's DataArgs and ModelDataArgs share. A model remembers how its
// training data was split (SplitRecipe); `report` and `predict` on the same
// files then default to the records it never saw, the test group.
#include <charconv>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sster/core/crc32.hpp"
#include "sster/core/error.hpp"
#include "sster/data/dataset.hpp"

namespace sster::cli {

// "0.6,0.2" -> (0.6, 0.2): training and validation shares of a random split.
inline std::pair<double, double> parse_split_fractions(const std::string& text) {
  const auto comma = text.find(',');
  auto number = [&](std::string_view part) {
    double v = -1;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    require(ec == std::errc() && end == part.data() + part.size() && v >= 0 && v <= 1,
            "--split-fractions '" + text + "': '" + std::string(part) + "' is not a share from 0 to 1");
    return v;
  };
  require(comma != std::string::npos, "--split-fractions '" + text + "': expected TRAIN,VAL, e.g. 0.6,0.2");
  const double train = number(std::string_view(text).substr(0, comma));
  const double val = number(std::string_view(text).substr(comma + 1));
  require(train > 0 && train + val <= 1,
          "--split-fractions '" + text + "': the training share must be above 0 and TRAIN + VAL at most 1");
  return {train, val};
}

inline std::uint32_t split_crc32(const Data& d) { return crc32_of(split_file_text(d.split(), d.size())); }

// The group to evaluate when none is given: the model's own test group when
// the records are split as in training, else all of them; says which on stderr.
inline std::string default_group(const Data& d, const std::optional<SplitRecipe>& trained, const SplitRecipe& now) {
  const auto n = std::to_string(d.size());
  if (!trained) {
    std::cerr << "sster: scoring all " << n << " records: the model does not record how its training data was split "
              << "(trained by an older sster); --group test with the training command's split options scores only "
              << "the records it did not train on\n";
    return "all";
  }
  if (!trained->same_files(now.file_records)) {
    std::cerr << "sster: scoring all " << n << " records: these are not the files the model was trained on (their "
              << "record counts differ)\n";
    return "all";
  }
  if (!trained->same_groups(now)) {
    std::cerr << "sster: scoring all " << n << " records: they are the training files, but the split options differ "
              << "from training's"
              << (trained->kind == SplitRecipe::Kind::file ? " (it used the split file " + trained->split_file + ")" : "")
              << "; --group test scores the test group of the split given here\n";
    return "all";
  }
  std::cerr << "sster: scoring the test group, the " << d.indices(Group::test).size() << " of " << n
            << " records the model did not train on (split as in training; --group all scores every record)\n";
  return "test";
}

}  // namespace sster::cli
