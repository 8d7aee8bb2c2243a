#include <doctest.h>

#include <cmath>
#include <vector>

#include "image_check.hpp"
#include "sster/plot/curves.hpp"

using sster::Curve;

namespace {

std::vector<Curve> three_curves() {
  std::vector<Curve> cs;
  const double power[] = {0.05, 0.3, 0.6};
  for (int c = 0; c < 3; ++c) {
    Curve cv{"class_" + std::to_string(c), {}, {}, 0.9 + 0.01 * c};
    for (int i = 0; i <= 100; ++i) {
      cv.x.push_back(i / 100.0);
      cv.y.push_back(std::pow(i / 100.0, power[c]));
    }
    cs.push_back(cv);
  }
  return cs;
}

}  // namespace

TEST_CASE("ROC plot: size, ink, one colour per class, dashed diagonal") {
  const auto cs = three_curves();
  const sster::Style style;
  const auto canvas = sster::render_roc(cs, style);
  const auto img = sster::test::from_canvas(canvas);
  CHECK(img.w > 400);
  CHECK(img.h > 300);
  CHECK(img.w > img.h);  // legend on the right
  CHECK(sster::test::ink(img) > 5000);
  for (int c = 0; c < 3; ++c) CHECK(sster::test::count_color(img, sster::class_color(c, 3), 3) > 200);
  // a single curve (two-class task) reads "AUC = 0.950"
  const auto one = sster::render_roc(std::vector<Curve>{{"", {0, 0.1, 1}, {0, 0.9, 1}, 0.95}});
  CHECK(sster::test::count_color(sster::test::from_canvas(one), sster::class_color(0, 1), 3) > 100);
  CHECK(sster::detail::curve_label({"", {}, {}, 0.95}) == "AUC = 0.950");
  CHECK(sster::detail::curve_label({"class_2", {}, {}, 0.9345}) == "AUC class_2 = 0.934");
}

TEST_CASE("precision-recall plot and its input checks") {
  const auto img = sster::test::from_canvas(sster::render_prec_recall(three_curves()));
  CHECK(sster::test::ink(img) > 5000);
  CHECK(sster::test::count_color(img, sster::class_color(1, 3), 3) > 200);
  CHECK_THROWS_AS(sster::render_prec_recall(std::vector<Curve>{}), sster::Error);
  CHECK_THROWS_AS(sster::render_roc(std::vector<Curve>{{"a", {0, 1}, {0}, 0.5}}), sster::Error);
}

TEST_CASE("history plot: loss and val loss lines, learning rate drops marked") {
  sster::History h;
  for (int e = 0; e < 20; ++e) {
    h.loss.push_back(1.0 / (e + 1));
    h.val_loss.push_back(1.2 / (e + 1) + 0.01 * e);
    h.learning_rate.push_back(e < 10 ? 1e-3 : 5e-4);
  }
  h.best_epoch = 9;
  const auto img = sster::test::from_canvas(sster::render_history(h));
  CHECK(img.w > 400);
  CHECK(sster::test::count_color(img, sster::Rgba::hex("#1f77b4"), 3) > 200);
  CHECK(sster::test::count_color(img, sster::Rgba::hex("#ff7f0e"), 3) > 200);
  CHECK(sster::test::count_color(img, sster::Rgba::hex("#7f7f7f"), 3) > 20);
  sster::History bad;
  CHECK_THROWS_AS(sster::render_history(bad), sster::Error);
  bad.loss = {1, 2};
  bad.val_loss = {1};
  CHECK_THROWS_AS(sster::render_history(bad), sster::Error);
}
