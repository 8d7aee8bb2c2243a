#include <doctest.h>

#include <filesystem>
#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

#include "model_test_util.hpp"
#include "sster/search/grid_search.hpp"

using namespace sster;
namespace fs = std::filesystem;

TEST_CASE("grid values parse like pysster's lists, tuples included") {
  const auto [name, values] = GridSearch::parse("kernel_num=(20,40),(30, 60)");
  CHECK(name == "kernel_num");
  CHECK(values == std::vector<std::string>{"(20,40)", "(30,60)"});
  CHECK(GridSearch::parse("conv_num=1,2,3").second.size() == 3);
  CHECK_THROWS_AS(GridSearch::parse("conv_num"), Error);
  CHECK_THROWS_WITH_AS(GridSearch({{"kernel_num", {"10", "0"}}}), doctest::Contains("kernel_num"), Error);
}

TEST_CASE("2x2 grid: every combination trained, the best validation score wins, and a rerun resumes") {
  auto data = test::planted_data(test::small_planted(800, 60));
  const auto base = Params{}.conv_num(1).neuron_num(16).batch_size(64).epochs(6);
  GridSearch grid({{"kernel_num", {"2", "16"}}, {"kernel_len", {"3", "8"}}}, base);
  REQUIRE(grid.combinations().size() == 4);
  const auto dir = fs::temp_directory_path() / ("sster-grid-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  GridOptions opts;
  opts.folder = dir.string();
  opts.verbose = true;
  std::vector<std::string> printed;  // the verbose lines, to opts.print instead of std::cerr
  opts.print = [&](const std::string& line) { printed.push_back(line); };
  auto [best, ranked] = grid.train(data, opts);
  REQUIRE(ranked.size() == 4);
  REQUIRE(printed.size() == 4);
  std::sort(printed.begin(), printed.end());
  CHECK(printed[0].rfind("combination 1/4 (kernel_num=2 kernel_len=3): ", 0) == 0);
  for (std::size_t i = 1; i < ranked.size(); ++i) CHECK(ranked[i - 1].score >= ranked[i].score);
  // the returned model is the top-ranked combination, and scores as ranked
  CHECK(best.params() == ranked[0].params);
  CHECK(GridSearch::validation_score(best, data, GridMetric::roc_auc) == doctest::Approx(ranked[0].score));
  CHECK(fs::exists(dir / "grid_search.tsv"));
  CHECK(grid.table(ranked, GridMetric::roc_auc).find("kernel_num kernel_len roc-auc") != std::string::npos);

  // Resume: pretend the worst combination scored best in finished.tsv. A rerun
  // that retrained anything would overwrite that score; it must keep it.
  const auto worst = ranked.back();
  std::string key = "kernel_num=" + worst.values[0] + " kernel_len=" + worst.values[1];
  std::ifstream in(dir / "finished.tsv");
  std::string text, line;
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    text += line.rfind(key + "\t", 0) == 0 ? key + "\t2\n" : line + "\n";
  }
  CHECK(lines == 4);
  in.close();
  std::ofstream(dir / "finished.tsv") << text;
  auto [again, reranked] = grid.train(data, opts);
  CHECK(reranked[0].values == worst.values);
  CHECK(reranked[0].score == 2);
  CHECK(again.params() == worst.params);  // loaded from its saved file
  fs::remove_all(dir);
}

TEST_CASE("pysster's test_Grid_Search: candidates, the table's lines, ROC and PR metrics") {
  const std::string dir = std::string(SSTER_SHARED_DATA) + "/pysster-tests/";
  const Data data = Data::from_fasta({dir + "dna_pos.fasta", dir + "dna_neg.fasta"}, alphabet::dna());
  GridSearch grid({{"conv_num", {"1"}}, {"kernel_num", {"2", "4"}}, {"epochs", {"1", "2"}}});
  const auto& c = grid.combinations();
  REQUIRE(c.size() == 4);
  for (const auto& want : {std::vector<std::string>{"1", "2", "1"}, {"1", "2", "2"}, {"1", "4", "1"},
                                               {"1", "4", "2"}})
    CHECK(std::find(c.begin(), c.end(), want) != c.end());
  for (auto [metric, name] : {std::pair{GridMetric::roc_auc, "roc-auc"}, std::pair{GridMetric::pr_auc, "pre-auc"}}) {
    CAPTURE(name);
    GridOptions o;
    o.metric = metric;
    auto [model, ranked] = grid.train(data, o);
    CHECK(model.params() == ranked[0].params);
    std::vector<std::string> lines;
    std::istringstream table(grid.table(ranked, metric) );
    for (std::string l; std::getline(table, l);) lines.push_back(l);
    REQUIRE(lines.size() == 8);  // pysster's 9 after split('\n'), the last one empty
    CHECK(lines[0] == "# conv_num: [1]");
    CHECK(lines[1] == "# kernel_num: [2, 4]");
    CHECK(lines[2] == "# epochs: [1, 2]");
    CHECK(lines[3] == std::string("conv_num kernel_num epochs ") + name);
    for (std::size_t i = 4; i < 8; ++i) {
      std::istringstream words(lines[i]);
      std::vector<std::string> w{std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()};
      CHECK(w.size() == 4);
    }
  }
}

TEST_CASE("grid search scores a binary problem by class 0's AUCs, as pysster; per_class by each class's own") {
  auto data = test::planted_data(test::small_planted(400, 60));
  Model model(Params{}.conv_num(1).kernel_num(4).neuron_num(8).epochs(2), data, 3);
  model.train(data, false);
  // The oracle: roc.hpp's AUCs of each class's probability column on the validation records.
  const auto p = model.predict(data, Group::val);
  const auto val = data.indices(Group::val);
  auto column_auc = [&](index_t c, bool pr) {
    std::vector<double> score, truth;
    for (std::size_t i = 0; i < val.size(); ++i) {
      score.push_back(p(static_cast<index_t>(i), c));
      truth.push_back(data.targets(val[i])[to_size(c)]);
    }
    return pr ? average_precision(score, truth) : roc_auc(score, truth);
  };
  const auto counts = data.class_counts(Group::val);
  const double n0 = static_cast<double>(counts[0]), n1 = static_cast<double>(counts[1]);
  CHECK(column_auc(0, true) != doctest::Approx(column_auc(1, true)));  // PR-AUC depends on the class
  CHECK(GridSearch::validation_score(model, data, GridMetric::pr_auc) == doctest::Approx(column_auc(0, true)));
  CHECK(GridSearch::validation_score(model, data, GridMetric::roc_auc) == doctest::Approx(column_auc(0, false)));
  CHECK(GridSearch::validation_score(model, data, GridMetric::pr_auc, true) ==
        doctest::Approx((n0 * column_auc(0, true) + n1 * column_auc(1, true)) / (n0 + n1)));
}
