// Corpus mutation: thousands of damaged inputs made from pysster's test files,
// MEME motif files, genome FASTA, FASTA index, BED and VCF files and saved data and model files, run through the fuzz targets' bodies
// (fuzz/targets.hpp). Every input must load or throw sster::Error: a crash,
// a hang or any other exception fails the test and names the input (also
// saved under the temp folder for replay with the fuzzers). The campaigns run
// on every core: under the sanitizers this is the longest test of the suite.
#include <doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <typeinfo>
#include <vector>

#include "mutate.hpp"
#include "reliability_test_util.hpp"
#include "sster/core/parallel.hpp"
#include "sster/data/text_file.hpp"
#include "targets.hpp"

namespace fuzz = sster::fuzz;
using sster::test::Mutator;
using sster::test::pysster_tests;

namespace {

// Aborts with the input's name if one input runs for two minutes: a hang
// must not stall the suite (tools/run runs the binaries without a timeout).
class Watchdog {
 public:
  Watchdog() : thread_([this] { watch(); }) {}
  ~Watchdog() {
    done_ = true;
    thread_.join();
  }
  void at(const std::string& what) {
    std::lock_guard<std::mutex> lock(mutex_);
    what_ = what;
    ++tick_;
  }

 private:
  void watch() {
    long last = -1;
    int still = 0;
    while (!done_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      std::lock_guard<std::mutex> lock(mutex_);
      still = tick_ == last ? still + 1 : 0;
      last = tick_;
      if (still >= 480) {
        std::cerr << "mutation test: no progress for 2 minutes on " << what_ << ": a hang\n";
        std::abort();
      }
    }
  }
  std::mutex mutex_;
  std::string what_;
  long tick_ = 0;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

struct Totals {
  long inputs = 0, failures = 0;
  fuzz::Tally tally;
};

// Runs `target` on an input; anything but success or sster::Error fails.
template <class Target>
void run_one(const std::string& campaign, long i, const std::string& how, const std::string& input, Target&& target,
             Totals& totals, Watchdog& dog) {
  const std::string what = campaign + " input " + std::to_string(i) + " (" + how + ")";
  dog.at(what);
  ++totals.inputs;
  std::string error;
  try {
    totals.tally += target(input);
    return;
  } catch (const std::exception& e) {
    error = std::string(typeid(e).name()) + ": " + e.what();
  } catch (...) {
    error = "an exception of unknown type";
  }
  ++totals.failures;
  const auto saved = std::filesystem::temp_directory_path() /
                     ("sster-mutation-failure-" + campaign + "-" + std::to_string(i) + ".bin");
  std::ofstream(saved, std::ios::binary) << input;
  if (totals.failures <= 10) FAIL_CHECK(what << " threw " << error << " (input saved to " << saved.string() << ")");
}

// `count` mutations of the seeds (round robin); text formats also go
// through gzip, both before and after the damage.
template <class Target>
Totals campaign(const std::string& name, const std::vector<std::string>& seeds, long count, std::uint64_t seed,
                bool text, Target&& target, Watchdog& dog) {
  Totals totals;
  for (std::size_t s = 0; s < seeds.size(); ++s) run_one(name, -static_cast<long>(s) - 1, "seed", seeds[s], target, totals, dog);
  REQUIRE(totals.failures == 0);
  Mutator m(seed);
  for (long i = 0; i < count; ++i) {
    const std::string& base = seeds[static_cast<std::size_t>(i) % seeds.size()];
    const std::string& other = seeds[m.below(seeds.size())];
    std::string input, how;
    if (text && m.one_in(8)) {
      const int k = static_cast<int>(m.below(Mutator::kinds));
      input = m.mutate(sster::gzip_compress(base), k, other);
      how = std::string("gzip, then ") + Mutator::kind_name(k);
    } else {
      int k = static_cast<int>(m.below(Mutator::kinds));
      input = m.mutate(base, k, other);
      how = Mutator::kind_name(k);
      if (m.one_in(3)) {
        k = static_cast<int>(m.below(Mutator::kinds));
        input = m.mutate(std::move(input), k, other);
        how += std::string(", ") + Mutator::kind_name(k);
      }
      if (text && m.one_in(4)) {
        input = sster::gzip_compress(input);
        how += ", gzip";
      }
    }
    run_one(name, i, how, input, target, totals, dog);
  }
  return totals;
}

// Structured damage to a model file's JSON header: a value replaced by an
// edge value of another type or range, a key removed, an array cut or
// poisoned; the file framing and checksum stay valid, so every change
// reaches Model::from_file.
std::string mutate_model_header(const std::string& bytes, Mutator& m, std::string& how) {
  sster::ModelFile file = sster::parse_model_file(bytes, "seed");
  const nlohmann::json flat = file.header.flatten();
  std::vector<std::string> pointers;
  for (const auto& [key, value] : flat.items()) pointers.push_back(key);
  static const std::vector<nlohmann::json> values = {
      -1, 0, 1, 2, 3, 255, 256, 1e18, -1e18, 1e300, 2147483648LL, 4294967296LL, 9223372036854775807LL,
      18446744073709551615ULL, 1.5, -0.5, "x", "", nullptr, true, false, nlohmann::json::array(),
      nlohmann::json::object(), {1, 2}, "LSTM", "GRU", "ACGT", "ACGU ().", " ", "A A A", "per_gate", "shared",
      "random", "held_out", "file"};
  const std::size_t action = m.below(10);
  if (action < 6 && !pointers.empty()) {
    const std::string p = pointers[m.below(pointers.size())];
    const nlohmann::json v = values[m.below(values.size())];
    file.header[nlohmann::json::json_pointer(p)] = v;
    how = p + " = " + v.dump();
  } else if (action < 8 && !pointers.empty()) {
    const nlohmann::json::json_pointer p(pointers[m.below(pointers.size())]);
    nlohmann::json& parent = file.header[p.parent_pointer()];
    if (parent.is_object()) parent.erase(p.back());
    else if (parent.is_array() && !parent.empty()) parent.erase(parent.size() - 1);
    how = "removed " + p.to_string();
  } else if (action == 8 && !file.arrays.empty()) {
    auto& a = file.arrays[m.below(file.arrays.size())];
    if (m.one_in(2) && !a.second.empty()) {
      a.second.resize(a.second.size() - 1);
      how = "array " + a.first + " one value short";
    } else {
      a.second[m.below(a.second.size())] = m.one_in(2) ? std::nanf("") : std::numeric_limits<float>::infinity();
      how = "array " + a.first + " holds NaN or inf";
    }
  } else {
    file.header["params"]["no_such_param"] = 1;
    how = "unknown parameter";
  }
  return sster::model_file_bytes(file);
}

Totals model_header_campaign(const std::vector<std::string>& models, Watchdog& dog) {
  Mutator m(5);
  Totals totals;
  for (long i = 0; i < 1500; ++i) {
    std::string how;
    const std::string input = mutate_model_header(models[static_cast<std::size_t>(i) % models.size()], m, how);
    run_one("model_header", i, how, input, fuzz::model_file, totals, dog);
  }
  return totals;
}

struct Campaign {
  std::string name;
  std::function<Totals(Watchdog&)> run;
};

// Runs the campaigns on sster::threads() threads, each with its own watchdog
// (each campaign's inputs come from its own seed, so the threads change
// nothing but the time); the totals come back in the campaigns' order. A
// REQUIRE that fails on a thread fails the test case from the caller.
std::vector<Totals> run_campaigns(const std::vector<Campaign>& campaigns) {
  std::vector<Totals> totals(campaigns.size());
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::exception_ptr first_error;
  auto work = [&] {
    Watchdog dog;
    for (std::size_t i = next++; i < campaigns.size(); i = next++) {
      try {
        totals[i] = campaigns[i].run(dog);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!first_error) first_error = std::current_exception();
      }
    }
  };
  {
    std::vector<std::jthread> workers;
    const auto n = std::min(static_cast<std::size_t>(sster::threads()), campaigns.size());
    for (std::size_t t = 0; t < n; ++t) workers.emplace_back(work);
  }
  if (first_error) std::rethrow_exception(first_error);
  return totals;
}

std::vector<std::string> text_seeds(const std::vector<std::string>& names) {
  std::vector<std::string> seeds;
  for (const auto& n : names) seeds.push_back(fuzz::read_file_bytes(pysster_tests + "/" + n));
  return seeds;
}

}  // namespace

TEST_CASE("corpus mutation: every damaged input loads or throws sster::Error") {
  auto fasta = text_seeds(fuzz::fasta_seed_files());
  for (const auto& s : fuzz::fasta_inline_seeds()) fasta.push_back(s);
  auto extra = text_seeds(fuzz::extra_seed_files());
  for (const auto& s : fuzz::extra_inline_seeds()) extra.push_back(s);
  auto meme = text_seeds(fuzz::meme_seed_files());
  for (const auto& s : fuzz::meme_inline_seeds()) meme.push_back(s);
  const auto data = fuzz::data_seeds(pysster_tests);
  const auto models = fuzz::model_seeds(pysster_tests);

  std::vector<Campaign> campaigns;
  // `count` inputs damaged from `seeds` by the mutator of `seed`
  auto add = [&](const std::string& name, const std::vector<std::string>& seeds, long count, std::uint64_t seed,
                 bool text, fuzz::Tally (*target)(std::string_view)) {
    campaigns.push_back({name, [=](Watchdog& dog) { return campaign(name, seeds, count, seed, text, target, dog); }});
  };
  add("fasta", fasta, 4000, 1, true, fuzz::fasta);
  add("extra", extra, 2000, 2, true, fuzz::extra);
  add("meme", meme, 3000, 6, true, fuzz::meme);
  add("seqlets", fuzz::seqlet_inline_seeds(), 1500, 7, true, fuzz::seqlets);
  add("genome_fasta", fuzz::genome_fasta_inline_seeds(), 1500, 10, true, fuzz::genome_fasta);
  add("bed", fuzz::bed_inline_seeds(), 1500, 11, true, fuzz::bed);
  add("vcf", fuzz::vcf_inline_seeds(), 2000, 12, true, fuzz::vcf);
  add("data_file", data, 2500, 3, false, fuzz::data_file);
  add("model_file", models, 1500, 4, false, fuzz::model_file);
  campaigns.push_back({"model_header", [&](Watchdog& dog) { return model_header_campaign(models, dog); }});

  const std::vector<Totals> all = run_campaigns(campaigns);
  long inputs = 0, failures = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Totals& t = all[i];
    MESSAGE(campaigns[i].name << ": " << t.inputs << " inputs, " << t.tally.loaded << " loads, " << t.tally.rejected
                              << " clear errors, " << t.failures << " failures");
    inputs += t.inputs;
    failures += t.failures;
    CHECK(t.tally.loaded > 0);    // the seeds and the lightly damaged inputs still load
    CHECK(t.tally.rejected > 0);  // and the damage is seen
  }
  MESSAGE("corpus mutation: " << inputs << " inputs, " << failures << " failures");
  CHECK(inputs >= 10000);
  CHECK(failures == 0);
}
