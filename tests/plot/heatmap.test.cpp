#include <doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "image_check.hpp"
#include "sster/plot/heatmap.hpp"

using sster::index_t;
using sster::Merge;

TEST_CASE("dendrogram leaf order follows the merge tree, left subtree first") {
  // leaves 0..3; merge 4 = (1, 3), merge 5 = (0, 2), root 6 = (5, 4)
  const std::vector<Merge> tree{{1, 3, 0.5}, {0, 2, 0.7}, {5, 4, 2.0}};
  CHECK(sster::dendrogram_order(tree, 4) == std::vector<index_t>{0, 2, 1, 3});
  CHECK(sster::dendrogram_order({}, 1) == std::vector<index_t>{0});
  CHECK_THROWS_AS(sster::dendrogram_order(std::vector<Merge>{{0, 1, 1}}, 3), sster::Error);
  CHECK_THROWS_AS(sster::dendrogram_order(std::vector<Merge>{{0, 0, 1}}, 2), sster::Error);
  CHECK_THROWS_AS(sster::dendrogram_order(std::vector<Merge>{{0, 5, 1}, {1, 2, 1}}, 3), sster::Error);
}

TEST_CASE("heatmap with trees, class bar and labels: size, ink, colour map ends present") {
  sster::HeatmapSpec s;
  s.rows = 4;
  s.cols = 60;
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 60; ++c) s.values.push_back((c / 30 == r % 2) ? 2.0 : -2.0);
  s.row_tree = {{0, 2, 0.5}, {1, 3, 0.5}, {4, 5, 3.0}};
  s.col_tree.clear();
  for (int c = 0; c < 60; ++c) s.col_classes.push_back(c / 30);
  s.class_names = {"class_0", "class_1"};
  s.row_labels = {"0", "1", "2", "3"};
  const auto img = sster::test::from_canvas(sster::render_heatmap(s));
  CHECK(img.w > 600);
  CHECK(img.h > 100);
  CHECK(sster::test::ink(img) > img.w * img.h / 4);
  CHECK(sster::test::count_color(img, sster::rdbu_r(1.0), 3) > 1000);  // +2 -> darkest red
  CHECK(sster::test::count_color(img, sster::rdbu_r(0.0), 3) > 1000);  // -2 -> darkest blue
  CHECK(sster::test::count_color(img, sster::class_color(0, 2), 3) > 500);
  CHECK(sster::test::count_color(img, sster::class_color(1, 2), 3) > 500);
}

TEST_CASE("heatmap without extras and with many columns; bad input is an Error") {
  sster::HeatmapSpec s;
  s.rows = 3;
  s.cols = 5000;
  for (int i = 0; i < 15000; ++i) s.values.push_back(std::sin(i * 0.01));
  const auto img = sster::test::from_canvas(sster::render_heatmap(s));
  CHECK(sster::test::ink(img) > 1000);
  s.values.pop_back();
  CHECK_THROWS_AS(sster::render_heatmap(s), sster::Error);
  s.values.push_back(0);
  s.row_order = {0, 0, 1};
  CHECK_THROWS_AS(sster::render_heatmap(s), sster::Error);
}
