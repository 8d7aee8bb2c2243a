#pragma once
// A planted-motif data set generator: the embedded default behind
// `sster simulate` and `tools/run demo`, and a ground truth for tests.
//
// Every sequence is uniform random over the alphabet. Each positive carries
// one of the motif groups: every motif of the group is written at its fixed
// start position, each letter replaced by a random one with probability
// `mutation_rate` (so motifs are fuzzy, like real binding sites). Negatives
// carry nothing. Groups alternate over the positives (half each for two).
// All randomness is keyed by (seed, class, record), so the set is the same
// on every machine.
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/random.hpp"
#include "sster/core/tensor.hpp"

namespace sster {

struct PlantedMotif {
  std::string motif;
  index_t position = 0;  // 0-based start
};

struct SimulationOptions {
  index_t sequences_per_class = 2000;
  index_t length = 140;
  std::string alphabet = "ACGT";
  double mutation_rate = 0.1;
  std::uint64_t seed = 1;
  // pysster's tutorial design: CCCCCCCCCC@20 + GGGGGGGGGG@50, or AAAAAAAAAA@80 + TTTTTTTTTT@110
  std::vector<std::vector<PlantedMotif>> groups = {
      {{"CCCCCCCCCC", 20}, {"GGGGGGGGGG", 50}},
      {{"AAAAAAAAAA", 80}, {"TTTTTTTTTT", 110}},
  };
};

struct SimulatedSet {
  std::vector<std::string> positives, negatives;
};

inline SimulatedSet simulate_planted(const SimulationOptions& o) {
  require(!o.alphabet.empty(), "simulate: empty alphabet");
  require(o.length > 0 && o.sequences_per_class > 0, "simulate: length and sequences per class must be positive");
  for (const auto& g : o.groups)
    for (const auto& m : g) {
      require(m.position >= 0 && m.position + static_cast<index_t>(m.motif.size()) <= o.length,
              "simulate: motif " + m.motif + " at " + std::to_string(m.position) + " does not fit length " +
                  std::to_string(o.length));
      for (char c : m.motif)
        require(o.alphabet.find(c) != std::string::npos,
                "simulate: motif " + m.motif + " has '" + std::string(1, c) + "', not in " + o.alphabet);
    }
  const auto n_letters = static_cast<std::uint64_t>(o.alphabet.size());
  auto random_sequence = [&](RandomStream& r) {
    std::string s(to_size(o.length), ' ');
    for (auto& c : s) c = o.alphabet[r.below(n_letters)];
    return s;
  };
  SimulatedSet set;
  for (index_t i = 0; i < o.sequences_per_class; ++i) {
    RandomStream neg(RandomKey(o.seed, Purpose::simulate).with({0, static_cast<std::uint64_t>(i)}));
    set.negatives.push_back(random_sequence(neg));
    RandomStream pos(RandomKey(o.seed, Purpose::simulate).with({1, static_cast<std::uint64_t>(i)}));
    std::string s = random_sequence(pos);
    if (!o.groups.empty())
      for (const auto& m : o.groups[to_size(i) % o.groups.size()])
        for (std::size_t j = 0; j < m.motif.size(); ++j)
          s[to_size(m.position) + j] =
              pos.uniform() < o.mutation_rate ? o.alphabet[pos.below(n_letters)] : m.motif[j];
    set.positives.push_back(std::move(s));
  }
  return set;
}

}  // namespace sster
