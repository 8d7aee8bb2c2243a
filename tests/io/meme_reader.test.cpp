#include <doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "sster/data/text_file.hpp"
#include "sster/io/meme.hpp"
#include "sster/io/meme_reader.hpp"

using sster::Error;
using sster::MemeFile;
using sster::parse_meme;
using sster::Pwm;

namespace {

// JASPAR's MEME files as jaspar2meme writes them.
const char* const jaspar_text =
    "MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\n"
    "Background letter frequencies\nA 0.3 C 0.2 G 0.2 T 0.3\n\n"
    "MOTIF MA0004.1 Arnt\n"
    "letter-probability matrix: alength= 4 w= 3 nsites= 20 E= 0\n"
    " 0.200000  0.800000  0.000000  0.000000\n"
    " 0.950000  0.000000  0.050000  0.000000\n"
    " 0.000000  1.000000  0.000000  0.000000\n"
    "URL http://jaspar2018.genereg.net/matrix/MA0004.1\n\n"
    "MOTIF MA0006.1 Ahr::Arnt\n"
    "letter-probability matrix: alength= 4 w= 2 nsites= 24 E= 0\n"
    " 0.125000  0.333333  0.083333  0.458333\n"
    " 0.000000  0.000000  0.958333  0.041667\n";

MemeFile parse(const std::string& text) { return parse_meme(text, "m.meme"); }

// The message of the Error that parsing `text` throws ("" when none).
std::string meme_error(const std::string& text) {
  try {
    (void)parse(text);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::string file_with(const std::string& motif_lines) {
  return "MEME version 4\n\nALPHABET= ACGT\n\nMOTIF m1 one\n" + motif_lines;
}

}  // namespace

TEST_CASE("MEME reader: JASPAR's file, motif by motif") {
  const MemeFile f = parse(jaspar_text);
  CHECK(f.alphabet == "ACGT");
  CHECK(f.complement == "TGCA");
  CHECK(f.both_strands);
  CHECK(f.background == std::vector<double>{0.3, 0.2, 0.2, 0.3});
  REQUIRE(f.motifs.size() == 2);
  const Pwm& a = f.motifs[0];
  CHECK(a.id == "MA0004.1");
  CHECK(a.alt == "Arnt");
  CHECK(a.alphabet == "ACGT");
  CHECK(a.width() == 3);
  CHECK(a.nsites == 20);
  CHECK(a.url == "http://jaspar2018.genereg.net/matrix/MA0004.1");
  CHECK(a(0, 1) == 0.8);
  CHECK(a(1, 2) == 0.05);
  CHECK(a(2, 1) == 1.0);
  const Pwm& b = f.motifs[1];
  CHECK(b.alt == "Ahr::Arnt");
  CHECK(b.nsites == 24);
  CHECK(b.url.empty());
  // 0.125 + 0.333333 + 0.083333 + 0.458333 = 0.999999: within 1e-5 of 1, kept as written (MEME's rule)
  CHECK(b(0, 1) == 0.333333);
}

TEST_CASE("MEME reader: rows off 1 by more than 1e-5 are rescaled, as MEME's reader") {
  const MemeFile f = parse(file_with("letter-probability matrix: alength= 4 w= 1\n0.3 0.3 0.3 0.15\n"));
  REQUIRE(f.motifs.size() == 1);
  double sum = 0;
  for (int j = 0; j < 4; ++j) sum += f.motifs[0](0, j);
  CHECK(sum == doctest::Approx(1.0).epsilon(1e-15));
  CHECK(f.motifs[0](0, 3) == doctest::Approx(0.15 / 1.05));
  CHECK(f.motifs[0].nsites == 20);  // MEME's count when the file gives none
}

TEST_CASE("MEME reader: what the MEME suite writes (MEME 3 with log-odds blocks and BL lines, full text output)") {
  const std::string meme3 =
      "MEME version 3.0\n\nALPHABET= ACGT\n\nstrands: + -\n\n"
      "Background letter frequencies (from dataset with add-one prior applied):\n"
      "A 0.250000 C 0.250000 G 0.250000 T 0.250000\n\n"
      "MOTIF V_MYOD_01\n\nBL   MOTIF V_MYOD_01 width=2 seqs=5\n"
      "log-odds matrix: alength= 4 w= 2 n= 0 bayes= 0 E= 0\n"
      " -0.263   0.585   0.585  -2.585 \n  0.585  -0.263   0.585  -2.585 \n"
      "letter-probability matrix: alength= 4 w= 2 nsites= 5 E= 0\n"
      "  0.208   0.375   0.375   0.042 \n  0.375   0.208   0.375   0.042 \n\n"
      "MOTIF V_E47_01\n\nBL   MOTIF V_E47_01 width=1 seqs=10\n"
      "log-odds matrix: alength= 4 w= 1 n= 0 bayes= 0 E= 0\n  0.503   0.503   0.115  -3.585 \n"
      "letter-probability matrix: alength= 4 w= 1 nsites= 10 E= 0\n  0.354   0.354   0.271   0.021 \n";
  const MemeFile f = parse(meme3);
  REQUIRE(f.motifs.size() == 2);
  CHECK(f.motifs[0].id == "V_MYOD_01");
  CHECK(f.motifs[0].alt.empty());
  CHECK(f.motifs[0].width() == 2);
  CHECK(f.motifs[0](1, 0) == 0.375);
  CHECK(f.motifs[1].id == "V_E47_01");
  CHECK(f.motifs[1].nsites == 10);

  const std::string full =
      "********************************************************************************\n"
      "MEME - Motif discovery tool\n"
      "********************************************************************************\n"
      "MEME version 5.5.6 (Release date: Wed Jun 19 13:59:04 2024 -0700)\n\n"
      "ALPHABET= ACGT\n"
      "Letter frequencies in dataset:\nA 0.304 C 0.196 G 0.196 T 0.304\n"
      "Background letter frequencies (from file `x.bg'):\nA 0.302 C 0.198 G 0.198 T 0.302\n"
      "MOTIF TKTGA MEME-1\twidth =   2  sites =  18  llr = 193  E-value = 2.0e-011\n"
      "--------------------------------------------------------------------------------\n"
      "Motif TKTGA MEME-1 sites sorted by position p-value\n"
      "ce1cg   +   17   1.2e-09  TAATGTTTGT GC TTTGATGCTG\n"
      "Motif TKTGA MEME-1 position-specific probability matrix\n"
      "--------------------------------------------------------------------------------\n"
      "letter-probability matrix: alength= 4 w= 2 nsites= 18 E= 2.0e-011\n"
      "  0.000000  0.000000  0.055556  0.944444\n  0.055556  0.000000  0.555556  0.388889\n"
      "--------------------------------------------------------------------------------\n";
  const MemeFile g = parse(full);
  REQUIRE(g.motifs.size() == 1);
  CHECK(g.motifs[0].id == "TKTGA");
  CHECK(g.motifs[0].alt == "MEME-1");  // "width =" is not a name
  CHECK(g.motifs[0].nsites == 18);
  CHECK(g.background[0] == doctest::Approx(0.302));
}

TEST_CASE("MEME reader: an ALPHABET block in MEME's letter order, with complements; strands; comments") {
  const std::string text =
      "# made by hand\nMEME version 5\n\n"
      "ALPHABET \"DNA with covalent modifications\" DNA-LIKE\n"
      "A \"Adenine\" 8510A8 ~ T \"Thymine\" A89610\n"
      "C \"Cytosine\" A50026 ~ G \"Guanine\" 313695\n"
      "m \"5-Methylcytosine\" D73027 ~ 1 \"Guanine:5-Methylcytosine\" 4575B4  # a comment\n"
      "N \"Any base\" = ACGTm1\nX = ACGTm1\n"
      "END ALPHABET\n\nstrands: +\n\n"
      "MOTIF x\nletter-probability matrix: alength= 6 w= 1\n0.1 0.1 0.1 0.1 0.5 0.1\n";
  const MemeFile f = parse(text);
  CHECK(f.alphabet == "ACGTm1");
  CHECK(f.complement == "TGCA1m");
  CHECK_FALSE(f.both_strands);
  CHECK(f.background.size() == 6);
  CHECK(f.motifs.at(0).alphabet == "ACGTm1");
  CHECK(f.motifs.at(0)(0, 4) == 0.5);
}

TEST_CASE("MEME reader: the alphabet from the background letters or from alength when there is no ALPHABET line") {
  const MemeFile rna = parse("MEME version 4\nBackground letter frequencies\nU 0.25 G 0.25 C 0.25 A 0.25\n"
                             "MOTIF r\nletter-probability matrix: w= 1\n0.1 0.2 0.3 0.4\n");
  CHECK(rna.alphabet == "ACGU");
  CHECK(rna.complement == "UGCA");
  const MemeFile dna = parse("MEME version 4\nMOTIF d\nletter-probability matrix: alength= 4 w= 1\n1 0 0 0\n");
  CHECK(dna.alphabet == "ACGT");
  std::string row20;
  for (int i = 0; i < 20; ++i) row20 += "0.05 ";
  const MemeFile protein = parse("MEME version 4\nMOTIF p\nletter-probability matrix: alength= 20 w= 1\n" + row20 + "\n");
  CHECK(protein.alphabet == "ACDEFGHIKLMNPQRSTVWY");
  CHECK(protein.complement.empty());
}

TEST_CASE("MEME reader: a matrix without w= ends at the first line that is not numbers") {
  const MemeFile f = parse("MEME version 4\nALPHABET= ACGT\nMOTIF a\nletter-probability matrix: alength= 4\n"
                           "1 0 0 0\n0 1 0 0\n\nMOTIF b\nletter-probability matrix:\n0 0 0 1\nURL u\n");
  REQUIRE(f.motifs.size() == 2);
  CHECK(f.motifs[0].width() == 2);
  CHECK(f.motifs[1].width() == 1);
  CHECK(f.motifs[1].url == "u");
}

TEST_CASE("MEME reader: bad input is an Error naming the file, the line and what was expected") {
  struct Case {
    std::string text, message;
  };
  const std::vector<Case> cases = {
      {"", "m.meme: no 'MEME version' line; expected a MEME motif file"},
      {"ALPHABET= ACGT\nMOTIF a\n", "m.meme line 1: 'ALPHABET= ACGT' before any 'MEME version' line"},
      {"MEME version x\n", "m.meme line 1: 'MEME version x': expected 'MEME version <number>'"},
      {file_with("letter-probability matrix: alength= 4 w= 1\n0.5 0.5 0\n"),
       "m.meme line 7: 3 values in row 1 of motif 'm1'; expected 4, one for each of 'ACGT'"},
      {file_with("letter-probability matrix: alength= 4 w= 1\n0.5 0.5 0.5 0.5\n"),
       "m.meme line 7: row 1 of motif 'm1' sums to 2.000000; expected probabilities that sum to 1"},
      {file_with("letter-probability matrix: alength= 4 w= 1\n0.5 0.5 0.5 -0.5\n"),
       "m.meme line 7: probability -0.500000 in row 1 of motif 'm1'; expected a number from 0 to 1"},
      {file_with("letter-probability matrix: alength= 4 w= 1\n0.5 0.5 nan 0\n"), "m.meme line 7: probability nan"},
      {file_with("letter-probability matrix: alength= 5 w= 1\n0.2 0.2 0.2 0.2 0.2\n"),
       "m.meme line 6: alength= 5 but the alphabet 'ACGT' has 4 letters"},
      {file_with("letter-probability matrix: alength= 4 w= 3\n1 0 0 0\n0 1 0 0\n\nMOTIF m2\n"),
       "m.meme line 10: 'MOTIF m2': expected row 3 of motif 'm1' (w= 3)"},
      {file_with("letter-probability matrix: alength= 4 w= 3\n1 0 0 0\n0 1 0 0\n"),
       "m.meme line 8: the file ends after 2 rows of motif 'm1'; expected w= 3 rows"},
      {file_with("letter-probability matrix: alength= 4 w= 1\n1 0 0 0\n0 1 0 0\n"),
       "m.meme line 8: a row of numbers after the 1 rows of motif 'm1' (w= 1); expected w= to count every row"},
      {file_with("letter-probability matrix: alength= 4\n\n"),
       "m.meme line 7: the file ends after 0 rows of motif 'm1'; expected at least one row"},
      {file_with("letter-probability matrix: alength= 4 w= 0\n"),
       "m.meme line 6: letter-probability matrix: w= 0; expected a whole number >= 1"},
      {file_with("letter-probability matrix: alength= 4 w= 1 nsites= -3\n1 0 0 0\n"),
       "m.meme line 6: letter-probability matrix: nsites= -3; expected a number >= 0"},
      {file_with("URL x\nMOTIF m2\nletter-probability matrix: w= 1\n1 0 0 0\n"),
       "m.meme line 5: motif 'm1' has no letter-probability matrix"},
      {file_with("letter-probability matrix: w= 1\n1 0 0 0\nletter-probability matrix: w= 1\n1 0 0 0\n"),
       "m.meme line 8: a second letter-probability matrix for motif 'm1'"},
      {"MEME version 4\nALPHABET= ACGT\nletter-probability matrix: w= 1\n1 0 0 0\n",
       "m.meme line 3: a letter-probability matrix before any MOTIF line"},
      {"MEME version 4\nALPHABET= ACGT\nMOTIF\n", "m.meme line 3: MOTIF without a name"},
      {file_with("letter-probability matrix: w= 1\n1 0 0 0\nALPHABET= ACGU\n"),
       "m.meme line 8: an alphabet after the first MOTIF; expected them in the header"},
      {"MEME version 4\nALPHABET= ACGT\nALPHABET= ACGU\n", "m.meme line 3: a second alphabet"},
      {"MEME version 4\nALPHABET= AAC\n", "m.meme line 2: alphabet 'AAC' repeats 'A'"},
      {"MEME version 4\nALPHABET\nA ~ T\n", "m.meme line 3: the file ends inside the ALPHABET block"},
      {"MEME version 4\nALPHABET\nA ~ T\nA\nEND ALPHABET\n", "m.meme line 4: the ALPHABET block defines 'A' twice"},
      {"MEME version 4\nALPHABET= ACGT\nBackground letter frequencies\nA 0.25 C x\n",
       "m.meme line 4: background frequency 'C x': expected a letter and a frequency >= 0"},
      {"MEME version 4\nALPHABET= ACGT\nBackground letter frequencies\nA 0.25 C 0.25\nMOTIF a\n",
       "m.meme line 5: background frequencies: 'MOTIF a'; expected pairs like 'A 0.25 C 0.25'"},
      {"MEME version 4\nALPHABET= ACGT\nBackground letter frequencies\nA 0.7 C 0.7 G 0.7 T 0.7\n",
       "m.meme: the background frequencies sum to 2.800000; expected 1"},
      {"MEME version 4\nALPHABET= ACGT\nBackground letter frequencies\nA 0.5 C 0.5\n",
       "m.meme line 4: the file ends inside the background frequencies"},
      {"MEME version 4\nALPHABET= ACGT\nstrands: + x\n", "m.meme line 3: 'strands: + x': expected 'strands: +'"},
      {"MEME version 4\nMOTIF a\nletter-probability matrix: alength= 3 w= 1\n0.5 0.5 0\n",
       "m.meme line 3: alength= 3 and no ALPHABET line; expected alength= 4 (DNA) or 20 (protein)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    const std::string got = meme_error(c.text);
    CHECK_MESSAGE(got.rfind(c.message, 0) == 0, "got: " << got);
  }
}

TEST_CASE("MEME reader: files, plain or gzip; errors name the file") {
  const auto dir = std::filesystem::temp_directory_path() / ("sster-meme-reader-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "j.meme", std::ios::binary) << jaspar_text;
  std::ofstream(dir / "j.meme.gz", std::ios::binary) << sster::gzip_compress(jaspar_text);
  for (const char* name : {"j.meme", "j.meme.gz"}) {
    const MemeFile f = sster::read_meme(dir / name);
    CHECK(f.motifs.size() == 2);
    CHECK(f.motifs[1].id == "MA0006.1");
  }
  std::ofstream(dir / "bad.meme", std::ios::binary) << file_with("letter-probability matrix: w= 1\n1 0 0\n");
  CHECK_THROWS_WITH_AS(sster::read_meme(dir / "bad.meme"), doctest::Contains(((dir / "bad.meme").string() + " line 7: 3 values").c_str()),
                       Error);
  CHECK_THROWS_WITH_AS(sster::read_meme(dir / "missing.meme"), doctest::Contains("missing.meme: cannot open file"), Error);
  std::filesystem::remove_all(dir);
}

TEST_CASE("MEME round trip: written matrices read back (6 decimals), with names, sites and URLs") {
  std::vector<Pwm> motifs;
  std::uint64_t state = 7;
  auto uniform01 = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  for (int m = 0; m < 5; ++m) {
    Pwm p{"motif_" + std::to_string(m), m % 2 ? "alt" + std::to_string(m) : "", "ACGU"};
    for (int r = 0; r < 3 + m; ++r) {
      double row[4], sum = 0;
      for (double& v : row) sum += v = uniform01();
      for (double v : row) p.p.push_back(v / sum);
    }
    p.nsites = 10 + m;
    if (m == 2) p.url = "http://example.org/m2";
    motifs.push_back(p);
  }
  const MemeFile f = parse(sster::meme_string(motifs));
  CHECK(f.alphabet == "ACGU");
  REQUIRE(f.motifs.size() == motifs.size());
  for (std::size_t m = 0; m < motifs.size(); ++m) {
    const Pwm& a = motifs[m];
    const Pwm& b = f.motifs[m];
    CHECK(b.id == a.id);
    CHECK(b.alt == a.alt);
    CHECK(b.nsites == a.nsites);
    CHECK(b.url == a.url);
    REQUIRE(b.p.size() == a.p.size());
    for (std::size_t i = 0; i < a.p.size(); ++i) CHECK(std::abs(b.p[i] - a.p[i]) < 2e-6);
  }
}

TEST_CASE("MEME reader: pysster's ref.meme and the MEME suite's sample file") {
  const std::filesystem::path ref = std::filesystem::path(SSTER_SHARED_DATA) / "pysster-tests" / "ref.meme";
  if (std::filesystem::exists(ref)) {  // CRLF line ends
    const MemeFile f = sster::read_meme(ref);
    CHECK(f.alphabet == "ACGT");
    REQUIRE(f.motifs.size() == 2);
    CHECK(f.motifs[0].id == "motif_0");
    CHECK(f.motifs[0].alt == "motif_0");
    CHECK(f.motifs[0].width() == 7);
    CHECK(f.motifs[0](0, 2) == 0.99925);  // G of GATTACA
    CHECK(f.motifs[1].width() == 4);
  } else {
    MESSAGE("pysster's ref.meme not found at " << ref.string());
  }
  const MemeFile s = sster::read_meme(std::filesystem::path(SSTER_TEST_DATA) / "tomtom" / "sample.meme");
  REQUIRE(s.motifs.size() == 5);
  CHECK(s.motifs[4].id == "V_AP4_01");
  CHECK(s.motifs[4].width() == 18);
  CHECK(s.motifs[4].nsites == 5);
  const MemeFile j =
      sster::read_meme(std::filesystem::path(SSTER_TEST_DATA) / "tomtom" / "JASPAR2018_CORE_non-redundant.meme.gz");
  CHECK(j.motifs.size() == 1404);
  CHECK(j.motifs[0].id == "MA0004.1");
}
