// Loop energies against hand computations from the Turner 2004 tables (values
// as NNDB lists them, in dcal/mol), and whole structures against RNAfold.
#include <doctest.h>

#include "gold.hpp"
#include "sster/fold/energy.hpp"
#include "sster/fold/loop_parts.hpp"

using namespace sster;
using namespace sster::fold;

TEST_CASE("stacks: NNDB Watson-Crick and GU nearest neighbours") {
  // 5'CG3'/3'GC5': -2.4; 5'GC3'/3'CG5': -3.4; 5'AU3'/3'UA5': -1.1; 5'GU3'/3'UG5' (GU after GU): +1.3 (2004)
  // C-G on G-C, then a 4-loop closed by G-C (initiation 5.6, mismatch A..A -1.1); no dangles at the ends
  CHECK(structure_energy(encode_rna("CGAAAACG"), "((....))") == -240 + 560 - 110);
  const Rna r = encode_rna("GCAAAAGC");
  CHECK(interior_energy(r, 1, 8, 2, 7) == -340);
  CHECK(interior_energy(encode_rna("AUAAAAAU"), 1, 8, 2, 7) == -110);
  CHECK(interior_energy(encode_rna("GUAAAAGU"), 1, 8, 2, 7) == 130);
}

TEST_CASE("hairpins: initiation, terminal mismatch, special loops, extrapolation") {
  // C-G closing a 6-loop with first mismatch A...A: initiation 5.4 + mismatch -1.5 = 3.9
  CHECK(hairpin_energy(encode_rna("CAAAAAAG"), 1, 8) == 540 - 150);
  // a tabulated tetraloop replaces the whole sum: C(UACG)G 2.8
  CHECK(hairpin_energy(encode_rna("CUACGG"), 1, 6) == 280);
  // triloop CAACG 6.8 (tabulated); another triloop closed by AU: 5.4 + terminal AU 0.5, no mismatch
  CHECK(hairpin_energy(encode_rna("CAACG"), 1, 5) == 680);
  CHECK(hairpin_energy(encode_rna("AAAAU"), 1, 5) == 540 + 50);
  // hexaloop ACAGUACU 2.8
  CHECK(hairpin_energy(encode_rna("ACAGUACU"), 1, 8) == 280);
  // 40 unpaired: 7.7 + 1.07856 ln(40/30) = 7.7 + 0.31 (truncated), then the G-C mismatch A..A -1.1
  const std::string long_loop = "G" + std::string(40, 'A') + "C";
  CHECK(hairpin_energy(encode_rna(long_loop), 1, 42) == 770 + 31 - 110);
  // fewer than 3 unpaired bases: not a hairpin
  CHECK(hairpin_energy(encode_rna("GAAC"), 1, 4) == inf);
}

TEST_CASE("bulges and interior loops") {
  // bulge of 1: 3.8 + the stack of the pairs on either side (C-G then G-C: -2.4)
  const Rna b1 = encode_rna("CGAAAAACAG");  // (1,10) C-G, (2,8) G-C, bulge A9
  CHECK(interior_energy(b1, 1, 10, 2, 8) == 380 - 240);
  // bulge of 3 closed by A-U and U-A: 3.2 + 2 x terminal AU 0.5
  const Rna b3 = encode_rna("AUAAAAAAAAAAU");  // (1,13) A-U, (2,9) U-A, bulge 10..12
  CHECK(interior_energy(b3, 1, 13, 2, 9) == 320 + 50 + 50);
  // generic 2x4 loop between C-G and C-G: initiation(6) 2.0 + asymmetry 2 x 0.6 + mismatches
  const Rna g = encode_rna("CAAGAAAACAAAAG");  // (1,14) C-G, (4,9) G-C; 2 bases 5', 4 bases 3'
  CHECK(interior_energy(g, 1, 14, 4, 9) ==
        200 + 120 + tp::mismatch_interior[1][1][1] + tp::mismatch_interior[reversed_pair[2]][1][1]);
  // 1x5 loop: initiation(6) + asymmetry 4 x 0.6 = 2.4 (cap 3.0) + 1xn mismatches
  const Rna one_n = encode_rna("CAGAAAACAAAAAG");  // (1,14) C-G, (3,8) G-C; 1 base 5', 5 bases 3'
  CHECK(interior_energy(one_n, 1, 14, 3, 8) ==
        200 + 240 + tp::mismatch_interior_1n[1][1][1] + tp::mismatch_interior_1n[reversed_pair[2]][1][1]);
  // 2x3 loop: initiation(5) 2.0 + one asymmetry 0.6 + 2x3 mismatches
  const Rna two_three = encode_rna("CAAGAAAACAAAG");  // (1,13), (4,9); 2 bases 5', 3 bases 3'
  CHECK(interior_energy(two_three, 1, 13, 4, 9) ==
        200 + 60 + tp::mismatch_interior_23[1][1][1] + tp::mismatch_interior_23[reversed_pair[2]][1][1]);
  // 1x1, 2x1 and 2x2 loops come from their tables
  const Rna l11 = encode_rna("CAGAAAACAG");  // (1,10), (3,8): A and A
  CHECK(interior_energy(l11, 1, 10, 3, 8) == tp::int11[1][reversed_pair[2]][1][1]);
  const Rna l22 = encode_rna("CAGGAAAACCAG");  // (1,12) C-G, (4,9) G-C; 5' A G... 2x2
  CHECK(interior_energy(l22, 1, 12, 4, 9) ==
        tp::int22[1][reversed_pair[2]][l22.code(2)][l22.code(3)][l22.code(10)][l22.code(11)]);
}

TEST_CASE("multiloop and exterior loop: a + b per stem + d2 mismatches, AU penalties") {
  // Three hairpins in a multiloop closed by G-C, no unpaired bases in it:
  // a = 9.3, b = -0.9 per stem (4 with the closing one), c = 0 per unpaired base.
  const Rna r = encode_rna("GCAAAAGCAAAAGCAAAAGCC");
  const std::string s = "((....)(....)(....)).";
  int expected = tp::ml_closing + multi_stem_energy(reversed_pair[r.pair_type(1, 20)], r.code(19), r.code(2));
  for (auto [i, j] : {std::pair{2, 7}, std::pair{8, 13}, std::pair{14, 19}})
    expected += multi_stem_energy(r.pair_type(i, j), r.code(i - 1), r.code(j + 1)) + hairpin_energy(r, i, j);
  expected += exterior_stem_energy(r.pair_type(1, 20), -1, r.code(21));
  CHECK(structure_energy(r, s) == expected);
  CHECK(multi_stem_energy(1, 1, 1) == tp::mismatch_multi[1][1][1] - 90);
  CHECK(multi_stem_energy(5, 1, 1) == tp::mismatch_multi[5][1][1] + 50 - 90);
  // exterior: a dangle where the stem touches one end, nothing where it touches both
  CHECK(exterior_stem_energy(1, -1, 2) == tp::dangle3[1][2]);
  CHECK(exterior_stem_energy(1, 3, -1) == tp::dangle5[1][3]);
  CHECK(exterior_stem_energy(5, -1, -1) == 50);
}

TEST_CASE("structure_energy reproduces RNAfold's energy of every gold structure") {
  for (const char* file : {"rnafold.small.d2.mfe.gold", "rnafold.seq.mfe.gold", "rnafold.fasta.mfe.gold"}) {
    const auto golds = test::read_gold(file);
    REQUIRE(golds.size() >= 3);
    for (const auto& g : golds) {
      CAPTURE(g.sequence);
      CHECK(structure_energy(encode_rna(g.sequence), g.structure) == static_cast<int>(std::lround(g.energy * 100)));
    }
  }
}

TEST_CASE("bad structures and sequences are errors") {
  const Rna r = encode_rna("GGGAAACCC");
  CHECK_THROWS_AS(structure_energy(r, "((....)))"), Error);   // unbalanced
  CHECK_THROWS_AS(structure_energy(r, "(((...)))."), Error);  // length
  CHECK_THROWS_AS(structure_energy(r, "((((.))))"), Error);   // hairpin of 1
  CHECK_THROWS_AS(structure_energy(encode_rna("GAAAAAA"), "(.....)"), Error);  // G-A cannot pair
  CHECK_THROWS_WITH_AS(encode_rna("ACGX", "f.fa record 2"), "f.fa record 2: 'X' at position 4 is not an RNA base (expected A, C, G, U, T or N)", Error);
  CHECK_THROWS_AS(encode_rna(""), Error);
  const Rna t = encode_rna("acgtn");
  CHECK(t.letters == "ACGUN");
  CHECK(t.unknown == 1);
}

TEST_CASE("loop parts: outer part + size penalty + inner part is interior_energy for every separable loop") {
  // every pair type and neighbouring bases, every loop size up to 30 unpaired bases
  int checked = 0;
  for (int type = 1; type <= 6; ++type)
    for (int inner = 1; inner <= 6; ++inner)
      for (int si = 0; si <= 4; ++si)
        for (int sj = 0; sj <= 4; ++sj)
          for (int sp = 0; sp <= 4; sp += 2)
            for (int sq = 1; sq <= 4; sq += 3)
              for (index_t u1 = 0; u1 <= max_interior; ++u1)
                for (index_t u2 = 0; u1 + u2 <= max_interior; ++u2) {
                  const LoopKind kind = loop_kind(u1, u2);
                  if (kind == loop_kinds) continue;
                  // interior_energy reads the inner pair reversed (from inside the loop)
                  const int whole = interior_energy(type, reversed_pair[inner], si, sj, sp, sq, u1, u2);
                  const int parts = outer_part(kind, {type, si, sj}) + size_penalty(u1, u2) +
                                    inner_part(kind, {inner, sp, sq});
                  checked += whole == parts;
                  if (whole != parts) CHECK(whole == parts);
                }
  CHECK(checked > 100000);
  // a tabulated loop with a type-0 pair (bases that cannot pair) costs inf or more
  for (int type = 0; type <= 7; ++type)
    for (const auto& [u1, u2] : tabulated_loops) {
      CHECK(interior_energy(0, type, 1, 2, 3, 4, u1, u2) >= inf);
      CHECK(interior_energy(type, 0, 4, 3, 2, 1, u1, u2) >= inf);
    }
  CHECK(direct_loops().size() == 29 * 2 + 27 * 2 + 2);  // bulges of 2..30, 1xn of n = 3..29, 2x3 and 3x2
}
