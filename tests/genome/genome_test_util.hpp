#pragma once
// Models with weights large enough that windows score differently, and
// random symbol sequences, for the genome tests.
#include <cstdint>
#include <string>
#include <vector>

#include "sster/core/random.hpp"
#include "sster/model/model.hpp"

namespace sster::test {

// An untrained model on DNA windows of length L with `classes` classes; its
// weights are scaled up from the initial +-0.05 so that scores spread.
inline Model model_for(const Params& params, index_t L, index_t classes, bool multilabel, std::uint64_t seed = 7) {
  std::vector<std::string> names;
  for (index_t c = 0; c < classes; ++c) names.push_back("class_" + std::to_string(c));
  Model m(params, ModelInfo{alphabet::dna(), L, 0, 0, names, multilabel, 0}, seed);
  for (float& w : m.engine().parameters()) w *= 12;
  return m;
}

inline std::vector<std::uint8_t> random_symbols(index_t n, index_t letters, std::uint64_t seed) {
  RandomStream rng(RandomKey(seed, Purpose::simulate));
  std::vector<std::uint8_t> x(to_size(n));
  for (auto& s : x) s = static_cast<std::uint8_t>(rng.below(static_cast<std::uint64_t>(letters)));
  return x;
}

}  // namespace sster::test
