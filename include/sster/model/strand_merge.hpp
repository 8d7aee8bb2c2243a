#pragma once
// How the scores of a sequence and of its reverse complement combine
// (Kipoi's rc_merging, gReLU's rc=True): their mean, their maximum, or none
// (both kept, one per strand). Merging acts on probabilities, class by class.
#include <algorithm>
#include <string>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"

namespace sster {

enum class RcMerge { none, mean, max };

inline RcMerge parse_rc_merge(const std::string& name) {
  if (name == "none") return RcMerge::none;
  if (name == "mean") return RcMerge::mean;
  if (name == "max") return RcMerge::max;
  throw Error("reverse-complement merge '" + name + "': expected mean, max or none");
}

inline const char* rc_merge_name(RcMerge m) {
  switch (m) {
    case RcMerge::mean: return "mean";
    case RcMerge::max: return "max";
    default: return "none";
  }
}

// plus[i] = merge(plus[i], minus[i]) for n values (RcMerge::none leaves plus).
template <class T>
void merge_strands(RcMerge m, index_t n, T* plus, const T* minus) {
  if (m == RcMerge::mean)
    for (index_t i = 0; i < n; ++i) plus[i] = (plus[i] + minus[i]) / T{2};
  else if (m == RcMerge::max)
    for (index_t i = 0; i < n; ++i) plus[i] = std::max(plus[i], minus[i]);
}

}  // namespace sster
