#include "sster/data/class_weights.hpp"

#include <doctest.h>

#include <vector>

using namespace sster;

TEST_CASE("class weights: inverse frequency, the most frequent class weighs 1") {
  // pysster's test_data_get_class_weights: 40/60 DNA and the multi-label RNA set (8, 11, 12 of 20).
  const std::vector<index_t> dna{40, 60}, rna{8, 11, 12};
  const auto w_dna = class_weights(dna, 100);
  CHECK(w_dna[0] == doctest::Approx(1.5).epsilon(1e-12));
  CHECK(w_dna[1] == doctest::Approx(1.0).epsilon(1e-12));
  const auto w_rna = class_weights(rna, 20);
  CHECK(w_rna[0] == doctest::Approx(1.5).epsilon(1e-12));
  CHECK(w_rna[1] == doctest::Approx(1.0909090909090908).epsilon(1e-12));
  CHECK(w_rna[2] == doctest::Approx(1.0).epsilon(1e-12));
}

TEST_CASE("pysster's quirk: a balanced binary set gets class 0 weight 1.5") {
  const std::vector<index_t> balanced{50, 50};
  CHECK(class_weights(balanced, 100) == std::vector<double>{1.5, 1.0});
  CHECK(class_weights(balanced, 100, false) == std::vector<double>{1.0, 1.0});
  // Only for two classes.
  const std::vector<index_t> three{10, 10, 10};
  CHECK(class_weights(three, 30) == std::vector<double>{1.0, 1.0, 1.0});
}

TEST_CASE("a class without records gets weight 1") {
  const std::vector<index_t> counts{10, 0, 5};
  const auto w = class_weights(counts, 15);
  CHECK(w[0] == doctest::Approx(1.0));
  CHECK(w[1] == 1.0);
  CHECK(w[2] == doctest::Approx(2.0));
}
