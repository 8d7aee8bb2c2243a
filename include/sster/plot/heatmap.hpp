#pragma once
// A clustered heatmap as pysster's plot_clustering draws it (seaborn clustermap,
// RdBu_r, robust colour range): a value matrix with rows and columns in dendrogram
// order, the row dendrogram on the left, optionally a column dendrogram on top, a class
// colour bar over the columns with its legend, row labels on the right and a colour bar.
// The clustering itself is not done here: trees come in as merge lists (scipy's linkage
// format) and leaf orders.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/tensor.hpp"
#include "sster/plot/axes.hpp"
#include "sster/plot/canvas.hpp"
#include "sster/plot/font.hpp"
#include "sster/plot/legend.hpp"
#include "sster/plot/png.hpp"
#include "sster/plot/style.hpp"

namespace sster {

// One merge of a hierarchical clustering of n leaves: clusters 0..n-1 are the leaves,
// merge i creates cluster n + i from `left` and `right` at `height` (scipy's linkage).
struct Merge {
  index_t left = 0, right = 0;
  double height = 0;
};

namespace detail {

inline void check_tree(std::span<const Merge> tree, index_t leaves, const char* what) {
  require(static_cast<index_t>(tree.size()) == leaves - 1, std::string(what) + ": a tree over " +
                                                                std::to_string(leaves) + " leaves needs " +
                                                                std::to_string(leaves - 1) + " merges, got " +
                                                                std::to_string(tree.size()));
  std::vector<char> used(to_size(2 * leaves), 0);
  for (std::size_t i = 0; i < tree.size(); ++i) {
    const index_t limit = leaves + static_cast<index_t>(i);
    for (index_t c : {tree[i].left, tree[i].right}) {
      require(c >= 0 && c < limit && !at(used, c),
              std::string(what) + ": merge " + std::to_string(i) + " refers to cluster " + std::to_string(c) +
                  ", which does not exist yet or is already merged");
      at(used, c) = 1;
    }
    require(std::isfinite(tree[i].height) && tree[i].height >= 0,
            std::string(what) + ": merge " + std::to_string(i) + " has height " + std::to_string(tree[i].height));
  }
}

inline void check_order(std::span<const index_t> order, index_t n, const char* what) {
  require(static_cast<index_t>(order.size()) == n, std::string(what) + ": order has " + std::to_string(order.size()) +
                                                       " entries, expected " + std::to_string(n));
  std::vector<char> seen(to_size(n), 0);
  for (index_t i : order) {
    require(i >= 0 && i < n && !at(seen, i),
            std::string(what) + ": order is not a permutation of 0.." + std::to_string(n - 1));
    at(seen, i) = 1;
  }
}

}  // namespace detail

// Leaves left to right (left subtree first), as scipy's dendrogram draws them.
inline std::vector<index_t> dendrogram_order(std::span<const Merge> tree, index_t leaves) {
  if (leaves <= 0) return {};
  if (leaves == 1) return {0};
  detail::check_tree(tree, leaves, "dendrogram");
  std::vector<index_t> order, stack{leaves + static_cast<index_t>(tree.size()) - 1};
  while (!stack.empty()) {
    const index_t c = stack.back();
    stack.pop_back();
    if (c < leaves) {
      order.push_back(c);
    } else {
      const Merge& m = at(tree, c - leaves);
      stack.push_back(m.right);
      stack.push_back(m.left);
    }
  }
  return order;
}

enum class DendrogramSide { left, top };  // where the tree sits relative to the heatmap

// Draws the tree in `box`; leaves face the heatmap (right edge for `left`, bottom edge
// for `top`) at the centres of their slots in `order`; height 0 is at that edge.
inline void draw_dendrogram(Canvas& canvas, Box box, std::span<const Merge> tree, std::span<const index_t> order,
                            DendrogramSide side, Rgba color, double width) {
  const index_t n = static_cast<index_t>(order.size());
  if (n < 2) return;
  detail::check_tree(tree, n, "dendrogram");
  detail::check_order(order, n, "dendrogram");
  double top = 0;
  for (const Merge& m : tree) top = std::max(top, m.height);
  if (!(top > 0)) top = 1;
  const bool left = side == DendrogramSide::left;
  const double extent = left ? box.height() : box.width(), depth = left ? box.width() : box.height();
  std::vector<double> pos(to_size(2 * n - 1)), h(to_size(2 * n - 1), 0.0);
  for (index_t i = 0; i < n; ++i) at(pos, at(order, i)) = (i + 0.5) * extent / n;
  // (along, height) -> canvas point
  auto at = [&](double along, double height) {
    const double d = depth * (1 - height / top);
    return left ? Point{box.x0 + d, box.y0 + along} : Point{box.x0 + along, box.y0 + d};
  };
  Path path;
  StrokeStyle st{.width = width, .cap = LineCap::square, .round_joins = false};
  for (std::size_t i = 0; i < tree.size(); ++i) {
    const Merge& m = tree[i];
    const auto l = to_size(m.left), r = to_size(m.right);
    const std::size_t c = to_size(n) + i;
    pos[c] = (pos[l] + pos[r]) / 2;
    h[c] = m.height;
    const Point u[] = {at(pos[l], h[l]), at(pos[l], h[c]), at(pos[r], h[c]), at(pos[r], h[r])};
    path.append(Canvas::stroke_outline(u, st));
  }
  canvas.fill(path, color);
}

struct HeatmapSpec {
  index_t rows = 0, cols = 0;
  std::vector<double> values{};            // rows x cols, row-major; NaN drawn grey
  std::vector<std::string> row_labels{};   // optional, right of the heatmap
  std::vector<Merge> row_tree{}, col_tree{};     // optional trees over rows / columns
  std::vector<index_t> row_order{}, col_order{}; // default: the tree's leaf order, else as given
  std::vector<index_t> col_classes{};      // optional class per column: colour bar + legend
  std::vector<std::string> class_names{};  // legend labels, indexed by class
  double vmin = NAN, vmax = NAN;           // colour range; default: 2nd..98th percentile (seaborn's
                                           // robust=True), widened to be symmetric around 0 if it spans 0
  std::string colorbar_label{};
};

namespace detail {

inline double percentile(std::vector<double> v, double q) {  // numpy's linear interpolation
  std::sort(v.begin(), v.end());
  const double idx = q / 100.0 * static_cast<double>(v.size() - 1);
  const std::size_t i = to_size(idx);
  if (i + 1 >= v.size()) return v.back();
  return v[i] + (v[i + 1] - v[i]) * (idx - static_cast<double>(i));
}

}  // namespace detail

inline Canvas render_heatmap(const HeatmapSpec& spec, const Style& style = {}) {
  const index_t R = spec.rows, C = spec.cols;
  require(R > 0 && C > 0 && static_cast<index_t>(spec.values.size()) == R * C,
          "heatmap: " + std::to_string(spec.values.size()) + " values for " + std::to_string(R) + " x " +
              std::to_string(C) + " cells");
  require(spec.row_labels.empty() || static_cast<index_t>(spec.row_labels.size()) == R,
          "heatmap: " + std::to_string(spec.row_labels.size()) + " row labels for " + std::to_string(R) + " rows");
  require(spec.col_classes.empty() || static_cast<index_t>(spec.col_classes.size()) == C,
          "heatmap: " + std::to_string(spec.col_classes.size()) + " column classes for " + std::to_string(C) +
              " columns");
  auto order_of = [](const std::vector<index_t>& given, const std::vector<Merge>& tree, index_t n, const char* what) {
    std::vector<index_t> o = given;
    if (o.empty() && !tree.empty()) o = dendrogram_order(tree, n);
    if (o.empty())
      for (index_t i = 0; i < n; ++i) o.push_back(i);
    detail::check_order(o, n, what);
    if (!tree.empty()) detail::check_tree(tree, n, what);
    return o;
  };
  const auto row_order = order_of(spec.row_order, spec.row_tree, R, "heatmap rows");
  const auto col_order = order_of(spec.col_order, spec.col_tree, C, "heatmap columns");

  // Colour range.
  double vmin = spec.vmin, vmax = spec.vmax;
  if (!std::isfinite(vmin) || !std::isfinite(vmax)) {
    std::vector<double> finite;
    for (double v : spec.values)
      if (std::isfinite(v)) finite.push_back(v);
    double lo = finite.empty() ? -1 : detail::percentile(finite, 2), hi = finite.empty() ? 1 : detail::percentile(finite, 98);
    if (lo < 0 && hi > 0) hi = std::max(-lo, hi), lo = -hi;
    if (!std::isfinite(vmin)) vmin = lo;
    if (!std::isfinite(vmax)) vmax = hi;
  }
  if (!(vmax > vmin)) vmax = vmin + 1;
  auto color_of = [&](double v) {
    return std::isfinite(v) ? rdbu_r((v - vmin) / (vmax - vmin)) : Rgba::hex("#d0d0d0");
  };

  index_t n_classes = 0;
  for (index_t c : spec.col_classes) {
    require(c >= 0, "heatmap: negative column class");
    n_classes = std::max(n_classes, c + 1);
  }
  n_classes = std::max<index_t>(n_classes, static_cast<index_t>(spec.class_names.size()));
  std::vector<LegendEntry> legend;
  if (!spec.col_classes.empty())
    for (index_t k = 0; k < n_classes; ++k)
      legend.push_back({k < static_cast<index_t>(spec.class_names.size()) ? at(spec.class_names, k)
                                                                          : "class_" + std::to_string(k),
                        class_color(k, n_classes), LegendEntry::Kind::patch});

  // Layout, left to right: row tree | heatmap | row labels | colour bar;
  // top to bottom: class legend | column tree | class bar | heatmap.
  const double map_w = 640;
  const double row_h = std::clamp(520.0 / static_cast<double>(R), 4.0, 22.0);
  const double map_h = row_h * static_cast<double>(R);
  const double label_font = std::min(style.font_tick, row_h * 0.85);
  const double row_tree_w = spec.row_tree.empty() ? 0 : 110, col_tree_h = spec.col_tree.empty() ? 0 : 80;
  const double bar_h = spec.col_classes.empty() ? 0 : 18, gap = 4;
  const int legend_cols = static_cast<int>(std::min<index_t>(6, std::max<index_t>(1, n_classes)));
  const Point lsize = legend.empty() ? Point{0, 0} : legend_size(legend, style, legend_cols);
  double label_w = 0;
  if (!spec.row_labels.empty() && label_font >= 4)
    for (const auto& s : spec.row_labels) label_w = std::max(label_w, measure_text(s, label_font).width);
  const TextStyle tick_text{style.font_tick, FontFace::regular, style.text};
  const double cbar_w = 14, cbar_h = std::min(180.0, std::max(80.0, map_h * 0.5));
  double cbar_text_w = std::max(measure_text(format_number(vmin, 2), tick_text).width,
                                measure_text(format_number(vmax, 2), tick_text).width);
  const Ticks cticks = nice_ticks({vmin, vmax}, 4);
  for (const auto& s : cticks.labels) cbar_text_w = std::max(cbar_text_w, measure_text(s, tick_text).width);
  const double cbar_label_h = spec.colorbar_label.empty() ? 0 : measure_text("Ag", style.font_label).height() + 4;

  const double x_map = style.margin + (row_tree_w > 0 ? row_tree_w + gap : 0);
  const double y_top_block = style.margin + (legend.empty() ? 0 : lsize.y + gap);
  const double y_map = y_top_block + (col_tree_h > 0 ? col_tree_h + gap : 0) + (bar_h > 0 ? bar_h + gap : 0);
  const double x_labels = x_map + map_w + (label_w > 0 ? gap * 1.5 : 0);
  const double x_cbar = x_labels + label_w + 3 * gap + (label_w > 0 ? 2 * gap : 0);
  const double width = x_cbar + cbar_w + style.tick_length + style.tick_pad + cbar_text_w + cbar_label_h + style.margin;
  const double height = std::max(y_map + map_h, y_map + cbar_h) + style.margin;
  Canvas canvas(width, height, style.scale);

  const Box map{x_map, y_map, x_map + map_w, y_map + map_h};
  canvas.draw_grid(map, static_cast<int>(C), static_cast<int>(R), [&](int c, int r) {
    return color_of(at(spec.values, at(row_order, r) * C +
                                                         at(col_order, c)));
  });
  if (bar_h > 0) {
    const Box bar{x_map, y_map - gap - bar_h, x_map + map_w, y_map - gap};
    canvas.draw_grid(bar, static_cast<int>(C), 1, [&](int c, int) {
      return class_color(at(spec.col_classes, at(col_order, c)), n_classes);
    });
  }
  const Rgba tree_color = Rgba::hex("#404040");
  if (row_tree_w > 0)
    draw_dendrogram(canvas, {style.margin, y_map, style.margin + row_tree_w, y_map + map_h}, spec.row_tree, row_order,
                    DendrogramSide::left, tree_color, 0.9);
  if (col_tree_h > 0)
    draw_dendrogram(canvas, {x_map, y_top_block, x_map + map_w, y_top_block + col_tree_h}, spec.col_tree, col_order,
                    DendrogramSide::top, tree_color, 0.9);
  if (!legend.empty())
    draw_legend(canvas, {x_map + (map_w - lsize.x) / 2, style.margin}, legend, style, legend_cols, false);
  if (label_w > 0) {
    const TextStyle lt{label_font, FontFace::regular, style.text};
    for (index_t r = 0; r < R; ++r)
      draw_text(canvas, at(spec.row_labels, at(row_order, r)),
                {x_labels, y_map + (static_cast<double>(r) + 0.5) * row_h}, lt, HAlign::left, VAlign::middle);
  }
  // Colour bar with ticks on its right.
  const Box cbar{x_cbar, y_map, x_cbar + cbar_w, y_map + cbar_h};
  canvas.draw_grid(cbar, 1, 256, [&](int, int r) { return rdbu_r(1.0 - (r + 0.5) / 256.0); });
  for (std::size_t i = 0; i < cticks.values.size(); ++i) {
    const double y = Axes::snap(canvas, cbar.y1 - (cticks.values[i] - vmin) / (vmax - vmin) * cbar_h, style.axis_width);
    canvas.fill_rect({cbar.x1, y - style.axis_width / 2, cbar.x1 + style.tick_length, y + style.axis_width / 2},
                     style.axis);
    draw_text(canvas, cticks.labels[i], {cbar.x1 + style.tick_length + style.tick_pad, y}, tick_text, HAlign::left,
              VAlign::middle);
  }
  if (!spec.colorbar_label.empty())
    draw_text(canvas, spec.colorbar_label, {width - style.margin, cbar.center().y},
              {style.font_label, FontFace::regular, style.text}, HAlign::center, VAlign::bottom, Rotation::ccw90);
  return canvas;
}

inline void plot_heatmap(const HeatmapSpec& spec, const std::filesystem::path& path, const Style& style = {}) {
  write_png(render_heatmap(spec, style), path);
}

}  // namespace sster
