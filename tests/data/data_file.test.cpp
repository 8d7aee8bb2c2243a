#include "sster/data/data_file.hpp"

#include <doctest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "data_test_util.hpp"

#ifndef SSTER_TEST_FILES
#error "tests/data/meson.build defines SSTER_TEST_FILES"
#endif

using namespace sster;
using sster::test::TempDir;

namespace {

// Written by sster 0.1.0 before the field table (tests/data/files/README.md).
const std::vector<std::string> old_data_files = {"dna.sstd", "multilabel_structure.sstd", "profile_inputs.sstd",
                                                 "padded.sstd"};
std::string old_data_file(const std::string& name) { return std::string(SSTER_TEST_FILES) + "/" + name; }

// A set with every kind of field filled: structure profiles, standardised and
// raw position-wise channels, numeric and categorical additional values,
// padding, a split of its own.
Data every_field() {
  auto f = [](const char* name) { return test::pysster_file(name); };
  DataOptions o;
  o.structure_profile = true;
  o.pad = true;
  o.seed = 11;
  Data d = Data::from_fasta({f("rna_pwm1.fasta"), f("rna_pwm2.fasta")}, alphabet::rna_dot_bracket(), o);
  d.add_additional(std::vector<std::string>{f("rna_pwm1_add.txt"), f("rna_pwm2_add.txt")}, true);
  d.add_positionwise(std::vector<std::string>{f("rna_pwm1_pos.txt"), f("rna_pwm2_pos.txt")}, "scaled", true);
  d.add_positionwise(std::vector<std::string>{f("rna_pwm1_pos.txt"), f("rna_pwm2_pos.txt")}, "raw");
  d.add_categorical(std::vector<std::string>{f("rna_pwm1_add.txt"), f("rna_pwm2_add.txt")},
                    {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16"});
  d.set_split({0, 2, 4, 6, 8, 10, 12}, {1, 3}, {5, 31});
  return d;
}

// The bytes one field of the table writes for a data set.
template <class Field>
std::string field_bytes(const Field& field, const Data& d) {
  std::string bytes;
  BinaryWriter out(bytes);
  field.codec.write(out, d);
  return bytes;
}

}  // namespace

TEST_CASE("data files written by sster 0.1.0 load and save again byte for byte") {
  TempDir dir;
  for (const auto& name : old_data_files) {
    CAPTURE(name);
    const std::string before = test::read_file(old_data_file(name));
    const Data d = Data::load(old_data_file(name));
    CHECK(d.size() > 0);
    d.save(dir.file(name));
    CHECK(test::read_file(dir.file(name)) == before);
  }
}

TEST_CASE("the field table: each field reads back what it wrote, and the fields make up the whole file") {
  TempDir dir;
  std::vector<std::string> paths;
  for (const auto& name : old_data_files) paths.push_back(old_data_file(name));
  every_field().save(dir.file("every.sstd"));
  paths.push_back(dir.file("every.sstd"));
  for (const auto& path : paths) {
    CAPTURE(path);
    const Data d = Data::load(path);
    d.save(dir.file("again.sstd"));
    const Data again = Data::load(dir.file("again.sstd"));
    const std::string file = test::read_file(path);
    const auto version = static_cast<std::uint32_t>(static_cast<unsigned char>(file[4]));
    CHECK(version == (path == dir.file("every.sstd") ? 2u : 1u));  // the oldest version that holds the set
    std::string content;  // the fields of the file's version, in table order
    std::vector<std::string> names;
    std::apply(
        [&](const auto&... field) {
          auto check = [&](const auto& f) {
            CAPTURE(f.name);
            if (f.since > version) return;
            const std::string bytes = field_bytes(f, d);
            CHECK(field_bytes(f, again) == bytes);  // read, then written again: the same values
            CHECK(f.check(d).empty());
            content += bytes;
            names.push_back(f.name);
          };
          (check(field), ...);
        },
        detail::DataFile::fields());
    CHECK(file.substr(8, file.size() - 12) == content);  // between magic + version and the checksum
    CHECK(names.front() == "alphabet");
    CHECK(names.back() == (version == 1 ? "test records" : "additional input encodings"));
    CHECK(again.additional_inputs() == d.additional_inputs());
  }
}

TEST_CASE("additional inputs keep their encodings in the file: z-scores and categories (version 2), plain numbers (1)") {
  TempDir dir;
  const Data d = every_field();
  REQUIRE(d.additional_inputs().size() == 2);
  const auto& z = d.additional_inputs()[0];
  CHECK(z.name == "rna_pwm1_add");
  CHECK(z.standardized);
  CHECK(z.sd > 0);
  CHECK(d.additional_inputs()[1].categories.size() == 16);
  d.save(dir.file("every.sstd"));
  CHECK(Data::load(dir.file("every.sstd")).additional_inputs() == d.additional_inputs());
  // Version 1 files: every column a plain number named after it.
  const Data old = Data::load(old_data_file("profile_inputs.sstd"));
  CHECK(old.additional_inputs() == plain_additional_inputs(old.extra_names()));
  // The alphabet is the letters, a space, the structure letters (docs/data-file.md).
  const std::string bytes = test::read_file(dir.file("every.sstd"));
  CHECK(bytes.substr(8, 4 + 8) == std::string("\x08\0\0\0ACGU ().", 12));
  CHECK(test::read_file(std::string(SSTER_TEST_FILES) + "/../../../docs/data-file.md")
            .find("then a space and the structure letters") != std::string::npos);
}

TEST_CASE("the field table's range checks refuse a bad value in any field, also under a valid checksum") {
  TempDir dir;
  const Data d = every_field();
  const std::string path = dir.file("every.sstd");
  d.save(path);
  const std::string good = test::read_file(path);
  std::map<std::string, std::size_t> offset;  // of each field, by name
  std::size_t at = 8;
  std::apply([&](const auto&... f) { ((offset[f.name] = at, at += field_bytes(f, d).size()), ...); },
             detail::DataFile::fields());
  REQUIRE(offset.size() == std::tuple_size_v<decltype(detail::DataFile::fields())>);  // names are unique
  auto le = [](auto v) { return std::string(reinterpret_cast<const char*>(&v), sizeof v); };
  const std::string nan = le(std::nanf("")), inf = le(INFINITY);
  struct Case {
    const char* field;
    std::size_t skip;  // bytes into the field
    std::string bytes;
    std::string message;
  };
  const std::size_t channel = 4 + std::string("scaled").size() + 1;  // name, scaled flag: then its centres
  const Case cases[] = {
      {"records", 0, le(std::int64_t{-1}), "a size field is out of range"},
      {"length", 0, le((std::int64_t{1} << 40) + 1), "a size field is out of range"},
      {"profile channels", 0, le(std::int64_t{2}), "profile channels do not match the alphabet"},
      {"lengths", 4, le(std::uint32_t{0}), "record length out of range"},
      {"lengths", 8, le(static_cast<std::uint32_t>(d.length() + 1)), "record length out of range"},
      {"symbols", 3, "\x0C", "a symbol is outside the alphabet"},
      {"labels", 1, "\x02", "a label is not 0 or 1"},
      {"structure profiles", 40, nan, "an input value is NaN or infinite"},
      {"position-wise names and scaling", channel + 8, inf, "an input value is NaN or infinite"},
      {"position-wise values", 0, nan, "an input value is NaN or infinite"},
      {"additional values", 12, inf, "an input value is NaN or infinite"},
      {"additional input encodings", 8 + 4 + 12 + 8 + 1 + 8, le(std::nan("")), "an additional input's scaling is not finite"},
      {"training records", 16, le(std::int64_t{0}), "split: record 0 is in train and in train"},
      {"test records", 8, le(std::int64_t{32}), "split: test index 32 is out of range (the data set has 32 records)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.field);
    CAPTURE(c.skip);
    std::string crafted = good;
    crafted.replace(offset.at(c.field) + c.skip, c.bytes.size(), c.bytes);
    test::write_file(dir.file("crafted.sstd"), test::with_crc(crafted));
    const std::string expected = "crafted.sstd: not a valid file: " + c.message;
    CHECK_THROWS_WITH_AS(Data::load(dir.file("crafted.sstd")), doctest::Contains(expected.c_str()), Error);
  }
  CHECK(Data::load(path).size() == 32);
}
