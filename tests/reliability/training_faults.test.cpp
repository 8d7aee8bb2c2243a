// Faults during long training runs: a checkpoint that cannot be written
// (disk full) keeps the previous one and training goes on; SIGTERM, as batch
// schedulers send, saves a checkpoint like Ctrl-C; a diverging run stops with
// the epoch and batch and keeps the best weights; NaN and infinity never get
// into a data set.
#include <doctest.h>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_test_util.hpp"
#include "reliability_test_util.hpp"
#include "sster/data/simulate.hpp"
#include "sster/model/model.hpp"

namespace fs = std::filesystem;
using namespace sster;
using sster::test::Child;
using sster::test::error_of;
using sster::test::FileSizeLimit;
using sster::test::listing;
using sster::test::read_text;
using sster::test::run_sster;
using sster::test::ScratchDir;

namespace {

Data planted(index_t per_class, index_t length) {
  SimulationOptions o;
  o.sequences_per_class = per_class;
  o.length = length;
  o.groups = {{{"CACGTG", 10}}};
  const auto set = simulate_planted(o);
  std::vector<std::string> seqs = set.positives;
  seqs.insert(seqs.end(), set.negatives.begin(), set.negatives.end());
  std::vector<index_t> labels(set.positives.size(), 0);
  labels.resize(seqs.size(), 1);
  return Data::from_sequences(seqs, labels, 2, alphabet::dna());
}

Params small_params() {
  return Params{}.conv_num(1).kernel_num(4).kernel_len(6).neuron_num(8).batch_size(32).epochs(4).patience_stopping(100);
}

bool same_weights(Model& a, Model& b) {
  const auto& x = a.engine().parameters();
  const auto& y = b.engine().parameters();
  return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size() * sizeof(float)) == 0;
}

}  // namespace

TEST_CASE("a checkpoint write that fails mid-run keeps the previous checkpoint, which resumes bit-identically") {
  ScratchDir dir("checkpoint-fault");
  const Data data = planted(300, 40);
  Model straight(small_params(), data, 7);
  straight.train(data, false);

  const std::string checkpoint = dir / "run.checkpoint";
  Model run(small_params(), data, 7);
  int epochs = 0;
  std::string first;
  std::vector<std::string> failures;
  TrainObserver observer;
  observer.on_epoch = [&](const EpochRecord&, const Checkpoint& saved) {
    ++epochs;
    if (epochs == 1) {
      saved.save(checkpoint);
      first = read_text(checkpoint);
    } else {  // the disk is full from epoch 2 on: as the CLI does, report and go on
      FileSizeLimit full(first.size() / 2);
      failures.push_back(error_of([&] { saved.save(checkpoint); }));
    }
  };
  observer.stop_requested = [&] { return epochs == 2; };  // then the machine goes down, in epoch 3
  CHECK(!run.train(data, observer));
  REQUIRE(failures.size() == 1);
  CHECK(failures[0].find("cannot write '" + checkpoint + "': File too large") != std::string::npos);
  CHECK(read_text(checkpoint) == first);  // the epoch-1 checkpoint, whole
  CHECK(listing(dir.path) == std::vector<std::string>{"run.checkpoint"});

  Model resumed = Model::load(checkpoint);
  REQUIRE(resumed.training_in_progress());
  CHECK(resumed.history().size() == 1);
  CHECK(resumed.train(data, TrainObserver{}));
  CHECK(same_weights(resumed, straight));
}

TEST_CASE("a run that diverges mid-way stops naming epoch and batch, with the best weights so far") {
  const Data data = planted(200, 40);
  Model model(small_params(), data, 3);
  AlignedVector<float> after_epoch_1;
  TrainObserver observer;
  observer.on_epoch = [&](const EpochRecord& r, const Checkpoint&) {
    if (r.epoch != 1) return;
    after_epoch_1 = model.engine().parameters();  // the best so far: the first epoch always improves
    model.engine().parameters().back() = INFINITY;  // the output bias: the next loss is not finite
  };
  const auto message = error_of([&] { model.train(data, observer); });
  CHECK(message.find("training diverged") != std::string::npos);
  CHECK(message.find("in epoch 2, batch 1 of") != std::string::npos);
  CHECK(!model.training_in_progress());
  const auto& kept = model.engine().parameters();
  REQUIRE(kept.size() == after_epoch_1.size());
  CHECK(std::memcmp(kept.data(), after_epoch_1.data(), kept.size() * sizeof(float)) == 0);
}

TEST_CASE("NaN and infinity in input files are refused with the file, line and value") {
  ScratchDir dir("nan-input");
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return dir / name;
  };
  DataOptions profile;
  profile.structure_profile = true;
  for (const char* bad : {"nan", "NaN", "inf", "-inf", "Infinity", "1e999", "-3.5e39"}) {
    CAPTURE(bad);
    const auto fa = write("p.fa", std::string(">r1\nACGU\n0.1 0.2 0.3 0.4\n0.5 ") + bad + " 0.1 0.2\n0.4 0.3 0.6 0.4\n");
    auto m = error_of([&] { (void)Data::from_fasta({fa, fa}, alphabet::rna_dot_bracket(), profile); });
    CHECK(m.find(fa + " record 1 (line 4)") != std::string::npos);
    CHECK(m.find("is not a finite number") != std::string::npos);

    Data d = Data::from_sequences({"ACGT", "TTGA", "GGCA"}, {0, 1, 0}, 2, alphabet::dna());
    const auto add = write("add.txt", std::string("1\n") + bad + "\n3\n");
    m = error_of([&] { d.add_additional(add); });
    CHECK(m.find(add + " line 2") != std::string::npos);
    CHECK(m.find("is not a finite number") != std::string::npos);
    const auto pos = write("pos.txt", std::string("1 2 3 4\n5 6 ") + bad + " 8\n9 10 11 12\n");
    m = error_of([&] { d.add_positionwise(pos, "x"); });
    CHECK(m.find(pos + " line 2") != std::string::npos);
    CHECK(m.find("is not a finite number") != std::string::npos);
    CHECK(d.extra_size() == 0);  // a refused file leaves the data set as it was
    CHECK(d.dense_channels() == 0);
  }
}

TEST_CASE("sster train: SIGTERM saves a checkpoint; a full disk during the resumed run only warns") {
  ScratchDir dir("cli-faults");
  auto r = run_sster("simulate -d " + dir.path.string() + " -n 1500 --length 60 --motif CACGTG@10");
  REQUIRE(r.exit_code == 0);
  const std::vector<std::string> train = {"train", "--class", dir / "positives.fasta.gz", "--class",
                                          dir / "negatives.fasta.gz", "--param", "conv_num=1", "--param",
                                          "kernel_num=4", "--param", "neuron_num=8", "--param", "epochs=8",
                                          "--param", "patience_stopping=100", "--seed", "5"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = train;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  {  // the reference: one uninterrupted run
    Child straight(with({"-q", "-o", dir / "a.sster"}));
    REQUIRE(straight.wait() == 0);
  }
  const auto model_size = fs::file_size(dir / "a.sster");

  // SIGTERM once the first epoch is reported: the run stops after its
  // current batch and saves where it stands.
  Child run(with({"-o", dir / "b.sster"}));
  std::string line, out;
  while (run.line(line) && line.rfind("epoch   1", 0) != 0) out += line + "\n";
  ::kill(run.pid(), SIGTERM);
  const int code = run.wait(&out);
  CAPTURE(out);
  CHECK(code == 2);
  CHECK(out.find("interrupted; the run is saved in " + (dir / "b.sster.checkpoint")) != std::string::npos);
  CHECK(out.find("--resume") != std::string::npos);
  REQUIRE(fs::exists(dir / "b.sster.checkpoint"));
  CHECK(!fs::exists(dir / "b.sster"));
  const std::string saved = read_text(dir / "b.sster.checkpoint");
  CHECK(saved.size() > 2 * model_size);  // weights, best weights and optimiser state

  // Starting over without --resume is allowed, with a warning naming the checkpoint.
  r = run_sster("train --class x.fa --class y.fa --param kernel_num=0 -o " + (dir / "b.sster"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("warning: " + (dir / "b.sster.checkpoint") + " holds an unfinished run") != std::string::npos);
  CHECK(read_text(dir / "b.sster.checkpoint") == saved);

  // Resume with room for the model but not for a checkpoint (bash's ulimit
  // counts KiB): every checkpoint fails, is reported, and the run goes on.
  std::string command = "trap '' XFSZ; ulimit -f " + std::to_string(model_size / 1024 + 8) + "; exec " + SSTER_EXE;
  for (const auto& a : with({"--resume", "-o", dir / "b.sster"})) command += " '" + a + "'";
  r = sster::test::run_command("bash -c \"" + command + "\" 2>&1");
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("warning: checkpoint not saved") != std::string::npos);
  CHECK(r.out.find("File too large") != std::string::npos);
  CHECK(r.out.find("the previous checkpoint is kept") != std::string::npos);
  CHECK(!fs::exists(dir / "b.sster.checkpoint"));  // done: removed
  for (const auto& name : listing(dir.path)) CHECK(name.find(".tmp") == std::string::npos);

  // Interrupted, resumed through failing checkpoints: the same model as the straight run.
  r = run_sster("predict " + (dir / "a.sster") + " " + (dir / "positives.fasta.gz") + " -o " + (dir / "a.tsv"));
  REQUIRE(r.exit_code == 0);
  r = run_sster("predict " + (dir / "b.sster") + " " + (dir / "positives.fasta.gz") + " -o " + (dir / "b.tsv"));
  REQUIRE(r.exit_code == 0);
  CHECK(read_text(dir / "a.tsv") == read_text(dir / "b.tsv"));
}
