#pragma once
// Position-wise additional features under a kernel's motif (pysster's plot_positionwise,
// additional_features_kernel_<i>.png): one panel per feature, stacked, each the mean
// over the motif's sequences at every motif position with a +- sd band, in orange with
// markers; positions 1..L on x.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/plot/axes.hpp"
#include "sster/plot/band.hpp"
#include "sster/plot/canvas.hpp"
#include "sster/plot/png.hpp"
#include "sster/plot/style.hpp"

namespace sster {

struct FeatureProfile {
  std::string name{};                // y-axis title
  std::vector<double> mean{}, sd{};  // per motif position
};

inline Canvas render_positionwise(const std::vector<FeatureProfile>& features, const Style& style = {}) {
  require(!features.empty(), "position-wise plot: no features");
  const std::size_t n = features[0].mean.size();
  require(n > 0, "position-wise plot: no positions");
  for (const auto& f : features)
    require(f.mean.size() == n && f.sd.size() == n,
            "position-wise plot: feature '" + f.name + "' needs " + std::to_string(n) + " means and sds");
  const Rgba orange = Rgba::hex("#ffa500");
  const double step = n <= 30 ? 1 : n > 75 ? 3 : 2;  // pysster's x tick spacing
  Ticks xt;
  for (double x = 1; x <= static_cast<double>(n); x += step) {
    xt.values.push_back(x);
    xt.labels.push_back(std::to_string(static_cast<long>(x)));
  }
  std::vector<AxesSpec> specs;
  double left = 0, right = 0, top = 0, bottom = 0;
  for (const auto& f : features) {
    double lo = INFINITY, hi = -INFINITY;
    for (std::size_t i = 0; i < n; ++i)
      if (std::isfinite(f.mean[i] - f.sd[i]) && std::isfinite(f.mean[i] + f.sd[i]))
        lo = std::min(lo, f.mean[i] - f.sd[i]), hi = std::max(hi, f.mean[i] + f.sd[i]);
    if (!(lo <= hi)) lo = 0, hi = 1;
    specs.push_back({.x = padded({1, static_cast<double>(n)}, 0.04), .y = padded({lo, hi}), .ylabel = f.name,
                     .xticks = xt});
    const Box m = Axes::margins(specs.back(), style);
    left = std::max(left, m.x0), right = std::max(right, m.x1), top = std::max(top, m.y0), bottom = std::max(bottom, m.y1);
  }
  const double data_w = std::max(260.0, 26.0 * static_cast<double>(n)), data_h = 110;
  const double cell_h = top + data_h + bottom + style.margin;
  Canvas canvas(left + data_w + right + 2 * style.margin, cell_h * static_cast<double>(features.size()) + style.margin,
                style.scale);
  std::vector<double> xs(n);
  for (std::size_t i = 0; i < n; ++i) xs[i] = static_cast<double>(i + 1);
  for (std::size_t k = 0; k < features.size(); ++k) {
    const Box m = Axes::margins(specs[k], style);
    const double y0 = style.margin + cell_h * static_cast<double>(k);
    const Axes ax(Box{style.margin + left - m.x0, y0 + top - m.y0, style.margin + left + data_w + m.x1,
                      y0 + top + data_h + m.y1},
                  specs[k], style);
    draw_mean_sd(canvas, ax, xs, features[k].mean, features[k].sd, orange, style);
    for (std::size_t i = 0; i < n; ++i) canvas.fill_circle(ax.map(xs[i], features[k].mean[i]), 1.6 * style.curve_width, orange);
    ax.draw(canvas);
  }
  return canvas;
}

inline void plot_positionwise(const std::vector<FeatureProfile>& features, const std::filesystem::path& path,
                              const Style& style = {}) {
  write_png(render_positionwise(features, style), path);
}

}  // namespace sster
