// Context probabilities as rows of a structure alphabet.
#include <doctest.h>

#include "gold.hpp"
#include "sster/data/structure.hpp"
#include "sster/fold/partition.hpp"
#include "sster/fold/profile.hpp"

using namespace sster;
using namespace sster::fold;

TEST_CASE("alphabets: which row each context goes to") {
  const auto paren = context_rows("().");
  CHECK(paren[slot(Context::paired_5)] == 0);
  CHECK(paren[slot(Context::paired_3)] == 1);
  for (Context c : {Context::hairpin, Context::bulge, Context::interior, Context::multi, Context::exterior_5,
                    Context::exterior_3, Context::exterior_between})
    CHECK(paren[slot(c)] == 2);
  const auto forgi = context_rows("FHIMST");
  CHECK(forgi[slot(Context::bulge)] == 2);             // forgi: bulges are I
  CHECK(forgi[slot(Context::exterior_between)] == 3);  // and exterior segments between stems M
  CHECK(forgi[slot(Context::paired_3)] == 4);
  const auto plfold = context_rows("BEHIMP");
  CHECK(plfold[slot(Context::exterior_5)] == 1);
  CHECK(plfold[slot(Context::bulge)] == 0);
  CHECK(context_rows("PU")[slot(Context::multi)] == 1);
  CHECK_THROWS_AS(context_rows("()"), Error);    // unpaired bases have no letter
  CHECK_THROWS_AS(context_rows("().S"), Error);  // S receives nothing
  CHECK_THROWS_AS(context_rows("().x"), Error);
}

TEST_CASE("profiles: rows sum to 1, and one-structure profiles match annotate_structure") {
  const auto golds = test::read_gold("rnafold.small.pf.gold");
  const Ensemble e = partition(golds[0].sequence);
  const index_t n = std::ssize(golds[0].sequence);
  for (std::string letters : {"().", "FHIMST", "EHIMS", "PU"}) {
    const auto profile = context_profile(e.contexts, letters);
    REQUIRE(std::ssize(profile) == std::ssize(letters) * n);
    for (index_t t = 0; t < n; ++t) {
      double sum = 0;
      for (index_t r = 0; r < std::ssize(letters); ++r) sum += at(profile, r * n + t);
      CHECK(sum == doctest::Approx(1.0).epsilon(1e-5));
    }
  }
  // A structure's own contexts, put through the FHIMST rows, spell forgi's annotation.
  const std::string db = golds[0].structure;
  std::vector<ContextProbabilities> one;
  for (Context c : structure_contexts(db)) {
    ContextProbabilities p{};
    p[slot(c)] = 1;
    one.push_back(p);
  }
  const std::string letters = "FHIMST";
  const auto profile = context_profile(one, letters);
  std::string spelled;
  for (index_t t = 0; t < n; ++t)
    for (index_t r = 0; r < 6; ++r)
      if (at(profile, r * n + t) == 1.0f) spelled += at(letters, r);
  CHECK(spelled == annotate_structure(db));
}

TEST_CASE("pysster's plfold string: P where a pair is more likely than not") {
  const std::vector<BasePair> pairs = {{1, 8, 0.9}, {2, 7, 0.5}, {3, 6, 0.51}};
  CHECK(paired_unpaired(9, pairs) == "PUPUUPUPU");
}
