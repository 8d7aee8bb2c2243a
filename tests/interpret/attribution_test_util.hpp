#pragma once
// Random networks and sequences for the attribution tests: every supported
// shape, weights drawn wide enough that ReLUs and pooling winners switch.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "sster/core/random.hpp"
#include "sster/data/alphabet.hpp"
#include "sster/model/model.hpp"

namespace sster::test {

// A model of `params` on sequences of `length` over `alphabet` with random
// weights: uniform in +-scale / sqrt(fan-in) (fan-in: the first axis times
// the second of a kernel), biases uniform in +-0.3 * scale.
inline Model random_model(Params params, index_t length, index_t classes, std::uint64_t seed,
                          bool multilabel = false, const Alphabet& alphabet = alphabet::dna(), double scale = 2.0) {
  std::vector<std::string> names;
  for (index_t c = 0; c < classes; ++c) names.push_back("class_" + std::to_string(c));
  ModelInfo info{.alphabet = alphabet, .length = length, .class_names = names, .multilabel = multilabel};
  Model m(std::move(params), info, seed);
  auto& w = m.engine().parameters();
  RandomStream rng(RandomKey(seed, Purpose::simulate).with(987));
  std::size_t offset = 0;
  for (const auto& spec : m.engine().param_specs()) {
    double fan_in = 1;
    for (std::size_t d = 0; d + 1 < spec.shape.size(); ++d) fan_in *= static_cast<double>(spec.shape[d]);
    const double bound = spec.shape.size() == 1 ? 0.3 * scale : scale / std::sqrt(fan_in);
    for (index_t i = 0; i < spec.size(); ++i) w[offset++] = static_cast<float>(rng.uniform(-bound, bound));
  }
  return m;
}

// n random sequences (n, L) of symbols below A.
inline std::vector<std::uint8_t> random_symbols(index_t n, index_t L, index_t A, std::uint64_t seed) {
  RandomStream rng(RandomKey(seed, Purpose::simulate).with(4242));
  std::vector<std::uint8_t> s(static_cast<std::size_t>(n * L));
  for (auto& v : s) v = static_cast<std::uint8_t>(rng.below(static_cast<std::uint64_t>(A)));
  return s;
}

}  // namespace sster::test
