#include <doctest.h>

#include <vector>

#include "image_check.hpp"
#include "sster/plot/band.hpp"
#include "sster/plot/histogram.hpp"

TEST_CASE("histogram counts use numpy's bins: the last bin includes its right edge") {
  const std::vector<double> v{0, 0.5, 1, 1.5, 2, 2, 3.999, 4, 5, -1, NAN};
  const auto c = sster::histogram_counts(v, 4, 0, 4);
  CHECK(c == std::vector<double>{2, 2, 2, 2});
  CHECK_THROWS_AS(sster::histogram_counts(v, 0, 0, 1), sster::Error);
  CHECK_THROWS_AS(sster::histogram_counts(v, 3, 1, 1), sster::Error);
}

TEST_CASE("histogram bars and a mean +- sd band draw inside their axes") {
  sster::Style style;
  sster::Canvas c(300, 200, style.scale);
  const sster::Axes ax(c.bounds().inset(10, 10, 10, 10), {.x = {0, 10}, .y = {0, 5}}, style);
  sster::draw_histogram(c, ax, std::vector<double>{1, 5, 0, 2, 3, 0, 0, 4, 1, 1}, 0, 1, style.accent);
  const auto img = sster::test::from_canvas(c);
  const double s = style.scale;
  // bar 1 (x 1..2) reaches y = 5: its middle is filled near the top of the plot
  CHECK(sster::test::dist(img.at(static_cast<int>(ax.map_x(1.5) * s), static_cast<int>(ax.map_y(4.8) * s)),
                          style.accent) <= 2);
  // bar 2 is empty
  CHECK(sster::test::is_white(img.at(static_cast<int>(ax.map_x(2.5) * s), static_cast<int>(ax.map_y(0.5) * s))));

  sster::Canvas d(300, 200, style.scale);
  const std::vector<double> x{1, 2, 3, 4}, mean{1, 2, 3, 2}, sd{0.5, 0.5, 0.5, 0.5};
  sster::draw_mean_sd(d, ax, x, mean, sd, style.accent, style);
  const auto band = sster::test::from_canvas(d);
  // inside the band but off the line: the light fill
  const auto p = band.at(static_cast<int>(ax.map_x(2) * s), static_cast<int>(ax.map_y(2.4) * s));
  CHECK_FALSE(sster::test::is_white(p, 2));
  CHECK(p.r > 200);
  CHECK(sster::test::dist(band.at(static_cast<int>(ax.map_x(3) * s), static_cast<int>(ax.map_y(3) * s)), style.accent) <= 2);
  CHECK_THROWS_AS(sster::draw_mean_sd(d, ax, x, mean, std::vector<double>{1}, style.accent, style), sster::Error);
}
