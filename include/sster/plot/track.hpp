#pragma once
// A genome track as `sster scan` writes it, drawn: one line per series (a
// class on a strand: each window's score at its position), stretches of the
// sequence marked as shaded bands with a label (planted sites, peaks), and a
// legend right of the axes when there is more than one series.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/plot/axes.hpp"
#include "sster/plot/canvas.hpp"
#include "sster/plot/legend.hpp"
#include "sster/plot/png.hpp"
#include "sster/plot/style.hpp"

namespace sster {

struct TrackSeries {
  std::string name{};
  std::vector<double> position{}, value{};  // in drawing order
};

struct TrackMark {
  double begin = 0, end = 0;  // [begin, end) in positions
  std::string label{};
};

struct TrackPlot {
  std::string title{}, xlabel = "position", ylabel = "score";
  std::vector<TrackSeries> series{};
  std::vector<TrackMark> marks{};
  std::optional<Range> y{};  // default: the values' range
};

inline Canvas render_track(const TrackPlot& t, const Style& style = {}) {
  require(!t.series.empty(), "track plot: no series");
  double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;
  std::vector<LegendEntry> legend;
  for (std::size_t i = 0; i < t.series.size(); ++i) {
    const TrackSeries& s = t.series[i];
    require(s.position.size() == s.value.size() && !s.position.empty(),
            "track plot: series '" + s.name + "' needs as many positions as values, and at least one");
    for (double x : s.position) x_lo = std::min(x_lo, x), x_hi = std::max(x_hi, x);
    for (double y : s.value)
      if (std::isfinite(y)) y_lo = std::min(y_lo, y), y_hi = std::max(y_hi, y);
    legend.push_back({s.name, class_color(static_cast<index_t>(i), static_cast<index_t>(t.series.size()))});
  }
  if (!(y_lo <= y_hi)) y_lo = 0, y_hi = 1;
  const AxesSpec spec{.x = {x_lo, std::max(x_hi, x_lo + 1)},
                      .y = t.y ? *t.y : padded({y_lo, y_hi}),
                      .title = t.title,
                      .xlabel = t.xlabel,
                      .ylabel = t.ylabel,
                      .x_target = 8,
                      .grid_y = true};
  const double data_w = 620, data_h = 170, gap = 18;
  const bool with_legend = t.series.size() > 1;
  const Box m = Axes::margins(spec, style);
  const Point lsize = with_legend ? legend_size(legend, style) : Point{0, 0};
  const double axes_w = m.x0 + data_w + m.x1, axes_h = m.y0 + data_h + m.y1;
  Canvas canvas(style.margin * 2 + axes_w + (with_legend ? gap + lsize.x : 0),
                style.margin * 2 + std::max(axes_h, lsize.y), style.scale);
  const Axes ax(Box::of_size(style.margin, style.margin, axes_w, axes_h), spec, style);
  ax.draw_grid(canvas);
  canvas.set_clip(ax.plot_box());
  const Box plot = ax.plot_box();
  const Rgba band = Rgba::hex("#ffd54f").with_alpha(0.45);
  const TextStyle label{style.font_tick * 0.9, FontFace::regular, colors::black};
  for (const auto& mark : t.marks) {
    const double x0 = ax.map_x(mark.begin), x1 = std::max(ax.map_x(mark.end), x0 + 1.5);
    canvas.fill_rect({x0, plot.y0, x1, plot.y1}, band);
    if (!mark.label.empty()) draw_text(canvas, mark.label, {(x0 + x1) / 2, plot.y0 + 3}, label, HAlign::center, VAlign::top);
  }
  for (std::size_t i = 0; i < t.series.size(); ++i) {
    std::vector<Point> pts;
    for (std::size_t j = 0; j < t.series[i].position.size(); ++j)
      if (std::isfinite(t.series[i].value[j])) pts.push_back(ax.map(t.series[i].position[j], t.series[i].value[j]));
    if (pts.size() == 1) canvas.fill_circle(pts[0], style.curve_width, legend[i].color);
    else canvas.stroke(pts, legend[i].color, {.width = style.curve_width * 0.8, .cap = LineCap::round});
  }
  canvas.clear_clip();
  ax.draw(canvas);
  if (with_legend) draw_legend(canvas, {plot.x1 + gap, plot.y0}, legend, style);
  return canvas;
}

inline void plot_track(const TrackPlot& t, const std::filesystem::path& path, const Style& style = {}) {
  write_png(render_track(t, style), path);
}

}  // namespace sster
