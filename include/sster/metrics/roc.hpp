#pragma once
// ROC and precision-recall curves of one class (scores against 0/1 truth),
// computed the way scikit-learn does, because pysster's utils.auROC/auPR are
// roc_curve + auc and precision_recall_curve + average_precision_score:
// - thresholds sit at the distinct scores, highest first; tied scores enter
//   the curve together (one diagonal step), never one by one;
// - ROC-AUC is the trapezoid area under (fpr, tpr);
// - average precision is the step sum  sum_k (R_k - R_{k-1}) P_k  over the
//   thresholds, with no interpolation between points.
// Every function takes any random-access range of numbers (std::vector,
// std::span, Eigen columns copied out...): scores and truth of equal length.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <ranges>
#include <string>
#include <type_traits>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/tensor.hpp"

namespace sster {

namespace detail {
template <class R>
concept MetricInput = std::ranges::random_access_range<R> && std::ranges::sized_range<R> &&
                      std::is_arithmetic_v<std::remove_cvref_t<std::ranges::range_reference_t<R>>>;

// Cumulative false/true positive counts when everything scoring >= threshold
// is called positive, one entry per distinct score, highest first
// (scikit-learn's _binary_clf_curve).
struct ClassCounts {
  std::vector<double> fps, tps, thresholds;
  double positives() const { return tps.back(); }
  double negatives() const { return fps.back(); }
};

template <MetricInput S, MetricInput Y>
ClassCounts class_counts(const S& scores, const Y& truth) {
  const auto n = static_cast<index_t>(std::ranges::size(scores));
  require(static_cast<index_t>(std::ranges::size(truth)) == n,
          "scores and truth differ in length: " + std::to_string(n) + " scores, " +
              std::to_string(std::ranges::size(truth)) + " truth values");
  require(n > 0, "no scores: a curve needs at least one example");
  std::vector<double> s(to_size(n));
  std::vector<unsigned char> y(to_size(n));
  auto si = std::ranges::begin(scores);
  auto yi = std::ranges::begin(truth);
  for (index_t i = 0; i < n; ++i) {
    s[i] = static_cast<double>(si[i]);
    const double t = static_cast<double>(yi[i]);
    require(!std::isnan(s[i]), "score " + std::to_string(i) + " is NaN");
    require(t == 0 || t == 1, "truth " + std::to_string(i) + " is " + std::to_string(t) + ": expected 0 or 1");
    y[i] = t == 1;
  }
  std::vector<index_t> order(to_size(n));
  std::iota(order.begin(), order.end(), index_t{0});
  std::stable_sort(order.begin(), order.end(), [&](index_t a, index_t b) { return s[a] > s[b]; });

  ClassCounts c;
  double tp = 0, fp = 0;
  for (index_t k = 0; k < n; ++k) {
    const index_t i = order[k];
    (y[i] ? tp : fp) += 1;
    // A threshold is complete only after the last example with this score.
    if (k + 1 == n || s[order[k + 1]] != s[i]) {
      c.fps.push_back(fp);
      c.tps.push_back(tp);
      c.thresholds.push_back(s[i]);
    }
  }
  return c;
}

inline void require_positives(const ClassCounts& c, const char* metric) {
  require(c.positives() > 0, std::string(metric) + " is undefined: the truth has no positive examples (all " +
                                 std::to_string(static_cast<long long>(c.negatives())) + " are 0)");
}
inline void require_negatives(const ClassCounts& c, const char* metric) {
  require(c.negatives() > 0, std::string(metric) + " is undefined: the truth has no negative examples (all " +
                                 std::to_string(static_cast<long long>(c.positives())) + " are 1)");
}
}  // namespace detail

// Points from (0, 0) to (1, 1). thresholds[i] is the lowest score called
// positive at point i; thresholds[0] = +inf (nothing called positive), as in
// scikit-learn >= 1.3 (older versions wrote max score + 1 there).
struct RocCurve {
  std::vector<double> fpr, tpr, thresholds;
};

// Points ordered by decreasing recall, ending with (recall 0, precision 1)
// like scikit-learn's precision_recall_curve; thresholds (increasing) has one
// entry fewer: the last point has none.
struct PrCurve {
  std::vector<double> precision, recall, thresholds;
};

// drop_intermediate (scikit-learn's default) leaves out points that lie on a
// straight line between their neighbours: same plot, same area, fewer points.
template <detail::MetricInput S, detail::MetricInput Y>
RocCurve roc_curve(const S& scores, const Y& truth, bool drop_intermediate = true) {
  auto c = detail::class_counts(scores, truth);
  detail::require_positives(c, "ROC curve");
  detail::require_negatives(c, "ROC curve");
  const std::size_t m = c.fps.size();
  std::vector<std::size_t> keep;
  for (std::size_t i = 0; i < m; ++i) {
    const bool corner = i == 0 || i + 1 == m || c.fps[i - 1] - 2 * c.fps[i] + c.fps[i + 1] != 0 ||
                        c.tps[i - 1] - 2 * c.tps[i] + c.tps[i + 1] != 0;
    if (!drop_intermediate || m <= 2 || corner) keep.push_back(i);
  }
  RocCurve r;
  r.fpr.reserve(keep.size() + 1);
  r.tpr.reserve(keep.size() + 1);
  r.thresholds.reserve(keep.size() + 1);
  r.fpr.push_back(0);
  r.tpr.push_back(0);
  r.thresholds.push_back(std::numeric_limits<double>::infinity());
  for (std::size_t i : keep) {
    r.fpr.push_back(c.fps[i] / c.negatives());
    r.tpr.push_back(c.tps[i] / c.positives());
    r.thresholds.push_back(c.thresholds[i]);
  }
  return r;
}

// Trapezoid area under a curve given by points with monotone x (sklearn's auc).
inline double trapezoid_area(const std::vector<double>& x, const std::vector<double>& y) {
  require(x.size() == y.size(), "area under curve: x and y differ in length");
  double area = 0;
  for (std::size_t i = 1; i < x.size(); ++i) area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
  return area;
}

// Probability that a random positive scores above a random negative, ties
// counting one half: roc_auc_score(truth, scores).
template <detail::MetricInput S, detail::MetricInput Y>
double roc_auc(const S& scores, const Y& truth) {
  const auto r = roc_curve(scores, truth);
  return trapezoid_area(r.fpr, r.tpr);
}

// precision_recall_curve(truth, scores). Needs positives; with no negatives
// every precision is 1, which is well defined (scikit-learn agrees).
template <detail::MetricInput S, detail::MetricInput Y>
PrCurve precision_recall_curve(const S& scores, const Y& truth) {
  const auto c = detail::class_counts(scores, truth);
  detail::require_positives(c, "precision-recall curve");
  const std::size_t m = c.fps.size();
  PrCurve p;
  p.precision.reserve(m + 1);
  p.recall.reserve(m + 1);
  p.thresholds.reserve(m);
  for (std::size_t k = m; k-- > 0;) {
    p.precision.push_back(c.tps[k] / (c.tps[k] + c.fps[k]));  // > 0: every threshold calls >= 1 example
    p.recall.push_back(c.tps[k] / c.positives());
    p.thresholds.push_back(c.thresholds[k]);
  }
  p.precision.push_back(1);
  p.recall.push_back(0);
  return p;
}

// average_precision_score(truth, scores): sum over thresholds, highest first,
// of (recall gained) x (precision there). pysster reports it as "PR-AUC".
template <detail::MetricInput S, detail::MetricInput Y>
double average_precision(const S& scores, const Y& truth) {
  const auto c = detail::class_counts(scores, truth);
  detail::require_positives(c, "average precision");
  double ap = 0, previous_recall = 0;
  for (std::size_t k = 0; k < c.fps.size(); ++k) {
    const double recall = c.tps[k] / c.positives();
    ap += (recall - previous_recall) * (c.tps[k] / (c.tps[k] + c.fps[k]));
    previous_recall = recall;
  }
  return ap;
}

}  // namespace sster
