#include <doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <unistd.h>

#include "sster/io/meme.hpp"

using sster::Pwm;

namespace {

// pysster's tests/data/ref.meme (with '\n' line ends, as Python's text mode reads it).
const char* const ref_meme =
    "MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\n"
    "Background letter frequencies (from uniform background):\n"
    "A 0.25000 C 0.25000 G 0.25000 T 0.25000\n"
    "\nMOTIF motif_0 motif_0\n\n"
    "letter-probability matrix: alength= 4 w= 7 nsites= 20 E= 0\n"
    "  0.00025\t  0.00025\t  0.99925\t  0.00025\t\n"
    "  0.99925\t  0.00025\t  0.00025\t  0.00025\t\n"
    "  0.00025\t  0.00025\t  0.00025\t  0.99925\t\n"
    "  0.00025\t  0.00025\t  0.00025\t  0.99925\t\n"
    "  0.99925\t  0.00025\t  0.00025\t  0.00025\t\n"
    "  0.00025\t  0.99925\t  0.00025\t  0.00025\t\n"
    "  0.99925\t  0.00025\t  0.00025\t  0.00025\t\n"
    "\nMOTIF motif_1 motif_1\n\n"
    "letter-probability matrix: alength= 4 w= 4 nsites= 20 E= 0\n"
    "  0.99925\t  0.00025\t  0.00025\t  0.00025\t\n"
    "  0.99925\t  0.00025\t  0.00025\t  0.00025\t\n"
    "  0.99925\t  0.00025\t  0.00025\t  0.00025\t\n"
    "  0.99925\t  0.00025\t  0.00025\t  0.00025\t\n";

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The motifs of pysster's tests/test_utils.py test_utils_save_as_meme (GATTACA
// and AAAA with pysster's pseudocounts) as plain matrices.
Pwm one_hot(const std::string& id, const std::string& seq) {
  Pwm m{id, id, "ACGT"};
  for (char c : seq)
    for (char letter : m.alphabet) m.p.push_back(c == letter ? 0.999 + 0.00025 : 0.00025);
  return m;
}
std::vector<Pwm> pysster_test_motifs() { return {one_hot("motif_0", "GATTACA"), one_hot("motif_1", "AAAA")}; }

}  // namespace

TEST_CASE("MEME output equals pysster's ref.meme for pysster's test motifs") {
  // (interpret/kernel_meme.test.cpp checks that Motifs give these matrices)
  const std::string out = sster::meme_string(pysster_test_motifs());
  CHECK(out == ref_meme);
#ifdef SSTER_SHARED_DATA
  const std::filesystem::path ref = std::filesystem::path(SSTER_SHARED_DATA) / "pysster-tests" / "ref.meme";
  if (std::filesystem::exists(ref)) {
    std::string text = slurp(ref);
    std::erase(text, '\r');  // the stored copy has CRLF line ends
    CHECK(out == text);
  } else {
    MESSAGE("pysster's ref.meme not found at " << ref.string() << "; compared with the embedded copy only");
  }
#endif
}

TEST_CASE("save_as_meme writes the file atomically; errors name the file") {
  const auto dir = std::filesystem::temp_directory_path() / ("sster-meme-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  sster::save_as_meme(pysster_test_motifs(), dir / "motifs.meme");
  CHECK(slurp(dir / "motifs.meme") == ref_meme);
  try {
    sster::save_as_meme(pysster_test_motifs(), dir / "missing" / "motifs.meme");
    FAIL("no error");
  } catch (const sster::Error& e) {
    CHECK(std::string(e.what()).find("missing/motifs.meme") != std::string::npos);
  }
  CHECK_THROWS_AS(sster::save_as_meme(pysster_test_motifs(), "/dev/full"), sster::Error);
  std::filesystem::remove_all(dir);
}

TEST_CASE("MEME numbers print like Python's str(round(p, 6))") {
  using sster::detail::python_float_repr;
  using sster::detail::python_round6;
  CHECK(python_float_repr(python_round6(0.99925)) == "0.99925");
  CHECK(python_float_repr(python_round6(0.25)) == "0.25");
  CHECK(python_float_repr(python_round6(1.0)) == "1.0");
  CHECK(python_float_repr(python_round6(0.1234567)) == "0.123457");
  CHECK(python_float_repr(python_round6(0.0000123)) == "1.2e-05");
  CHECK(python_float_repr(python_round6(0.00001)) == "1e-05");
  CHECK(python_float_repr(python_round6(0.0001)) == "0.0001");
  CHECK(python_float_repr(python_round6(0.0000004)) == "0.0");
  CHECK(python_float_repr(1e16) == "1e+16");
  CHECK(python_float_repr(123.5) == "123.5");
  const Pwm u{"u", "", "ACGU", {0.25, 0.25, 0.25, 0.25}};
  CHECK(sster::meme_string(std::vector<Pwm>{u}).find("  0.25\t  0.25\t  0.25\t  0.25\t\n") != std::string::npos);
}

TEST_CASE("MEME output names motifs by id and alt, counts their sites and keeps their URL") {
  Pwm m{"MA0004.1", "Arnt", "ACGT", {0.2, 0.8, 0, 0, 0.95, 0, 0.05, 0}};
  m.nsites = 24;
  m.url = "http://jaspar.genereg.net/matrix/MA0004.1";
  Pwm n{"plain", "", "ACGT", {1, 0, 0, 0}};
  n.nsites = 2.5;
  const std::string out = sster::meme_string(std::vector<Pwm>{m, n});
  CHECK(out.find("\nMOTIF MA0004.1 Arnt\n\nletter-probability matrix: alength= 4 w= 2 nsites= 24 E= 0\n") !=
        std::string::npos);
  CHECK(out.find("URL http://jaspar.genereg.net/matrix/MA0004.1\n") != std::string::npos);
  CHECK(out.find("\nMOTIF plain\n\nletter-probability matrix: alength= 4 w= 1 nsites= 2.5 E= 0\n") != std::string::npos);
}

TEST_CASE("MEME export checks its motifs") {
  CHECK_THROWS_AS(sster::meme_string(std::vector<Pwm>{}), sster::Error);
  const std::vector<Pwm> mixed{Pwm{"a", "", "ACGT", {1, 0, 0, 0}}, Pwm{"b", "", "ACGU", {1, 0, 0, 0}}};
  CHECK_THROWS_WITH_AS(sster::meme_string(mixed), "save_as_meme: motif 1 has alphabet 'ACGU', motif 0 has 'ACGT'",
                       sster::Error);
  CHECK_THROWS_AS(sster::meme_string(std::vector<Pwm>{Pwm{"ragged", "", "ACGT", {1, 0, 0}}}), sster::Error);
  CHECK_THROWS_AS(sster::meme_string(std::vector<Pwm>{Pwm{"empty", "", "ACGT", {}}}), sster::Error);
}
