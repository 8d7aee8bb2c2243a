#pragma once
// Sequences on which the fast folding kernels are checked against their
// scalar references: random ones of many lengths and compositions, each with
// a maximum base-pair span, and the edge cases (too short to pair, nothing
// that can pair, N bases, spans shorter than a hairpin or as long as the
// sequence, loops at the 30-nt interior limit).
#include <string>
#include <vector>

#include "sster/core/random.hpp"

namespace sster::test {

struct FoldCase {
  std::string sequence;
  index_t span = 0;  // FoldOptions::max_span
};

inline std::string random_rna(RandomStream& random, index_t length, std::string_view letters) {
  std::string s;
  for (index_t t = 0; t < length; ++t) s += letters[random.below(letters.size())];
  return s;
}

// `count` random cases (lengths 1 to max_length) followed by the fixed edge cases.
inline std::vector<FoldCase> fold_cases(std::uint64_t seed, int count, index_t max_length) {
  RandomStream random(RandomKey(seed, Purpose::fold_sample));
  std::vector<FoldCase> out;
  const std::vector<std::string_view> compositions = {"ACGU", "ACGU", "GGCCAU", "AUUGCA", "ACGUN", "GCN"};
  for (int k = 0; k < count; ++k) {
    const index_t length = k < count / 4 ? 1 + static_cast<index_t>(random.below(16))
                                         : 1 + static_cast<index_t>(random.below(to_size(max_length)));
    const std::vector<index_t> spans = {0, 0, 5, 6, 9, 31, 32, 33, 70, length, length + 3};
    out.push_back({random_rna(random, length, compositions[random.below(compositions.size())]),
                   spans[random.below(spans.size())]});
  }
  const std::string hairpin_ladder = "GGGGGGGGAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACCCCCCCC";
  for (const FoldCase& c : std::vector<FoldCase>{
           {"A", 0}, {"GC", 0}, {"GAAAC", 0}, {"GAAAC", 5}, {"GGGAAACCC", 0}, {"NNNNNNNNNNNN", 0},
           {std::string(60, 'A'), 0}, {"ACACACACACACACACACACACACACACAC", 0},
           {std::string(40, 'G') + std::string(40, 'C'), 0}, {std::string(40, 'G') + std::string(40, 'C'), 7},
           {"GGGGAAAACCCC", 4}, {"GNGGANAACCNC", 0}, {hairpin_ladder, 0}, {hairpin_ladder, 40},
           // interior loops of 29, 30 and 31 unpaired bases between two helices
           {"GGGGGG" + std::string(15, 'A') + "GGGGGAAAACCCCC" + std::string(14, 'A') + "CCCCCC", 0},
           {"GGGGGG" + std::string(15, 'A') + "GGGGGAAAACCCCC" + std::string(15, 'A') + "CCCCCC", 0},
           {"GGGGGG" + std::string(16, 'A') + "GGGGGAAAACCCCC" + std::string(15, 'A') + "CCCCCC", 0},
           {"GGGGGG" + std::string(30, 'A') + "GGGGGAAAACCCCC" + "CCCCCC", 0},
           {"GGGGGG" + std::string(31, 'A') + "GGGGGAAAACCCCC" + "CCCCCC", 0},
       })
    out.push_back(c);
  for (index_t span : {index_t{0}, index_t{100}})  // longer sequences, with and without a span
    out.push_back({random_rna(random, 420, "ACGU"), span});
  return out;
}

}  // namespace sster::test
