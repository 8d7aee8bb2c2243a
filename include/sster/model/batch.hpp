#pragma once
// BatchBuffer: gathers the records of a batch (any list of indices into a
// Data set) into the contiguous arrays the engine reads. The buffers are
// reused, so a training loop allocates only on its first batch.
#include <algorithm>
#include <span>
#include <vector>

#include "sster/core/index.hpp"
#include "sster/data/dataset.hpp"
#include "sster/data/reverse_complement.hpp"
#include "sster/model/engine.hpp"

namespace sster {

// A sample of an epoch that trains on both strands: record i as it is (i)
// or reverse-complemented (reverse_sample(i) = -1 - i).
constexpr index_t reverse_sample(index_t record) { return -1 - record; }
constexpr index_t record_of_sample(index_t sample) { return sample < 0 ? -1 - sample : sample; }

// Each sample's weight in the loss (samples as BatchBuffer::gather takes
// them). Single-label: the weight of its class.
// Multi-label: Keras (which pysster relies on) weights a sample by the class
// of its largest target, i.e. its first class.
inline std::vector<float> sample_weights(const Data& data, std::span<const index_t> idx,
                                         const std::vector<double>& class_weights) {
  std::vector<float> w;
  w.reserve(idx.size());
  for (index_t sample : idx) {
    const auto t = data.targets(record_of_sample(sample));
    const auto cls = to_size(std::max_element(t.begin(), t.end()) - t.begin());
    w.push_back(static_cast<float>(class_weights[cls]));
  }
  return w;
}

class BatchBuffer {
 public:
  // The batch of records idx; with class weights, each sample is weighted.
  // With `rc`, negative entries of idx are reverse_sample(record): the
  // record's reverse complement (over its length; padding stays at the end).
  Batch<float> gather(const Data& data, std::span<const index_t> idx, const std::vector<double>* class_weights,
                      const ReverseComplement* rc = nullptr) {
    const index_t B = static_cast<index_t>(idx.size()), L = data.length(), D = data.dense_channels(),
                  A = data.extra_size(), K = data.classes(), P = data.profile_channels();
    symbols_.resize(to_size(B * L));
    dense_.resize(to_size(B * L * D));
    profile_.resize(to_size(B * L * P));
    extra_.resize(to_size(B * A));
    targets_.resize(to_size(B * K));
    for (index_t b = 0; b < B; ++b) {
      const index_t i = record_of_sample(at(idx, b));
      std::ranges::copy(data.symbols(i), symbols_.begin() + b * L);
      if (at(idx, b) < 0) {
        require(rc != nullptr, "BatchBuffer::gather: a reverse-complemented sample without a ReverseComplement");
        rc->apply(symbols_.data() + b * L, data.record_length(i), symbols_.data() + b * L);
      }
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
