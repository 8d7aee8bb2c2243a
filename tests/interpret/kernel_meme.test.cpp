#include <doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <unistd.h>

#include "interpret_test_util.hpp"
#include "sster/interpret/kernel_meme.hpp"

using namespace sster;

TEST_CASE("kernel MEME file: best score first, motifs named kernel_<i>, pysster's format otherwise") {
  auto motif = [](const char* s) { return Motif::from_sequences("ACGT", std::vector<std::string>{s}); };
  const std::vector<KernelResult> results{
      {0, KernelMotif{motif("AAAA")}, 0.1}, {1, KernelMotif{motif("CCCC")}, 0.5}, {2, KernelMotif{motif("GGGG")}, 0.3}};
  const std::string text = kernel_meme_string(results);
  const auto k1 = text.find("\nMOTIF kernel_1 kernel_1\n"), k2 = text.find("\nMOTIF kernel_2 kernel_2\n"),
             k0 = text.find("\nMOTIF kernel_0 kernel_0\n");
  REQUIRE(k1 != std::string::npos);
  REQUIRE(k2 != std::string::npos);
  REQUIRE(k0 != std::string::npos);
  CHECK(k1 < k2);
  CHECK(k2 < k0);
  CHECK(text.find("motif_") == std::string::npos);
  // the same bytes as pysster's save_as_meme apart from the names
  std::string expected =
      meme_string(std::vector<Motif>{results[1].motif.sequence, results[2].motif.sequence, results[0].motif.sequence});
  for (const auto& [from, to] :
       std::vector<std::pair<std::string, std::string>>{{"motif_0 motif_0", "kernel_1 kernel_1"},
                                                        {"motif_1 motif_1", "kernel_2 kernel_2"},
                                                        {"motif_2 motif_2", "kernel_0 kernel_0"}})
    expected.replace(expected.find(from), from.size(), to);
  CHECK(text == expected);
  CHECK_THROWS_WITH_AS(kernel_meme_string(results, true), "kernel MEME file: kernel 1 has no structure motif", Error);
}

TEST_CASE("save_as_meme of Motifs writes pysster's ref.meme (motif_<i>, 20 sites)") {
  // tests/test_utils.py test_utils_save_as_meme
  const std::vector<Motif> motifs{Motif::from_sequences("ACGT", std::vector<std::string>{"GATTACA"}),
                                  Motif::from_sequences("ACGT", std::vector<std::string>{"AAAA"})};
  const std::string out = meme_string(motifs);
  CHECK(out.find("\nMOTIF motif_0 motif_0\n\nletter-probability matrix: alength= 4 w= 7 nsites= 20 E= 0\n"
                 "  0.00025\t  0.00025\t  0.99925\t  0.00025\t\n") != std::string::npos);
  CHECK(out.find("\nMOTIF motif_1 motif_1\n\nletter-probability matrix: alength= 4 w= 4 nsites= 20 E= 0\n") !=
        std::string::npos);
  const std::filesystem::path ref = std::filesystem::path(SSTER_SHARED_DATA) / "pysster-tests" / "ref.meme";
  if (std::filesystem::exists(ref)) {
    std::ifstream in(ref, std::ios::binary);
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::erase(text, '\r');  // the stored copy has CRLF line ends
    CHECK(out == text);
  }
  const auto path = std::filesystem::temp_directory_path() / ("sster-motif-meme-" + std::to_string(::getpid()));
  save_as_meme(motifs, path);
  std::ifstream in(path, std::ios::binary);
  CHECK(std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()} == out);
  std::filesystem::remove(path);
}

TEST_CASE("save_kernel_memes: motifs.meme, and motifs_structure.meme only for kernels with structure motifs") {
  auto motif = [](const char* alphabet, const char* s) {
    return Motif::from_sequences(alphabet, std::vector<std::string>{s});
  };
  const std::vector<KernelResult> plain{{0, KernelMotif{motif("ACGT", "ACGT")}, 0.2},
                                        {1, KernelMotif{motif("ACGT", "TTTT")}, 0.4}};
  auto read = [](const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  };
  test::TempDir dir;
  save_kernel_memes(plain, dir.path());
  CHECK(read(dir.path() / "motifs.meme") == kernel_meme_string(plain));
  CHECK(!std::filesystem::exists(dir.path() / "motifs_structure.meme"));

  const std::vector<KernelResult> structured{{0, KernelMotif{motif("ACGU", "ACGU"), motif("().", "(..)")}, 0.1},
                                             {1, KernelMotif{motif("ACGU", "UUUU"), motif("().", "....")}, 0.3}};
  test::TempDir dir2;
  save_kernel_memes(structured, dir2.path());
  CHECK(read(dir2.path() / "motifs.meme") == kernel_meme_string(structured));
  CHECK(read(dir2.path() / "motifs_structure.meme") == kernel_meme_string(structured, true));
}
