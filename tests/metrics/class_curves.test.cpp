#include "sster/metrics/class_curves.hpp"

#include <doctest.h>

#include <string>
#include <vector>

using namespace sster;

TEST_CASE("class_curves: one curve per class, each against its own column, AUCs as roc_auc and average_precision") {
  // clang-format off
  const std::vector<float> p{0.9f, 0.1f,  0.6f, 0.4f,  0.3f, 0.7f,  0.2f, 0.8f,  0.55f, 0.45f};
  const std::vector<float> y{1,    0,     0,    1,     1,    0,     0,    1,     1,     0};
  // clang-format on
  const std::vector<std::string> names{"pos", "neg"};
  const auto roc = class_curves(p, y, names, CurveKind::roc);
  REQUIRE(roc.size() == 2);
  for (index_t c = 0; c < 2; ++c) {
    std::vector<double> s, t;
    for (index_t i = 0; i < 5; ++i) s.push_back(p[to_size(i * 2 + c)]), t.push_back(y[to_size(i * 2 + c)]);
    CHECK(roc[to_size(c)].name == names[to_size(c)]);
    CHECK(roc[to_size(c)].x == roc_curve(s, t).fpr);
    CHECK(roc[to_size(c)].y == roc_curve(s, t).tpr);
    CHECK(roc[to_size(c)].auc == doctest::Approx(roc_auc(s, t)));
  }
  // class 0: positives 0.9, 0.55, 0.3; negatives 0.6, 0.2: 4 of 6 pairs ordered right
  CHECK(roc[0].auc == doctest::Approx(4.0 / 6));
  const auto pr = class_curves(p, y, names, CurveKind::precision_recall);
  // recall on x, precision on y; class 0 gains recall 1/3 at precision 1 (0.9),
  // 2/3 (0.55) and 3/4 (0.3)
  CHECK(pr[0].x.back() == 0);
  CHECK(pr[0].y.back() == 1);
  CHECK(pr[0].auc == doctest::Approx(1.0 / 3 + 2.0 / 9 + 1.0 / 4));
}

TEST_CASE("class_curves: shapes that do not fit and a class without negatives are errors naming the class") {
  const std::vector<float> p{0.5f, 0.5f, 0.2f}, y{1, 0, 1};
  CHECK_THROWS_WITH_AS(class_curves(p, y, {"a", "b"}, CurveKind::roc),
                       "curves: 3 predictions and 3 targets are not two matrices of records x 2 classes", Error);
  const std::vector<float> p2{0.5f, 0.5f, 0.2f, 0.8f}, y2{1, 0, 1, 0};
  CHECK_THROWS_WITH_AS(class_curves(p2, y2, {"a", "b"}, CurveKind::roc),
                       "curves, class 'a' (2 examples): ROC curve is undefined: the truth has no negative examples (all 2 are 1)",
                       Error);
}
