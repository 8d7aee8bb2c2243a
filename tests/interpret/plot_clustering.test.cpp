#include <doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "interpret_test_util.hpp"
#include "sster/interpret/plot_clustering.hpp"

using namespace sster;
namespace fs = std::filesystem;

TEST_CASE("planted motifs: the clustering puts positives and negatives into separate blocks") {
  auto& p = test::planted();
  test::TempDir dir;
  const auto c = plot_clustering(p.model, p.data, Group::test, dir.path() / "heatmap.png");
  CHECK(fs::file_size(dir.path() / "heatmap.png") > 10000);
  const auto n = static_cast<index_t>(p.data.indices(Group::test).size());
  REQUIRE(static_cast<index_t>(c.records.size()) == n);
  CHECK(c.heatmap.rows == 16);
  CHECK(c.heatmap.cols == n);
  CHECK(c.heatmap.class_names == std::vector<std::string>{"positive", "negative"});
  // class of each record, left to right in the dendrogram's order
  int changes = 0;
  for (std::size_t i = 1; i < c.clustering.row_order.size(); ++i)
    changes += at(c.classes, c.clustering.row_order[i]) !=
               at(c.classes, c.clustering.row_order[i - 1]);
  MESSAGE(changes, " class changes along ", n, " records");
  CHECK(changes < n / 10);
  for (std::size_t i = 0; i < c.records.size(); ++i) CHECK(c.classes[i] == p.data.labels(c.records[i]).front());
}

TEST_CASE("plot_clustering: a subset of classes, named in the legend") {
  auto& p = test::planted();
  test::TempDir dir;
  const auto c = plot_clustering(p.model, p.data, Group::test, dir.path() / "neg.png", {1});
  CHECK(fs::exists(dir.path() / "neg.png"));
  CHECK(c.heatmap.class_names == std::vector<std::string>{"negative"});
  for (std::size_t i = 0; i < c.records.size(); ++i) {
    CHECK(c.classes[i] == 0);
    CHECK(p.data.labels(c.records[i]).front() == 1);
  }
  CHECK_THROWS_WITH_AS(plot_clustering(p.model, p.data, Group::test, dir.path() / "x.png", {2}),
                       "plot_clustering: class 2 does not exist (2 classes: 0 to 1)", Error);
  CHECK_THROWS_AS(plot_clustering(p.model, p.data, Group::test, dir.path() / "x.png", {0, 0}), Error);
  CHECK(!fs::exists(dir.path() / "x.png"));
}

TEST_CASE("plot_clustering: multi-label data is refused with a clear error, and no file is written") {
  const auto data =
      Data::from_multilabel_fasta(test::shared_data("pysster-tests/rna.fasta"), 0, alphabet::rna_dot_bracket());
  Model model(Params{}.conv_num(1).kernel_num(3).kernel_len(5).neuron_num(2), data, 2);
  test::TempDir dir;
  CHECK_THROWS_WITH_AS(plot_clustering(model, data, Group::all, dir.path() / "c.png"),
                       doctest::Contains("clustering needs single-label data"), Error);
  CHECK(!fs::exists(dir.path() / "c.png"));
}
