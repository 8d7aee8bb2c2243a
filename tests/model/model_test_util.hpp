#pragma once
// A small planted-motif Data set for model tests (trains in about a second).
#include <string>
#include <vector>

#include "sster/data/dataset.hpp"
#include "sster/data/simulate.hpp"
#include "sster/model/params.hpp"

namespace sster::test {

inline SimulationOptions small_planted(index_t per_class = 1500, index_t length = 60) {
  SimulationOptions o;
  o.sequences_per_class = per_class;
  o.length = length;
  o.groups = {{{"CACGTG", 10}}, {{"TGACTCA", 40}}};
  return o;
}

inline Data planted_data(const SimulationOptions& o = small_planted(), std::uint64_t seed = 42) {
  const auto set = simulate_planted(o);
  std::vector<std::string> seqs = set.positives;
  seqs.insert(seqs.end(), set.negatives.begin(), set.negatives.end());
  std::vector<index_t> labels(set.positives.size(), 0);
  labels.resize(seqs.size(), 1);
  DataOptions opts;
  opts.seed = seed;
  auto d = Data::from_sequences(seqs, labels, 2, alphabet::dna(), opts);
  d.set_class_names({"positive", "negative"});
  return d;
}

inline Params quick_params() {
  return Params{}.conv_num(1).kernel_num(12).kernel_len(8).neuron_num(24).batch_size(64).epochs(15);
}

}  // namespace sster::test
