// The planted-structure simulation (fold/simulate.hpp): every record folds
// as designed (checked again here, independently of the simulator's own
// check), the classes share the motif and its place, and the set does not
// depend on the number of threads.
#include <doctest.h>

#include <algorithm>

#include "sster/core/parallel.hpp"
#include "sster/data/structure.hpp"
#include "sster/fold/simulate.hpp"

using namespace sster;
using namespace sster::fold;

TEST_CASE("simulate_structure: the motif in a hairpin loop in positives, unpaired outside hairpins in negatives") {
  StructureSimulationOptions o;
  o.sequences_per_class = 24;
  o.length = 60;
  set_threads(2);
  const auto set = simulate_structure(o);
  REQUIRE(set.positives.size() == 24);
  REQUIRE(set.negatives.size() == 24);
  const index_t at_ = (60 - 8) / 2;
  for (std::size_t i = 0; i < 24; ++i) {
    CAPTURE(i);
    for (const auto* s : {&set.positives[i], &set.negatives[i]}) {
      CHECK(std::ssize(*s) == 60);
      CHECK(s->substr(to_size(at_), 8) == o.motif);
      CHECK(s->find_first_not_of("ACGU") == std::string::npos);
    }
    const std::string pos = mfe(set.positives[i]).structure, neg = mfe(set.negatives[i]).structure;
    CHECK(pos == set.positive_structures[i]);
    CHECK(neg == set.negative_structures[i]);
    const std::string pos_contexts = annotate_structure(pos).substr(to_size(at_), 8);
    const std::string neg_contexts = annotate_structure(neg).substr(to_size(at_), 8);
    CHECK(pos_contexts == "HHHHHHHH");
    CHECK(neg_contexts.find_first_of("SH") == std::string::npos);
    // among the pairs around the motif, at least 6 stack into one helix (the designed stem)
    const auto partner = pair_table(pos);
    index_t longest = 0, run = 0;
    for (index_t i = at_; i >= 1; --i) {  // 1-based: base at_ is the one before the motif
      const index_t j = at(partner, i);
      const bool encloses = j > at_ + 8;
      run = encloses && run > 0 && at(partner, i + 1) == j - 1 ? run + 1 : encloses ? 1 : 0;
      longest = std::max(longest, run);
    }
    CHECK(longest >= 6);
  }
  CHECK(set.rejected > 0);  // random backgrounds do compete: the check is not idle

  set_threads(1);
  const auto again = simulate_structure(o);
  CHECK(again.positives == set.positives);
  CHECK(again.negatives == set.negatives);
  CHECK(again.rejected == set.rejected);
  o.seed = 2;
  CHECK(simulate_structure(o).positives != set.positives);
}

TEST_CASE("simulate_structure: motif at a given place, mutations; impossible designs are errors") {
  StructureSimulationOptions o;
  o.sequences_per_class = 4;
  o.length = 50;
  o.motif = "ACCAC";
  o.motif_position = 20;
  const auto set = simulate_structure(o);
  for (const auto& s : set.positives) CHECK(s.substr(20, 5) == "ACCAC");

  auto fails = [](auto&& change) {
    StructureSimulationOptions bad;
    bad.sequences_per_class = 2;
    bad.length = 60;
    change(bad);
    return simulate_structure(bad);
  };
  CHECK_THROWS_AS(fails([](auto& b) { b.motif = "CACTCC"; }), Error);            // T: not RNA
  CHECK_THROWS_AS(fails([](auto& b) { b.motif = ""; }), Error);
  CHECK_THROWS_AS(fails([](auto& b) { b.motif_position = 2; }), Error);          // no room for the 5' arm
  CHECK_THROWS_AS(fails([](auto& b) { b.length = 20; }), Error);                 // no room at all
  CHECK_THROWS_AS(fails([](auto& b) { b.stem_min = 9; }), Error);                // stem_min > stem_max
  CHECK_THROWS_AS(fails([](auto& b) { b.mutation_rate = 1.5; }), Error);
  CHECK_THROWS_AS(fails([](auto& b) { b.loop_flank = 0; }), Error);              // the stem would run on
  // a motif that pairs with itself cannot stay a loop: given up on, with a message
  CHECK_THROWS_WITH_AS(fails([](auto& b) {
                         b.motif = "GGGGGAAAACCCCC";
                         b.designs = 2;
                         b.backgrounds = 2;
                       }),
                       doctest::Contains("folded as intended"), Error);
}
