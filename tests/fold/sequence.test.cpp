// The letters folding reads (fold/sequence.hpp) and the length limit of fold/options.hpp.
#include <doctest.h>

#include <string>

#include "sster/fold/options.hpp"
#include "sster/fold/sequence.hpp"

using namespace sster;
using namespace sster::fold;

TEST_CASE("encode_rna: A C G U T N in either case; every other byte is an error naming it and its position") {
  const Rna rna = encode_rna("acguTtNn", "x.fa record 1");
  CHECK(rna.letters == "ACGUUUNN");
  CHECK(rna.unknown == 2);
  CHECK(rna.length() == 8);
  CHECK(rna.code(0) == -1);  // the sentinels
  CHECK(rna.code(9) == -1);
  CHECK(rna.code(1) == 1);
  CHECK(rna.code(5) == 4);  // T is U
  CHECK(rna.code(7) == 0);  // N pairs with nothing
  CHECK(rna.pair_type(3, 4) == 3);  // G-U
  CHECK(rna.pair_type(7, 3) == 0);
  const std::string accepted = "ACGUTNacgutn";
  for (int c = 0; c < 256; ++c) {
    const std::string seq = std::string("GG") + static_cast<char>(c) + "A";
    if (accepted.find(static_cast<char>(c)) != std::string::npos && c != 0) {
      CHECK_NOTHROW(encode_rna(seq));
      continue;
    }
    CAPTURE(c);
    CHECK_THROWS_WITH_AS(encode_rna(seq, "x.fa record 7 (line 13)"),
                         ("x.fa record 7 (line 13): '" + std::string(1, static_cast<char>(c)) +
                          "' at position 3 is not an RNA base (expected A, C, G, U, T or N)")
                             .c_str(),
                         Error);
  }
  CHECK_THROWS_WITH_AS(encode_rna("", "y.fa record 2"), "y.fa record 2: the sequence is empty (nothing to fold)", Error);
}

TEST_CASE("band_width: a max_span bounds the tables; without one, max_length bounds the sequence") {
  FoldOptions o;
  CHECK(band_width(100, o) == 100);
  CHECK(band_width(max_unspanned_length, o) == max_unspanned_length);
  CHECK_THROWS_AS(band_width(max_unspanned_length + 1, o), Error);
  o.max_length = 50;
  CHECK(band_width(50, o) == 50);
  CHECK_THROWS_WITH_AS(band_width(51, o, "a.fa record 3"),
                       "a.fa record 3: 51 nt is longer than 50 nt; fold long sequences with a maximum base-pair span "
                       "(max_span; sster fold --max-span, e.g. 150)",
                       Error);
  o.max_span = 30;
  CHECK(band_width(100000, o) == 30);
  CHECK(band_width(20, o) == 20);
  o.max_span = -2;
  CHECK_THROWS_AS(band_width(10, o), Error);
}
