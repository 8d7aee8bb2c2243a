#include <doctest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "image_check.hpp"
#include "sster/plot/canvas.hpp"

using sster::Box;
using sster::Canvas;
using sster::Path;
using sster::Point;
using sster::Rgba;
namespace colors = sster::colors;

TEST_CASE("a filled square is solid inside, untouched outside, partial on fractional edges") {
  Canvas c(20, 20);
  c.fill_rect({4.5, 4.0, 12.25, 12.0}, colors::black);
  CHECK(c.pixel(8, 8) == Rgba{0, 0, 0, 255});
  CHECK(c.pixel(5, 4) == Rgba{0, 0, 0, 255});   // row 4 fully inside (edge on the pixel border)
  CHECK(c.pixel(8, 3) == colors::white);        // above
  CHECK(c.pixel(8, 12) == colors::white);       // below (y1 = 12 is the border)
  CHECK(c.pixel(3, 8) == colors::white);
  CHECK(c.pixel(13, 8) == colors::white);
  // x0 = 4.5: pixel 4 half covered; x1 = 12.25: pixel 12 a quarter covered.
  CHECK(c.pixel(4, 8).r == doctest::Approx(127.5).epsilon(0.02));
  CHECK(c.pixel(12, 8).r == doctest::Approx(255 * 0.75).epsilon(0.02));
}

TEST_CASE("coverage is exact for a half-pixel-shifted rectangle at any scale") {
  Canvas c(10, 10, 2.0);  // 20 x 20 device pixels
  CHECK(c.pixel_width() == 20);
  c.fill_rect({2.25, 2.25, 7.75, 7.75}, colors::black);  // device 4.5 .. 15.5
  CHECK(c.pixel(10, 10) == Rgba{0, 0, 0, 255});
  CHECK(c.pixel(4, 10).r == doctest::Approx(127.5).epsilon(0.02));
  CHECK(c.pixel(4, 4).r == doctest::Approx(255 * 0.75).epsilon(0.02));  // corner: 1/4 covered
  CHECK(c.pixel(3, 10) == colors::white);
}

TEST_CASE("non-zero winding: a self-crossing star fills its centre") {
  // Pentagram drawn in one stroke: the inner pentagon has winding number 2 (even-odd
  // would leave it empty).
  Canvas c(100, 100);
  std::vector<Point> star;
  for (int i = 0; i < 5; ++i) {
    const double a = -std::numbers::pi / 2 + i * 4 * std::numbers::pi / 5;
    star.push_back({50 + 45 * std::cos(a), 50 + 45 * std::sin(a)});
  }
  c.fill_polygon(star, colors::black);
  CHECK(c.pixel(50, 52) == Rgba{0, 0, 0, 255});  // centre (winding 2)
  CHECK(c.pixel(50, 12) == Rgba{0, 0, 0, 255});  // inside the top spike (winding 1)
  CHECK(c.pixel(20, 80) == colors::white);       // between spikes
  CHECK(c.pixel(2, 2) == colors::white);
}

TEST_CASE("opposite windings cancel and overlapping same-direction shapes do not darken edges") {
  Canvas c(40, 40);
  Path p;
  p.add_rect({5, 5, 35, 35});
  const Point hole[] = {{15, 15}, {15, 25}, {25, 25}, {25, 15}};  // reverse direction
  p.add_polygon(hole);
  c.fill(p, colors::black);
  CHECK(c.pixel(20, 20) == colors::white);
  CHECK(c.pixel(10, 10) == Rgba{0, 0, 0, 255});

  // Two copies of the same semi-transparent rectangle in one path: non-zero coverage
  // is 1, not 2, also on the anti-aliased edge.
  Canvas d(20, 20);
  Path twice;
  twice.add_rect({2.5, 2, 10, 10}).add_rect({2.5, 2, 10, 10});
  d.fill(twice, colors::black);
  CHECK(d.pixel(2, 5).r == doctest::Approx(127.5).epsilon(0.02));
}

TEST_CASE("a thick polyline covers its width; alpha blending is source-over") {
  Canvas c(50, 20);
  const Point pts[] = {{5, 10}, {25, 10}, {45, 10}};
  c.stroke(pts, colors::black, {.width = 4});
  CHECK(c.pixel(25, 9) == Rgba{0, 0, 0, 255});
  CHECK(c.pixel(25, 10) == Rgba{0, 0, 0, 255});
  CHECK(c.pixel(25, 7) == colors::white);
  CHECK(c.pixel(25, 12) == colors::white);
  CHECK(c.pixel(3, 10) == colors::white);  // butt cap
  Canvas d(10, 10);
  d.fill_rect({0, 0, 10, 10}, Rgba{0, 0, 255, 128});
  const Rgba p = d.pixel(5, 5);
  CHECK(p.a == 255);
  CHECK(p.r == doctest::Approx(127).epsilon(0.02));
  CHECK(p.b == 255);
}

TEST_CASE("dashed lines leave gaps; clipping keeps drawing inside the clip box") {
  Canvas c(100, 10);
  c.line({0, 5}, {100, 5}, colors::black, {.width = 2, .dash = {10, 10}});
  CHECK(c.pixel(5, 5) != colors::white);
  CHECK(c.pixel(15, 5) == colors::white);
  CHECK(c.pixel(25, 5) != colors::white);
  Canvas d(20, 20);
  d.set_clip({5, 5, 15, 15});
  d.fill_rect({0, 0, 20, 20}, colors::black);
  d.clear_clip();
  CHECK(d.pixel(10, 10) == Rgba{0, 0, 0, 255});
  CHECK(d.pixel(2, 10) == colors::white);
  CHECK(d.pixel(17, 17) == colors::white);
}

TEST_CASE("circles and shapes partly outside the canvas") {
  Canvas c(30, 30);
  c.fill_circle({15, 15}, 10, colors::black);
  CHECK(c.pixel(15, 15) == Rgba{0, 0, 0, 255});
  CHECK(c.pixel(15, 6) == Rgba{0, 0, 0, 255});
  CHECK(c.pixel(3, 3) == colors::white);
  Canvas d(10, 10);
  d.fill_rect({-50, -50, 5, 200}, colors::black);  // mostly off-canvas
  CHECK(d.pixel(0, 0) == Rgba{0, 0, 0, 255});
  CHECK(d.pixel(4, 9) == Rgba{0, 0, 0, 255});
  CHECK(d.pixel(5, 5) == colors::white);
  d.fill_rect({20, 20, 30, 30}, colors::black);  // fully off-canvas: no effect, no crash
  CHECK(d.pixel(9, 9) == colors::white);
}

TEST_CASE("draw_grid averages cells under each pixel and paste copies pixels") {
  Canvas c(4, 2);
  // 8 columns over 4 pixels: alternating black/white -> mid grey
  c.draw_grid({0, 0, 4, 2}, 8, 1, [](int col, int) { return col % 2 ? colors::white : colors::black; });
  CHECK(c.pixel(1, 1).r == doctest::Approx(127.5).epsilon(0.02));
  Canvas big(10, 10);
  Canvas small(2, 2, 1.0, Rgba{255, 0, 0, 255});
  big.paste(small, {3, 4});
  CHECK(big.pixel(3, 4) == Rgba{255, 0, 0, 255});
  CHECK(big.pixel(4, 5) == Rgba{255, 0, 0, 255});
  CHECK(big.pixel(5, 5) == colors::white);
}

TEST_CASE("canvas rejects nonsense sizes") {
  CHECK_THROWS_AS(Canvas(0, 10), sster::Error);
  CHECK_THROWS_AS(Canvas(10, 10, -1), sster::Error);
  CHECK_THROWS_AS(Canvas(1e6, 1e6), sster::Error);
}
