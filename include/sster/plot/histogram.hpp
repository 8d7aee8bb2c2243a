#pragma once
// Histogram primitives: counting values into equal-width bins (numpy's rule: the last
// bin includes its right edge) and drawing the counts as one filled step outline
// (matplotlib's histtype="stepfilled", which pysster's position plots use).
#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/tensor.hpp"
#include "sster/plot/axes.hpp"
#include "sster/plot/canvas.hpp"

namespace sster {

// Counts of `values` in `bins` bins of equal width over [lo, hi]; values outside or
// not finite are ignored.
inline std::vector<double> histogram_counts(std::span<const double> values, index_t bins, double lo, double hi) {
  require(bins > 0 && hi > lo, "histogram needs bins > 0 and hi > lo, got " + std::to_string(bins) + " bins over [" +
                                   std::to_string(lo) + ", " + std::to_string(hi) + "]");
  std::vector<double> counts(to_size(bins), 0.0);
  const double width = (hi - lo) / static_cast<double>(bins);
  for (double v : values) {
    if (!std::isfinite(v) || v < lo || v > hi) continue;
    const auto i = std::min<index_t>(bins - 1, static_cast<index_t>((v - lo) / width));
    at(counts, i) += 1;
  }
  return counts;
}

// Bars for counts[i] over [lo + i w, lo + (i + 1) w], drawn as one outline so that
// neighbouring bars meet without seams.
inline void draw_histogram(Canvas& canvas, const Axes& ax, std::span<const double> counts, double lo, double bin_width,
                           Rgba color) {
  if (counts.empty()) return;
  std::vector<Point> pts;
  const double base = ax.spec().y.lo > 0 ? ax.spec().y.lo : 0.0;
  pts.push_back(ax.map(lo, base));
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const double x0 = lo + static_cast<double>(i) * bin_width;
    const double c = std::max(base, counts[i]);
    pts.push_back(ax.map(x0, c));
    pts.push_back(ax.map(x0 + bin_width, c));
  }
  pts.push_back(ax.map(lo + static_cast<double>(counts.size()) * bin_width, base));
  canvas.fill_polygon(pts, color);
}

}  // namespace sster
