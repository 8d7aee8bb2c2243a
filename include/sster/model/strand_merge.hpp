#pragma once
// How the scores of a sequence and of its reverse complement combine
// (Kipoi's rc_merging, gReLU's rc=True): their mean, their maximum, or none
// (both kept, one per strand). Merging acts on probabilities, class by class.
// predict_both_strands scores a data set's records on both strands, merged.
#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/data/reverse_complement.hpp"
#include "sster/model/model.hpp"

namespace sster {

enum class RcMerge { none, mean, max };

inline RcMerge parse_rc_merge(const std::string& name) {
  if (name == "none") return RcMerge::none;
  if (name == "mean") return RcMerge::mean;
  if (name == "max") return RcMerge::max;
  throw Error("reverse-complement merge '" + name + "': expected mean, max or none");
}

// plus[i] = merge(plus[i], minus[i]) for n values (RcMerge::none leaves plus).
template <class T>
void merge_strands(RcMerge m, index_t n, T* plus, const T* minus) {
  if (m == RcMerge::mean)
    for (index_t i = 0; i < n; ++i) plus[i] = (plus[i] + minus[i]) / T{2};
  else if (m == RcMerge::max)
    for (index_t i = 0; i < n; ++i) plus[i] = std::max(plus[i], minus[i]);
}

// Model::predict(data, idx) with each record's score merged with its
// reverse complement's (over its length; padding stays at the end). DNA and
// RNA records of symbols and per-sequence values only.
inline RowMatrix<float> predict_both_strands(Model& model, const Data& data, std::span<const index_t> idx,
                                             RcMerge merge) {
  require(merge != RcMerge::none, "predict_both_strands: merge the strands with mean or max");
  require(data.dense_channels() == 0 && !data.has_profile(),
          "--rc-merge: position-wise values and structure profiles have no reverse complement");
  const ReverseComplement rc(data.alphabet(), "--rc-merge");
  RowMatrix<float> plus = model.predict(data, idx);
  const index_t n = ssize(idx), L = data.length(), E = data.extra_size(), K = model.info().classes();
  constexpr index_t block = 1024;
  std::vector<std::uint8_t> symbols;
  std::vector<float> extra, minus;
  for (index_t first = 0; first < n; first += block) {
    const index_t B = std::min(block, n - first);
    symbols.resize(to_size(B * L));
    extra.resize(to_size(B * E));
    for (index_t b = 0; b < B; ++b) {
      const index_t i = at(idx, first + b);
      std::ranges::copy(data.symbols(i), symbols.begin() + b * L);
      rc.apply(symbols.data() + b * L, data.record_length(i), symbols.data() + b * L);
      std::ranges::copy(data.extra(i), extra.begin() + b * E);
    }
    minus.resize(to_size(B * K));
    model.predict(InputBatch<float>{.B = B, .symbols = symbols.data(), .extra = E ? extra.data() : nullptr},
                  minus.data());
    merge_strands(merge, B * K, plus.data() + first * K, minus.data());
  }
  return plus;
}

// The same for the records of `group`, in the group's record order.
inline RowMatrix<float> predict_both_strands(Model& model, const Data& data, Group group, RcMerge merge) {
  return predict_both_strands(model, data, data.indices(group), merge);
}

}  // namespace sster
