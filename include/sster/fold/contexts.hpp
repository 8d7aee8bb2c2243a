#pragma once
// Structural contexts of a position, the finest split the partition function
// gives (fold/partition.hpp) and the one a single structure gives
// (structure_contexts). The nine contexts of a position sum to 1:
//   paired_5, paired_3      paired with a partner on its 3' / 5' side ('(' / ')')
//   hairpin, bulge, interior, multi   unpaired in that kind of loop
//   exterior_5, exterior_3  unpaired before the first / after the last pair
//                           (forgi's F and T; a structure without pairs is all F)
//   exterior_between        unpaired in the exterior loop between two stems
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "sster/core/index.hpp"
#include "sster/fold/energy.hpp"

namespace sster::fold {

enum class Context { paired_5, paired_3, hairpin, bulge, interior, multi, exterior_5, exterior_3, exterior_between };
inline constexpr index_t context_count = 9;
using ContextProbabilities = std::array<double, context_count>;

constexpr std::size_t slot(Context c) { return static_cast<std::size_t>(c); }

// The context of every position of a dot-bracket structure.
inline std::vector<Context> structure_contexts(std::string_view dot_bracket) {
  const auto partner = pair_table(dot_bracket);
  const index_t n = std::ssize(dot_bracket);
  std::vector<Context> out(to_size(n), Context::exterior_between);
  index_t first = n + 1, last = 0;
  for (index_t p = 1; p <= n; ++p)
    if (at(partner, p) != 0) {
      first = std::min(first, p);
      last = p;
    }
  for (index_t p = 1; p <= n; ++p) {  // exterior loop
    if (at(partner, p) > p) {
      p = at(partner, p);
      continue;
    }
    at(out, p - 1) = p < first ? Context::exterior_5 : p > last ? Context::exterior_3 : Context::exterior_between;
  }
  for (index_t i = 1; i <= n; ++i) {  // the loop each pair (i, j) closes
    const index_t j = at(partner, i);
    at(out, i - 1) = j > i ? Context::paired_5 : j != 0 ? Context::paired_3 : at(out, i - 1);
    if (j <= i) continue;
    index_t stems = 0, left = 0, right = 0;
    for (index_t p = i + 1; p < j; ++p) {
      if (at(partner, p) > p) {
        ++stems;
        p = at(partner, p);
      } else {
        (stems == 0 ? left : right) += 1;
      }
    }
    const Context c = stems == 0 ? Context::hairpin
                      : stems > 1 ? Context::multi
                      : (left == 0) != (right == 0) ? Context::bulge
                                                    : Context::interior;
    for (index_t p = i + 1; p < j; ++p) {
      if (at(partner, p) > p) p = at(partner, p);
      else at(out, p - 1) = c;
    }
  }
  return out;
}

}  // namespace sster::fold
