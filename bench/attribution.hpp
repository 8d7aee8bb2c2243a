#pragma once
// sster_bench attribution: the attribution rows of bench/RESULTS.md
// (bench/attribution_run.sh runs it, then the tangermeme anchor):
//   - sster's default model (pysster's default architecture) trained for a
//     few epochs on PUM2 (length 200), so its ReLUs are as sparse as in use;
//   - exact fast ISM against naive ISM (every variant through the network),
//     sequences/s of each and their largest difference;
//   - sequences/s of every method on the same test records;
//   - --export DIR: the model, the sequences, sster's ISM and DeepLIFT-SHAP
//     attributions and DeepLIFT-SHAP's references as npz, for
//     bench/tangermeme_anchor.py.
// Each timing is the best of `repeat` runs (other load only slows a run).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sster/core/parallel.hpp"
#include "sster/data/dataset.hpp"
#include "sster/interpret/attribution.hpp"
#include "sster/interpret/attribution_npz.hpp"
#include "sster/io/npz.hpp"
#include "sster/model/model.hpp"

namespace sster::bench {

struct AttributionBenchOptions {
  std::string pos, neg, json, export_dir;
  int threads = 2, epochs = 5, repeat = 3;
  index_t sequences = 200;        // per method
  index_t naive_sequences = 20;   // naive ISM is slow
  index_t references = 20, steps = 50;
};

// Best wall-clock seconds of `repeat` calls of f.
inline double best_seconds(int repeat, const std::function<void()>& f) {
  double best = 1e300;
  for (int r = 0; r < repeat; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

// DeepLIFT-SHAP's references of every record, (N, R, A, L) one-hot.
inline void save_references(const std::filesystem::path& path, std::span<const std::uint8_t> x, index_t n, index_t L,
                            index_t A, const DeepLiftOptions& o) {
  NpzWriter out(path);
  out.begin_array("arr_0", {n, o.references, A, L});
  std::vector<float> one(to_size(A * L));
  for (index_t i = 0; i < n; ++i) {
    const auto refs = deeplift_references(x.subspan(to_size(i * L), to_size(L)), i, o);
    for (index_t r = 0; r < o.references; ++r) {
      std::fill(one.begin(), one.end(), 0.0f);
      for (index_t t = 0; t < L; ++t) at(one, at(refs, r * L + t) * L + t) = 1.0f;
      out.write(one);
    }
  }
  out.end_array();
  out.commit();
}

inline nlohmann::json run_attribution_bench(const AttributionBenchOptions& o, const std::string& cpu) {
  const Data data = Data::from_fasta({o.pos, o.neg}, alphabet::rna());
  set_threads(o.threads);
  Model model(Params{}.epochs(o.epochs), data, 42);
  model.train(data, false);
  const auto test = data.indices(Group::test);
  const index_t n = std::min<index_t>(o.sequences, ssize(test)), L = data.length(), A = data.alphabet().size();
  std::vector<std::uint8_t> x;
  for (index_t k = 0; k < n; ++k) {
    const auto s = data.symbols(at(test, k));
    x.insert(x.end(), s.begin(), s.end());
  }
  const AttributionOptions ao{.target = {.class_index = 0}, .references = o.references, .steps = o.steps};
  nlohmann::json j{{"cpu", cpu},       {"threads", o.threads}, {"length", L},   {"sequences", n},
                   {"epochs", o.epochs}, {"references", o.references}, {"steps", o.steps}};

  // Fast ISM against naive ISM on the first naive_sequences records.
  const index_t nn = std::min(o.naive_sequences, n);
  const std::span<const std::uint8_t> xs(x.data(), to_size(nn * L));
  IsmResult fast, naive;
  const double t_fast = best_seconds(o.repeat, [&] { fast = ism(model, x, n, ao.target); });
  const double t_naive = best_seconds(1, [&] { naive = ism_ref(model, xs, nn, ao.target); });
  double diff = 0, scale = 0;
  for (std::size_t e = 0; e < naive.deltas.size(); ++e) {
    diff = std::max(diff, static_cast<double>(std::abs(fast.deltas[e] - naive.deltas[e])));
    scale = std::max(scale, static_cast<double>(std::abs(naive.deltas[e])));
  }
  j["ism_fast_seq_per_s"] = static_cast<double>(n) / t_fast;
  j["ism_naive_seq_per_s"] = static_cast<double>(nn) / t_naive;
  j["naive_sequences"] = nn;
  j["ism_max_difference"] = diff;
  j["ism_largest_change"] = scale;

  // Every method through attribute(), on all n records.
  std::map<AttributionMethod, Attributions> kept;
  for (auto m : {AttributionMethod::ism, AttributionMethod::saliency, AttributionMethod::gradient_x_input,
                 AttributionMethod::deeplift_shap, AttributionMethod::integrated_gradients}) {
    const double t = best_seconds(o.repeat, [&] { kept[m] = attribute(model, x, n, m, ao); });
    j["methods"][method_name(m)] = static_cast<double>(n) / t;
  }

  if (!o.export_dir.empty()) {
    const std::filesystem::path dir = o.export_dir;
    std::filesystem::create_directories(dir);
    model.save(dir / "model.sster");
    save_attribution_npz((dir / "ism").string(), kept[AttributionMethod::ism]);
    save_attribution_npz((dir / "deeplift").string(), kept[AttributionMethod::deeplift_shap]);
    save_references(dir / "references.npz", x, n, L, A, {.references = ao.references, .seed = ao.seed});
    j["outputs"] = kept[AttributionMethod::ism].output;  // class 0's logit of each record, to check the export
  }
  return j;
}

}  // namespace sster::bench
