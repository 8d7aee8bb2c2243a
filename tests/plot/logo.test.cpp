#include <doctest.h>

#include <climits>
#include <cmath>
#include <string>
#include <vector>

#include "image_check.hpp"
#include "sster/plot/logo.hpp"

using sster::Canvas;
using sster::LogoSpec;
using sster::Rgba;

namespace {

const Rgba green = Rgba::hex("#00CC00"), blue = Rgba::hex("#0000CC"), orange = Rgba::hex("#FFB300"),
           red = Rgba::hex("#CC0000");

struct Extent {
  long n = 0;
  int x0 = INT_MAX, y0 = INT_MAX, x1 = -1, y1 = -1;
  double mean_x = 0, mean_y = 0;
};

// Where the pixels of colour c are.
Extent extent_of(const sster::test::Image& img, Rgba c, int tol = 6) {
  Extent e;
  for (int y = 0; y < img.h; ++y)
    for (int x = 0; x < img.w; ++x)
      if (sster::test::dist(img.at(x, y), c) <= tol) {
        ++e.n;
        e.x0 = std::min(e.x0, x), e.x1 = std::max(e.x1, x);
        e.y0 = std::min(e.y0, y), e.y1 = std::max(e.y1, y);
        e.mean_x += x, e.mean_y += y;
      }
  if (e.n) e.mean_x /= e.n, e.mean_y /= e.n;
  return e;
}

// Heights (bits) for a DNA logo from per-position frequencies: f x (2 - H).
LogoSpec dna(const std::vector<std::vector<double>>& freqs) {
  LogoSpec s{"ACGT", {}, 0, {}};
  for (const auto& f : freqs) {
    double h = 0;
    for (double p : f)
      if (p > 0) h -= p * std::log2(p);
    for (double p : f) s.heights.push_back(p * (2 - h));
  }
  return s;
}

}  // namespace

TEST_CASE("logo size: a fixed column per position, scaled for the PNG") {
  const sster::Style style;
  const LogoSpec s8 = dna(std::vector<std::vector<double>>(8, {1, 0, 0, 0}));
  const LogoSpec s16 = dna(std::vector<std::vector<double>>(16, {1, 0, 0, 0}));
  const auto a = sster::logo_size(s8, style), b = sster::logo_size(s16, style);
  CHECK(b.x - a.x == doctest::Approx(8 * style.logo_column));
  CHECK(a.y == doctest::Approx(b.y));
  CHECK(a.y > style.logo_height);
  const Canvas c = sster::render_logos(std::vector<LogoSpec>{s8}, style);
  CHECK(c.pixel_width() == static_cast<int>(std::lround(a.x * style.scale)));
  CHECK(c.pixel_height() == static_cast<int>(std::lround(a.y * style.scale)));
  const Canvas two = sster::render_logos(std::vector<LogoSpec>{s8, s8}, style);
  CHECK(two.pixel_height() == static_cast<int>(std::lround(2 * a.y * style.scale)));
}

TEST_CASE("a dominant letter fills its column in its colour, to its information content") {
  const sster::Style style;
  const LogoSpec s = dna({{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}});
  const auto img = sster::test::from_canvas(sster::render_logos(std::vector<LogoSpec>{s}, style));
  const Extent a = extent_of(img, green), c = extent_of(img, blue), g = extent_of(img, orange), t = extent_of(img, red);
  REQUIRE(a.n > 1000);
  REQUIRE(c.n > 1000);
  REQUIRE(g.n > 1000);
  REQUIRE(t.n > 1000);
  // left to right A C G T, each within one column width
  CHECK(a.x1 < c.x0);
  CHECK(c.x1 < g.x0);
  CHECK(g.x1 < t.x0);
  const double col = style.logo_column * style.scale;
  CHECK(a.x1 - a.x0 <= col);
  CHECK(a.x1 - a.x0 >= 0.85 * col);
  // 2 bits = the full logo height; all letters share the baseline
  const double full = style.logo_height * style.scale;
  CHECK(a.y1 - a.y0 + 1 == doctest::Approx(full).epsilon(0.02));
  CHECK(t.y1 == doctest::Approx(a.y1).epsilon(0.005));
  // inside the T's bar, just below its top, everything is red
  for (int dx = -10; dx <= 10; ++dx) CHECK(sster::test::dist(img.at((t.x0 + t.x1) / 2 + dx, t.y0 + 3), red) <= 6);
}

TEST_CASE("letters stack by height, the largest on top") {
  const auto img = sster::test::from_canvas(sster::render_logos(std::vector<LogoSpec>{dna({{0.6, 0.3, 0.1, 0}})}));
  const Extent a = extent_of(img, green), c = extent_of(img, blue), g = extent_of(img, orange);
  REQUIRE(a.n > 0);
  REQUIRE(c.n > 0);
  REQUIRE(g.n > 0);
  CHECK(a.mean_y < c.mean_y);
  CHECK(c.mean_y < g.mean_y);
  CHECK(a.y1 <= c.y0 + 2);  // stacked, not overlapping
  CHECK(c.y1 <= g.y0 + 2);
  CHECK(a.y1 - a.y0 > c.y1 - c.y0);
}

TEST_CASE("a uniform motif has no letters; custom colours and other alphabets") {
  const auto img = sster::test::from_canvas(sster::render_logos(std::vector<LogoSpec>{dna({{0.25, 0.25, 0.25, 0.25}})}));
  for (Rgba c : {green, blue, orange, red}) CHECK(sster::test::count_color(img, c, 40) == 0);
  CHECK(sster::test::ink(img) > 0);  // the axis is still there

  LogoSpec s = dna({{1, 0, 0, 0}});
  s.colors['A'] = Rgba::hex("#123456");
  const auto custom = sster::test::from_canvas(sster::render_logos(std::vector<LogoSpec>{s}));
  CHECK(sster::test::count_color(custom, green) == 0);
  CHECK(sster::test::count_color(custom, Rgba::hex("#123456")) > 1000);

  LogoSpec brackets{"().", {std::log2(3.0), 0, 0, 0, std::log2(3.0), 0}, 0, {}};
  const auto br = sster::test::from_canvas(sster::render_logos(std::vector<LogoSpec>{brackets}));
  CHECK(sster::test::count_color(br, sster::letter_color("().", '(')) > 300);
  CHECK(sster::test::count_color(br, sster::letter_color("().", ')')) > 300);
}

TEST_CASE("logo input is checked") {
  CHECK_THROWS_AS(sster::logo_size(LogoSpec{"ACGT", {1, 2, 3}, 0, {}}), sster::Error);
  CHECK_THROWS_AS(sster::logo_size(LogoSpec{"A", {1}, 0, {}}), sster::Error);
  CHECK_THROWS_AS(sster::logo_size(LogoSpec{"ACGT", {1, -1, 0, 0}, 0, {}}), sster::Error);
}
