// Sizes at the edges, each at small cost: sequences of length 100,000; one
// million sequences streamed by `sster predict` in bounded memory; a 250 Mb
// chromosome streamed by `sster scan` in bounded memory; alphabets
// of 255 symbols (256 or more: a clear error); one class (a clear error for
// single-label, fine for multi-label); 1,000 classes.
#include <doctest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_test_util.hpp"
#include "reliability_test_util.hpp"
#include "sster/core/atomic_file.hpp"
#include "sster/data/simulate.hpp"
#include "sster/data/text_file.hpp"
#include "sster/model/model.hpp"

namespace fs = std::filesystem;
using namespace sster;
using sster::test::Child;
using sster::test::error_of;
using sster::test::pysster_tests;
using sster::test::run_sster;
using sster::test::ScratchDir;

namespace {

// AddressSanitizer holds freed blocks in a 256 MiB quarantine before reusing
// them (so that a use after free is caught), and the sster it builds reaches
// its peak by the amount allocated, not by what it holds: 118 MiB for 10,000
// records, 485 MiB for 1,000,000. Peak memory is compared without it.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool address_sanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool address_sanitizer = true;
#else
constexpr bool address_sanitizer = false;
#endif
#else
constexpr bool address_sanitizer = false;
#endif

Params tiny() { return Params{}.conv_num(1).kernel_num(4).kernel_len(4).neuron_num(4).batch_size(32).epochs(1); }

// Predictions of a model before and after a save/load round trip must match.
void check_round_trip(Model& model, const Data& data, const std::string& path) {
  model.save(path);
  Model again = Model::load(path);
  const auto p = model.predict(data, Group::test), q = again.predict(data, Group::test);
  REQUIRE(p.rows() == q.rows());
  CHECK((p.array() == q.array()).all());
}

// Random letters from `letters`, from a fixed-seed generator.
std::vector<std::string> random_sequences(index_t n, index_t length, const std::string& letters, std::uint64_t seed) {
  std::vector<std::string> out;
  for (index_t i = 0; i < n; ++i) {
    std::string s(to_size(length), ' ');
    for (char& c : s) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      c = letters[(seed >> 33) % letters.size()];
    }
    out.push_back(std::move(s));
  }
  return out;
}

// A large text file written a block of about 1 MiB at a time: `head`, then
// line(i) and a newline for i < n.
template <class Line>
void write_lines(const std::string& path, const std::string& head, index_t n, Line&& line) {
  AtomicFile f(path);
  std::string block = head;
  for (index_t i = 0; i < n; ++i) {
    block += line(i);
    block += '\n';
    if (block.size() > (1u << 20)) {
      f.write(block);
      block.clear();
    }
  }
  f.write(block);
  f.commit();
}

}  // namespace

TEST_CASE("sequences of length 100,000: read from gzip FASTA, trained for an epoch, predicted, saved") {
  ScratchDir dir("long");
  SimulationOptions o;
  o.sequences_per_class = 10;
  o.length = 100000;
  o.groups = {{{"CACGTGCACGTG", 50000}}};
  const auto set = simulate_planted(o);
  auto fasta = [](const std::vector<std::string>& seqs, const char* prefix) {
    std::string text;
    for (std::size_t i = 0; i < seqs.size(); ++i) {  // appends: operator+ chains trip GCC 12's -Wrestrict (PR 105651)
      text += '>';
      text += prefix;
      text += std::to_string(i);
      text += '\n';
      text += seqs[i];
      text += '\n';
    }
    return text;
  };
  write_text_file(dir / "pos.fa.gz", fasta(set.positives, "p"));
  write_text_file(dir / "neg.fa.gz", fasta(set.negatives, "n"));
  const Data data = Data::from_fasta({dir / "pos.fa.gz", dir / "neg.fa.gz"}, alphabet::dna());
  CHECK(data.length() == 100000);
  CHECK(data.size() == 20);
  Model model(tiny().batch_size(4), data, 1);
  model.train(data, false);
  REQUIRE(model.history().size() == 1);
  CHECK(std::isfinite(model.history()[0].loss));
  CHECK(std::isfinite(model.history()[0].val_loss));
  check_round_trip(model, data, dir / "long.sster");

  // and through the CLI, which streams records
  auto r = run_sster("predict " + (dir / "long.sster") + " " + (dir / "pos.fa.gz") + " -o " + (dir / "p.tsv"));
  CHECK(r.exit_code == 0);
  const auto tsv = sster::test::read_text(dir / "p.tsv");
  CHECK(std::count(tsv.begin(), tsv.end(), '\n') == 11);
}

TEST_CASE("one million sequences: sster predict streams them in bounded memory") {
  ScratchDir dir("million");
  const index_t L = 12;
  const Data data = Data::from_sequences(random_sequences(400, L, "ACGT", 1), std::vector<index_t>(400, 0), 2,
                                         alphabet::dna());
  Model model(tiny(), data, 1);
  model.save(dir / "m.sster");  // untrained weights predict as well as trained ones for this purpose

  const auto seqs = random_sequences(1000, L, "ACGT", 2);
  auto write_fasta = [&](const std::string& path, index_t n) {
    write_lines(path, "", n, [&](index_t i) { return ">r" + std::to_string(i + 1) + "\n" + at(seqs, i % 1000); });
  };
  write_fasta(dir / "small.fa", 10000);
  write_fasta(dir / "big.fa", 1000000);

  auto predict = [&](const std::string& input, const std::string& output) {
    Child c({"predict", dir / "m.sster", input, "-o", output});
    std::string out;
    const int code = c.wait(&out);
    CAPTURE(out);
    CHECK(code == 0);
    return c.peak_memory_kib();
  };
  const long small = predict(dir / "small.fa", dir / "small.tsv");
  const long big = predict(dir / "big.fa", dir / "big.tsv");
  MESSAGE("sster predict peak memory: " << small / 1024 << " MiB for 10,000 records, " << big / 1024
                                        << " MiB for 1,000,000");
  // Holding the million records (names, symbols, scores) would take over 60
  // MiB more; streaming keeps the peak where 10,000 records put it.
  if (!address_sanitizer) CHECK(big - small < 24 * 1024);

  std::ifstream in(dir / "big.tsv");
  std::string line, last;
  index_t lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    last = line;
  }
  CHECK(lines == 1000001);
  CHECK(last.rfind("r1000000\t", 0) == 0);
}

TEST_CASE("a 250-megabase chromosome: sster scan streams it in memory bounded by a unit, not by the sequence") {
  ScratchDir dir("chromosome");
  const index_t L = 40;
  Model model(tiny(), ModelInfo{alphabet::dna(), L, 0, 0, {"a", "b"}, false, 0}, 1);
  model.save(dir / "m.sster");
  const auto lines = random_sequences(1024, 60, "ACGT", 5);
  auto write_genome = [&](const std::string& path, index_t bases) {
    write_lines(path, ">chr1\n", bases / 60, [&](index_t i) -> const std::string& { return at(lines, i % 1024); });
  };
  const index_t small_bases = 1'000'020, big_bases = 250'000'020, stride = 50;
  write_genome(dir / "small.fa", small_bases);
  write_genome(dir / "big.fa", big_bases);
  auto scan = [&](const std::string& genome, const std::string& out, index_t bases) {
    Child c({"scan", dir / "m.sster", genome, "--stride", std::to_string(stride), "--class", "b", "-o", out});
    std::string text;
    const int code = c.wait(&text);
    CAPTURE(text);
    CHECK(code == 0);
    CHECK(text.find("scanned " + std::to_string((bases - L) / stride + 1) + " windows") != std::string::npos);
    CHECK(fs::file_size(out) > 0);
    return c.peak_memory_kib();
  };
  const long small = scan(dir / "small.fa", dir / "small.bw", small_bases);
  const long big = scan(dir / "big.fa", dir / "big.bw", big_bases);
  MESSAGE("sster scan peak memory: " << small / 1024 << " MiB for 1 Mb, " << big / 1024 << " MiB for 250 Mb");
  // Holding the chromosome would take 250 MiB more; streaming keeps the peak
  // near the 1 Mb scan's (a bigWig's index and zoom levels grow a little).
  if (!address_sanitizer) CHECK(big - small < 48 * 1024);
}

TEST_CASE("alphabets: up to 255 symbols work, 256 or more are a clear error") {
  std::string printable;  // every letter an alphabet may use: the 94 visible ASCII characters
  for (int c = 33; c < 127; ++c) printable += static_cast<char>(c);
  CHECK(Alphabet(printable).size() == 94);

  const Alphabet widest(printable.substr(0, 85), "().");  // 85 x 3 = 255 symbols
  REQUIRE(widest.size() == 255);
  const auto seqs = random_sequences(120, 16, widest.sequence(), 3);
  const auto structures = random_sequences(120, 16, "().", 4);
  std::vector<index_t> labels;
  for (index_t i = 0; i < 120; ++i) labels.push_back(i % 2);
  DataOptions no_replacement;
  no_replacement.replace_unknown = false;  // every letter must be known as itself
  const Data data = Data::from_sequences(seqs, labels, 2, widest, no_replacement, structures);
  CHECK(data.input_channels() == 255);
  Model model(tiny(), data, 2);
  model.train(data, false);
  ScratchDir dir("alphabet");
  check_round_trip(model, data, dir / "wide.sster");

  CHECK(error_of([&] { (void)Alphabet(printable.substr(0, 86), "()."); }).find("258 symbols; at most 255") !=
        std::string::npos);
  CHECK(error_of([&] { (void)Alphabet(printable.substr(0, 64), "ABCD"); }).find("256 symbols; at most 255") !=
        std::string::npos);
  const auto r = run_sster("train --class x.fa --class y.fa -o " + (dir / "x.sster") +
                           " --alphabet ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 --structure '().[]'");
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("310 symbols; at most 255") != std::string::npos);
}

TEST_CASE("one class: a clear error for single-label data, a working model for multi-label data") {
  ScratchDir dir("one-class");
  const Data one = Data::from_fasta({pysster_tests + "/dna_pos.fasta"}, alphabet::dna());
  CHECK(one.classes() == 1);
  CHECK(error_of([&] { Model m(tiny(), one, 1); }).find("needs at least 2 classes, got 1") != std::string::npos);
  const auto r = run_sster("train --class " + pysster_tests + "/dna_pos.fasta -o " + (dir / "m.sster"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("needs at least 2 classes, got 1") != std::string::npos);

  std::string fasta;
  for (const auto& s : random_sequences(60, 20, "ACGT", 5)) fasta += ">0\n" + s + "\n";
  std::ofstream(dir / "ml.fa") << fasta;
  const Data ml = Data::from_multilabel_fasta(dir / "ml.fa", 1, alphabet::dna());
  Model model(tiny(), ml, 1);
  model.train(ml, false);
  check_round_trip(model, ml, dir / "ml.sster");
}

TEST_CASE("1,000 classes: a tiny model trains, predicts probabilities that sum to 1, and round-trips") {
  const index_t classes = 1000;
  std::vector<index_t> labels;
  for (index_t i = 0; i < 3 * classes; ++i) labels.push_back(i % classes);
  const Data data = Data::from_sequences(random_sequences(3 * classes, 20, "ACGT", 6), labels, classes, alphabet::dna());
  CHECK(data.class_weights().size() == 1000);
  Model model(tiny().batch_size(128), data, 4);
  model.train(data, false);
  const auto p = model.predict(data, Group::test);
  CHECK(p.cols() == 1000);
  for (index_t i = 0; i < p.rows(); ++i) CHECK(p.row(i).sum() == doctest::Approx(1.0).epsilon(1e-4));
  ScratchDir dir("classes");
  check_round_trip(model, data, dir / "many.sster");
}
