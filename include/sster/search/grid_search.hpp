#pragma once
// sster::GridSearch: pysster's Grid_Search. Every combination of the given
// parameter values is trained on the training set and scored on the
// validation set by the support-weighted average ROC-AUC (or PR-AUC) over
// classes of pysster's performance report; the best model is returned with
// the ranked table of all. With two classes that report scores both rows by
// class 0's column, so the figure is class 0's AUC (for PR-AUC it differs
// from class 1's); GridOptions::per_class scores each class on its own
// column instead, as sster's reports do.
//
// With an output folder the search is resumable: each finished combination
// is saved there (combination_<i>.sster) and recorded in finished.tsv
// (GridRecord), and a rerun skips what is recorded. Combinations train in
// parallel (each model's batches are themselves parallel and deterministic,
// so the results do not depend on how many run at once); over the ranks of
// an MPI job, dist/grid_search.hpp deals them out with the same pieces.
//
// search/ sits above model/ and metrics/: it trains models and scores them,
// so neither of those needs the other.
#include <tbb/parallel_for.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sster/core/atomic_file.hpp"
#include "sster/core/index.hpp"
#include "sster/metrics/report.hpp"
#include "sster/model/model.hpp"

namespace sster {

enum class GridMetric { roc_auc, pr_auc };

struct GridOptions {
  GridMetric metric = GridMetric::roc_auc;
  bool per_class = false;  // two classes: each on its own column, not class 0's for both (pysster)
  std::uint64_t seed = 1;
  std::string folder;  // empty: nothing saved, not resumable
  bool verbose = false;  // a line per trained combination
  // Where those lines go (a notebook's output through the Python package);
  // empty: std::cerr. Called from the training threads, one call at a time.
  std::function<void(const std::string& line)> print;
};

struct GridResult {
  std::vector<std::string> values;  // one per grid parameter, as given
  Params params;
  double score = 0;
  index_t combination = 0;  // its index in GridSearch::combinations()
};

class GridRecord;

class GridSearch {
 public:
  // grid: parameter name -> candidate values, e.g. {"kernel_num", {"20", "50"}}
  // or {"kernel_num", {"(20,40)", "(30,60)"}}; base: the other parameters.
  explicit GridSearch(std::vector<std::pair<std::string, std::vector<std::string>>> grid, Params base = {})
      : grid_(std::move(grid)), base_(std::move(base)) {
    require(!grid_.empty(), "grid search: no parameters to search over");
    for (const auto& [name, values] : grid_) {
      require(!values.empty(), "grid search: parameter '" + name + "' has no values");
      for (const auto& v : values) Params(base_).set(name, v).validate();  // reject bad values before training
    }
    combinations_ = expand(0, {});
  }

  // "kernel_num=20,50" or "kernel_num=(20,40),(30,60)": the CLI's --grid.
  static std::pair<std::string, std::vector<std::string>> parse(const std::string& text) {
    const auto eq = text.find('=');
    require(eq != std::string::npos && eq > 0, "--grid '" + text + "': expected name=value,value,...");
    std::vector<std::string> values;
    std::string current;
    int depth = 0;
    for (char c : text.substr(eq + 1)) {
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (c == ',' && depth == 0) {
        values.push_back(current);
        current.clear();
      } else if (c != ' ') {
        current += c;
      }
    }
    values.push_back(current);
    return {text.substr(0, eq), values};
  }

  const std::vector<std::vector<std::string>>& combinations() const { return combinations_; }

  // Trains what is not finished yet; returns the best model and the ranking.
  std::pair<Model, std::vector<GridResult>> train(const Data& data, const GridOptions& o = {}) const;

  // Combination i, trained and scored as every combination is (the same
  // seed for all); the observer sees its training.
  std::pair<Model, double> train_combination(index_t i, const Data& data, const GridOptions& o,
                                             const TrainObserver& observer = {}) const {
    Model model(params_of(i), data, o.seed);
    model.train(data, observer);
    const double score = validation_score(model, data, o.metric, o.per_class);
    return {std::move(model), score};
  }

  // "conv_num=1 kernel_num=(20,40)": identifies combination i in finished.tsv.
  std::string key(index_t i) const {
    std::string k;
    for (std::size_t p = 0; p < grid_.size(); ++p)
      k += (p ? " " : "") + grid_[p].first + "=" + at(combinations_, i)[p];
    return k;
  }

  // pysster's summary table: one line per combination, best first.
  std::string table(const std::vector<GridResult>& ranked, GridMetric metric) const {
    std::ostringstream out;
    for (const auto& [name, values] : grid_) {
      out << "# " << name << ": [";  // pysster prints the Python list
      for (std::size_t i = 0; i < values.size(); ++i) out << (i ? ", " : "") << values[i];
      out << "]\n";
    }
    for (const auto& [name, values] : grid_) out << name << " ";
    out << metric_name(metric) << "\n";
    for (const auto& r : ranked) {
      for (std::size_t p = 0; p < grid_.size(); ++p) {
        const std::string& v = r.values[p];
        out << std::string(std::max<std::size_t>(grid_[p].first.size(), v.size()) - v.size(), ' ') << v << " ";
      }
      char score[32];
      std::snprintf(score, sizeof score, "%.5f", r.score);
      out << score << "\n";
    }
    return out.str();
  }

  std::string tsv(const std::vector<GridResult>& ranked, GridMetric metric) const {
    std::ostringstream out;
    out << "rank";
    for (const auto& [name, values] : grid_) out << "\t" << name;
    out << "\t" << metric_name(metric) << "\n";
    for (std::size_t r = 0; r < ranked.size(); ++r) {
      out << r + 1;
      for (const auto& v : ranked[r].values) out << "\t" << v;
      out << "\t" << ranked[r].score << "\n";
    }
    return out.str();
  }

  // pysster's column names ("pre-auc" is its name for the PR-AUC).
  static const char* metric_name(GridMetric m) { return m == GridMetric::roc_auc ? "roc-auc" : "pre-auc"; }

  // Support-weighted average over classes of ROC-AUC or PR-AUC on the
  // validation set; with two classes class 0's, unless per_class.
  static double validation_score(Model& model, const Data& data, GridMetric metric, bool per_class = false) {
    const auto p = model.predict(data, Group::val);
    std::vector<float> targets;
    for (index_t i : data.indices(Group::val)) {
      const auto t = data.targets(i);
      targets.insert(targets.end(), t.begin(), t.end());
    }
    ReportOptions opts;
    opts.mode = model.info().multilabel ? ReportMode::multi_label : ReportMode::single_label;
    opts.pysster_binary_auc = !per_class;
    const auto report = performance_report(std::span<const float>(p.data(), to_size(p.size())),
                                           std::span<const float>(targets), model.info().class_names, opts);
    return metric == GridMetric::roc_auc ? report.weighted_avg.roc_auc : report.weighted_avg.pr_auc;
  }

 private:
  std::vector<std::vector<std::string>> expand(std::size_t p, std::vector<std::string> prefix) const {
    if (p == grid_.size()) return {prefix};
    std::vector<std::vector<std::string>> out;
    for (const auto& v : grid_[p].second) {
      auto next = prefix;
      next.push_back(v);
      for (auto& c : expand(p + 1, next)) out.push_back(std::move(c));
    }
    return out;
  }
  friend class GridRecord;
  Params params_of(index_t i) const {
    Params p = base_;
    for (std::size_t k = 0; k < grid_.size(); ++k) p.set(grid_[k].first, at(combinations_, i)[k]);
    p.validate();
    return p;
  }
  std::vector<std::pair<std::string, std::vector<std::string>>> grid_;
  Params base_;
  std::vector<std::vector<std::string>> combinations_;
};

// What a search has finished: every combination's validation score and,
// with an output folder, its model (combination_<i>.sster) and
// finished.tsv, each rewritten atomically as a combination finishes, so that
// a rerun resumes where the last one stopped. One process keeps it (rank 0
// of an MPI job).
class GridRecord {
 public:
  // Reads what o.folder records as finished (nothing without a folder).
  GridRecord(const GridSearch& search, const GridOptions& o)
      : search_(search), folder_(o.folder), verbose_(o.verbose), print_(o.print) {
    if (folder_.empty()) return;
    create_folders(folder_);
    std::ifstream in(std::filesystem::path(folder_) / "finished.tsv");
    std::string line;
    while (std::getline(in, line)) {
      const auto tab = line.rfind('\t');
      if (tab == std::string::npos) continue;
      try {
        scores_[line.substr(0, tab)] = std::stod(line.substr(tab + 1));
      } catch (const std::exception&) {
        throw Error(folder_ + "/finished.tsv: '" + line + "' is not 'combination<TAB>score'");
      }
    }
  }

  // The combinations not finished yet, in grid order.
  std::vector<index_t> pending() const {
    std::vector<index_t> todo;
    for (index_t i = 0; i < std::ssize(search_.combinations()); ++i)
      if (!scores_.count(search_.key(i))) todo.push_back(i);
    return todo;
  }
  index_t finished_count() const { return std::ssize(search_.combinations()) - std::ssize(pending()); }

  // Combination i is finished: saves its model, then finished.tsv.
  void add(index_t i, double score, const Model& model) {
    if (!folder_.empty()) model.save(model_path(i));
    add_score(i, score);
  }
  // The same for a model that arrives as the bytes of its file.
  void add(index_t i, double score, std::string_view model_file) {
    if (!folder_.empty()) write_file_atomic(model_path(i), model_file);
    add_score(i, score);
  }

  // Every combination, best first (the grid order among equal scores);
  // with a folder, also written to grid_search.tsv. All must be finished.
  std::vector<GridResult> ranked(GridMetric metric) const {
    std::vector<GridResult> results;
    for (index_t i = 0; i < std::ssize(search_.combinations()); ++i)
      results.push_back({at(search_.combinations(), i), search_.params_of(i), scores_.at(search_.key(i)), i});
    std::stable_sort(results.begin(), results.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
    if (!folder_.empty()) write_file_atomic(std::filesystem::path(folder_) / "grid_search.tsv", search_.tsv(results, metric));
    return results;
  }

  // The model of a combination finished by an earlier run (from the folder).
  Model load(index_t i) const { return Model::load(model_path(i)); }

 private:
  std::string model_path(index_t i) const {
    return (std::filesystem::path(folder_) / ("combination_" + std::to_string(i + 1) + ".sster")).string();
  }
  void add_score(index_t i, double score) {
    scores_[search_.key(i)] = score;
    if (!folder_.empty()) {
      std::ostringstream out;
      out.precision(17);
      for (const auto& [k, v] : scores_) out << k << "\t" << v << "\n";
      write_file_atomic(std::filesystem::path(folder_) / "finished.tsv", out.str());
    }
    if (verbose_) report_progress(i, score);
  }
  void report_progress(index_t i, double score) const {
    std::ostringstream line;
    line << "combination " << i + 1 << "/" << search_.combinations().size() << " (" << search_.key(i) << "): " << score;
    if (print_)
      print_(line.str());
    else
      std::cerr << line.str() << "\n";
  }

  const GridSearch& search_;
  std::string folder_;
  bool verbose_;
  std::function<void(const std::string& line)> print_;
  std::map<std::string, double> scores_;  // by GridSearch::key
};

inline std::pair<Model, std::vector<GridResult>> GridSearch::train(const Data& data, const GridOptions& o) const {
  GridRecord record(*this, o);
  const auto todo = record.pending();
  std::mutex lock;
  std::vector<std::optional<Model>> trained(combinations_.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, todo.size(), 1), [&](const auto& range) {
    for (std::size_t t = range.begin(); t != range.end(); ++t) {
      const index_t i = todo[t];
      auto [model, score] = train_combination(i, data, o);
      std::lock_guard guard(lock);
      record.add(i, score, model);
      at(trained, i).emplace(std::move(model));
    }
  }, tbb::simple_partitioner());
  auto ranked = record.ranked(o.metric);
  auto& best = at(trained, ranked.front().combination);
  return {best ? std::move(*best) : record.load(ranked.front().combination), std::move(ranked)};
}

}  // namespace sster
