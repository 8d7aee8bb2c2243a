#pragma once
// Attribution: why a sequence scored as it did, per position and letter. One
// call for every method (interpret/attributions.hpp says what each gives):
//
//   auto x = ...;  // n sequences of the model's length as symbols (n, L)
//   sster::AttributionOptions o{.target = {.class_index = 0}};
//   auto a = sster::attribute(model, x, n, sster::AttributionMethod::deeplift_shap, o);
//   a.hypothetical  // (n, L, A);  a.actual(i, t): position t of sequence i
//
// The family: attribution_target.hpp (what is explained: a class's logit or
// probability), ism.hpp (exact fast ISM beside ism_ref, the naive one; its
// vector loops per kernel set in ism_kernels.hpp), gradients.hpp (saliency,
// gradient x input, integrated gradients, any network), deeplift_shap.hpp
// (DeepLIFT's rescale rule with dinucleotide-shuffled references,
// shuffle.hpp), feed_forward.hpp (the stage view fast ISM and DeepLIFT
// walk), seqlets.hpp (motif instances from attributions; seqlet_tsv.hpp,
// seqlet_motifs.hpp), attribution_plot.hpp (logos, the ISM heat map),
// attribution_npz.hpp (TF-MoDISco's input, on io/npz.hpp). The CLI:
// `sster attribute` (docs/attribution.md).
#include <cstdint>
#include <span>
#include <vector>

#include "sster/core/index.hpp"
#include "sster/interpret/attribution_target.hpp"
#include "sster/interpret/attributions.hpp"
#include "sster/interpret/deeplift_shap.hpp"
#include "sster/interpret/gradients.hpp"
#include "sster/interpret/ism.hpp"
#include "sster/model/model.hpp"

namespace sster {

struct AttributionOptions {
  AttributionTarget target{};
  index_t references = 20;  // DeepLIFT-SHAP: dinucleotide shuffles per sequence
  index_t steps = 50;       // integrated gradients: points on the path
  std::uint64_t seed = 1;   // DeepLIFT-SHAP: keys the shuffles
};

// ISM's raw changes as attributions: H = deltas minus their mean over the
// letters at each position (tangermeme's convention).
inline Attributions ism_attributions(IsmResult ism, std::span<const std::uint8_t> symbols) {
  const index_t L = ism.length, A = ism.letters;
  Attributions r{.method = AttributionMethod::ism,
                 .n = ism.n,
                 .length = L,
                 .letters = A,
                 .symbols = std::vector<std::uint8_t>(symbols.begin(), symbols.end()),
                 .hypothetical = ism.deltas,
                 .output = ism.output,
                 .reference = ism.output,
                 .deltas = std::move(ism.deltas)};
  for (index_t p = 0; p < ism.n * L; ++p) {
    float* h = r.hypothetical.data() + p * A;
    double mean = 0;
    for (index_t a = 0; a < A; ++a) mean += h[a];
    mean /= static_cast<double>(A);
    for (index_t a = 0; a < A; ++a) h[a] = static_cast<float>(h[a] - mean);
  }
  return r;
}

// The explained output of each of n sequences (n, L), without attributions:
// what sster attribute --top ranks the records by.
inline std::vector<double> explained_outputs(Model& model, std::span<const std::uint8_t> symbols, index_t n,
                                             const AttributionTarget& target) {
  detail::check_symbols(model, symbols, n);
  target.check(model.info().classes());
  std::vector<double> out(to_size(n));
  detail::target_values(model, symbols.data(), n, target, out.data());
  return out;
}

inline Attributions attribute(Model& model, std::span<const std::uint8_t> symbols, index_t n,
                              AttributionMethod method, const AttributionOptions& o = {}) {
  switch (method) {
    case AttributionMethod::ism: return ism_attributions(ism(model, symbols, n, o.target), symbols);
    case AttributionMethod::saliency: return saliency(model, symbols, n, o.target);
    case AttributionMethod::gradient_x_input: return gradient_x_input(model, symbols, n, o.target);
    case AttributionMethod::deeplift_shap:
      return deeplift_shap(model, symbols, n, o.target, {.references = o.references, .seed = o.seed});
    case AttributionMethod::integrated_gradients: return integrated_gradients(model, symbols, n, o.target, o.steps);
  }
  throw Error("attribute: unknown method");
}

}  // namespace sster
