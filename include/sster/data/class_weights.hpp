#pragma once
// Class weights as pysster computes them (Data._get_class_weights): the
// inverse class frequency n / count_c, divided by its smallest value, so the
// most frequent class weighs 1. Counts are over all records (not only the
// training set), and a multi-label record counts for each of its classes.
//
// Quirk mirrored from pysster: for exactly two classes of equal size the
// weights would both be 1, but pysster then sets class 0 to 1.5. sster keeps
// this by default (balanced_binary_quirk) so trained models match pysster.
#include <algorithm>
#include <limits>
#include <span>
#include <vector>

#include "sster/core/tensor.hpp"

namespace sster {

// counts[c]: records of class c among `total` records. A class without
// records gets weight 1 (pysster would divide by zero); it never occurs as a
// target, so its weight has no effect.
inline std::vector<double> class_weights(std::span<const index_t> counts, index_t total,
                                         bool balanced_binary_quirk = true) {
  std::vector<double> w(counts.size(), 1.0);
  double smallest = std::numeric_limits<double>::infinity();
  for (std::size_t c = 0; c < counts.size(); ++c)
    if (counts[c] > 0) {
      w[c] = static_cast<double>(total) / static_cast<double>(counts[c]);
      smallest = std::min(smallest, w[c]);
    }
  for (std::size_t c = 0; c < counts.size(); ++c)
    if (counts[c] > 0) w[c] /= smallest;
  if (balanced_binary_quirk && w.size() == 2 && w[0] == w[1]) w[0] = 1.5;
  return w;
}

}  // namespace sster
