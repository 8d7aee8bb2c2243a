#include <doctest.h>

#include <algorithm>
#include <set>

#include "../cli/cli_test_util.hpp"
#include "../plot/image_check.hpp"

using sster::test::read_text;
using sster::test::run_sster;
using sster::test::ScratchDir;

namespace {
// Runs an example program; stdout and stderr together.
sster::test::RunResult run(const std::string& exe, const std::string& args) {
  return sster::test::run_command(exe + " " + args + " 2>&1");
}

// Planted-motif FASTA files in dir: positives.fasta.gz, negatives.fasta.gz.
void simulate(const ScratchDir& dir, int n) {
  REQUIRE(run_sster("simulate -d " + dir.path.string() + " -n " + std::to_string(n) +
                    " --length 60 --motif CACGTG@10 --motif TGACTCA@40")
              .exit_code == 0);
}
std::string pysster_file(const std::string& name) { return std::string(SSTER_SHARED_DATA) + "/pysster-tests/" + name; }
}  // namespace

TEST_CASE("examples: train_and_predict, then embed scores stdin with the saved model") {
  ScratchDir dir("ex-train");
  simulate(dir, 1000);
  auto r = run(EXAMPLE_TRAIN_AND_PREDICT, dir / "positives.fasta.gz" + " " + dir / "negatives.fasta.gz" + " " + dir / "m.sster");
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("saved model reproduces the predictions: yes") != std::string::npos);
  const auto auc = std::stod(r.out.substr(r.out.rfind("test ROC-AUC ") + 13));
  CHECK(auc > 0.9);

  r = run(EXAMPLE_EMBED, dir / "m.sster" + " < " + pysster_file("dna_pos.fasta"));
  CHECK(r.exit_code == 2);  // pysster's dna_pos.fasta has length 32, not 60: a clear error
  CHECK(r.out.find("the model needs 60") != std::string::npos);
  r = run("zcat " + dir / "positives.fasta.gz" + " | " + EXAMPLE_EMBED, dir / "m.sster");
  REQUIRE(r.exit_code == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1000);
  CHECK(r.out.rfind("pos_1\t", 0) == 0);
}

TEST_CASE("examples: multilabel, structure, grid_search, recurrent") {
  ScratchDir dir("ex-misc");
  simulate(dir, 600);
  const std::string pos = dir / "positives.fasta.gz", neg = dir / "negatives.fasta.gz";

  // multi-label file: class 0 = motif CACGTG, class 1 = TGACTCA (pysster headers)
  REQUIRE(std::system(("zcat " + pos + " | sed 's/^>pos_\\([0-9]*[13579]\\)$/>0/; s/^>pos_.*/>1/' > " + dir / "multi.fa")
                          .c_str()) == 0);
  auto r = run(EXAMPLE_MULTILABEL, dir / "multi.fa" + " 2");
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("class_1 ROC-AUC") != std::string::npos);

  r = run(EXAMPLE_STRUCTURE, pysster_file("rna_pred_ref.fasta") + " " + pysster_file("rna_pred_ref.fasta") + " " + dir / "structure");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("first layer weights: (6, 24, 10)") != std::string::npos);
  CHECK(std::filesystem::exists(dir / "structure/pos_annotated.fa"));

  r = run(EXAMPLE_GRID_SEARCH, pos + " " + neg + " " + dir / "grid");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("kernel_num kernel_len roc-auc") != std::string::npos);
  CHECK(std::filesystem::exists(dir / "grid/finished.tsv"));

  r = run(EXAMPLE_RECURRENT, pos + " " + neg);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("bidirectional_1") != std::string::npos);
  CHECK(r.out.find("test ROC-AUC") != std::string::npos);
}

TEST_CASE("examples: gallery draws docs/gallery (the README's pictures) as committed") {
  ScratchDir dir("ex-gallery");
  const auto r = run(EXAMPLE_GALLERY, dir / "gallery");
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  auto names = [](const std::filesystem::path& folder) {
    std::set<std::string> out;
    for (const auto& f : std::filesystem::directory_iterator(folder)) out.insert(f.path().filename().string());
    return out;
  };
  const std::filesystem::path docs = SSTER_DOCS_GALLERY;
  const auto drawn = names(dir / "gallery");
  CHECK(drawn.size() >= 4);
  CHECK(names(docs) == drawn);  // docs/gallery holds what the gallery draws, nothing else
  // every picture the README shows comes from the gallery
  const std::string readme = read_text(SSTER_README), prefix = "](docs/gallery/";
  int shown = 0;
  for (auto at = readme.find(prefix); at != std::string::npos; at = readme.find(prefix, at + 1), ++shown) {
    const auto from = at + prefix.size();
    const std::string name = readme.substr(from, readme.find(')', from) - from);
    CAPTURE(name);
    CHECK(drawn.count(name) == 1);
  }
  CHECK(shown >= 4);
  // and the committed pictures are what the gallery draws now, up to a few
  // anti-aliased pixels (another CPU may round an edge differently)
  for (const auto& name : drawn) {
    INFO(name << " is stale: redraw docs/gallery with build/examples/gallery docs/gallery");
    const auto fresh = sster::test::decode_png(read_text(dir / ("gallery/" + name)));
    const auto committed = sster::test::decode_png(read_text(docs / name));
    CHECK(fresh.w > 0);
    CHECK(fresh.w == committed.w);
    CHECK(fresh.h == committed.h);
    if (fresh.w == 0 || fresh.w != committed.w || fresh.h != committed.h) continue;
    long differ = 0;
    for (int y = 0; y < fresh.h; ++y)
      for (int x = 0; x < fresh.w; ++x) differ += sster::test::dist(fresh.at(x, y), committed.at(x, y)) > 32;
    CHECK(differ <= fresh.w * fresh.h / 1000);
  }
}

TEST_CASE("examples: attribution finds the planted motifs, draws a logo and writes TF-MoDISco's npz pair") {
  ScratchDir dir("ex-attribution");
  simulate(dir, 600);
  const auto r = run(EXAMPLE_ATTRIBUTION, dir / "positives.fasta.gz" + " " + dir / "negatives.fasta.gz" + " " + dir / "out");
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find(" seqlets, e.g. pos_1 ") != std::string::npos);
  const bool found = r.out.find("CACGTG") != std::string::npos &&
                     (r.out.find("TGACTCA") != std::string::npos || r.out.find("TGAGTCA") != std::string::npos);
  CHECK(found);  // both planted motifs (or their reverse complements) among the seqlet motifs
  const auto logo = sster::test::decode_png(read_text(dir / "out/logo.png"));
  CHECK(logo.w > 400);
  CHECK(sster::test::ink(logo) > logo.w * logo.h / 50);
  CHECK(std::filesystem::file_size(dir / "out/planted_ohe.npz") > 0);
  CHECK(std::filesystem::file_size(dir / "out/planted_attr.npz") > 0);
}
