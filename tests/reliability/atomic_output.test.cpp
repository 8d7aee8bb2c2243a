// Outputs appear whole or not at all. A write that fails (a full disk:
// /dev/full, or a file size limit that cuts a write midway; a missing or
// read-only folder: /proc, /nonexistent) gives a clear sster::Error naming
// the file, keeps the previous file intact and leaves no temporary behind:
// for the atomic writer itself, every library writer, and the CLI commands.
// (Tests run as root, for whom read-only permissions do not apply: hence
// /proc and missing folders instead of chmod.)
#include <doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "cli_test_util.hpp"
#include "reliability_test_util.hpp"
#include "sster/core/atomic_file.hpp"
#include "sster/data/dataset.hpp"
#include "sster/search/grid_search.hpp"
#include "sster/model/model.hpp"
#include "sster/plot/png.hpp"
#include "targets.hpp"

namespace fs = std::filesystem;
using namespace sster;
using sster::test::read_text;
using sster::test::run_sster;
using sster::test::ScratchDir;
using sster::test::error_of;
using sster::test::pysster_tests;
using sster::test::FileSizeLimit;
using sster::test::listing;

namespace {

// Every writer of the library, given a target path.
struct Writer {
  const char* name;
  std::function<void(const std::string&)> write;
};

std::vector<Writer> writers(const Model& model, const Data& data) {
  return {
      {"write_file_atomic", [](const std::string& p) { write_file_atomic(p, std::string(100000, 'x')); }},
      {"AtomicFile stream",
       [](const std::string& p) {
         AtomicFile f(p);
         for (int i = 0; i < 20000; ++i) std::fprintf(f.stream(), "record_%d\t0.5\t0.5\n", i);
         f.commit();
       }},
      {"Model::save", [&](const std::string& p) { model.save(p); }},
      {"Data::save", [&](const std::string& p) { data.save(p); }},
      {"Data::save_split", [&](const std::string& p) { data.save_split(p); }},
      {"write_text_file", [](const std::string& p) { write_text_file(p, std::string(100000, 'y')); }},
      {"write_text_file .gz", [](const std::string& p) { write_text_file(p + ".gz", std::string(100000, 'z')); }},
      {"write_png",
       [](const std::string& p) {
         Canvas c(120, 120);  // a noisy grid: the PNG does not compress below a few KB
         c.draw_grid(Box{0, 0, 120, 120}, 40, 40, [](int col, int row) {
           const auto v = static_cast<std::uint8_t>((col * 7919 + row * 104729) % 251);
           return Rgba{v, static_cast<std::uint8_t>(255 - v), static_cast<std::uint8_t>(v * 3), 255};
         });
         write_png(c, p);
       }},
  };
}

struct Fixture {
  Data data = Data::from_fasta({pysster_tests + "/dna_pos.fasta", pysster_tests + "/dna_neg.fasta"}, alphabet::dna());
  Model model{Params{}.conv_num(1).kernel_num(3).kernel_len(4).neuron_num(4), data, 1};
};

}  // namespace

TEST_CASE("AtomicFile: the target appears on commit, whole; without commit nothing changes") {
  ScratchDir dir("atomic");
  const auto target = dir / "out.txt";
  const mode_t old_mask = ::umask(022);
  {
    AtomicFile f(target);
    f.write("first version\n");
    CHECK(!fs::exists(target));  // nothing under the target's name until commit
    f.commit();
  }
  ::umask(old_mask);
  CHECK(read_text(target) == "first version\n");
  struct stat st {};
  REQUIRE(::stat(target.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);  // as a plain fopen would create it
  CHECK(listing(dir.path) == std::vector<std::string>{"out.txt"});

  // An exception between the first byte and commit(): the old file stays.
  CHECK_THROWS_AS(
      [&] {
        AtomicFile f(target);
        f.write("half of the second ver");
        throw Error("the writer failed");
      }(),
      Error);
  CHECK(read_text(target) == "first version\n");
  CHECK(listing(dir.path) == std::vector<std::string>{"out.txt"});
}

TEST_CASE("a write cut short (file size limit, as a full disk): the previous file stays, no temporary") {
  ScratchDir dir("cut");
  Fixture fx;
  for (const auto& w : writers(fx.model, fx.data)) {
    CAPTURE(std::string(w.name));
    const std::string target = dir / "target";
    const std::string real = std::string(w.name) == "write_text_file .gz" ? target + ".gz" : target;
    w.write(target);  // a complete file first
    const std::string before = read_text(real);
    REQUIRE(before.size() >= 64);
    std::string message;
    {
      FileSizeLimit limit(before.size() / 2);  // the new version fails halfway
      message = error_of([&] { w.write(target); });
    }
    CHECK(message.find("cannot write '" + real + "'") != std::string::npos);
    CHECK(message.find("File too large") != std::string::npos);
    CHECK(read_text(real) == before);
    CHECK(listing(dir.path).size() == 1);  // no temporary left
    fs::remove(real);
  }
  // The model file kept through a failed save still loads.
  fx.model.save(dir / "m.sster");
  {
    FileSizeLimit limit(1000);
    CHECK_THROWS_AS(fx.model.save(dir / "m.sster"), Error);
  }
  CHECK(Model::load(dir / "m.sster").summary() == fx.model.summary());
}

TEST_CASE("/dev/full: every writer reports the full disk") {
  Fixture fx;
  for (const auto& w : writers(fx.model, fx.data)) {
    if (std::string(w.name) == "write_text_file .gz") continue;  // would name /dev/full.gz
    CAPTURE(std::string(w.name));
    const auto message = error_of([&] { w.write("/dev/full"); });
    CHECK(message.find("cannot write '/dev/full': No space left on device") != std::string::npos);
  }
}

TEST_CASE("missing, unwritable or impossible folders: a clear error naming the file, nothing written") {
  ScratchDir dir("folders");
  Fixture fx;
  { std::ofstream(dir / "plain") << "a file, not a folder"; }
  const std::vector<std::pair<std::string, std::string>> targets = {
      {"/nonexistent-sster-folder/out", "No such file or directory"},
      {"/proc/sster-no-such-folder/out", "No such file or directory"},
      {"/proc/out", "cannot write '/proc/out"},  // /proc takes no new files, even from root
      {dir / "plain/out", "Not a directory"},
      {dir.path.string(), "it is a directory"},
      {"", "empty name"},
  };
  for (const auto& w : writers(fx.model, fx.data)) {
    for (const auto& [target, expected] : targets) {
      if (std::string(w.name) == "write_text_file .gz" && (target.empty() || target == dir.path.string())) continue;
      CAPTURE(std::string(w.name));
      CAPTURE(target);
      const auto message = error_of([&] { w.write(target); });
      CHECK(message.find(expected) != std::string::npos);
    }
  }
  CHECK(listing(dir.path) == std::vector<std::string>{"plain"});
  const auto folder = error_of([] { create_folders("/proc/sster-no-such/report"); });
  CHECK(folder.find("cannot create folder '/proc/sster-no-such/report'") != std::string::npos);
  CHECK(error_of([&] { create_folders(dir / "plain/sub"); }).find("cannot create folder") != std::string::npos);

  // A grid search whose folder cannot be made stops before training anything.
  GridSearch search({{"kernel_num", {"2", "3"}}}, Params{}.conv_num(1).kernel_len(4).neuron_num(4).epochs(1));
  GridOptions o;
  o.folder = "/proc/sster-grid";
  CHECK(error_of([&] { (void)search.train(fx.data, o); }).find("cannot create folder '/proc/sster-grid'") !=
        std::string::npos);
}

TEST_CASE("sster commands: a full disk or an impossible folder is exit code 2 with a message, no partial file") {
  ScratchDir dir("cli-outputs");
  const std::string exe = SSTER_EXE;
  auto r = run_sster("simulate -d " + dir.path.string() + " -n 150 --length 30 --motif CACGTG@5");
  REQUIRE(r.exit_code == 0);
  const std::string data = " --class " + (dir / "positives.fasta.gz") + " --class " + (dir / "negatives.fasta.gz");
  r = run_sster("train" + data + " --param conv_num=1 --param kernel_num=3 --param kernel_len=4 --param epochs=1 -q -o " +
                (dir / "m.sster"));
  REQUIRE(r.exit_code == 0);
  const std::string model = dir / "m.sster", pos = dir / "positives.fasta.gz";
  const auto before = listing(dir.path);

  auto expect = [&](const sster::test::RunResult& res, const std::string& message) {
    CAPTURE(res.out);
    CHECK(res.exit_code == 2);
    CHECK(res.out.find(message) != std::string::npos);
    CHECK(res.out.find("internal error") == std::string::npos);
  };
  expect(run_sster("predict " + model + " " + pos + " -o /dev/full"), "cannot write '/dev/full': No space left on device");
  expect(sster::test::run_command(exe + " predict " + model + " " + pos + " 2>&1 >/dev/full"), "cannot write to standard output");
  expect(sster::test::run_command(exe + " summary " + model + " 2>&1 >/dev/full"), "cannot write to standard output");
  expect(run_sster("predict " + model + " " + pos + " -o /nonexistent-sster/p.tsv"), "cannot write '/nonexistent-sster/p.tsv'");
  expect(run_sster("report " + model + data + " -d /proc/sster-report"), "cannot create folder '/proc/sster-report'");
  expect(run_sster("simulate -n 10 -d /proc/sster-sim"), "cannot create folder '/proc/sster-sim'");
  expect(run_sster("motifs " + model + data + " -d /proc/sster-motifs"), "cannot create folder '/proc/sster-motifs'");
  expect(run_sster("meme " + model + data + " -o /dev/full"), "No space left on device");
  expect(run_sster("grid-search" + data + " --grid kernel_num=2,3 --param conv_num=1 --param epochs=1 -d /proc/sster-grid -o " +
                   (dir / "best.sster")),
         "cannot create folder '/proc/sster-grid'");
  // train checks its outputs before it trains, not hours later
  r = run_sster("train" + data + " --param conv_num=1 --param epochs=1 -o /nonexistent-sster/m.sster");
  expect(r, "cannot write '/nonexistent-sster/m.sster'");
  CHECK(r.out.find("epoch") == std::string::npos);
  r = run_sster("train" + data + " --param conv_num=1 --param epochs=1 --checkpoint /proc/sster.checkpoint -o " +
                (dir / "m2.sster"));
  expect(r, "cannot write '/proc/sster.checkpoint'");
  CHECK(r.out.find("epoch") == std::string::npos);
  CHECK(listing(dir.path) == before);  // nothing new, no temporary
}
