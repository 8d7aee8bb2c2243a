#include <doctest.h>

#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "sster/metrics/report.hpp"

using namespace sster;

// The expected tables below are the strings pysster 1.2.2's
// utils.get_performance_report returned for the same inputs (scikit-learn 1.2.1).

TEST_CASE("three classes, single-label: pysster's table, confusion and averages") {
  // clang-format off
  const std::vector<double> p{0.7, 0.2,  0.1,    // true 0, called 0
                              0.2, 0.5,  0.3,    // true 1, called 1
                              0.1, 0.3,  0.6,    // true 2, called 2
                              0.4, 0.4,  0.2,    // true 1, tie: arg-max takes the first, 0
                              0.3, 0.3,  0.4,    // true 2, called 2
                              0.6, 0.3,  0.1,    // true 1, called 0
                              0.2, 0.2,  0.6,    // true 0, called 2
                              0.1, 0.8,  0.1,    // true 1, called 1
                              0.5, 0.25, 0.25};  // true 0, called 0
  const std::vector<double> y{1, 0, 0,  0, 1, 0,  0, 0, 1,  0, 1, 0,  0, 0, 1,
                              0, 1, 0,  1, 0, 0,  0, 1, 0,  1, 0, 0};
  // clang-format on
  const auto r = performance_report(p, y, default_class_names(3));
  CHECK_FALSE(r.multi_label);
  CHECK(r.text() ==
        "             precision    recall  f1-score   roc-auc    pr-auc          n\n"
        "     class_0     0.500     0.667     0.571     0.750     0.698  |       3\n"
        "     class_1     1.000     0.500     0.667     0.950     0.917  |       4\n"
        "     class_2     0.667     1.000     0.800     0.893     0.583  |       2\n"
        "\n\n"
        "weighted avg     0.759     0.667     0.665     0.871     0.770  |        \n\n");
  CHECK(r.pysster_binary_note().empty());  // only two classes have pysster's binary figures
  // Class 0: called 0 for rows 0, 3, 5, 8 of which 0 and 8 are class 0: precision 2/4;
  // true class 0 are rows 0, 6, 8 of which 2 called 0: recall 2/3; F1 = 2*(1/2)(2/3)/(7/6) = 4/7.
  CHECK(r.classes[0].precision == doctest::Approx(0.5));
  CHECK(r.classes[0].recall == doctest::Approx(2.0 / 3));
  CHECK(r.classes[0].f1 == doctest::Approx(4.0 / 7));
  CHECK(r.classes[0].pr_auc == doctest::Approx(0.6984126984126984));
  CHECK(r.classes[1].roc_auc == doctest::Approx(0.95));
  CHECK(r.classes[2].roc_auc == doctest::Approx(0.8928571428571428));
  CHECK(r.classes[1].support == 4);
  CHECK(r.weighted_avg.support == 9);
  // Macro: plain means. Weighted: (3*0.5 + 4*1 + 2*2/3)/9.
  CHECK(r.macro_avg.precision == doctest::Approx((0.5 + 1 + 2.0 / 3) / 3));
  CHECK(r.macro_avg.recall == doctest::Approx((2.0 / 3 + 0.5 + 1) / 3));
  CHECK(r.weighted_avg.precision == doctest::Approx((1.5 + 4 + 4.0 / 3) / 9));
  // clang-format off
  // sklearn confusion_matrix: [[2, 0, 1], [2, 2, 0], [0, 0, 2]]
  const std::vector<index_t> confusion{2, 0, 1,
                                       2, 2, 0,
                                       0, 0, 2};
  // clang-format on
  CHECK(r.confusion == confusion);
  CHECK(r.confusion_at(1, 0) == 2);
  CHECK(r.confusion_text() ==
        "true \\ predicted  class_0  class_1  class_2\n"
        "class_0                 2        0        1\n"
        "class_1                 2        2        0\n"
        "class_2                 0        0        2\n");
  CHECK(r.confusion_tsv() == "true\\predicted\tclass_0\tclass_1\tclass_2\nclass_0\t2\t0\t1\nclass_1\t2\t2\t0\nclass_2\t0\t0\t2\n");
}

TEST_CASE("two classes: per-class AUCs, or pysster's class-0 AUCs on request") {
  const std::vector<double> p0{0.9, 0.8, 0.8, 0.6, 0.4, 0.3, 0.3, 0.2, 0.55, 0.45};
  const std::vector<int> truth{0, 0, 1, 0, 1, 1, 0, 1, 1, 1};
  std::vector<float> p;  // softmax-like float output, as a model gives it
  std::vector<float> y;
  for (std::size_t i = 0; i < p0.size(); ++i) {
    p.push_back(static_cast<float>(p0[i]));
    p.push_back(static_cast<float>(1 - p0[i]));
    y.push_back(truth[i] == 0);
    y.push_back(truth[i] == 1);
  }
  const auto pysster = performance_report(std::span<const float>(p), y, default_class_names(2),
                                          {.pysster_binary_auc = true});
  CHECK(pysster.text() ==
        "             precision    recall  f1-score   roc-auc    pr-auc          n\n"
        "     class_0     0.600     0.750     0.667     0.750     0.715  |       4\n"
        "     class_1     0.800     0.667     0.727     0.750     0.715  |       6\n"
        "\n\n"
        "weighted avg     0.720     0.700     0.703     0.750     0.715  |        \n\n");
  // average_precision_score(y[:, 1], p[:, 1]) = 0.7861111111111111 in scikit-learn.
  const auto own = performance_report(p, y, {"neg", "pos"});
  CHECK(own.classes[1].name == "pos");
  CHECK(own.classes[1].pr_auc == doctest::Approx(0.7861111111111111));
  CHECK(own.classes[1].roc_auc == doctest::Approx(0.75));
  CHECK(own.classes[0].pr_auc == doctest::Approx(0.7152777777777777));
  CHECK(own.confusion == std::vector<index_t>{3, 1, 2, 4});
  // pysster's figures, class 0's, on a line of their own, labelled: the same
  // in both reports (its rows), the per-class report keeps its own rows.
  const std::string note = "pysster's binary figures (class 0 'neg', which pysster prints for both classes): roc-auc"
                           "     0.750    pr-auc     0.715\n";
  CHECK(own.pysster_binary_note() == note);
  CHECK(pysster.pysster_binary_note().find("roc-auc     0.750    pr-auc     0.715\n") != std::string::npos);
}

TEST_CASE("multi-label: rows not summing to 1 mean a class is called at p > 0.5") {
  // clang-format off
  const std::vector<double> p{0.9, 0.6,  0.1,
                              0.2, 0.7,  0.8,
                              0.6, 0.1,  0.4,
                              0.3, 0.55, 0.5,   // 0.5 is not > 0.5: class 2 not called
                              0.8, 0.2,  0.9,
                              0.1, 0.4,  0.2};
  const std::vector<double> y{1, 1, 0,
                              0, 1, 1,
                              1, 0, 0,
                              0, 0, 1,
                              1, 0, 1,
                              0, 1, 0};
  // clang-format on
  const auto r = performance_report(p, y, default_class_names(3));
  CHECK(r.multi_label);
  CHECK(r.confusion.empty());
  CHECK(r.text() ==
        "             precision    recall  f1-score   roc-auc    pr-auc          n\n"
        "     class_0     1.000     1.000     1.000     1.000     1.000  |       3\n"
        "     class_1     0.667     0.667     0.667     0.889     0.917  |       3\n"
        "     class_2     1.000     0.667     0.800     1.000     1.000  |       3\n"
        "\n\n"
        "weighted avg     0.889     0.778     0.822     0.963     0.972  |        \n\n");
  CHECK_THROWS_AS(r.confusion_text(), Error);
  // Forcing single-label on the same numbers: every row has one arg-max.
  CHECK_THROWS_WITH_AS(performance_report(p, y, default_class_names(3), {.mode = ReportMode::single_label}),
                       "performance report: example 0 has 2 target classes: single-label classification expects "
                       "exactly one",
                       Error);
}

TEST_CASE("TSV has every class, both averages and exact numbers") {
  const std::vector<double> p{0.8, 0.2, 0.3, 0.7, 0.6, 0.4, 0.1, 0.9};
  const std::vector<double> y{1, 0, 0, 1, 0, 1, 0, 1};
  const auto r = performance_report(p, y, {"a b", "c"});
  std::istringstream in(r.tsv());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() == 5);
  CHECK(lines[0] == "class\tprecision\trecall\tf1\troc_auc\tpr_auc\tn");
  // Class "a b": called for rows 0 and 2, true for row 0 only: precision 1/2, recall 1.
  CHECK(lines[1] == "a b\t0.5\t1\t0.6666666666666666\t1\t1\t1");
  CHECK(lines[3].rfind("macro avg\t", 0) == 0);
  CHECK(lines[4].rfind("weighted avg\t", 0) == 0);
  CHECK(lines[4].substr(lines[4].rfind('\t')) == "\t4");
}

TEST_CASE("report input errors name what is wrong") {
  const std::vector<double> p{0.8, 0.2, 0.3, 0.7};
  CHECK_THROWS_WITH_AS(performance_report(p, std::vector<double>{1, 0, 1, 0}, default_class_names(2)),
                       "performance report, class 'class_0' (2 examples): ROC curve is undefined: the truth has no "
                       "negative examples (all 2 are 1)",
                       Error);
  CHECK_THROWS_WITH_AS(performance_report(p, std::vector<double>{1, 0, 0}, default_class_names(2)),
                       "performance report: 4 predictions but 3 targets (both are examples x classes)", Error);
  CHECK_THROWS_AS(performance_report(p, std::vector<double>{1, 0, 0, 1}, default_class_names(3)), Error);
  CHECK_THROWS_AS(performance_report(p, std::vector<double>{1, 0, 0, 2}, default_class_names(2)), Error);
  CHECK_THROWS_AS(performance_report(p, std::vector<double>{1, 0, 0, 1}, {"only"}), Error);
}
