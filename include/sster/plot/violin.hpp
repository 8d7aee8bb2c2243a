#pragma once
// Violin plots as matplotlib's violinplot(showmeans, showextrema) draws them for
// pysster's activations_kernel_<i>.png: per group a Gaussian kernel density estimate
// (Scott's bandwidth, evaluated at 100 points between the group's min and max) mirrored
// around the group's x, scaled so the widest point is `half_width`, with horizontal bars
// at min, mean and max joined by a vertical bar.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <span>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/plot/axes.hpp"
#include "sster/plot/canvas.hpp"
#include "sster/plot/png.hpp"
#include "sster/plot/style.hpp"

namespace sster {

struct ViolinShape {
  std::vector<double> y, density;  // evaluation points and KDE values (peak scaled to 1)
  double min = 0, max = 0, mean = 0;
  std::size_t count = 0;  // finite values
};

// KDE of `values` (non-finite values ignored). Constant or single values give an empty
// density: only the bars are drawn then.
inline ViolinShape violin_shape(std::span<const double> values, int points = 100) {
  std::vector<double> v;
  for (double x : values)
    if (std::isfinite(x)) v.push_back(x);
  ViolinShape s;
  s.count = v.size();
  if (v.empty()) return s;
  const double n = static_cast<double>(v.size());
  s.min = *std::min_element(v.begin(), v.end());
  s.max = *std::max_element(v.begin(), v.end());
  double sum = 0;
  for (double x : v) sum += x;
  s.mean = sum / n;
  if (v.size() < 2 || s.max <= s.min) return s;
  double ss = 0;
  for (double x : v) ss += (x - s.mean) * (x - s.mean);
  const double sd = std::sqrt(ss / (n - 1));   // scipy's gaussian_kde: ddof = 1
  const double bw = sd * std::pow(n, -0.2);    // Scott's factor n^(-1/5)
  if (!(bw > 0)) return s;
  std::sort(v.begin(), v.end());
  double peak = 0;
  for (int i = 0; i < points; ++i) {
    const double y = s.min + (s.max - s.min) * i / (points - 1);
    // Only points within 8 bandwidths contribute noticeably: scan the sorted values.
    const auto lo = std::lower_bound(v.begin(), v.end(), y - 8 * bw), hi = std::upper_bound(v.begin(), v.end(), y + 8 * bw);
    double d = 0;
    for (auto it = lo; it != hi; ++it) {
      const double z = (y - *it) / bw;
      d += std::exp(-0.5 * z * z);
    }
    s.y.push_back(y);
    s.density.push_back(d);
    peak = std::max(peak, d);
  }
  if (peak > 0)
    for (double& d : s.density) d /= peak;
  return s;
}

// One violin at data x = `x`, half as wide as `half_width` data units at its widest.
inline void draw_violin(Canvas& canvas, const Axes& ax, double x, const ViolinShape& s, double half_width, Rgba body,
                        Rgba lines, const Style& style) {
  if (!s.density.empty()) {
    std::vector<Point> pts;
    for (std::size_t i = 0; i < s.y.size(); ++i) pts.push_back(ax.map(x + half_width * s.density[i], s.y[i]));
    for (std::size_t i = s.y.size(); i-- > 0;) pts.push_back(ax.map(x - half_width * s.density[i], s.y[i]));
    canvas.fill_polygon(pts, body);
  }
  const double bar = half_width * 0.5, w = 2.0 * style.axis_width;
  canvas.line(ax.map(x, s.min), ax.map(x, s.max), lines, {.width = w});
  for (double y : {s.min, s.mean, s.max}) canvas.line(ax.map(x - bar, y), ax.map(x + bar, y), lines, {.width = w});
}

// pysster's plot_violins: one violin per group, labels below (vertical), y from 0,
// light horizontal grid, the title above.
inline Canvas render_violins(std::span<const std::vector<double>> groups, std::span<const std::string> labels,
                             const std::string& title, const std::string& ylabel = "max activations",
                             const Style& style = {}) {
  require(!groups.empty() && groups.size() == labels.size(),
          "violin plot: " + std::to_string(groups.size()) + " groups but " + std::to_string(labels.size()) + " labels");
  std::vector<ViolinShape> shapes;
  double lo = 0, hi = 0;
  bool any = false;
  for (const auto& g : groups) {
    shapes.push_back(violin_shape(g));
    if (shapes.back().count > 0) {
      lo = std::min(lo, shapes.back().min);
      hi = any ? std::max(hi, shapes.back().max) : shapes.back().max;
      any = true;
    }
  }
  if (!(hi > lo)) hi = lo + 1;
  const std::size_t n = groups.size();
  Ticks xt;
  for (std::size_t i = 0; i < n; ++i) {
    xt.values.push_back(static_cast<double>(i + 1));
    xt.labels.push_back(labels[i]);
  }
  const Range yr{lo, hi + (hi - lo) * 0.05};
  const AxesSpec spec{.x = {0.25, static_cast<double>(n) + 0.75}, .y = yr, .title = title, .ylabel = ylabel,
                      .xticks = xt, .grid_y = true, .x_tick_marks = false, .x_labels_vertical = true};
  const Box m = Axes::margins(spec, style);
  const double data_w = std::max(240.0, 60.0 * static_cast<double>(n)), data_h = 260;
  Canvas canvas(m.x0 + data_w + m.x1 + 2 * style.margin, m.y0 + data_h + m.y1 + 2 * style.margin, style.scale);
  const Axes ax(canvas.bounds().inset(style.margin, style.margin, style.margin, style.margin), spec, style);
  ax.draw_grid(canvas);
  for (std::size_t i = 0; i < n; ++i)  // inside the axes by construction: no clip, bars at 0 stay whole
    if (shapes[i].count > 0)
      draw_violin(canvas, ax, static_cast<double>(i + 1), shapes[i], 0.25, style.accent.with_alpha(0.3), style.accent, style);
  ax.draw(canvas);
  return canvas;
}

inline void plot_violins(std::span<const std::vector<double>> groups, std::span<const std::string> labels,
                         const std::string& title, const std::filesystem::path& path,
                         const std::string& ylabel = "max activations", const Style& style = {}) {
  write_png(render_violins(groups, labels, title, ylabel, style), path);
}

}  // namespace sster
