#pragma once
// Genome scale, measured in one run on one model (pysster's default
// architecture, untrained: the weights do not change the work) and one
// random sequence:
//   scan         every window at stride 1 (Scanner: convolutions shared by
//                overlapping windows), positions/s; again with --precision
//                int8 (calibrated on 2,000 of the windows)
//   per window   the first windows of the same sequence scored one by one
//                with Model::predict (batches of 4096), positions/s, and the
//                largest difference from the scan's scores
//   vep          random SNVs and indels on the same sequence through
//                VariantEffects (TSV rows formatted), variants/s
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "sster/core/parallel.hpp"
#include "sster/core/random.hpp"
#include "sster/data/dataset.hpp"
#include "sster/genome/scanner.hpp"
#include "sster/genome/variant_effects.hpp"

namespace sster::bench {

struct GenomeBenchOptions {
  int threads = 2;
  index_t bases = 1000000, length = 200, per_window = 20000, variants = 20000;
};

namespace detail {

inline double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

inline std::string random_genome(index_t n, std::uint64_t seed) {
  RandomStream rng(RandomKey(seed, Purpose::simulate));
  std::string s(to_size(n), 'A');
  for (char& c : s) c = "ACGT"[rng.below(4)];
  return s;
}

}  // namespace detail

// The same scan in int8: the model calibrated on 2,000 windows of the
// sequence, then back to float32.
inline double scan_seconds_int8(Model& model, const GenomeFasta& genome, const ScanPlan& plan, const std::string& seq) {
  const index_t L = model.info().length, count = 2000, step = (ssize(seq) - L) / count;
  std::vector<std::string> windows;
  std::vector<index_t> labels;
  for (index_t k = 0; k < count; ++k) {
    windows.push_back(seq.substr(to_size(k * step), to_size(L)));
    labels.push_back(k % 2);
  }
  Data data = Data::from_sequences(windows, labels, 2, alphabet::dna(), DataOptions{});
  data.set_class_names(model.info().class_names);
  model.calibrate_int8(data, data.indices(Group::all));
  model.set_precision(Precision::int8);
  Scanner scanner(model, genome, {});
  const double t = detail::now_seconds();
  scanner.run(plan, 0, plan.size(), [](const UnitScores&) {});
  const double seconds = detail::now_seconds() - t;
  model.set_precision(Precision::float32);
  return seconds;
}

inline nlohmann::json measure_genome(const GenomeBenchOptions& o) {
  set_threads(o.threads);
  const index_t L = o.length;
  Model model(Params{}, ModelInfo{alphabet::dna(), L, 0, 0, {"a", "b"}, false, 0}, 1);
  const sster::detail::TempFolder dir("the genome benchmark");
  const std::string seq = detail::random_genome(o.bases, 7);
  {
    std::string text = ">chr1\n";
    for (index_t i = 0; i < o.bases; i += 60) text += seq.substr(to_size(i), 60) + "\n";
    write_file_atomic(dir.file("g.fa"), text);
  }
  const GenomeFasta genome(dir.file("g.fa"));

  // scan, stride 1
  const ScanPlan plan(genome, whole_sequences(genome), L, 1);
  Scanner scanner(model, genome, {});
  std::vector<float> scanned;
  scanned.reserve(to_size(o.per_window));
  double t = detail::now_seconds();
  scanner.run(plan, 0, plan.size(), [&](const UnitScores& s) {
    for (index_t k = 0; k < s.unit.windows && ssize(scanned) < o.per_window; ++k) scanned.push_back(s.value(k, 0, 0));
  });
  const double scan_seconds = detail::now_seconds() - t;

  const double scan_int8_seconds = scan_seconds_int8(model, genome, plan, seq);
  // the first windows one by one
  const index_t n = std::min(o.per_window, plan.windows());
  std::vector<std::uint8_t> symbols(seq.size());
  for (std::size_t i = 0; i < seq.size(); ++i) symbols[i] = static_cast<std::uint8_t>(std::string("ACGT").find(seq[i]));
  constexpr index_t batch = 4096;
  std::vector<std::uint8_t> windows(to_size(batch * L));
  std::vector<float> probs(to_size(batch * 2));
  double worst = 0;
  t = detail::now_seconds();
  for (index_t first = 0; first < n; first += batch) {
    const index_t B = std::min(batch, n - first);
    for (index_t b = 0; b < B; ++b)
      std::copy_n(symbols.data() + first + b, L, windows.data() + b * L);
    model.predict(InputBatch<float>{.B = B, .symbols = windows.data()}, probs.data());
    for (index_t b = 0; b < B; ++b)
      worst = std::max(worst, static_cast<double>(std::abs(at(probs, 2 * b) - at(scanned, first + b))));
  }
  const double window_seconds = detail::now_seconds() - t;

  // variant effects
  std::string vcf = "##fileformat=VCFv4.2\n##contig=<ID=chr1>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
  RandomStream rng(RandomKey(11, Purpose::simulate));
  const index_t step = (o.bases - 2 * L) / o.variants;
  for (index_t v = 0; v < o.variants; ++v) {
    const index_t pos = L + v * step + 1;  // 1-based
    const std::string ref = seq.substr(to_size(pos - 1), v % 10 == 0 ? 3 : 1);
    std::string alt = v % 10 == 0 ? ref.substr(0, 1) : std::string(1, "ACGT"[(std::string("ACGT").find(ref[0]) + 1 + rng.below(3)) % 4]);
    if (v % 10 == 5) alt = ref + "GT";
    vcf += "chr1\t" + std::to_string(pos) + "\tv" + std::to_string(v) + "\t" + ref + "\t" + alt + "\t.\t.\t.\n";
  }
  write_file_atomic(dir.file("v.vcf"), vcf);
  VcfReader reader(dir.file("v.vcf"));
  VariantEffects effects(model, genome, {});
  std::size_t bytes = 0;
  index_t scored = 0;
  t = detail::now_seconds();
  effects.run(reader, 0, -1, [&](const RecordEffects& e) {
    bytes += effects.tsv_rows(e).size();
    ++scored;
  });
  const double vep_seconds = detail::now_seconds() - t;

  const double scan_rate = static_cast<double>(plan.windows()) / scan_seconds;
  const double window_rate = static_cast<double>(n) / window_seconds;
  return {{"threads", o.threads},
          {"bases", o.bases},
          {"length", L},
          {"scan_windows", plan.windows()},
          {"scan_seconds", scan_seconds},
          {"scan_positions_per_s", scan_rate},
          {"per_window_windows", n},
          {"per_window_seconds", window_seconds},
          {"per_window_positions_per_s", window_rate},
          {"scan_speedup", scan_rate / window_rate},
          {"scan_int8_positions_per_s", static_cast<double>(plan.windows()) / scan_int8_seconds},
          {"max_abs_difference", worst},
          {"variants", scored},
          {"vep_seconds", vep_seconds},
          {"vep_variants_per_s", static_cast<double>(scored) / vep_seconds},
          {"vep_tsv_bytes", bytes}};
}

}  // namespace sster::bench
