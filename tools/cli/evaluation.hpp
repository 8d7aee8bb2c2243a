#pragma once
// A model's predictions on one group of labelled records, scored as
// pysster's performance report, and the files `sster report` (and the demo)
// write from it: report.txt, report.tsv, confusion.tsv (single-label), ROC
// and precision-recall curves, and the training history plot.
#include <cmath>
#include <filesystem>
#include <optional>
#include <vector>

#include "sster/core/atomic_file.hpp"
#include "sster/metrics/class_curves.hpp"
#include "sster/metrics/report.hpp"
#include "sster/model/model.hpp"
#include "sster/model/strand_merge.hpp"
#include "sster/plot/curves.hpp"

namespace sster::cli {

// A model's predictions on one group of records, with the truth.
struct Evaluation {
  RowMatrix<float> probs;      // (records, classes)
  std::vector<float> targets;  // (records, classes), row-major
  PerformanceReport report;

  // One curve per class (probability of the class against membership).
  std::vector<Curve> curves(bool roc) const {
    std::vector<std::string> names;
    for (const auto& c : report.classes) names.push_back(c.name);
    return class_curves(std::span<const float>(probs.data(), to_size(probs.size())), targets, names,
                        roc ? CurveKind::roc : CurveKind::precision_recall);
  }
};

// The model's predictions on a group; with `strands`, each record's merged
// with its reverse complement's (strand_merge.hpp).
inline Evaluation evaluate(Model& model, const Data& data, Group group, std::optional<RcMerge> strands = {}) {
  Evaluation e{strands ? predict_both_strands(model, data, group, *strands) : model.predict(data, group), {}, {}};
  for (index_t i : data.indices(group)) {
    const auto t = data.targets(i);
    e.targets.insert(e.targets.end(), t.begin(), t.end());
  }
  ReportOptions opts;
  opts.mode = model.info().multilabel ? ReportMode::multi_label : ReportMode::single_label;
  e.report = performance_report(std::span<const float>(e.probs.data(), e.probs.size()),
                                std::span<const float>(e.targets), model.info().class_names, opts);
  return e;
}

// The training history as the history plot wants it.
inline History history_of(const Model& model) {
  History h;
  double best = INFINITY;
  for (const auto& r : model.history()) {
    h.loss.push_back(r.loss);
    h.val_loss.push_back(r.val_loss);
    h.learning_rate.push_back(r.learning_rate);
    if (r.val_loss < best) {
      best = r.val_loss;
      h.best_epoch = r.epoch - 1;
    }
  }
  return h;
}

// report.txt, report.tsv, confusion.tsv (single-label), roc.png,
// precision_recall.png and, for a trained model, history.png.
inline void write_report(const Evaluation& e, const Model& model, const std::filesystem::path& dir) {
  create_folders(dir);
  write_file_atomic(dir / "report.txt", e.report.text() + e.report.pysster_binary_note());
  write_file_atomic(dir / "report.tsv", e.report.tsv());
  if (!e.report.multi_label) write_file_atomic(dir / "confusion.tsv", e.report.confusion_tsv());
  plot_roc(e.curves(true), dir / "roc.png");
  plot_prec_recall(e.curves(false), dir / "precision_recall.png");
  if (!model.history().empty()) plot_history(history_of(model), dir / "history.png");
}

}  // namespace sster::cli
