// Damaged model and data files: truncation, bit flips, a wrong magic and a
// newer format version each give their own clear message, and files crafted
// with a valid checksum are still checked before anything is sized from them.
#include <doctest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "cli_test_util.hpp"
#include "reliability_test_util.hpp"
#include "sster/data/dataset.hpp"
#include "sster/model/model.hpp"
#include "targets.hpp"

using sster::Data;
using sster::Error;
using sster::Model;
using sster::test::error_of;
using sster::test::pysster_tests;
using sster::test::ScratchDir;
using sster::to_size;

namespace {

bool has(const std::string& message, const std::string& part) { return message.find(part) != std::string::npos; }

void set_u32(std::string& bytes, std::size_t at, std::uint32_t v) {
  for (int b = 0; b < 4; ++b) bytes[at + to_size(b)] = static_cast<char>(v >> (8 * b));
}

void set_u64(std::string& bytes, std::size_t at, std::uint64_t v) {
  for (int b = 0; b < 8; ++b) bytes[at + to_size(b)] = static_cast<char>(v >> (8 * b));
}
std::uint64_t get_u64(const std::string& bytes, std::size_t at) {
  std::uint64_t v = 0;
  for (int b = 7; b >= 0; --b) v = v << 8 | static_cast<unsigned char>(bytes[at + to_size(b)]);
  return v;
}

}  // namespace

TEST_CASE("model files: truncation, bit flips, wrong magic, future versions: one clear message each") {
  ScratchDir s("damage");
  for (const std::string& good : sster::fuzz::model_seeds(pysster_tests)) {
    const auto load = [&](const std::string& bytes) {
      const auto p = s.write("m.sster", bytes);
      return error_of([&] { (void)Model::load(p); });
    };
    REQUIRE(load(good).empty());
    const std::size_t header = 16 + get_u64(good, 8);  // magic, version, header length, JSON

    CHECK(has(load(""), "the model file is empty"));
    for (std::size_t cut : {1, 3, 4, 7, 8, 15, 16, 17, 100}) {
      CAPTURE(cut);
      CHECK(has(load(good.substr(0, cut)), "truncated model file"));
    }
    for (std::size_t k = 1; k <= 40; ++k) {  // cuts through the header, every array and the checksum
      const std::size_t cut = good.size() - 1 - (good.size() - 20) * k / 41;
      CAPTURE(cut);
      const auto m = load(good.substr(0, cut));
      CHECK(has(m, "truncated model file"));
      CHECK(!has(m, "checksum"));
    }
    const std::size_t weights = 4 * get_u64(good, header);  // the first array's bytes
    for (std::size_t k = 0; k < 60; ++k) {  // flips in the JSON header and in the weights
      const std::size_t at = k % 2 == 0 ? 16 + (header - 16) * k / 60 : header + 8 + weights * k / 61;
      std::string flipped = good;
      flipped[at] = static_cast<char>(flipped[at] ^ (1 << (k % 8)));
      CAPTURE(at);
      const auto m = load(flipped);
      CHECK(has(m, "checksum mismatch: the model file is corrupted"));
      CHECK(!has(m, "truncated"));
    }
    CHECK(has(load("PK\x03\x04 a zip file"), "not an sster model file"));
    CHECK(has(load(">seq\nACGT\n"), "not an sster model file"));
    CHECK(has(load("SSTD" + good.substr(4)), "not an sster model file"));
    for (std::uint32_t v : {2u, 9u, 0xFFFFFFFFu}) {
      std::string future = good;
      set_u32(future, 4, v);
      const auto m = load(future);
      CHECK(has(m, "model file format version " + std::to_string(v) + " is newer than this sster"));
      CHECK(has(m, "update sster"));
    }
    std::string zero = good;
    set_u32(zero, 4, 0);
    CHECK(has(load(zero), "invalid model file format version 0"));
  }
}

TEST_CASE("data files: truncation, bit flips, wrong magic, future versions: one clear message each") {
  ScratchDir s("damage");
  for (const std::string& good : sster::fuzz::data_seeds(pysster_tests)) {
    const auto load = [&](const std::string& bytes) {
      const auto p = s.write("d.sstd", bytes);
      return error_of([&] { (void)Data::load(p); });
    };
    REQUIRE(load(good).empty());
    const Data d = Data::load(s.write("good.sstd", good));

    CHECK(has(load(""), "the file is empty"));
    for (std::size_t cut : {1, 3, 4, 8, 11}) CHECK(has(load(good.substr(0, cut)), "truncated: it ends after"));
    for (std::size_t k = 1; k <= 40; ++k) {
      const std::size_t cut = good.size() - 1 - (good.size() - 13) * k / 41;
      CAPTURE(cut);
      const auto m = load(good.substr(0, cut));
      CHECK(has(m, "not a valid file: truncated"));
      CHECK(!has(m, "checksum"));
    }
    // Flips in the symbols and labels of sets without real-valued inputs:
    // those come last, before the split (a flip in a length field reads as
    // truncation: the file claims more than it has).
    const std::size_t split = 3 * 8 + 8 * to_size(d.size());
    const std::size_t payload = to_size(d.size() * (d.length() + d.classes()));
    const bool plain = d.extra_size() == 0 && d.dense_channels() == 0 && !d.has_profile();
    for (std::size_t k = 0; plain && k < 40; ++k) {
      const std::size_t at = good.size() - 4 - split - payload + payload * k / 40;
      std::string flipped = good;
      flipped[at] = static_cast<char>(flipped[at] ^ (1 << (k % 8)));
      CAPTURE(at);
      const auto m = load(flipped);
      CHECK(has(m, "checksum mismatch: the data file is damaged"));
      CHECK(!has(m, "truncated"));
    }
    CHECK(has(load("SSTR" + good.substr(4)), "does not start with 'SSTD'"));
    CHECK(has(load("not a data file at all"), "does not start with 'SSTD'"));
    for (std::uint32_t v : {Data::file_version + 1, 0xFFFFFFFFu}) {
      std::string future = good;
      set_u32(future, 4, v);
      CHECK(has(load(future), "data file version " + std::to_string(v) + " is newer than this sster reads"));
    }
    std::string zero = good;
    set_u32(zero, 4, 0);
    CHECK(has(load(zero), "format version 0 does not exist"));
  }
}

TEST_CASE("crafted data files with a valid checksum: sizes and values are still checked") {
  ScratchDir s("damage");
  const auto seeds = sster::fuzz::data_seeds(pysster_tests);
  const auto load = [&](const std::string& bytes) {
    const auto p = s.write("d.sstd", sster::fuzz::with_fixed_checksum(bytes));
    return error_of([&] { (void)Data::load(p); });
  };
  // After magic, version, the alphabet string, seed, 5 flags, 2 fractions and
  // the multi-label flag come n, L, C, S, D, E as int64.
  const std::string& dna = seeds[0];
  const std::size_t alphabet = 4 + 4 + 4 + static_cast<unsigned char>(dna[8]);
  const std::size_t dims = alphabet + 8 + 5 + 16 + 1;
  for (int field : {0, 1, 2, 4, 5}) {  // n, L, C, D, E
    for (std::uint64_t v : {std::uint64_t{1} << 40, (std::uint64_t{1} << 40) + 1, ~std::uint64_t{0}}) {
      std::string crafted = dna;
      set_u64(crafted, dims + 8 * to_size(field), v);
      CAPTURE(field);
      CAPTURE(v);
      const auto m = load(crafted);
      CHECK(has(m, "not a valid file"));
    }
  }
  // A NaN among the additional inputs: their floats, found in the file by
  // the first record's (sections after them depend on the file's version).
  const std::string& pwm = seeds[2];
  const Data d = Data::load(s.write("pwm.sstd", pwm));
  REQUIRE(d.extra_size() > 0);
  const auto first = d.extra(0);
  const std::size_t extra = pwm.find(std::string_view(reinterpret_cast<const char*>(first.data()), 4 * first.size()));
  REQUIRE(extra != std::string::npos);
  for (float bad : {std::nanf(""), INFINITY, -INFINITY}) {
    std::string crafted = pwm;
    std::memcpy(crafted.data() + extra, &bad, 4);
    const auto m = load(crafted);
    CAPTURE(m);
    CHECK(has(m, "an input value is NaN or infinite"));
  }
  // Each record's labels must be 0 or 1: the byte after the symbols of the DNA set.
  const Data plain = Data::load(s.write("dna.sstd", dna));
  const std::size_t labels = dna.size() - 4 - (3 * 8 + 8 * to_size(plain.size())) -
                             to_size(plain.size() * plain.classes());
  std::string crafted = dna;
  crafted[labels] = 2;
  const auto m = load(crafted);
  CAPTURE(m);
  CHECK(has(m, "a label is not 0 or 1"));
}

TEST_CASE("crafted model files with a valid checksum: the header is checked before anything is allocated") {
  const auto seeds = sster::fuzz::model_seeds(pysster_tests);
  const auto load = [](const sster::ModelFile& f) {
    return error_of([&] { (void)Model::from_file(sster::parse_model_file(sster::model_file_bytes(f), "x.sster"), "x.sster"); });
  };
  const sster::ModelFile good = sster::parse_model_file(seeds[0], "seed");
  REQUIRE(load(good).empty());
  auto with = [&](const char* pointer, const nlohmann::json& value) {
    sster::ModelFile f = good;
    f.header[nlohmann::json::json_pointer(pointer)] = value;
    return load(f);
  };
  // An architecture of 10^11 parameters: refused by comparing with the stored
  // weights, without allocating it.
  sster::ModelFile huge = good;
  huge.header["params"]["neuron_num"] = 1000000;
  huge.header["params"]["dense_num"] = 1000;
  CHECK(has(load(huge), "values, the architecture needs"));
  CHECK(has(with("/input/length", -5), "'length' must be a whole number from 1"));
  CHECK(has(with("/input/length", 1e300), "'length' must be a whole number"));
  CHECK(has(with("/input/length", "60"), "'length' must be a whole number"));
  CHECK(has(with("/input/extra", 1LL << 40), "'extra' must be a whole number"));
  CHECK(has(with("/input/classes", nlohmann::json::array()), "no classes"));
  CHECK(has(with("/input/alphabet", std::string(300, 'A')), "x.sster"));
  CHECK(has(with("/seed", -1), "'seed' must be a whole number"));
  CHECK(has(with("/learning_rate", -1), "learning rate"));
  CHECK(has(with("/params/kernel_num", 0), "kernel_num"));
  CHECK(has(with("/params/kernel_len", 1e9), "kernel_len"));
  // An empty array (count 0) reads without copying from a null pointer.
  sster::ModelFile empty = good;
  empty.arrays[0].second.clear();
  CHECK(has(load(empty), "values, the architecture needs"));
  sster::ModelFile nan = good;
  nan.arrays[0].second[3] = std::nanf("");
  CHECK(has(load(nan), "holds NaN or infinite values"));

  const sster::ModelFile checkpoint = sster::parse_model_file(seeds[1], "seed");
  REQUIRE(checkpoint.header.contains("training"));
  auto training = [&](const char* key, const nlohmann::json& value) {
    sster::ModelFile f = checkpoint;
    f.header["training"][key] = value;
    return load(f);
  };
  CHECK(load(checkpoint).empty());
  CHECK(has(training("next_batch", -3), "'next_batch' must be a whole number from 0"));
  CHECK(has(training("epoch", 0), "'epoch' must be a whole number"));
  CHECK(has(training("first_epoch", 3e9), "'first_epoch' must be a whole number"));
  CHECK(has(training("adam_t", -1), "'adam_t'"));
  CHECK(has(training("step", -1), "'step'"));
  CHECK(has(training("loss_sum", nullptr), "x.sster"));
  sster::ModelFile patience = checkpoint;
  patience.header["training"]["schedule"]["patience_lr"] = 0;
  CHECK(has(load(patience), "'patience_lr'"));
  sster::ModelFile missing = checkpoint;
  missing.arrays.pop_back();
  CHECK(has(load(missing), "the file has no 'adam_v' array"));
}
