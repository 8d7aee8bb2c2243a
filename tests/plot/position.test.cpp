#include <doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "image_check.hpp"
#include "sster/plot/position.hpp"

using sster::index_t;

namespace {

sster::PositionSummary summary(int classes) {
  sster::PositionSummary s;
  s.kernel = 3;
  for (int c = 0; c < classes; ++c) {
    s.class_names.push_back("class_" + std::to_string(c));
    std::vector<index_t> pos;
    for (int i = 0; i < 100; ++i) pos.push_back(40 + (i % 5));
    s.positions.push_back(pos);
    std::vector<double> mean(100), sd(100, 0.05);
    for (int i = 0; i < 100; ++i) mean[i] = std::exp(-(i - 42) * (i - 42) / 20.0);
    s.mean.push_back(mean);
    s.sd.push_back(sd);
  }
  return s;
}

}  // namespace

TEST_CASE("position summary: one panel pair per class, three classes per row") {
  const auto one = sster::render_position_summary(summary(1));
  const auto three = sster::render_position_summary(summary(3));
  const auto four = sster::render_position_summary(summary(4));
  CHECK(three.pixel_width() == 3 * one.pixel_width());
  CHECK(three.pixel_height() == one.pixel_height());
  CHECK(four.pixel_width() == three.pixel_width());
  CHECK(four.pixel_height() == 2 * one.pixel_height());
  const auto img = sster::test::from_canvas(one);
  CHECK(sster::test::ink(img) > 3000);
  CHECK(sster::test::count_color(img, sster::Style{}.accent, 3) > 500);
}

TEST_CASE("position summary skips classes without sequences and checks its input") {
  auto s = summary(2);
  s.positions[1].clear();
  CHECK(sster::render_position_summary(s).pixel_width() == sster::render_position_summary(summary(1)).pixel_width());
  s.positions[0].clear();
  CHECK_THROWS_AS(sster::render_position_summary(s), sster::Error);
  auto bad = summary(2);
  bad.sd.pop_back();
  CHECK_THROWS_AS(sster::render_position_summary(bad), sster::Error);
}
