#include "sster/model/fasta_predictor.hpp"

#include <doctest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "model_test_util.hpp"

using namespace sster;
namespace fs = std::filesystem;

namespace {
fs::path scratch(const std::string& name) {
  auto p = fs::temp_directory_path() / ("sster-fasta-predictor-" + std::to_string(::getpid()));
  fs::create_directories(p);
  return p / name;
}
// The records of `d` as a FASTA file (headers "r<i>", record 3 without a name).
std::string write_fasta(const Data& d, const std::string& name) {
  const auto path = scratch(name).string();
  std::ofstream out(path);
  for (index_t i = 0; i < d.size(); ++i) out << ">" << (i == 3 ? "" : "r" + std::to_string(i)) << "\n" << d.sequence_string(i) << "\n";
  return path;
}
std::vector<PredictedBlock> all_blocks(FastaPredictor& p) {
  std::vector<PredictedBlock> blocks;
  PredictedBlock b;
  while (p.next(b)) blocks.push_back(b);
  CHECK(b.names.empty());
  CHECK_FALSE(p.next(b));  // stays at the end
  return blocks;
}
}  // namespace

TEST_CASE("FastaPredictor: blocks of records in file order, Model::predict's bits, names from the headers") {
  const Data data = test::planted_data(test::small_planted(60, 50));
  Model model(test::quick_params().epochs(1), data, 5);
  const std::string path = write_fasta(data, "all.fa");
  const RowMatrix<float> want = model.predict(data, Group::all);
  for (index_t block : {index_t{7}, index_t{32}, FastaPredictor::default_block}) {
    CAPTURE(block);
    FastaPredictor predictor(model, path, block);
    CHECK(predictor.class_names() == data.class_names());
    const auto blocks = all_blocks(predictor);
    CHECK(std::ssize(blocks) == (120 + block - 1) / block);
    std::vector<float> probs;
    std::vector<std::string> names;
    for (const auto& b : blocks) {
      CHECK(std::ssize(b.names) <= block);
      CHECK(b.probs.size() == b.names.size() * 2);
      probs.insert(probs.end(), b.probs.begin(), b.probs.end());
      names.insert(names.end(), b.names.begin(), b.names.end());
    }
    REQUIRE(probs.size() == to_size(want.size()));
    CHECK(std::memcmp(probs.data(), want.data(), probs.size() * sizeof(float)) == 0);
    CHECK(names[0] == "r0");
    CHECK(names[3] == "record_4");
    CHECK(names[119] == "r119");
  }
}

TEST_CASE("FastaPredictor: a record of another length, a missing file, a bad block size are errors") {
  const Data data = test::planted_data(test::small_planted(20, 50));
  Model model(test::quick_params().epochs(1), data, 5);
  const auto path = scratch("short.fa").string();
  std::ofstream(path) << ">a\n" << data.sequence_string(0) << "\n>b\nACGT\n";
  FastaPredictor predictor(model, path, 1);
  PredictedBlock b;
  CHECK(predictor.next(b));
  try {
    predictor.next(b);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == path + " record 2 (line 3) has length 4, but the model was trained on length 50 "
                                          "(sster, like pysster, needs the training length)");
  }
  CHECK_THROWS_AS(FastaPredictor(model, scratch("missing.fa").string()), Error);
  CHECK_THROWS_AS(FastaPredictor(model, path, 0), Error);
}
