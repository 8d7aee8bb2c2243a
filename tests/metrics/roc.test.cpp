#include <doctest.h>

#include <cmath>
#include <span>
#include <vector>

#include "sster/core/random.hpp"
#include "sster/metrics/roc.hpp"

using namespace sster;

namespace {
void check_points(const std::vector<double>& got, const std::vector<double>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) CHECK(got[i] == doctest::Approx(want[i]));
}
}  // namespace

TEST_CASE("scikit-learn's example: y=[0,0,1,1], s=[0.1,0.4,0.35,0.8]") {
  // Highest score first: 0.8(+) 0.4(-) 0.35(+) 0.1(-), so with P = N = 2
  //   tps = 1 1 2 2, fps = 0 1 1 2 -> ROC (0,0) (0,.5) (.5,.5) (.5,1) (1,1)
  //   area = .5*.5 + .5*1 = 0.75
  //   AP = (.5-0)*1/1 + (1-.5)*2/3 = 0.8333...
  // scikit-learn 1.2.1: roc_auc_score 0.75, average_precision_score 0.8333333333333333.
  const std::vector<double> y{0, 0, 1, 1}, s{0.1, 0.4, 0.35, 0.8};
  const auto roc = roc_curve(s, y);
  check_points(roc.fpr, {0, 0, 0.5, 0.5, 1});
  check_points(roc.tpr, {0, 0.5, 0.5, 1, 1});
  CHECK(std::isinf(roc.thresholds[0]));
  check_points({roc.thresholds.begin() + 1, roc.thresholds.end()}, {0.8, 0.4, 0.35, 0.1});
  CHECK(roc_auc(s, y) == doctest::Approx(0.75));
  CHECK(average_precision(s, y) == doctest::Approx(0.8333333333333333));

  // sklearn: precision [.5 .667 .5 1 1], recall [1 1 .5 .5 0], thresholds [.1 .35 .4 .8]
  const auto pr = precision_recall_curve(s, y);
  check_points(pr.precision, {0.5, 2.0 / 3, 0.5, 1, 1});
  check_points(pr.recall, {1, 1, 0.5, 0.5, 0});
  check_points(pr.thresholds, {0.1, 0.35, 0.4, 0.8});
}

TEST_CASE("tied scores enter the curves together") {
  // clang-format off
  // score  0.9  0.5 0.5  0.2 0.2  0.1      P = N = 3
  // truth   1    1   0    1   0    0
  // tps     1    2        3        3
  // fps     0    1        2        3
  // clang-format on
  // ROC (0,0) (0,1/3) [(1/3,2/3) lies on a line: dropped] (2/3,1) (1,1):
  // area = 2/3 * (1/3 + 1)/2 + 1/3 = 7/9 = pairs won 7 of 9, ties one half.
  // AP = 1/3 * 1 + 1/3 * 2/3 + 1/3 * 3/5 = 34/45. (sklearn: 0.7777..., 0.7555...)
  const std::vector<int> y{0, 1, 0, 1, 1, 0};
  const std::vector<double> s{0.5, 0.5, 0.2, 0.9, 0.2, 0.1};
  const auto roc = roc_curve(s, y);
  check_points(roc.fpr, {0, 0, 2.0 / 3, 1});
  check_points(roc.tpr, {0, 1.0 / 3, 1, 1});
  const auto all = roc_curve(s, y, /*drop_intermediate=*/false);
  check_points(all.fpr, {0, 0, 1.0 / 3, 2.0 / 3, 1});
  CHECK(roc_auc(s, y) == doctest::Approx(7.0 / 9));
  CHECK(trapezoid_area(all.fpr, all.tpr) == doctest::Approx(7.0 / 9));
  CHECK(average_precision(s, y) == doctest::Approx(34.0 / 45));
  const auto pr = precision_recall_curve(s, y);
  check_points(pr.precision, {0.5, 0.6, 2.0 / 3, 1, 1});
  check_points(pr.recall, {1, 1, 2.0 / 3, 1.0 / 3, 0});
}

TEST_CASE("all scores equal: one diagonal step") {
  const std::vector<double> y{0, 1, 1, 0}, s(4, 0.5);
  const auto roc = roc_curve(s, y);
  check_points(roc.fpr, {0, 1});
  check_points(roc.tpr, {0, 1});
  CHECK(roc_auc(s, y) == doctest::Approx(0.5));
  CHECK(average_precision(s, y) == doctest::Approx(0.5));  // one threshold: recall 1 at precision 1/2
}

TEST_CASE("ROC-AUC is the Mann-Whitney statistic on random scores with ties") {
  const auto key = RandomKey(7, Purpose::init);
  std::vector<float> s(301);
  std::vector<double> y(301);
  for (std::size_t i = 0; i < s.size(); ++i) {
    s[i] = static_cast<float>(key.below(2 * i, 20)) / 20.0f;  // few distinct values: many ties
    y[i] = key.uniform(2 * i + 1) < 0.3 + 0.03 * s[i] * 20 ? 1 : 0;
  }
  double won = 0, pairs = 0;
  for (std::size_t i = 0; i < s.size(); ++i)
    for (std::size_t j = 0; j < s.size(); ++j)
      if (y[i] == 1 && y[j] == 0) {
        pairs += 1;
        won += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
      }
  CHECK(roc_auc(std::span<const float>(s), y) == doctest::Approx(won / pairs).epsilon(1e-12));

  // A monotone transform of the scores changes neither area.
  std::vector<double> t(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) t[i] = std::exp(3.0 * s[i]) - 7;
  CHECK(roc_auc(t, y) == doctest::Approx(roc_auc(s, y)).epsilon(1e-12));
  CHECK(average_precision(t, y) == doctest::Approx(average_precision(s, y)).epsilon(1e-12));
}

TEST_CASE("AP of a perfect ranking is 1, and no negatives is fine for AP only") {
  const std::vector<double> y{1, 1, 0, 0, 0}, s{0.9, 0.8, 0.3, 0.2, 0.1};
  CHECK(average_precision(s, y) == doctest::Approx(1.0));
  CHECK(roc_auc(s, y) == doctest::Approx(1.0));
  const std::vector<double> ones{1, 1, 1};
  CHECK(average_precision(std::vector<double>{0.2, 0.5, 0.1}, ones) == doctest::Approx(1.0));
  CHECK_THROWS_WITH_AS(roc_auc(std::vector<double>{0.2, 0.5, 0.1}, ones),
                       "ROC curve is undefined: the truth has no negative examples (all 3 are 1)", Error);
}

TEST_CASE("bad input is a clear Error") {
  const std::vector<double> zeros{0, 0}, s{0.1, 0.2};
  CHECK_THROWS_WITH_AS(roc_auc(s, zeros), "ROC curve is undefined: the truth has no positive examples (all 2 are 0)",
                       Error);
  CHECK_THROWS_WITH_AS(average_precision(s, zeros),
                       "average precision is undefined: the truth has no positive examples (all 2 are 0)", Error);
  CHECK_THROWS_WITH_AS(roc_auc(s, std::vector<double>{0, 1, 1}),
                       "scores and truth differ in length: 2 scores, 3 truth values", Error);
  CHECK_THROWS_AS(roc_auc(s, std::vector<double>{0, 0.5}), Error);
  CHECK_THROWS_WITH_AS(roc_auc(std::vector<double>{NAN, 0.2}, std::vector<int>{0, 1}), "score 0 is NaN", Error);
  CHECK_THROWS_AS(roc_auc(std::vector<double>{}, std::vector<double>{}), Error);
}
