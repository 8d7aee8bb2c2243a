#pragma once
// A planted-structure data set: a motif that matters only where it sits in
// a hairpin loop, the ground truth behind `sster simulate --structure`.
//
// Positives carry the motif in a hairpin loop: a stem of stem_min..stem_max
// Watson-Crick pairs closes a loop of the motif and 1..loop_flank random
// bases on either side of it. Negatives carry the same motif at the same
// place, unpaired and outside any hairpin loop. A record is a design (motif
// with its mutations, loop flanks, 5' arm) on a random background, in one of
// two versions that differ in one thing: the positive's 3' arm is the
// Watson-Crick complement of the 5' arm read backwards (so the arms pair),
// the negative's the same complement read forwards (RNA pairs antiparallel:
// the arms do not pair). The same letters in the same stretches, record for
// record, only the 3' arm's in the other order: a sequence-only model finds
// the motif in both classes, a model that sees the structure finds it in the
// hairpin loop of the positives only.
//
// Both versions of a record's design and background are folded (fold/mfe.hpp,
// RNAfold's model), and the record is redrawn until both MFE structures are
// as designed: in the positive version every designed pair forms and every
// motif base lies in the hairpin loop; in the negative no motif base is
// paired or in a hairpin loop. Asking both of every record keeps the classes
// alike: were each class's records kept for their own version alone, the
// negatives' backgrounds would be the ones lacking partners for the motif, a
// sequence signal a model learns instead of the structure. After
// `backgrounds` failed backgrounds the design is redrawn; after `designs`
// designs the motif is given up on, with an Error. Randomness is keyed by
// (seed, class, record), so the set is the same on any number of threads.
#include <tbb/enumerable_thread_specific.h>

#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/parallel.hpp"
#include "sster/core/random.hpp"
#include "sster/fold/contexts.hpp"
#include "sster/fold/mfe.hpp"

namespace sster::fold {

struct StructureSimulationOptions {
  index_t sequences_per_class = 2000;
  index_t length = 100;
  std::string motif = "CACACCAA";  // A and C only: the motif cannot pair with itself
  index_t motif_position = -1;     // 0-based start of the motif; -1: the centre
  index_t stem_min = 6, stem_max = 8;  // base pairs of the hairpin's stem
  index_t loop_flank = 2;          // random loop bases on each side of the motif: 1..loop_flank
  double mutation_rate = 0.0;      // chance that a motif letter is replaced (per design)
  std::uint64_t seed = 1;
  index_t backgrounds = 30;        // background draws per record of a design
  index_t designs = 200;           // designs per record before giving up
};

struct SimulatedStructureSet {
  std::vector<std::string> positives, negatives;           // ACGU
  std::vector<std::string> positive_structures, negative_structures;  // their MFE structures
  index_t rejected = 0;  // backgrounds redrawn because a record did not fold as designed
};

namespace detail {

inline constexpr std::string_view rna_bases = "ACGU";

inline char watson_crick_partner(char c) {
  switch (c) {
    case 'A': return 'U';
    case 'C': return 'G';
    case 'G': return 'C';
    default: return 'A';  // U
  }
}

// Where the parts of one design sit in its records.
struct HairpinDesign {
  std::string motif, left_flank, right_flank, arm5, arm3, unpaired_arm3;
  index_t start = 0;  // of the 5' arm

  index_t motif_start() const { return start + std::ssize(arm5) + std::ssize(left_flank); }
  index_t arm3_start() const { return motif_start() + std::ssize(motif) + std::ssize(right_flank); }
};

inline HairpinDesign draw_design(const StructureSimulationOptions& o, index_t motif_at, RandomStream& r) {
  HairpinDesign d;
  auto letter = [&] { return rna_bases[r.below(rna_bases.size())]; };
  auto random_letters = [&](index_t n) {
    std::string s(to_size(n), 'A');
    for (char& c : s) c = letter();
    return s;
  };
  d.motif = o.motif;
  for (char& c : d.motif)
    if (r.uniform() < o.mutation_rate) c = letter();
  // 1..loop_flank bases each side; the loop's first and last base cannot
  // pair, so the stem ends at the designed closing pair
  d.left_flank = random_letters(1 + static_cast<index_t>(r.below(to_size(o.loop_flank))));
  d.right_flank = random_letters(1 + static_cast<index_t>(r.below(to_size(o.loop_flank))));
  while (pair_types[base_code(d.left_flank.front())][base_code(d.right_flank.back())] != 0)
    d.right_flank.back() = letter();
  const index_t stem = o.stem_min + static_cast<index_t>(r.below(to_size(o.stem_max - o.stem_min + 1)));
  d.arm5 = random_letters(stem);
  d.arm3.assign(d.arm5.rbegin(), d.arm5.rend());
  for (char& c : d.arm3) c = watson_crick_partner(c);
  d.unpaired_arm3 = d.arm5;
  for (char& c : d.unpaired_arm3) c = watson_crick_partner(c);
  d.start = motif_at - std::ssize(d.left_flank) - stem;
  return d;
}

// A random background of `length` bases.
inline std::string background(index_t length, RandomStream& r) {
  std::string s(to_size(length), 'A');
  for (char& c : s) c = rna_bases[r.below(rna_bases.size())];
  return s;
}

// The positive or negative record of the design on `background`.
inline std::string place(const HairpinDesign& d, bool positive, std::string background) {
  const std::string hairpin = d.arm5 + d.left_flank + d.motif + d.right_flank + (positive ? d.arm3 : d.unpaired_arm3);
  background.replace(to_size(d.start), hairpin.size(), hairpin);
  return background;
}

// Whether the MFE structure is what the design asks for.
inline bool folds_as_designed(const HairpinDesign& d, bool positive, const std::string& structure) {
  const auto contexts = structure_contexts(structure);
  const auto partner = pair_table(structure);
  const index_t m0 = d.motif_start(), stem = std::ssize(d.arm5);
  for (index_t t = m0; t < m0 + std::ssize(d.motif); ++t) {
    const Context c = at(contexts, t);
    if (positive != (c == Context::hairpin)) return false;
    if (!positive && (c == Context::paired_5 || c == Context::paired_3)) return false;
  }
  if (!positive) return true;
  for (index_t k = 0; k < stem; ++k)  // 1-based pair table: base start + k pairs with the arm's mirror
    if (at(partner, d.start + k + 1) != d.arm3_start() + stem - k) return false;
  return true;
}

// Draws designs and backgrounds until both versions fold as designed; then
// `record` is the version of `positive`, with its MFE structure. False after
// o.designs designs; `rejected` counts the backgrounds that failed.
inline bool draw_record(const StructureSimulationOptions& o, index_t motif_at, bool positive, RandomStream& r,
                        MfeFolder& folder, std::string& record, std::string& structure, index_t& rejected) {
  for (index_t attempt = 0; attempt < o.designs; ++attempt) {
    const auto d = draw_design(o, motif_at, r);
    for (index_t b = 0; b < o.backgrounds; ++b, ++rejected) {
      const std::string bg = background(o.length, r);
      std::string versions[2] = {place(d, true, bg), place(d, false, bg)}, folds[2];
      bool as_designed = true;
      for (int v = 0; v < 2 && as_designed; ++v) {
        folds[v] = folder.fold(encode_rna(versions[v])).structure;
        as_designed = folds_as_designed(d, v == 0, folds[v]);
      }
      if (!as_designed) continue;
      record = std::move(versions[positive ? 0 : 1]);
      structure = std::move(folds[positive ? 0 : 1]);
      return true;
    }
  }
  return false;
}

inline void check(const StructureSimulationOptions& o, index_t motif_at) {
  require(o.sequences_per_class > 0, "simulate: sequences per class must be positive");
  require(!o.motif.empty(), "simulate: the loop motif is empty");
  for (char c : o.motif)
    require(rna_bases.find(c) != std::string_view::npos,
            "simulate: the loop motif " + o.motif + " has '" + std::string(1, c) + "'; use the letters A, C, G, U");
  require(o.stem_min >= 1 && o.stem_max >= o.stem_min, "simulate: the stem needs 1 <= stem_min <= stem_max");
  require(o.loop_flank >= 1, "simulate: the loop needs at least one base on each side of the motif (loop_flank >= 1)");
  require(std::ssize(o.motif) + 2 >= min_hairpin,
          "simulate: the hairpin loop needs at least " + std::to_string(min_hairpin) + " bases");
  require(o.mutation_rate >= 0 && o.mutation_rate <= 1, "simulate: the mutation rate must be in [0, 1]");
  require(o.backgrounds >= 1 && o.designs >= 1, "simulate: backgrounds and designs must be positive");
  const index_t reach = o.stem_max + o.loop_flank;
  require(motif_at - reach >= 0 && motif_at + std::ssize(o.motif) + reach <= o.length,
          "simulate: a hairpin of up to " + std::to_string(o.stem_max) + " bp around the motif " + o.motif + " at " +
              std::to_string(motif_at) + " does not fit length " + std::to_string(o.length) + " (it needs " +
              std::to_string(reach) + " bases on either side)");
  require(o.length <= max_unspanned_length, "simulate: sequences of up to " +
                                                std::to_string(max_unspanned_length) + " nt");
}

}  // namespace detail

inline SimulatedStructureSet simulate_structure(const StructureSimulationOptions& o) {
  const index_t motif_at = o.motif_position >= 0 ? o.motif_position : (o.length - std::ssize(o.motif)) / 2;
  detail::check(o, motif_at);
  const index_t n = o.sequences_per_class;
  SimulatedStructureSet set;
  set.positives.resize(to_size(n));
  set.negatives.resize(to_size(n));
  set.positive_structures.resize(to_size(n));
  set.negative_structures.resize(to_size(n));
  std::vector<index_t> rejected(to_size(2 * n), 0);
  std::vector<char> done(to_size(2 * n), 0);
  tbb::enumerable_thread_specific<MfeFolder> folders;
  parallel_for_each_index(2 * n, [&](index_t k) {  // positives at even k, negatives at odd k
    const bool positive = k % 2 == 0;
    const index_t i = k / 2;
    RandomStream r(RandomKey(o.seed, Purpose::simulate).with({2, static_cast<std::uint64_t>(k)}));
    auto& record = positive ? at(set.positives, i) : at(set.negatives, i);
    auto& structure = positive ? at(set.positive_structures, i) : at(set.negative_structures, i);
    at(done, k) = detail::draw_record(o, motif_at, positive, r, folders.local(), record, structure, at(rejected, k));
  });
  for (index_t k = 0; k < 2 * n; ++k)
    require(at(done, k), "simulate: no design of " + std::string(k % 2 == 0 ? "positive " : "negative ") +
                             std::to_string(k / 2 + 1) + " folded as intended in " + std::to_string(o.designs) +
                             " tries (" + o.motif + " in a hairpin of " + std::to_string(o.stem_min) + "-" +
                             std::to_string(o.stem_max) + " bp; a longer stem or a motif that pairs less helps)");
  for (index_t r : rejected) set.rejected += r;
  return set;
}

}  // namespace sster::fold
