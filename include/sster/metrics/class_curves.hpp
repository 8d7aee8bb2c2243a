#pragma once
// One ROC or precision-recall curve per class of a (records x classes)
// prediction matrix against its 0/1 targets, ready for plot_roc and
// plot_prec_recall (pysster's utils.plot_roc / plot_prec_recall, one class
// against the rest). Legends carry the ROC-AUC and the average precision.
#include <span>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/metrics/roc.hpp"
#include "sster/plot/curves.hpp"

namespace sster {

enum class CurveKind { roc, precision_recall };

inline std::vector<Curve> class_curves(std::span<const float> predictions, std::span<const float> targets,
                                       const std::vector<std::string>& class_names, CurveKind kind) {
  const auto K = std::ssize(class_names);
  require(K >= 1 && std::ssize(predictions) % K == 0 && predictions.size() == targets.size(),
          "curves: " + std::to_string(predictions.size()) + " predictions and " + std::to_string(targets.size()) +
              " targets are not two matrices of records x " + std::to_string(K) + " classes");
  const index_t n = std::ssize(predictions) / K;
  std::vector<Curve> curves;
  std::vector<double> scores(to_size(n)), truth(to_size(n));
  for (index_t c = 0; c < K; ++c) {
    for (index_t i = 0; i < n; ++i) {
      at(scores, i) = at(predictions, i * K + c);
      at(truth, i) = at(targets, i * K + c);
    }
    try {
      if (kind == CurveKind::roc) {
        auto r = roc_curve(scores, truth);
        const double auc = trapezoid_area(r.fpr, r.tpr);
        curves.push_back({at(class_names, c), std::move(r.fpr), std::move(r.tpr), auc});
      } else {
        auto p = precision_recall_curve(scores, truth);
        curves.push_back({at(class_names, c), std::move(p.recall), std::move(p.precision), average_precision(scores, truth)});
      }
    } catch (const Error& e) {
      throw Error("curves, class '" + at(class_names, c) + "' (" + std::to_string(n) + " examples): " + e.what());
    }
  }
  return curves;
}

}  // namespace sster
