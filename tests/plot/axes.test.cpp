#include <doctest.h>

#include "image_check.hpp"
#include "sster/plot/axes.hpp"
#include "sster/plot/legend.hpp"

using sster::Axes;
using sster::AxesSpec;
using sster::Box;
using sster::Canvas;

TEST_CASE("nice tick steps are 1, 2, 2.5 or 5 times a power of ten") {
  CHECK(sster::nice_step(1.1, 6) == doctest::Approx(0.2));
  CHECK(sster::nice_step(140, 7) == doctest::Approx(20));
  CHECK(sster::nice_step(1.0, 4) == doctest::Approx(0.25));
  CHECK(sster::nice_step(3e-3, 5) == doctest::Approx(1e-3));
  CHECK(sster::nice_step(7, 7) == doctest::Approx(1));
  const auto t = sster::nice_ticks(sster::padded({0, 1}), 6);
  REQUIRE(t.values.size() == 6);
  CHECK(t.labels.front() == "0.0");
  CHECK(t.labels[1] == "0.2");
  CHECK(t.labels.back() == "1.0");
  const auto counts = sster::nice_ticks({0, 310}, 7);
  CHECK(counts.labels[1] == "50");
  CHECK(sster::nice_ticks({-0.01, 0.01}, 2).labels == std::vector<std::string>{"-0.01", "0.00", "0.01"});
  const auto bits = sster::nice_ticks({0, 2}, 0, 0.5);
  CHECK(bits.labels == std::vector<std::string>{"0.0", "0.5", "1.0", "1.5", "2.0"});
}

TEST_CASE("padded ranges follow matplotlib's 5% margins and survive empty ranges") {
  const auto r = sster::padded({0, 1});
  CHECK(r.lo == doctest::Approx(-0.05));
  CHECK(r.hi == doctest::Approx(1.05));
  const auto e = sster::padded({3, 3});
  CHECK(e.lo < 3);
  CHECK(e.hi > 3);
}

TEST_CASE("axes map data to the plot box and keep every label inside the outer box") {
  sster::Style style;
  Canvas c(300, 200, style.scale);
  const Box outer{10, 10, 290, 190};
  const AxesSpec spec{.x = {0, 100}, .y = {0, 1}, .title = "Title", .xlabel = "sequence position", .ylabel = "counts"};
  const Axes ax(outer, spec, style);
  const Box& b = ax.plot_box();
  CHECK(b.x0 > outer.x0 + 20);  // room for tick labels and the y title
  CHECK(b.y1 < outer.y1 - 20);  // room for tick labels and the x title
  CHECK(b.y0 > outer.y0 + 10);  // room for the title
  CHECK(ax.map_x(0) == doctest::Approx(b.x0));
  CHECK(ax.map_x(100) == doctest::Approx(b.x1));
  CHECK(ax.map_y(0) == doctest::Approx(b.y1));
  CHECK(ax.map_y(1) == doctest::Approx(b.y0));
  ax.draw(c);
  const auto img = sster::test::from_canvas(c);
  const long all = sster::test::ink(img);
  CHECK(all > 500);
  const double s = style.scale;
  CHECK(sster::test::ink(img, static_cast<int>(outer.x0 * s) - 1, static_cast<int>(outer.y0 * s) - 1,
                         static_cast<int>(outer.x1 * s) + 1, static_cast<int>(outer.y1 * s) + 1) == all);
  // The spines are sharp: a full-intensity column left of the plot box.
  const int spine_x = static_cast<int>(b.x0 * s) - 1;
  CHECK(sster::test::dist(img.at(spine_x, static_cast<int>(b.center().y * s)), style.axis) <= 2);
}

TEST_CASE("axes reject inverted ranges and boxes too small for their labels") {
  sster::Style style;
  CHECK_THROWS_AS(Axes({0, 0, 100, 100}, AxesSpec{.x = {1, 0}}, style), sster::Error);
  CHECK_THROWS_AS(Axes({0, 0, 30, 20}, AxesSpec{.xlabel = "long x label", .ylabel = "long y label"}, style),
                  sster::Error);
}

TEST_CASE("legend size covers what draw_legend paints") {
  sster::Style style;
  const std::vector<sster::LegendEntry> entries{{"AUC class_0 = 0.998", sster::class_color(0, 2)},
                                                {"AUC class_1 = 0.934", sster::class_color(1, 2)}};
  const auto size = sster::legend_size(entries, style);
  Canvas c(size.x + 20, size.y + 20, style.scale);
  sster::draw_legend(c, {10, 10}, entries, style);
  const auto img = sster::test::from_canvas(c);
  const long all = sster::test::ink(img);
  CHECK(all > 100);
  const double s = style.scale;
  CHECK(sster::test::ink(img, static_cast<int>(10 * s) - 1, static_cast<int>(10 * s) - 1,
                         static_cast<int>((10 + size.x) * s) + 1, static_cast<int>((10 + size.y) * s) + 1) == all);
  CHECK(sster::test::count_color(img, sster::class_color(0, 2), 3) > 20);
}
