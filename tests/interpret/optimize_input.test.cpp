#include <doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../plot/image_check.hpp"
#include "interpret_test_util.hpp"
#include "sster/interpret/optimize_input.hpp"

using namespace sster;
namespace fs = std::filesystem;

namespace {
test::Image load_png(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return test::decode_png({std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()});
}
}  // namespace

TEST_CASE("pysster's test: rna.fasta, conv1d_1 -> 1998 x 1128 for 3 nodes, 1998 x 376 for one") {
  const auto data =
      Data::from_multilabel_fasta(test::shared_data("pysster-tests/rna.fasta"), 0, alphabet::rna_dot_bracket());
  Model m(Params{}.conv_num(1).kernel_num(3).kernel_len(5).neuron_num(2).epochs(3), data, 2);
  m.train(data, false);
  test::TempDir dir;
  const auto all = visualize_optimized_inputs(m, "conv1d_1", dir.path() / "test.png");
  const auto one = visualize_optimized_inputs(m, "conv1d_1", dir.path() / "test2.png", {0});
  const auto a = load_png(dir.path() / "test.png"), b = load_png(dir.path() / "test2.png");
  CHECK(a.w == 1998);
  CHECK(a.h == 1128);
  CHECK(b.w == 1998);
  CHECK(b.h == 376);
  REQUIRE(all.size() == 3);
  for (index_t k = 0; k < 3; ++k) {
    const auto& r = at(all, k);
    CHECK(r.node == k);
    CHECK(r.input.size() == 40 * 12);
    REQUIRE(r.motif.structure.has_value());
    CHECK(r.motif.sequence.length() == 40);
    CHECK(r.motif.structure->alphabet() == "().");
    double sum = 0;
    for (index_t c = 0; c < 12; ++c) sum += at(r.pwm, c);
    CHECK(sum == doctest::Approx(1.0));  // softmax over the channels of a position
  }
  // node 0 alone is node 0 of the three: each node runs on its own
  CHECK(one[0].input == all[0].input);
}

TEST_CASE("planted motifs: the input that maximises the positive class shows planted motifs at their offsets") {
  auto& p = test::planted();
  test::TempDir dir;
  const auto r = visualize_optimized_inputs(p.model, "dense_2", dir.path() / "out.png", {0});
  REQUIRE(r.size() == 1);
  CHECK(r[0].converged);
  const std::string consensus = r[0].motif.sequence.consensus();
  int shown = 0;
  for (const auto& [motif, offset] :
       std::vector<std::pair<std::string, std::size_t>>{{"CCCCC", 20}, {"GGGGG", 50}, {"AAAAA", 80}, {"TTTTT", 110}})
    shown += consensus.substr(offset, 10).find(motif) != std::string::npos;
  CHECK_MESSAGE(shown >= 1, consensus);
  const auto img = load_png(dir.path() / "out.png");
  CHECK(img.w == (194 * 141 + 40) / 4);  // pysster's width rule at length 140
  CHECK(img.h == 188);
}

TEST_CASE("optimised inputs are reproducible: same seed, same input, on 1 and 2 threads") {
  auto& p = test::planted();
  OptimizeOptions o;
  o.steps = 100;
  set_threads(1);
  const auto a = optimize_inputs(p.model, "conv1d_1", {1, 4, 7}, o);
  set_threads(2);
  const auto b = optimize_inputs(p.model, "conv1d_1", {1, 4, 7}, o);
  o.seed = 2;
  const auto c = optimize_inputs(p.model, "conv1d_1", {1}, o);
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].input == b[i].input);
  CHECK(a[0].input != c[0].input);
  CHECK(a[1].node == 4);
}

TEST_CASE("optimised inputs: unknown layers, nodes and bad options are errors naming the choices") {
  auto& p = test::planted();
  CHECK_THROWS_WITH_AS(optimize_inputs(p.model, "dense_9"),
                       doctest::Contains("the model has no layer 'dense_9' (layers: dropout_1, conv1d_1"), Error);
  CHECK_THROWS_WITH_AS(optimize_inputs(p.model, "dense_2", {2}),
                       "optimised inputs: layer dense_2 has 2 nodes (0 to 1), not node 2", Error);
  OptimizeOptions o;
  o.steps = 0;
  CHECK_THROWS_AS(optimize_inputs(p.model, "dense_2", {0}, o), Error);
  Data extra = test::tutorial_planted_data(20);
  test::TempDir dir;
  {
    std::ofstream f(dir.path() / "add.txt");
    for (index_t i = 0; i < extra.size(); ++i) f << i % 3 << "\n";
  }
  extra.add_additional((dir.path() / "add.txt").string());
  Model m(Params{}.conv_num(1).kernel_num(2).kernel_len(5).neuron_num(2), extra, 1);
  CHECK_THROWS_WITH_AS(optimize_inputs(m, "dense_2"),
                       "optimised inputs: not possible for a model with additional inputs (as in pysster)", Error);
}
