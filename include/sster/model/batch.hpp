#pragma once
// BatchBuffer: gathers the records of a batch (any list of indices into a
// Data set) into the contiguous arrays the engine reads. The buffers are
// reused, so a training loop allocates only on its first batch.
#include <algorithm>
#include <span>
#include <vector>

#include "sster/core/index.hpp"
#include "sster/data/dataset.hpp"
#include "sster/model/engine.hpp"

namespace sster {

// Each sample's weight in the loss. Single-label: the weight of its class.
// Multi-label: Keras (which pysster relies on) weights a sample by the class
// of its largest target, i.e. its first class.
inline std::vector<float> sample_weights(const Data& data, std::span<const index_t> idx,
                                         const std::vector<double>& class_weights) {
  std::vector<float> w;
  w.reserve(idx.size());
  for (index_t i : idx) {
    const auto t = data.targets(i);
    const auto cls = to_size(std::max_element(t.begin(), t.end()) - t.begin());
    w.push_back(static_cast<float>(class_weights[cls]));
  }
  return w;
}

class BatchBuffer {
 public:
  // The batch of records idx; with class weights, each sample is weighted.
  Batch<float> gather(const Data& data, std::span<const index_t> idx, const std::vector<double>* class_weights) {
    const index_t B = static_cast<index_t>(idx.size()), L = data.length(), D = data.dense_channels(),
                  A = data.extra_size(), K = data.classes(), P = data.profile_channels();
    symbols_.resize(to_size(B * L));
    dense_.resize(to_size(B * L * D));
    profile_.resize(to_size(B * L * P));
    extra_.resize(to_size(B * A));
    targets_.resize(to_size(B * K));
    for (index_t b = 0; b < B; ++b) {
      const index_t i = at(idx, b);
      std::ranges::copy(data.symbols(i), symbols_.begin() + b * L);
      if (D) std::ranges::copy(data.dense(i), dense_.begin() + b * L * D);
      if (P) std::ranges::copy(data.profile(i), profile_.begin() + b * L * P);
      if (A) std::ranges::copy(data.extra(i), extra_.begin() + b * A);
      std::ranges::copy(data.targets(i), targets_.begin() + b * K);
    }
    if (class_weights) weights_ = sample_weights(data, idx, *class_weights);
    return {.input = {.B = B,
                      .symbols = symbols_.data(),
                      .dense = D ? dense_.data() : nullptr,
                      .extra = A ? extra_.data() : nullptr,
                      .profile = P ? profile_.data() : nullptr},
            .targets = targets_.data(),
            .weights = class_weights ? weights_.data() : nullptr};
  }

 private:
  std::vector<std::uint8_t> symbols_;
  std::vector<float> dense_, extra_, profile_, targets_, weights_;
};

}  // namespace sster
