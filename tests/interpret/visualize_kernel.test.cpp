#include <doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "interpret_test_util.hpp"
#include "sster/interpret/visualize_kernel.hpp"

using namespace sster;
namespace fs = std::filesystem;

namespace {
std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

TEST_CASE("planted motifs: the top kernels find every motif at its offset") {
  auto& p = test::planted();
  test::TempDir dir;
  const auto acts = p.model.get_max_activations(p.data, Group::test);
  const auto results = visualize_all_kernels(p.model, p.data, acts, dir.path());
  REQUIRE(results.size() == 16);
  for (std::size_t k = 0; k < results.size(); ++k) CHECK(results[k].kernel == static_cast<index_t>(k));
  const auto order = order_by_score(results);
  const std::vector<index_t> top(order.begin(), order.begin() + 8);
  const auto stats = kernel_statistics(p.model, p.data, acts, top);
  const std::vector<std::pair<std::string, index_t>> planted{
      {"CCCCC", 20}, {"GGGGG", 50}, {"AAAAA", 80}, {"TTTTT", 110}};
  std::string report;
  for (const auto& [motif, offset] : planted) {
    CAPTURE(motif);
    bool found = false;
    for (const auto& s : stats) {
      const Motif& logo = at(results, s.kernel).motif.sequence;
      if (!logo.shows(motif)) continue;
      const std::string consensus = logo.consensus();
      // where the top class's maxima peak
      std::vector<int> hist(to_size(p.data.length()), 0);
      for (index_t q : at(s.positions, s.top_class)) ++at(hist, q);
      const auto peak = std::max_element(hist.begin(), hist.end()) - hist.begin();
      report += " kernel " + std::to_string(s.kernel) + " " + consensus + " at " + std::to_string(peak) + ";";
      CHECK(s.top_class == 0);
      found = found || std::abs(peak - offset) <= 5;
    }
    CHECK(found);
  }
  MESSAGE("top-8 kernels with a planted motif:", report);
}

TEST_CASE("visualize_all_kernels: every image of summary.html exists, kernels in descending score order") {
  auto& p = test::planted();
  test::TempDir dir;
  const auto results = visualize_all_kernels(p.model, p.data, Group::test, dir.path() / "new" / "folder");
  const fs::path out = dir.path() / "new" / "folder";
  const std::string html = read_text(out / "summary.html");
  const std::regex img("src=\"([^\"]+)\""), row("Kernel (\\d+)<br/>score = ([0-9.]+)");
  int images = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), img); it != std::sregex_iterator(); ++it, ++images) {
    CAPTURE((*it)[1].str());
    CHECK(fs::file_size(out / (*it)[1].str()) > 1000);
  }
  CHECK(images == 3 * 16);
  std::vector<index_t> kernels;
  double last = 1e9;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), row); it != std::sregex_iterator(); ++it) {
    const index_t k = std::stoi((*it)[1].str());
    const double score = std::stod((*it)[2].str());
    CHECK(score <= last);
    CHECK(score == doctest::Approx(at(results, k).score).epsilon(1e-3));
    last = score;
    kernels.push_back(k);
  }
  CHECK(kernels == order_by_score(results));
  CHECK(html.find("additional_features") == std::string::npos);
}

TEST_CASE("visualize_kernel: one kernel's files, the same motif and score as visualize_all_kernels") {
  auto& p = test::planted();
  test::TempDir dir;
  const auto acts = p.model.get_max_activations(p.data, Group::test);
  const auto all = kernel_motifs(p.model, p.data, acts);
  const auto r = visualize_kernel(p.model, p.data, acts, 3, dir.path());
  CHECK(r.kernel == 3);
  CHECK(r.score == all[3].score);
  const auto s = kernel_statistics(p.model, p.data, acts, 3);
  CHECK(r.top_class == s.top_class);
  CHECK(r.sites == static_cast<index_t>(s.motif_records.size()));
  CHECK(r.motif.sequence.pwm() == all[3].motif.sequence.pwm());
  for (const char* f : {"motif_kernel_3.png", "position_kernel_3.png", "activations_kernel_3.png"}) {
    CAPTURE(f);
    CHECK(fs::exists(dir.path() / f));
  }
  CHECK(!fs::exists(dir.path() / "motif_kernel_2.png"));
  CHECK_THROWS_WITH_AS(visualize_kernel(p.model, p.data, acts, 16, dir.path()),
                       "kernel 16 does not exist (the first convolution has 16 kernels: 0 to 15)", Error);
}

TEST_CASE("kernel statistics are identical on 1 and 2 threads") {
  auto& p = test::planted();
  const auto acts = p.model.get_max_activations(p.data, Group::all);
  const std::vector<index_t> kernels{0, 5, 9};
  set_threads(1);
  const auto one = kernel_statistics(p.model, p.data, acts, kernels);
  set_threads(2);
  const auto two = kernel_statistics(p.model, p.data, acts, kernels);
  for (std::size_t j = 0; j < kernels.size(); ++j) {
    CHECK(one[j].positions == two[j].positions);
    CHECK(one[j].mean == two[j].mean);
    CHECK(one[j].sd == two[j].sd);
    CHECK(one[j].motif_records == two[j].motif_records);
  }
}

TEST_CASE("position-wise inputs: additional_features_kernel_<i>.png with their mean +- sd under the windows") {
  test::TempDir dir;
  Data data = test::tutorial_planted_data(100);
  {  // feature value = position, so a window starting at s reads s, s + 1, ...
    std::ofstream f(dir.path() / "pos.txt");
    for (index_t i = 0; i < data.size(); ++i) {
      for (index_t t = 0; t < data.length(); ++t) f << (t ? " " : "") << t;
      f << "\n";
    }
  }
  data.add_positionwise((dir.path() / "pos.txt").string(), "position");
  Model model(Params{}.conv_num(1).kernel_num(3).kernel_len(6).neuron_num(4), data, 2);  // untrained is enough
  const auto acts = model.get_max_activations(data, Group::all);
  const auto results = visualize_all_kernels(model, data, acts, dir.path() / "out");
  for (index_t k = 0; k < 3; ++k)
    CHECK(fs::exists(dir.path() / "out" / ("additional_features_kernel_" + std::to_string(k) + ".png")));
  CHECK(read_text(dir.path() / "out" / "summary.html").find("additional_features_kernel_0.png\" height=225") !=
        std::string::npos);
  const auto s = kernel_statistics(model, data, acts, 1);
  const auto f = detail::window_features(data, s);
  REQUIRE(f.size() == 1);
  CHECK(f[0].name == "position");
  double mean = 0, var = 0;
  for (index_t q : s.motif_positions) mean += static_cast<double>(q) / static_cast<double>(s.motif_positions.size());
  for (index_t q : s.motif_positions) var += (q - mean) * (q - mean) / static_cast<double>(s.motif_positions.size());
  for (index_t t = 0; t < 6; ++t) {
    CHECK(at(f[0].mean, t) == doctest::Approx(mean + static_cast<double>(t)));
    CHECK(at(f[0].sd, t) == doctest::Approx(std::sqrt(var)));
  }
}

TEST_CASE("pysster's rna_pwm data: structure probabilities and two position-wise inputs") {
  DataOptions o;
  o.structure_profile = true;
  Data data = Data::from_fasta(
      {test::shared_data("pysster-tests/rna_pwm1.fasta"), test::shared_data("pysster-tests/rna_pwm2.fasta")},
      alphabet::rna_dot_bracket(), o);
  data.add_positionwise(
      {test::shared_data("pysster-tests/rna_pwm1_pos.txt"), test::shared_data("pysster-tests/rna_pwm2_pos.txt")},
      "feat1");
  data.add_positionwise(
      {test::shared_data("pysster-tests/rna_pwm2_pos.txt"), test::shared_data("pysster-tests/rna_pwm1_pos.txt")},
      "feat2");
  Model model(Params{}.conv_num(1).kernel_num(3).kernel_len(4).neuron_num(2), data, 2);  // untrained is enough
  test::TempDir dir;
  const auto results = visualize_all_kernels(model, data, Group::all, dir.path());
  REQUIRE(results.size() == 3);
  for (const auto& r : results) {
    REQUIRE(r.motif.structure.has_value());
    CHECK(r.motif.sequence.length() == 4);
    CHECK(fs::exists(dir.path() / ("additional_features_kernel_" + std::to_string(r.kernel) + ".png")));
  }
  CHECK(read_text(dir.path() / "summary.html").find("height=450") != std::string::npos);  // 2 features x 225
}

TEST_CASE("a model without a first convolution has no kernels to show") {
  const Data data = test::tutorial_planted_data(50);
  Model model(Params{}.conv_num(0).neuron_num(4), data, 1);
  test::TempDir dir;
  CHECK_THROWS_WITH_AS(visualize_all_kernels(model, data, Group::all, dir.path()),
                       "get_max_activations: the first layer is not a convolution", Error);
}

TEST_CASE("PUM2 (RNA, length 200): a top-5 kernel finds UGUA") {
  const auto start = std::chrono::steady_clock::now();
  const Data data = test::fasta_subset(
      {test::shared_data("tutorial/pum2_positives.fasta.gz"), test::shared_data("tutorial/pum2_background.fasta.gz")},
      3000, alphabet::rna(), {"pum2", "background"});
  Model model(Params{}.conv_num(1).kernel_num(20).kernel_len(8).epochs(15), data, 1);
  model.train(data, false);
  const auto results = kernel_motifs(model, data, model.get_max_activations(data, Group::test));
  const auto order = order_by_score(results);
  bool found = false;
  std::string top5;
  for (std::size_t i = 0; i < 5; ++i) {
    const Motif& logo = at(results, order[i]).motif.sequence;
    top5 += " " + logo.consensus();
    found = found || logo.shows("UGUA");
  }
  CHECK(found);
  MESSAGE("PUM2 top-5 kernels:", top5, " (",
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), " s)");
}
