#pragma once
// Structure profiles from folding: the context probabilities of the partition
// function (fold/contexts.hpp) as rows of a structure alphabet, the layout
// sster's Data reads with structure_profile (pysster's structure_pwm: one row
// of probabilities per structure letter, in the alphabet's order).
//
// Each context goes to the first of its letters that the alphabet has:
//   paired_5          ( S P        paired_3          ) S P
//   hairpin           H . U        bulge             B I . U
//   interior          I . U        multi             M . U
//   exterior_5        F E . U      exterior_3        T E . U
//   exterior_between  E M . U
// So "()." gives pairing direction, "FHIMST" forgi's contexts (annotate_structure:
// bulges count as I, exterior segments between stems as M), "EHIMS" or "BEHIMS"
// RNAplfold's loop types, "PU" paired/unpaired. Every row sums to 1; an alphabet
// that leaves a context without a letter, or a letter without a context, is an Error.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/fold/contexts.hpp"

namespace sster::fold {

// For each context, the row (index into `letters`) it adds to.
inline std::array<index_t, context_count> context_rows(std::string_view letters) {
  static constexpr std::array<std::string_view, context_count> candidates = {
      "(SP", ")SP", "H.U", "BI.U", "I.U", "M.U", "FE.U", "TE.U", "EM.U"};
  static constexpr std::string_view known = "()SPHBIMFTEU.";
  for (char c : letters)
    require(known.find(c) != std::string_view::npos,
            "structure profile: '" + std::string(1, c) + "' is not a structure context letter (expected some of " +
                std::string(known) + ")");
  std::array<index_t, context_count> rows{};
  std::vector<bool> used(letters.size(), false);
  for (std::size_t c = 0; c < context_count; ++c) {
    index_t row = -1;
    for (char letter : candidates[c])
      if (const auto at_ = letters.find(letter); row < 0 && at_ != std::string_view::npos) row = static_cast<index_t>(at_);
    require(row >= 0, "structure profile: the alphabet '" + std::string(letters) + "' has no letter for " +
                          std::string(c <= 1 ? "paired" : "unpaired") + " bases (one of " +
                          std::string(candidates[c]) + ")");
    rows[c] = row;
    used[to_size(row)] = true;
  }
  for (std::size_t r = 0; r < used.size(); ++r)
    require(used[r], "structure profile: the letter '" + std::string(1, letters[r]) + "' of '" + std::string(letters) +
                         "' receives no context (another letter takes them all)");
  return rows;
}

// rows(letters) x n probabilities, row-major: FastaRecord::profile's layout.
inline std::vector<float> context_profile(const std::vector<ContextProbabilities>& contexts, std::string_view letters) {
  const auto rows = context_rows(letters);
  const index_t n = std::ssize(contexts);
  std::vector<float> out(letters.size() * contexts.size(), 0.0f);
  for (index_t t = 0; t < n; ++t)
    for (std::size_t c = 0; c < context_count; ++c)
      at(out, rows[c] * n + t) += static_cast<float>(at(contexts, t)[c]);
  return out;
}

// pysster's predict_structures_plfold string: 'P' where some pair has
// probability above 0.5, else 'U'.
template <class Pairs>
std::string paired_unpaired(index_t n, const Pairs& pairs) {
  std::string out(to_size(n), 'U');
  for (const auto& bp : pairs)
    if (bp.probability > 0.5) at(out, bp.i - 1) = at(out, bp.j - 1) = 'P';
  return out;
}

}  // namespace sster::fold
