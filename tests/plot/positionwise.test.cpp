#include <doctest.h>

#include <string>
#include <vector>

#include "image_check.hpp"
#include "sster/plot/positionwise.hpp"

TEST_CASE("position-wise feature panels stack one per feature") {
  std::vector<sster::FeatureProfile> f{{"conservation", {0.1, 0.5, 0.9, 0.4}, {0.05, 0.1, 0.05, 0.1}}};
  const auto one = sster::render_positionwise(f);
  f.push_back({"accessibility", {1, 2, 3, 4}, {0.5, 0.5, 0.5, 0.5}});
  const auto two = sster::render_positionwise(f);
  CHECK(two.pixel_width() == one.pixel_width());
  CHECK(two.pixel_height() > 1.8 * one.pixel_height());
  const auto img = sster::test::from_canvas(two);
  CHECK(sster::test::count_color(img, sster::Rgba::hex("#ffa500"), 3) > 500);
  f[1].sd.pop_back();
  CHECK_THROWS_AS(sster::render_positionwise(f), sster::Error);
}
