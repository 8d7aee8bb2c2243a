#include <doctest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "cli_test_util.hpp"
#include "numpy_check.hpp"
#include "plot/image_check.hpp"

using sster::test::read_text;
using sster::test::run_sster;
using sster::test::ScratchDir;

namespace {

// Positives carry CACGTG@10 or TGACTCA@40 (one of the two, 10% of the motif
// letters mutated) in 300 + 300 sequences of length 60, and a small model
// trained on them (batches of 32: enough steps in 15 epochs to learn both).
struct Planted {
  ScratchDir dir{"cli-attribute"};
  std::string pos = dir / "positives.fasta.gz", neg = dir / "negatives.fasta.gz", model = dir / "m.sster";
  Planted() {
    REQUIRE(run_sster("simulate -d " + dir.path.string() + " -n 300 --length 60 --motif CACGTG@10 --motif TGACTCA@40")
                .exit_code == 0);
    REQUIRE(run_sster("train --class " + pos + " --class " + neg +
                      " --param conv_num=1 --param kernel_num=8 --param kernel_len=8 --param epochs=15 --param batch_size=32 -q -o " + model)
                .exit_code == 0);
  }
};

bool on_motif(long start, long end) { return (start < 16 && end > 10) || (start < 47 && end > 40); }

}  // namespace

TEST_CASE("attribute: npz for TF-MoDISco, logos with the ISM heat map, seqlets; motifs --from-seqlets makes MEME") {
  Planted p;
  const std::string out = p.dir / "out";
  auto r = run_sster("attribute " + p.model + " " + p.pos + " --method ism --class positives --npz " + out +
                     "_planted --png " + out + "_png --top 2 --seqlets " + out + "_seqlets.tsv");
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("300 records, ism on positives logit") != std::string::npos);
  const std::string npz = sster::test::run_python(
      "import numpy as np\n"
      "x = np.load('" + out + "_planted_ohe.npz')['arr_0']\n"
      "a = np.load('" + out + "_planted_attr.npz')['arr_0']\n"
      "print(x.shape, a.shape, a.dtype, bool((x.sum(axis=1) == 1).all()))\n"
      "c = (a * x).sum(axis=1).mean(axis=0)\n"  // mean actual contribution per position
      "print(int(np.argmax(c[:30])) in range(10, 16), int(30 + np.argmax(c[30:])) in range(40, 47))\n");
  CHECK(npz == "(300, 4, 60) (300, 4, 60) float32 True\nTrue True\n");
  int pictures = 0;
  for (const auto& f : std::filesystem::directory_iterator(out + "_png")) {
    ++pictures;
    const auto img = sster::test::decode_png(read_text(f.path()));
    CHECK(img.w > 400);
    CHECK(sster::test::ink(img) > img.w * img.h / 50);
  }
  CHECK(pictures == 2);
  const std::string tsv = read_text(out + "_seqlets.tsv");
  REQUIRE(tsv.rfind("# sster seqlets: alphabet=ACGT method=ism class=positives", 0) == 0);
  std::istringstream rows(tsv.substr(tsv.find("sequence\n") + 9));
  long seqlets = 0, on = 0;
  for (std::string record, strand, sequence; rows >> record;) {
    long start = 0, end = 0;
    double score = 0;
    rows >> start >> end >> strand >> score >> sequence;
    ++seqlets;
    on += on_motif(start, end);
  }
  CHECK(seqlets >= 240);  // most positives carry a motif that a seqlet covers
  CHECK(on * 100 >= 95 * seqlets);

  r = run_sster("motifs --from-seqlets " + out + "_seqlets.tsv -d " + out + "_motifs");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("seqlet_motif_0") != std::string::npos);
  CHECK(r.out.find("CACGTG") != std::string::npos);
  CHECK((r.out.find("TGACTCA") != std::string::npos || r.out.find("TGAGTCA") != std::string::npos));
  CHECK(r.out.find("ready for Tomtom") != std::string::npos);
  const std::string meme = read_text(out + "_motifs/motifs.meme");
  CHECK(meme.find("MOTIF seqlet_motif_0 positive_") != std::string::npos);
  CHECK(std::filesystem::exists(out + "_motifs/seqlet_motif_0.png"));
  CHECK(read_text(out + "_motifs/seqlet_motifs.tsv").rfind("motif\trecord\tstart\tend\tstrand\tscore\n", 0) == 0);
}

TEST_CASE("attribute: a group of a split (--data, --group), DeepLIFT-SHAP, --top and chosen --records") {
  Planted p;
  const std::string data = "attribute " + p.model + " --data " + p.pos + " --data " + p.neg +
                           " --method deepliftshap --references 5 --target prob";
  const auto pictures_in = [](const std::string& folder) {
    std::vector<std::string> names;
    for (const auto& f : std::filesystem::directory_iterator(folder)) names.push_back(f.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  };
  auto r = run_sster(data + " --group test --top 2 --png " + (p.dir / "test_group"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("90 records, deeplift on positives probability") != std::string::npos);  // 15% of 600
  CHECK(pictures_in(p.dir / "test_group").size() == 2);

  r = run_sster(data + " --group all --records pos_3,pos_1 --png " + (p.dir / "chosen"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("600 records, deeplift on positives probability") != std::string::npos);
  const auto chosen = pictures_in(p.dir / "chosen");
  REQUIRE(chosen.size() == 2);
  CHECK(chosen[0].find("_pos_1.png") != std::string::npos);
  CHECK(chosen[1].find("_pos_3.png") != std::string::npos);
}

TEST_CASE("attribute and motifs --from-seqlets: bad input exits 2, names the problem, leaves no output") {
  Planted p;
  const std::string base = "attribute " + p.model + " " + p.pos;
  const std::string npz = p.dir / "bad";
  const struct {
    std::string args, message;
  } cases[] = {
      {base + " --method lime --npz " + npz, "unknown attribution method 'lime'"},
      {base + " --method ism --class nope --npz " + npz, "--class nope: the model's classes are positives, negatives"},
      {base + " --method ism", "nothing to write"},
      {base + " --method ism --npz " + npz + " --png " + (p.dir / "png") + " --records pos_1,missing",
       "--records: no record named 'missing'"},
      {base + " --method ism --npz " + npz + " --data " + p.neg, "either a FASTA file or --data files"},
      {base + " --method ism --npz " + (p.dir / "no/such/folder/x"), "cannot write"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.args);
    const auto r = run_sster(c.args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.find(c.message) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(npz + "_ohe.npz"));
    CHECK_FALSE(std::filesystem::exists(npz + "_attr.npz"));
  }
  const std::string short_fa = p.dir.write("short.fa", ">a\nACGTACGTAC\n");
  auto r = run_sster("attribute " + p.model + " " + short_fa + " --method ism --npz " + npz);
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("short.fa record 1 (line 1) has length 10, but the model was trained on length 60") !=
        std::string::npos);

  const std::string tsv = p.dir.write("s.tsv", "record\tstart\tend\tstrand\tscore\tsequence\nr\t0\t2\t+\tx\tAC\n");
  r = run_sster("motifs --from-seqlets " + tsv + " -d " + (p.dir / "m"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("s.tsv line 2: score 'x' is not a finite number") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(p.dir / "m"));
  r = run_sster("motifs " + p.model + " --from-seqlets " + tsv + " -d " + (p.dir / "m"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("leave the model file out") != std::string::npos);
}
