#pragma once
// pysster's performance report (utils.get_performance_report): per class
// precision, recall, F1, ROC-AUC, PR-AUC (average precision) and support n,
// one class against the rest, plus the support-weighted average.
//
// Predicted labels: single-label = the arg-max class of each row (first on
// ties, like np.argmax); multi-label = every class with probability > 0.5.
// pysster decides between the two from the predictions: single-label when
// every row sums to 1 (np.isclose), so ReportMode::automatic does the same.
//
// Where sster differs from pysster (README lists these):
// - two classes: pysster computes ROC-AUC and PR-AUC from class 0's column
//   and prints them for both classes; sster scores each class on its own
//   column (set ReportOptions::pysster_binary_auc for pysster's numbers);
// - multi-label with two classes works (pysster fails on a shape mismatch);
// - a class without positive or negative examples is an Error naming the
//   class (pysster prints nan).
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/tensor.hpp"
#include "sster/metrics/roc.hpp"

namespace sster {

enum class ReportMode {
  automatic,     // multi-label unless every prediction row sums to 1 (pysster's rule)
  single_label,  // softmax outputs: one class per example
  multi_label,   // sigmoid outputs: any number of classes per example
};

struct ReportOptions {
  ReportMode mode = ReportMode::automatic;
  bool pysster_binary_auc = false;  // two classes: both rows get class 0's AUCs, as in pysster
};

struct ClassScores {
  std::string name;
  double precision = 0, recall = 0, f1 = 0, roc_auc = 0, pr_auc = 0;
  index_t support = 0;  // examples that truly belong to the class
};

struct PerformanceReport {
  std::vector<ClassScores> classes;
  ClassScores macro_avg;     // unweighted mean over classes; support = sum
  ClassScores weighted_avg;  // mean weighted by support (pysster's only average row)
  bool multi_label = false;
  index_t examples = 0;
  // Single-label only: classes x classes counts, row = true class, column =
  // predicted class (scikit-learn's confusion_matrix layout). Empty otherwise.
  std::vector<index_t> confusion;

  index_t confusion_at(index_t truth, index_t predicted) const {
    require(!confusion.empty(), "confusion matrix: only single-label reports have one");
    const auto k = static_cast<index_t>(classes.size());
    return at(confusion, truth * k + predicted);
  }

  // The table exactly as pysster prints it (same widths, blank lines and "|").
  std::string text() const;
  // Two classes: the figures pysster prints in both rows (and its grid search
  // ranks by), class 0's ROC-AUC and PR-AUC, as a labelled line; else "".
  std::string pysster_binary_note() const;
  // Tab-separated: header, one row per class, "macro avg", "weighted avg";
  // numbers with all the digits needed to read them back exactly.
  std::string tsv() const;
  // Confusion matrix with class names, right-aligned columns.
  std::string confusion_text() const;
  std::string confusion_tsv() const;
};

// pysster's class names: class_0, class_1, ...
inline std::vector<std::string> default_class_names(index_t classes) {
  std::vector<std::string> names;
  for (index_t c = 0; c < classes; ++c) names.push_back("class_" + std::to_string(c));
  return names;
}

namespace detail {
inline std::string format_fixed(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}
inline std::string pad_left(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}
// Shortest text that reads back as the same double.
inline std::string exact_number(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// One row as pysster's formatter "{:>12}" + "{:>10.3f}" * 5 + "  |" + "{:>8}".
inline std::string pysster_row(const ClassScores& s, const std::string& n) {
  std::string row = pad_left(s.name, 12);
  for (double v : {s.precision, s.recall, s.f1, s.roc_auc, s.pr_auc}) row += format_fixed("%10.3f", v);
  return row + "  |" + pad_left(n, 8);
}

inline void set_f1(ClassScores& s) {
  s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0;
}
}  // namespace detail

inline std::string PerformanceReport::text() const {
  // pysster joins these lines with '\n', and two of them are themselves "\n".
  std::string out = "             precision    recall  f1-score   roc-auc    pr-auc          n\n";
  for (const auto& c : classes) out += detail::pysster_row(c, std::to_string(c.support)) + "\n";
  out += "\n\n";
  out += detail::pysster_row(weighted_avg, " ") + "\n\n";
  return out;
}

inline std::string PerformanceReport::pysster_binary_note() const {
  if (classes.size() != 2) return "";
  const auto& c = classes[0];
  return "pysster's binary figures (class 0 '" + c.name + "', which pysster prints for both classes): roc-auc" +
         detail::format_fixed("%10.3f", c.roc_auc) + "    pr-auc" + detail::format_fixed("%10.3f", c.pr_auc) + "\n";
}

inline std::string PerformanceReport::tsv() const {
  std::string out = "class\tprecision\trecall\tf1\troc_auc\tpr_auc\tn\n";
  auto row = [&](const ClassScores& s) {
    out += s.name;
    for (double v : {s.precision, s.recall, s.f1, s.roc_auc, s.pr_auc}) out.append("\t").append(detail::exact_number(v));
    out.append("\t").append(std::to_string(s.support)).append("\n");
  };
  for (const auto& c : classes) row(c);
  row(macro_avg);
  row(weighted_avg);
  return out;
}

inline std::string PerformanceReport::confusion_text() const {
  require(!confusion.empty(), "confusion matrix: only single-label reports have one");
  const auto k = static_cast<index_t>(classes.size());
  // Column width: the longest name or count, at least 6, plus two spaces.
  std::size_t width = 6, label = std::string("true \\ predicted").size();
  for (const auto& c : classes) {
    width = std::max(width, c.name.size());
    label = std::max(label, c.name.size());
  }
  for (index_t v : confusion) width = std::max(width, std::to_string(v).size());
  std::string out = std::string("true \\ predicted") + std::string(label - 16, ' ');
  for (const auto& c : classes) out.append("  ").append(detail::pad_left(c.name, width));
  out += "\n";
  for (index_t t = 0; t < k; ++t) {
    const auto& name = at(classes, t).name;
    out += name + std::string(label - name.size(), ' ');
    for (index_t p = 0; p < k; ++p) out.append("  ").append(detail::pad_left(std::to_string(confusion_at(t, p)), width));
    out += "\n";
  }
  return out;
}

inline std::string PerformanceReport::confusion_tsv() const {
  require(!confusion.empty(), "confusion matrix: only single-label reports have one");
  const auto k = static_cast<index_t>(classes.size());
  std::string out = "true\\predicted";
  for (const auto& c : classes) out.append("\t").append(c.name);
  out += "\n";
  for (index_t t = 0; t < k; ++t) {
    out += at(classes, t).name;
    for (index_t p = 0; p < k; ++p) out.append("\t").append(std::to_string(confusion_at(t, p)));
    out += "\n";
  }
  return out;
}

// predictions and targets: n x classes, row-major (one row per example);
// targets are 0/1. class_names sets the number of classes; pass
// default_class_names(k) for pysster's class_0, class_1, ...
template <detail::MetricInput P, detail::MetricInput Y>
PerformanceReport performance_report(const P& predictions, const Y& targets,
                                     const std::vector<std::string>& class_names, ReportOptions options = {}) {
  const auto k = static_cast<index_t>(class_names.size());
  require(k >= 2, "performance report: expected at least 2 classes, got " + std::to_string(k));
  const auto size = static_cast<index_t>(std::ranges::size(predictions));
  require(static_cast<index_t>(std::ranges::size(targets)) == size,
          "performance report: " + std::to_string(size) + " predictions but " +
              std::to_string(std::ranges::size(targets)) + " targets (both are examples x classes)");
  require(size % k == 0, "performance report: " + std::to_string(size) + " predictions are not a whole number of rows of " +
                             std::to_string(k) + " classes");
  const index_t n = size / k;
  require(n > 0, "performance report: no examples");

  auto pi = std::ranges::begin(predictions);
  auto ti = std::ranges::begin(targets);
  std::vector<double> p(to_size(size)), y(to_size(size));
  for (index_t i = 0; i < size; ++i) {
    p[i] = static_cast<double>(pi[i]);
    y[i] = static_cast<double>(ti[i]);
    require(!std::isnan(p[i]), "performance report: prediction for example " + std::to_string(i / k) + ", class " +
                                   std::to_string(i % k) + " is NaN");
    require(y[i] == 0 || y[i] == 1, "performance report: target of example " + std::to_string(i / k) + ", class " +
                                        std::to_string(i % k) + " is " + std::to_string(y[i]) + ": expected 0 or 1");
  }

  PerformanceReport rep;
  rep.examples = n;
  if (options.mode == ReportMode::automatic) {
    bool sums_to_one = true;  // np.isclose(sum, 1): |sum - 1| <= 1e-8 + 1e-5
    for (index_t i = 0; i < n && sums_to_one; ++i) {
      double s = 0;
      for (index_t c = 0; c < k; ++c) s += p[i * k + c];
      sums_to_one = std::abs(s - 1) <= 1e-8 + 1e-5;
    }
    rep.multi_label = !sums_to_one;
  } else {
    rep.multi_label = options.mode == ReportMode::multi_label;
  }

  // Predicted 0/1 matrix.
  std::vector<unsigned char> called(to_size(size), 0);
  if (rep.multi_label) {
    for (index_t i = 0; i < size; ++i) called[i] = p[i] > 0.5;
  } else {
    rep.confusion.assign(to_size(k * k), 0);
    for (index_t i = 0; i < n; ++i) {
      index_t best = 0, truth = -1, ones = 0;
      for (index_t c = 0; c < k; ++c) {
        if (p[i * k + c] > p[i * k + best]) best = c;
        if (y[i * k + c] == 1) {
          truth = c;
          ++ones;
        }
      }
      require(ones == 1, "performance report: example " + std::to_string(i) + " has " + std::to_string(ones) +
                             " target classes: single-label classification expects exactly one");
      called[i * k + best] = 1;
      ++at(rep.confusion, truth * k + best);
    }
  }

  std::vector<double> score_col(to_size(n)), truth_col(to_size(n));
  for (index_t c = 0; c < k; ++c) {
    ClassScores s;
    s.name = at(class_names, c);
    index_t tp = 0, fp = 0, fn = 0;
    for (index_t i = 0; i < n; ++i) {
      const bool t = y[i * k + c] == 1, hit = called[i * k + c];
      tp += t && hit;
      fp += !t && hit;
      fn += t && !hit;
    }
    s.support = tp + fn;
    // scikit-learn's zero_division default: an undefined ratio counts as 0.
    s.precision = tp + fp > 0 ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0;
    s.recall = tp + fn > 0 ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 0;
    detail::set_f1(s);

    const index_t auc_class = options.pysster_binary_auc && k == 2 ? 0 : c;
    for (index_t i = 0; i < n; ++i) {
      score_col[i] = p[i * k + auc_class];
      truth_col[i] = y[i * k + auc_class];
    }
    try {
      s.roc_auc = roc_auc(score_col, truth_col);
      s.pr_auc = average_precision(score_col, truth_col);
    } catch (const Error& e) {
      throw Error("performance report, class '" + at(class_names, auc_class) + "' (" +
                  std::to_string(n) + " examples): " + e.what());
    }
    rep.classes.push_back(std::move(s));
  }

  // Averages over the five scores; pysster divides the support-weighted sum
  // by the total support.
  rep.macro_avg.name = "macro avg";
  rep.weighted_avg.name = "weighted avg";
  index_t total = 0;
  for (const auto& s : rep.classes) total += s.support;
  rep.macro_avg.support = rep.weighted_avg.support = total;
  auto fields = [](ClassScores& s) { return std::array<double*, 5>{&s.precision, &s.recall, &s.f1, &s.roc_auc, &s.pr_auc}; };
  auto macro = fields(rep.macro_avg);
  auto weighted = fields(rep.weighted_avg);
  for (auto& s : rep.classes) {
    auto f = fields(s);
    for (std::size_t j = 0; j < f.size(); ++j) {
      *macro[j] += *f[j];
      *weighted[j] += *f[j] * static_cast<double>(s.support);
    }
  }
  for (double* m : macro) *m /= static_cast<double>(k);
  for (double* w : weighted) *w = total > 0 ? *w / static_cast<double>(total) : 0;
  return rep;
}

}  // namespace sster
