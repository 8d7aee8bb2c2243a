// What a pysster user does with the tool, end to end: evaluate the records a
// model never saw (groups, split fractions, the split the model remembers),
// every pysster input from the command line (structure profiles,
// additional and position-wise inputs with the scaling kept in the model),
// pysster's names, figures and unknown-letter rule.
#include <doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_test_util.hpp"

using sster::test::read_text;
using sster::test::run_sster;
using sster::test::ScratchDir;

namespace {

const std::string pysster_dir = std::string(SSTER_SHARED_DATA) + "/pysster-tests/";

// The JSON header of a model file (docs/model-file.md).
nlohmann::json model_header(const std::string& path) {
  const std::string bytes = read_text(path);
  std::uint64_t n = 0;
  std::memcpy(&n, bytes.data() + 8, 8);
  return nlohmann::json::parse(bytes.substr(16, n));
}

// The value of column `column` in the row named `row` of a report.tsv.
std::string report_cell(const std::string& tsv, const std::string& row, const std::string& column) {
  std::istringstream in(tsv);
  std::string header, line;
  std::getline(in, header);
  std::vector<std::string> names;
  std::istringstream h(header);
  for (std::string x; std::getline(h, x, '\t');) names.push_back(x);
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::istringstream l(line);
    for (std::string x; std::getline(l, x, '\t');) cells.push_back(x);
    if (cells.at(0) != row) continue;
    for (std::size_t c = 0; c < names.size(); ++c)
      if (names[c] == column) return cells.at(c);
  }
  FAIL("no row " << row << " / column " << column << " in\n" << tsv);
  return "";
}

// The rows of a predict TSV in order: probabilities.
std::vector<std::vector<double>> prediction_list(const std::string& tsv) {
  std::vector<std::vector<double>> rows;
  std::istringstream in(tsv);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string id;
    f >> id;
    rows.emplace_back();
    for (double p; f >> p;) rows.back().push_back(p);
  }
  return rows;
}

// The rows of a predict TSV: id -> probabilities.
std::map<std::string, std::vector<double>> prediction_rows(const std::string& tsv, std::string* header = nullptr) {
  std::map<std::string, std::vector<double>> rows;
  std::istringstream in(tsv);
  std::string line;
  std::getline(in, line);
  if (header) *header = line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string id;
    f >> id;
    for (double p; f >> p;) rows[id].push_back(p);
  }
  return rows;
}

}  // namespace

TEST_CASE("report --group test scores exactly the held-out records; the model remembers its split") {
  ScratchDir dir("cli-groups");
  REQUIRE(run_sster("simulate -d " + dir.path.string() + " -n 200 --length 40 --motif CACGTG@5").exit_code == 0);
  const std::string data = " --class " + (dir / "positives.fasta.gz") + " --class " + (dir / "negatives.fasta.gz");
  const std::string split = " --split-fractions 0.6,0.2 --split-seed 5";
  auto r = run_sster("train" + data + split + " --param conv_num=1 --param kernel_num=3 --param epochs=2 -q -o " +
                     (dir / "m.sster"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  const auto recipe = model_header(dir / "m.sster")["input"]["split"];
  CHECK(recipe["kind"] == "random");
  CHECK(recipe["seed"] == 5);
  CHECK(recipe["train_fraction"] == 0.6);
  CHECK(recipe["val_fraction"] == 0.2);
  CHECK(recipe["file_records"] == nlohmann::json::array({200, 200}));

  // pysster's truncation: train int(400 * 0.6) = 240, val int(400 * 0.8) - 240 = 80, test 80.
  r = run_sster("report " + (dir / "m.sster") + data + " --group test" + split + " -d " + (dir / "test"));
  REQUIRE(r.exit_code == 0);
  CHECK(report_cell(read_text(dir / "test/report.tsv"), "weighted avg", "n") == "80");
  r = run_sster("report " + (dir / "m.sster") + data + " --group val" + split + " -d " + (dir / "val"));
  REQUIRE(r.exit_code == 0);
  CHECK(report_cell(read_text(dir / "val/report.tsv"), "weighted avg", "n") == "80");
  r = run_sster("report " + (dir / "m.sster") + data + " --group all -d " + (dir / "all"));
  REQUIRE(r.exit_code == 0);
  CHECK(report_cell(read_text(dir / "all/report.tsv"), "weighted avg", "n") == "400");

  // No --group and no split options: the model's own split, its test group, said so.
  r = run_sster("report " + (dir / "m.sster") + data + " -d " + (dir / "default"));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("scoring the test group, the 80 of 400 records the model did not train on") != std::string::npos);
  CHECK(read_text(dir / "default/report.tsv") == read_text(dir / "test/report.tsv"));
  // Other split options on the training files: all records, said why.
  r = run_sster("report " + (dir / "m.sster") + data + " --split-seed 6 -d " + (dir / "other_seed"));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("the split options differ from training's") != std::string::npos);
  CHECK(report_cell(read_text(dir / "other_seed/report.tsv"), "weighted avg", "n") == "400");
  // Other files: all of their records.
  REQUIRE(run_sster("simulate -d " + (dir / "new") + " -n 50 --length 40 --seed 9 --motif CACGTG@5").exit_code == 0);
  const std::string other = " --class " + (dir / "new/positives.fasta.gz") + " --class " + (dir / "new/negatives.fasta.gz");
  r = run_sster("report " + (dir / "m.sster") + other + " -d " + (dir / "new_report"));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("not the files the model was trained on") != std::string::npos);
  CHECK(report_cell(read_text(dir / "new_report/report.tsv"), "weighted avg", "n") == "100");

  // predict takes the same groups: the test records by default, by name.
  r = run_sster("predict " + (dir / "m.sster") + data + " -o " + (dir / "test.tsv"));
  REQUIRE(r.exit_code == 0);
  const auto test_rows = prediction_rows(read_text(dir / "test.tsv"));
  CHECK(test_rows.size() == 80);
  r = run_sster("predict " + (dir / "m.sster") + data + " --group all -o " + (dir / "all.tsv"));
  REQUIRE(r.exit_code == 0);
  const auto all_rows = prediction_rows(read_text(dir / "all.tsv"));
  CHECK(all_rows.size() == 400);
  for (const auto& [id, p] : test_rows) CHECK(all_rows.at(id) == p);
  // ... and scores a FASTA file as before, the same numbers.
  r = run_sster("predict " + (dir / "m.sster") + " " + (dir / "positives.fasta.gz") + " -o " + (dir / "stream.tsv"));
  REQUIRE(r.exit_code == 0);
  for (const auto& [id, p] : prediction_rows(read_text(dir / "stream.tsv"))) CHECK(all_rows.at(id) == p);

  // Bad split options exit 2.
  for (const std::string bad : {"1.2,0.1", "0.6", "0.8,0.3", "a,b"}) {
    CAPTURE(bad);
    r = run_sster("report " + (dir / "m.sster") + data + " --split-fractions " + bad + " -d " + (dir / "bad"));
    CHECK(r.exit_code == 2);
    CHECK(r.out.find("--split-fractions") != std::string::npos);
  }
  r = run_sster("predict " + (dir / "m.sster") + " " + (dir / "positives.fasta.gz") + data);
  CHECK(r.exit_code == 2);
  CHECK(!std::filesystem::exists(dir / "bad"));
}

TEST_CASE("train --split-fractions with --val/--test is an error; grid-search keeps the split in its best model") {
  ScratchDir dir("cli-fractions");
  REQUIRE(run_sster("simulate -d " + dir.path.string() + " -n 100 --length 30 --motif CACGTG@5").exit_code == 0);
  const std::string pos = dir / "positives.fasta.gz", neg = dir / "negatives.fasta.gz";
  const std::string data = " --class " + pos + " --class " + neg;
  auto r = run_sster("train" + data + " --test " + pos + " --test " + neg + " --split-fractions 0.6,0.2 -o " +
                     (dir / "m.sster"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("--split-fractions") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "m.sster"));
  r = run_sster("grid-search" + data + " --split-fractions 0.5,0.25 --split-seed 3 --grid kernel_num=2,3 " +
                "--param conv_num=1 --param epochs=1 -d " + (dir / "grid") + " -o " + (dir / "best.sster"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  const auto recipe = model_header(dir / "best.sster")["input"]["split"];
  CHECK(recipe["train_fraction"] == 0.5);
  CHECK(recipe["seed"] == 3);
  r = run_sster("report " + (dir / "best.sster") + data + " -d " + (dir / "report"));
  REQUIRE(r.exit_code == 0);
  CHECK(report_cell(read_text(dir / "report/report.tsv"), "weighted avg", "n") == "50");  // 200 - int(200 * 0.75)
}

TEST_CASE("structure profiles, additional and position-wise inputs from the command line, scaling kept in the model") {
  ScratchDir dir("cli-inputs");
  const std::string f1 = pysster_dir + "rna_pwm1", f2 = pysster_dir + "rna_pwm2";
  const std::string fasta = " --class " + f1 + ".fasta --class " + f2 + ".fasta --structure '().' --structure-profile";
  const std::string inputs = " --additional " + f1 + "_add.txt," + f2 + "_add.txt --categorical " + f1 + "_add.txt," +
                             f2 + "_add.txt --positionwise feat=" + f1 + "_pos.txt," + f2 + "_pos.txt";
  const std::string params = " --param conv_num=1 --param kernel_len=3 --param kernel_num=4 --param neuron_num=4 "
                             "--param batch_size=4 --param epochs=3";
  auto r = run_sster("train" + fasta + inputs + " --standardize" + params + " -q -o " + (dir / "m.sster"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  const auto input = model_header(dir / "m.sster")["input"];
  CHECK(input["profile_channels"] == 3);
  CHECK(input["extra"] == 17);  // one number, 16 categories
  CHECK(input["additional"][0]["zscore"]["mean"].get<double>() == doctest::Approx(8.5));  // 1..16, twice
  CHECK(input["additional"][0]["zscore"]["sd"].get<double>() == doctest::Approx(std::sqrt(21.25)));
  CHECK(input["additional"][1]["categories"].size() == 16);
  CHECK(input["positionwise"][0]["name"] == "feat");
  CHECK(input["positionwise"][0]["robust_scale"]["center"].size() == 10);

  // report and motifs read the same inputs, encoded with the model's scaling.
  r = run_sster("report " + (dir / "m.sster") + fasta + inputs + " --group all -d " + (dir / "report"));
  REQUIRE(r.exit_code == 0);
  CHECK(report_cell(read_text(dir / "report/report.tsv"), "weighted avg", "n") == "32");
  r = run_sster("motifs " + (dir / "m.sster") + fasta + inputs + " -d " + (dir / "motifs"));
  REQUIRE(r.exit_code == 0);
  CHECK(std::filesystem::exists(dir / "motifs/summary.html"));

  // predict: a FASTA file streamed with its own input files, the same
  // probabilities as the labelled files' records.
  r = run_sster("predict " + (dir / "m.sster") + fasta + inputs + " --group all -o " + (dir / "all.tsv"));
  REQUIRE(r.exit_code == 0);
  std::string header;
  prediction_rows(read_text(dir / "all.tsv"), &header);
  CHECK(header == "id\trna_pwm1\trna_pwm2");
  const auto all = prediction_list(read_text(dir / "all.tsv"));
  REQUIRE(all.size() == 32);
  const std::string one = " --additional " + f2 + "_add.txt --categorical " + f2 + "_add.txt --positionwise " + f2 +
                          "_pos.txt";
  r = run_sster("predict " + (dir / "m.sster") + " " + f2 + ".fasta" + one + " -o " + (dir / "stream.tsv"));
  REQUIRE(r.exit_code == 0);
  const auto streamed = prediction_list(read_text(dir / "stream.tsv"));
  REQUIRE(streamed.size() == 16);
  for (std::size_t i = 0; i < 16; ++i) CHECK(streamed[i] == all[16 + i]);  // rna_pwm2's records follow rna_pwm1's

  // Bad input: exit 2, the file and line named, no output file.
  auto bad = [&](const std::string& extra_args, const std::string& message) {
    CAPTURE(extra_args);
    const auto b = run_sster("predict " + (dir / "m.sster") + " " + f2 + ".fasta" + extra_args + " -o " + (dir / "bad.tsv"));
    CHECK(b.exit_code == 2);
    CHECK_MESSAGE(b.out.find(message) != std::string::npos, b.out);
    CHECK(!std::filesystem::exists(dir / "bad.tsv"));
  };
  bad(" --categorical " + f2 + "_add.txt --positionwise " + f2 + "_pos.txt",
      "the model takes 1 numeric additional inputs (--additional), 0 given");
  const std::string short_file = dir.write("short.txt", "1\n2\n3\n");
  bad(" --additional " + short_file + " --categorical " + f2 + "_add.txt --positionwise " + f2 + "_pos.txt",
      "short.txt: 3 lines, but " + f2 + ".fasta has more records (record 4 has no line)");
  std::string long_text;
  for (int i = 0; i < 17; ++i) long_text += "1\n";
  const std::string long_file = dir.write("long.txt", long_text);
  bad(" --additional " + long_file + " --categorical " + f2 + "_add.txt --positionwise " + f2 + "_pos.txt",
      "long.txt line 17: more lines than");
  const std::string nan_file = dir.write("word.txt", "1\n2\nthree\n");
  bad(" --additional " + nan_file + " --categorical " + f2 + "_add.txt --positionwise " + f2 + "_pos.txt",
      "word.txt line 3: 'three' is not a number");
  const std::string cat_file = dir.write("cat.txt", "1\n2\n99\n");
  bad(" --additional " + f2 + "_add.txt --categorical " + cat_file + " --positionwise " + f2 + "_pos.txt",
      "cat.txt line 3: '99' is not one of the categories the model was trained on");
  const std::string row_file = dir.write("rows.txt", "0 0 0\n");
  bad(" --additional " + f2 + "_add.txt --categorical " + f2 + "_add.txt --positionwise " + row_file,
      "rows.txt line 1: expected 10 values (one per position of record 1), found 3");
  bad(" --additional /nonexistent_add.txt --categorical " + f2 + "_add.txt --positionwise " + f2 + "_pos.txt",
      "/nonexistent_add.txt");
  // the same rules when training
  r = run_sster("train" + fasta + " --additional " + short_file + params + " -q -o " + (dir / "bad.sster"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("short.txt: 3 values for 32 records") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "bad.sster"));
}

TEST_CASE("--class-names index names the classes class_0, class_1, ... in the model, predict, report") {
  ScratchDir dir("cli-names");
  REQUIRE(run_sster("simulate -d " + dir.path.string() + " -n 100 --length 30 --motif CACGTG@5").exit_code == 0);
  const std::string data = " --class " + (dir / "positives.fasta.gz") + " --class " + (dir / "negatives.fasta.gz");
  REQUIRE(run_sster("train" + data + " --class-names index --param conv_num=1 --param epochs=1 -q -o " + (dir / "m.sster"))
              .exit_code == 0);
  CHECK(model_header(dir / "m.sster")["input"]["classes"] == nlohmann::json::array({"class_0", "class_1"}));
  auto r = run_sster("predict " + (dir / "m.sster") + " " + (dir / "positives.fasta.gz"));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind("id\tclass_0\tclass_1\n", 0) == 0);
  r = run_sster("report " + (dir / "m.sster") + data + " -d " + (dir / "report"));
  REQUIRE(r.exit_code == 0);
  const std::string tsv = read_text(dir / "report/report.tsv");
  CHECK(tsv.find("\nclass_0\t") != std::string::npos);
  CHECK(tsv.find("\nclass_1\t") != std::string::npos);
  CHECK(read_text(dir / "report/report.txt").find("     class_0") != std::string::npos);
}

TEST_CASE("--unknown-structure random replaces unknown structure letters as pysster does; the default is an error") {
  ScratchDir dir("cli-unknown");
  std::string a, b;
  for (int i = 0; i < 40; ++i) {
    a += ">a" + std::to_string(i) + "\nACGUACGUAC\n((....))..\n";
    b += ">b" + std::to_string(i) + "\nUUUUACGUAC\n" + (i == 7 ? "..[....].." : "..........") + "\n";
  }
  const std::string data = " --class " + dir.write("a.fa", a) + " --class " + dir.write("b.fa", b) + " --structure '().'";
  const std::string params = " --param conv_num=1 --param kernel_len=3 --param epochs=1 -q";
  auto r = run_sster("train" + data + params + " -o " + (dir / "m.sster"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("b.fa record 8 (line 24): '[' (structure position 3) is not in") != std::string::npos);
  r = run_sster("train" + data + " --unknown-structure random" + params + " -o " + (dir / "m.sster"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  r = run_sster("predict " + (dir / "m.sster") + " " + (dir / "b.fa") + " -o " + (dir / "p.tsv"));
  CHECK(r.exit_code == 2);
  r = run_sster("predict " + (dir / "m.sster") + " " + (dir / "b.fa") + " --unknown-structure random -o " + (dir / "p.tsv"));
  REQUIRE(r.exit_code == 0);
  const std::string first = read_text(dir / "p.tsv");
  REQUIRE(run_sster("predict " + (dir / "m.sster") + " " + (dir / "b.fa") + " --unknown-structure random -o " +
                    (dir / "q.tsv"))
              .exit_code == 0);
  CHECK(read_text(dir / "q.tsv") == first);  // seeded: the same letters every time
}

TEST_CASE("grid-search --metric pr ranks by class 0's PR-AUC, as pysster; --per-class by each class's own") {
  ScratchDir dir("cli-grid-pr");
  REQUIRE(run_sster("simulate -d " + dir.path.string() + " -n 200 --length 40 --motif CACGTG@5").exit_code == 0);
  const std::string data = " --class " + (dir / "positives.fasta.gz") + " --class " + (dir / "negatives.fasta.gz");
  const std::string grid = " --grid kernel_num=2 --param conv_num=1 --param epochs=2 --metric pr";
  auto r = run_sster("grid-search" + data + grid + " -d " + (dir / "grid") + " -o " + (dir / "best.sster"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  auto score = [&](const std::string& folder) {
    const std::string tsv = read_text(dir / (folder + "/grid_search.tsv"));
    return std::stod(tsv.substr(tsv.rfind('\t') + 1));
  };
  r = run_sster("report " + (dir / "best.sster") + data + " --group val -d " + (dir / "val"));
  REQUIRE(r.exit_code == 0);
  const std::string tsv = read_text(dir / "val/report.tsv");
  const double class0 = std::stod(report_cell(tsv, "positives", "pr_auc"));
  const double class1 = std::stod(report_cell(tsv, "negatives", "pr_auc"));
  const double weighted = std::stod(report_cell(tsv, "weighted avg", "pr_auc"));
  CHECK(class0 != class1);
  CHECK(score("grid") == doctest::Approx(class0).epsilon(1e-5));
  // The report labels that figure as pysster's.
  CHECK(read_text(dir / "val/report.txt").find("pysster's binary figures (class 0 'positives'") != std::string::npos);
  r = run_sster("grid-search" + data + grid + " --per-class -d " + (dir / "per_class") + " -o " + (dir / "best2.sster"));
  REQUIRE(r.exit_code == 0);
  CHECK(score("per_class") == doctest::Approx(weighted).epsilon(1e-5));
}

TEST_CASE("--param rnn_dropout_masks: per_gate by default, shared on request, kept in the model") {
  ScratchDir dir("cli-masks");
  REQUIRE(run_sster("simulate -d " + dir.path.string() + " -n 60 --length 30 --motif CACGTG@5").exit_code == 0);
  const std::string train = "train --class " + (dir / "positives.fasta.gz") + " --class " +
                            (dir / "negatives.fasta.gz") +
                            " --param conv_num=1 --param rnn_type=LSTM --param rnn_units=4 --param rnn_dropout_recurrent=0.2 "
                            "--param epochs=1 -q";
  REQUIRE(run_sster(train + " -o " + (dir / "per_gate.sster")).exit_code == 0);
  REQUIRE(run_sster(train + " --param rnn_dropout_masks=shared -o " + (dir / "shared.sster")).exit_code == 0);
  CHECK(model_header(dir / "per_gate.sster")["params"]["rnn_dropout_masks"] == "per_gate");
  CHECK_FALSE(model_header(dir / "shared.sster")["params"].contains("rnn_dropout_masks"));  // as files before it
  auto r = run_sster("summary " + (dir / "shared.sster"));
  CHECK(r.out.find("rnn_dropout_masks=shared") != std::string::npos);
  CHECK(read_text(dir / "per_gate.sster") != read_text(dir / "shared.sster"));  // other masks, other weights
  r = run_sster(train + " --param rnn_dropout_masks=gates -o " + (dir / "bad.sster"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("rnn_dropout_masks") != std::string::npos);
}
