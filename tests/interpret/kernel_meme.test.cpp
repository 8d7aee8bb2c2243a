#include <doctest.h>

#include <string>
#include <vector>

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
