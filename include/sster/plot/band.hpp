#pragma once
// A data line with a shaded band around it (mean +- sd), as in pysster's mean
// activation plots and additional-feature plots (fill_between alpha 0.1, then the line).
#include <span>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/plot/axes.hpp"
#include "sster/plot/canvas.hpp"
#include "sster/plot/style.hpp"

namespace sster {

// Polyline through (x[i], y[i]) in data coordinates.
inline void draw_series(Canvas& canvas, const Axes& ax, std::span<const double> x, std::span<const double> y,
                        Rgba color, double width) {
  require(x.size() == y.size(), "line: " + std::to_string(x.size()) + " x values but " + std::to_string(y.size()) +
                                    " y values");
  std::vector<Point> pts;
  for (std::size_t i = 0; i < x.size(); ++i) pts.push_back(ax.map(x[i], y[i]));
  if (pts.size() == 1) canvas.fill_circle(pts[0], width, color);
  canvas.stroke(pts, color, {.width = width, .cap = LineCap::round});
}

// The area between lo[i] and hi[i] along x.
inline void draw_band(Canvas& canvas, const Axes& ax, std::span<const double> x, std::span<const double> lo,
                      std::span<const double> hi, Rgba fill) {
  require(x.size() == lo.size() && x.size() == hi.size(), "band: x, lo and hi differ in length");
  if (x.size() < 2) return;
  std::vector<Point> pts;
  for (std::size_t i = 0; i < x.size(); ++i) pts.push_back(ax.map(x[i], hi[i]));
  for (std::size_t i = x.size(); i-- > 0;) pts.push_back(ax.map(x[i], lo[i]));
  canvas.fill_polygon(pts, fill);
}

// mean +- sd band (colour at alpha 0.1) under the mean line.
inline void draw_mean_sd(Canvas& canvas, const Axes& ax, std::span<const double> x, std::span<const double> mean,
                         std::span<const double> sd, Rgba color, const Style& style) {
  require(x.size() == mean.size() && x.size() == sd.size(), "mean/sd plot: x, mean and sd differ in length");
  std::vector<double> lo(x.size()), hi(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) lo[i] = mean[i] - sd[i], hi[i] = mean[i] + sd[i];
  draw_band(canvas, ax, x, lo, hi, color.with_alpha(0.1));
  draw_series(canvas, ax, x, mean, color, style.curve_width);
}

}  // namespace sster
