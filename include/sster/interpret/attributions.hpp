#pragma once
// Attributions: why each of n sequences scored as it did, per position and
// letter, by one method. Every method gives hypothetical contributions H
// (n, L, A): what each letter would contribute at each position; the actual
// contribution of a sequence is H at its own letters (H times the one-hot
// sequence), which is what TF-MoDISco computes from H and the sequence.
//   ism                H = the change of the output when the letter is put
//                      there, minus the mean of those changes at the position
//                      (tangermeme's convention); the sequence's own letter
//                      then carries the mean loss of mutating it away
//   saliency           H = |d output / d input| (Simonyan et al. 2014)
//   gradient_x_input   H = d output / d input; actual = gradient x input
//   deeplift_shap      H = DeepLIFT's (rescale rule) hypothetical
//                      contributions averaged over shuffled references;
//                      actual contributions sum to output - mean reference output
//   integrated_gradients  H = the gradient averaged on the straight path from
//                      the all-zero input (no letter anywhere) to the
//                      sequence; actual contributions sum to output - output
//                      of the all-zero input, up to the quadrature error
#include <cstdint>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"

namespace sster {

enum class AttributionMethod { ism, saliency, gradient_x_input, deeplift_shap, integrated_gradients };

// The names the CLI takes: ism, saliency, gradxinput, deeplift, ig.
inline std::string method_name(AttributionMethod m) {
  switch (m) {
    case AttributionMethod::ism: return "ism";
    case AttributionMethod::saliency: return "saliency";
    case AttributionMethod::gradient_x_input: return "gradxinput";
    case AttributionMethod::deeplift_shap: return "deeplift";
    case AttributionMethod::integrated_gradients: return "ig";
  }
  return "?";
}

inline AttributionMethod parse_method(const std::string& name) {
  for (auto m : {AttributionMethod::ism, AttributionMethod::saliency, AttributionMethod::gradient_x_input,
                 AttributionMethod::deeplift_shap, AttributionMethod::integrated_gradients})
    if (name == method_name(m)) return m;
  if (name == "deepliftshap" || name == "deeplift_shap") return AttributionMethod::deeplift_shap;
  throw Error("unknown attribution method '" + name + "' (known: ism, saliency, gradxinput, deeplift, ig)");
}

struct Attributions {
  AttributionMethod method = AttributionMethod::ism;
  index_t n = 0, length = 0, letters = 0;
  std::vector<std::uint8_t> symbols;  // (n, L) the sequences explained
  std::vector<float> hypothetical;    // (n, L, A)
  std::vector<double> output;         // (n) the target of each sequence
  // (n) what the contributions are measured from: the output of the sequence
  // itself for ISM, the mean output of the references for DeepLIFT-SHAP, the
  // output of the all-zero input for integrated gradients; 0 for gradients.
  std::vector<double> reference;
  std::vector<float> deltas;  // ISM only: (n, L, A) the raw changes, 0 at the sequence's letters

  // The actual contribution of position t of sequence i: H at its letter.
  float actual(index_t i, index_t t) const {
    return at(hypothetical, (i * length + t) * letters + at(symbols, i * length + t));
  }
};

}  // namespace sster
