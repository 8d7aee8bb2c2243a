#pragma once
// The kernel position summary (pysster's position_kernel_<i>.png, utils.plot_motif_summary):
// one column per class, three classes per row of panels: on top a histogram of the
// positions of each sequence's maximum activation, below the mean activation per
// position with a +- sd band. The y ranges are shared across classes so heights compare.
// Classes without sequences are left out, as in pysster.
//
// Positions are 1-based on both panels (pysster draws the histogram 0-based and the
// mean 1-based, which shifts one against the other by a position).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/tensor.hpp"
#include "sster/plot/axes.hpp"
#include "sster/plot/band.hpp"
#include "sster/plot/canvas.hpp"
#include "sster/plot/histogram.hpp"
#include "sster/plot/png.hpp"
#include "sster/plot/style.hpp"

namespace sster {

struct PositionSummary {
  index_t kernel = 0;
  std::vector<std::string> class_names{};         // "class_0", ...
  std::vector<std::vector<index_t>> positions{};  // per class: 0-based position of each sequence's maximum
  std::vector<std::vector<double>> mean{}, sd{};  // per class: activation mean and sd at each position
};

inline Canvas render_position_summary(const PositionSummary& s, const Style& style = {}) {
  const std::size_t n = s.class_names.size();
  require(n > 0 && s.positions.size() == n && s.mean.size() == n && s.sd.size() == n,
          "position summary: class_names, positions, mean and sd need one entry per class (" + std::to_string(n) +
              ", " + std::to_string(s.positions.size()) + ", " + std::to_string(s.mean.size()) + ", " +
              std::to_string(s.sd.size()) + ")");
  std::vector<std::size_t> shown;
  std::size_t length = 0;
  double count_max = 1, act_max = 0;
  for (std::size_t c = 0; c < n; ++c) {
    require(s.mean[c].size() == s.sd[c].size(), "position summary: class " + std::to_string(c) +
                                                    " has mean and sd of different lengths");
    if (s.positions[c].empty()) continue;
    shown.push_back(c);
    length = std::max(length, s.mean[c].size());
    for (index_t p : s.positions[c]) length = std::max(length, to_size(p) + 1);
    for (std::size_t i = 0; i < s.mean[c].size(); ++i)
      if (std::isfinite(s.mean[c][i] + s.sd[c][i])) act_max = std::max(act_max, s.mean[c][i] + s.sd[c][i]);
  }
  require(!shown.empty(), "position summary of kernel " + std::to_string(s.kernel) + ": no class has sequences");
  std::vector<std::vector<double>> counts;
  for (std::size_t c : shown) {
    std::vector<double> pos;
    for (index_t p : s.positions[c]) pos.push_back(static_cast<double>(p) + 1);
    counts.push_back(histogram_counts(pos, static_cast<index_t>(length), 0.5, static_cast<double>(length) + 0.5));
    count_max = std::max(count_max, *std::max_element(counts.back().begin(), counts.back().end()));
  }
  if (!(act_max > 0)) act_max = 1;

  const Range xr = padded({0.5, static_cast<double>(length) + 0.5}, 0.03);
  const double panel_w = 340, hist_h = 120, mean_h = 120;
  auto hist_spec = [&](std::size_t c) {
    return AxesSpec{.x = xr, .y = {0, count_max * 1.05},
                    .title = "kernel " + std::to_string(s.kernel) + ", " + s.class_names[c] + " (n = " +
                             std::to_string(s.positions[c].size()) + ")",
                    .xlabel = "sequence position", .ylabel = "counts"};
  };
  const AxesSpec mean_spec{.x = xr, .y = {0, act_max * 1.05}, .xlabel = "sequence position", .ylabel = "activation"};
  // Same left margin for every panel, so the data areas line up.
  Box m1 = Axes::margins(hist_spec(shown[0]), style), m2 = Axes::margins(mean_spec, style);
  const double left = std::max(m1.x0, m2.x0), right = std::max(m1.x1, m2.x1);
  const double cell_w = left + panel_w + right + style.margin * 2;
  const double hist_cell = m1.y0 + hist_h + m1.y1, mean_cell = m2.y0 + mean_h + m2.y1;
  const double row_h = hist_cell + mean_cell + style.margin * 3;
  const std::size_t per_row = 3, cols = std::min(per_row, shown.size()), rows = (shown.size() + per_row - 1) / per_row;
  Canvas canvas(cell_w * static_cast<double>(cols), row_h * static_cast<double>(rows), style.scale);
  std::vector<double> xs(length);
  for (std::size_t i = 0; i < length; ++i) xs[i] = static_cast<double>(i) + 1;
  for (std::size_t k = 0; k < shown.size(); ++k) {
    const std::size_t c = shown[k];
    const double x0 = cell_w * static_cast<double>(k % per_row) + style.margin;
    const double y0 = row_h * static_cast<double>(k / per_row) + style.margin;
    const AxesSpec hs = hist_spec(c);
    const Box hm = Axes::margins(hs, style);
    const Axes hist(Box{x0 + left - hm.x0, y0, x0 + left + panel_w + hm.x1, y0 + hist_cell}, hs, style);
    canvas.set_clip(hist.plot_box());
    draw_histogram(canvas, hist, counts[k], 0.5, 1.0, style.accent);
    canvas.clear_clip();
    hist.draw(canvas);
    const double y1 = y0 + hist_cell + style.margin;
    const Axes act(Box{x0 + left - m2.x0, y1, x0 + left + panel_w + m2.x1, y1 + mean_cell}, mean_spec, style);
    const auto& mean = s.mean[c];
    const auto& sd = s.sd[c];
    canvas.set_clip(act.plot_box());
    draw_mean_sd(canvas, act, std::span(xs).first(mean.size()), mean, sd, style.accent, style);
    canvas.clear_clip();
    act.draw(canvas);
  }
  return canvas;
}

inline void plot_position_summary(const PositionSummary& s, const std::filesystem::path& path,
                                  const Style& style = {}) {
  write_png(render_position_summary(s, style), path);
}

}  // namespace sster
