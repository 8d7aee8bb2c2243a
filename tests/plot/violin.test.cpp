#include <doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "image_check.hpp"
#include "sster/plot/violin.hpp"

TEST_CASE("violin shape: KDE over [min, max] peaking at the mode") {
  std::vector<double> v;
  for (int i = 0; i < 200; ++i) v.push_back(0.5 + 0.1 * std::sin(i * 0.7) * std::sin(i * 0.13));
  v.push_back(0.0);
  v.push_back(1.0);
  const auto s = sster::violin_shape(v);
  REQUIRE(s.y.size() == 100);
  CHECK(s.y.front() == doctest::Approx(0.0));
  CHECK(s.y.back() == doctest::Approx(1.0));
  CHECK(s.min == 0.0);
  CHECK(s.max == 1.0);
  double peak_y = 0, peak = 0;
  for (std::size_t i = 0; i < s.y.size(); ++i)
    if (s.density[i] > peak) peak = s.density[i], peak_y = s.y[i];
  CHECK(peak == doctest::Approx(1.0));
  CHECK(peak_y == doctest::Approx(0.5).epsilon(0.1));
  CHECK(s.density.front() < 0.2);
  // constant values: no body, bars only
  const auto flat = sster::violin_shape(std::vector<double>{2, 2, 2});
  CHECK(flat.density.empty());
  CHECK(flat.mean == 2);
}

TEST_CASE("violin plot: size, ink, one violin per group, empty groups allowed") {
  std::vector<std::vector<double>> groups(3);
  for (int i = 0; i < 300; ++i) {
    groups[0].push_back(0.9 + 0.05 * std::sin(i));
    groups[1].push_back(0.2 + 0.1 * std::cos(i * 1.3));
  }
  const std::vector<std::string> labels{"class_0", "class_1", "class_2"};
  const sster::Style style;
  const auto img = sster::test::from_canvas(sster::render_violins(groups, labels, "Activations, kernel 3"));
  CHECK(img.w > 300);
  CHECK(img.h > 300);
  CHECK(sster::test::ink(img) > 3000);
  CHECK(sster::test::count_color(img, style.accent, 3) > 300);  // the bars
  CHECK_THROWS_AS(sster::render_violins(groups, std::vector<std::string>{"a"}, "t"), sster::Error);
}
