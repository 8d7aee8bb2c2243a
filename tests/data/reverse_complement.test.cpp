#include <doctest.h>

#include <cstdint>
#include <vector>

#include "sster/core/symbol.hpp"
#include "sster/data/reverse_complement.hpp"

using namespace sster;

TEST_CASE("ReverseComplement: DNA and RNA in any letter order, no letter stays no letter") {
  const ReverseComplement dna(alphabet::dna());  // A C G T
  const std::vector<std::uint8_t> in = {0, 0, 1, no_symbol, 3, 2};
  std::vector<std::uint8_t> out(in.size());
  dna.apply(in.data(), ssize(in), out.data());
  CHECK(out == std::vector<std::uint8_t>{1, 0, no_symbol, 2, 3, 3});
  std::vector<std::uint8_t> same = in;  // in place
  dna.apply(same.data(), ssize(same), same.data());
  CHECK(same == out);
  const ReverseComplement shuffled(Alphabet("TGCA"));  // T0 G1 C2 A3: T<->A is 0<->3, G<->C 1<->2
  CHECK(shuffled.complement(0) == 3);
  CHECK(shuffled.complement(1) == 2);
  const ReverseComplement rna(alphabet::rna());  // A C G U
  CHECK(rna.complement(0) == 3);
  CHECK(rna.complement(3) == 0);
  CHECK(ReverseComplement::supported(Alphabet("acgt")));
}

TEST_CASE("ReverseComplement: other alphabets are a clear error") {
  CHECK(!ReverseComplement::supported(alphabet::protein()));
  CHECK(!ReverseComplement::supported(Alphabet("ACGTN")));
  CHECK(!ReverseComplement::supported(alphabet::rna_dot_bracket()));
  CHECK_THROWS_WITH_AS(ReverseComplement(alphabet::protein(), "--rc-augment"),
                       doctest::Contains("--rc-augment needs a DNA or RNA alphabet"), Error);
  CHECK_THROWS_WITH_AS(ReverseComplement{alphabet::rna_dot_bracket()}, doctest::Contains("structure letters '().'"),
                       Error);
}
