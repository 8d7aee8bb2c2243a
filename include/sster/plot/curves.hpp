#pragma once
// ROC and precision-recall plots (pysster's plot_roc / plot_prec_recall: one curve per
// class in the class palette, AUC in a legend right of the axes, ROC with a dashed
// diagonal) and the training-history plot (loss and validation loss per epoch, learning
// rate reductions marked). The metrics come in as points: nothing is computed here.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/plot/axes.hpp"
#include "sster/plot/canvas.hpp"
#include "sster/plot/legend.hpp"
#include "sster/plot/png.hpp"
#include "sster/plot/style.hpp"

namespace sster {

struct Curve {
  std::string name{};          // "class_0"; empty for a two-class task (pysster shows one curve then)
  std::vector<double> x{}, y{};  // points in drawing order (FPR/TPR or recall/precision)
  double auc = NAN;            // shown in the legend when finite
};

namespace detail {

inline std::string curve_label(const Curve& c) {
  if (!std::isfinite(c.auc)) return c.name;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", c.auc);
  return "AUC " + (c.name.empty() ? std::string() : c.name + " ") + "= " + buf;
}

// Data area of about `data_w` x `data_h` units with a legend to its right (pysster's
// bbox_to_anchor=(1.05, 1), loc=2).
inline Canvas curve_figure(std::span<const Curve> curves, const std::string& xlabel, const std::string& ylabel,
                           bool diagonal, const Style& style) {
  require(!curves.empty(), "a curve plot needs at least one curve");
  std::vector<LegendEntry> legend;
  for (std::size_t i = 0; i < curves.size(); ++i) {
    const Curve& c = curves[i];
    require(c.x.size() == c.y.size() && !c.x.empty(),
            "curve " + std::to_string(i) + " needs as many x as y values and at least one point, got " +
                std::to_string(c.x.size()) + " x and " + std::to_string(c.y.size()) + " y");
    legend.push_back({curve_label(c), class_color(static_cast<index_t>(i), static_cast<index_t>(curves.size()))});
  }
  const AxesSpec spec{.x = padded({0, 1}), .y = padded({0, 1}), .xlabel = xlabel, .ylabel = ylabel};
  const double data_w = 300, data_h = 260;
  const Box m = Axes::margins(spec, style);
  const Point lsize = legend_size(legend, style);
  const double gap = 0.05 * data_w;
  const double axes_w = m.x0 + data_w + m.x1, axes_h = m.y0 + data_h + m.y1;
  Canvas canvas(style.margin * 2 + axes_w + gap + lsize.x, style.margin * 2 + std::max(axes_h, lsize.y), style.scale);
  const Axes ax(Box::of_size(style.margin, style.margin, axes_w, axes_h), spec, style);
  canvas.set_clip(ax.plot_box());
  if (diagonal) canvas.line(ax.map(0, 0), ax.map(1, 1), colors::black, {.width = 1.0, .dash = {3.7, 1.6}});
  for (std::size_t i = 0; i < curves.size(); ++i) {
    std::vector<Point> pts;
    for (std::size_t j = 0; j < curves[i].x.size(); ++j) pts.push_back(ax.map(curves[i].x[j], curves[i].y[j]));
    if (pts.size() == 1) canvas.fill_circle(pts[0], style.curve_width, legend[i].color);
    else canvas.stroke(pts, legend[i].color, {.width = style.curve_width, .cap = LineCap::round});
  }
  canvas.clear_clip();
  ax.draw(canvas);
  draw_legend(canvas, {ax.plot_box().x1 + gap, ax.plot_box().y0}, legend, style);
  return canvas;
}

}  // namespace detail

inline Canvas render_roc(std::span<const Curve> curves, const Style& style = {}) {
  return detail::curve_figure(curves, "False Positive Rate", "True Positive Rate", true, style);
}
inline Canvas render_prec_recall(std::span<const Curve> curves, const Style& style = {}) {
  return detail::curve_figure(curves, "Recall", "Precision", false, style);
}
inline void plot_roc(std::span<const Curve> curves, const std::filesystem::path& path, const Style& style = {}) {
  write_png(render_roc(curves, style), path);
}
inline void plot_prec_recall(std::span<const Curve> curves, const std::filesystem::path& path,
                             const Style& style = {}) {
  write_png(render_prec_recall(curves, style), path);
}
inline void plot_roc(const std::vector<Curve>& c, const std::filesystem::path& p, const Style& s = {}) {
  plot_roc(std::span<const Curve>(c), p, s);
}
inline void plot_prec_recall(const std::vector<Curve>& c, const std::filesystem::path& p, const Style& s = {}) {
  plot_prec_recall(std::span<const Curve>(c), p, s);
}

// Per-epoch training record. learning_rate (optional) holds the rate used in each epoch;
// where it drops, a dotted line marks the change. best_epoch (0-based, optional) is the
// epoch whose weights were kept.
struct History {
  std::vector<double> loss{}, val_loss{}, learning_rate{};
  index_t best_epoch = -1;
};

inline Canvas render_history(const History& h, const Style& style = {}) {
  const std::size_t n = std::max(h.loss.size(), h.val_loss.size());
  require(n > 0, "history plot: no epochs");
  require(h.loss.empty() || h.loss.size() == n, "history plot: loss has " + std::to_string(h.loss.size()) +
                                                    " epochs, val_loss " + std::to_string(h.val_loss.size()));
  require(h.val_loss.empty() || h.val_loss.size() == n, "history plot: val_loss has " +
                                                            std::to_string(h.val_loss.size()) + " epochs, loss " +
                                                            std::to_string(h.loss.size()));
  require(h.learning_rate.empty() || h.learning_rate.size() == n,
          "history plot: learning_rate has " + std::to_string(h.learning_rate.size()) + " epochs, expected " +
              std::to_string(n));
  double lo = INFINITY, hi = -INFINITY;
  for (const auto* v : {&h.loss, &h.val_loss})
    for (double x : *v)
      if (std::isfinite(x)) lo = std::min(lo, x), hi = std::max(hi, x);
  if (!(lo <= hi)) lo = 0, hi = 1;
  const Rgba c_loss = Rgba::hex("#1f77b4"), c_val = Rgba::hex("#ff7f0e"), c_lr = Rgba::hex("#7f7f7f");
  std::vector<LegendEntry> legend;
  if (!h.loss.empty()) legend.push_back({"loss", c_loss});
  if (!h.val_loss.empty()) legend.push_back({"val loss", c_val});
  std::vector<std::size_t> drops;  // epochs (0-based) that start with a lower rate
  for (std::size_t e = 1; e < h.learning_rate.size(); ++e)
    if (h.learning_rate[e] < h.learning_rate[e - 1]) drops.push_back(e);
  const std::vector<double> dots{1.2, 2.4};
  if (!drops.empty()) legend.push_back({"learning rate lowered", c_lr, LegendEntry::Kind::line, dots});
  const bool best = h.best_epoch >= 0 && to_size(h.best_epoch) < h.val_loss.size();
  if (best) legend.push_back({"weights kept", colors::black, LegendEntry::Kind::ring});

  Ticks xt = nice_ticks({1, static_cast<double>(n)}, 8, std::max(1.0, nice_step(static_cast<double>(n - 1), 8)));
  if (xt.values.empty()) xt = nice_ticks({1, 1}, 1, 1.0);
  const AxesSpec spec{.x = padded({1, static_cast<double>(n)}, 0.04),
                      .y = padded({lo, hi}),
                      .xlabel = "epoch",
                      .ylabel = "loss",
                      .xticks = xt,
                      .grid_y = true};
  const double data_w = 380, data_h = 240;
  const Box m = Axes::margins(spec, style);
  const Point lsize = legend_size(legend, style);
  const double axes_w = m.x0 + data_w + m.x1, axes_h = m.y0 + data_h + m.y1;
  Canvas canvas(style.margin * 2 + axes_w + 20 + lsize.x, style.margin * 2 + std::max(axes_h, lsize.y), style.scale);
  const Axes ax(Box::of_size(style.margin, style.margin, axes_w, axes_h), spec, style);
  ax.draw_grid(canvas);
  canvas.set_clip(ax.plot_box());
  const TextStyle lr_text{style.font_tick * 0.85, FontFace::regular, c_lr};
  double free_from = -1e300;  // labels that would overlap the previous one move down a line
  int line = 0;
  for (std::size_t e : drops) {
    const double x = ax.map_x(static_cast<double>(e) + 0.5);  // between epoch e and e + 1 (1-based)
    canvas.line({x, ax.plot_box().y0}, {x, ax.plot_box().y1}, c_lr, {.width = 1.2, .dash = dots});
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.3g", h.learning_rate[e]);
    const double w = measure_text(rate, lr_text).width;
    const bool left = x + 3 + w > ax.plot_box().x1;  // no room before the right edge: label left of the line
    line = (left ? x - 3 - w : x + 3) < free_from ? line + 1 : 0;
    const Point at{left ? x - 3 : x + 3, ax.plot_box().y0 + 2 + line * lr_text.size * 1.3};
    draw_text(canvas, rate, at, lr_text, left ? HAlign::right : HAlign::left, VAlign::top);
    free_from = std::max(free_from, (left ? at.x : at.x + w) + 4);
  }
  const bool markers = n <= 60;
  for (const auto& [values, color] : {std::pair{&h.loss, c_loss}, std::pair{&h.val_loss, c_val}}) {
    std::vector<Point> pts;
    for (std::size_t e = 0; e < values->size(); ++e)
      if (std::isfinite((*values)[e])) pts.push_back(ax.map(static_cast<double>(e + 1), (*values)[e]));
    if (pts.size() > 1) canvas.stroke(pts, color, {.width = style.curve_width * 0.8, .cap = LineCap::round});
    if (markers || pts.size() == 1)
      for (Point p : pts) canvas.fill_circle(p, style.curve_width * 1.2, color);
  }
  if (best) {
    const Point p = ax.map(static_cast<double>(h.best_epoch + 1), at(h.val_loss, h.best_epoch));
    canvas.stroke(circle_points(p, 3.2 * style.curve_width), colors::black, {.width = 1.2}, true);
  }
  canvas.clear_clip();
  ax.draw(canvas);
  draw_legend(canvas, {ax.plot_box().x1 + 20, ax.plot_box().y0}, legend, style);
  return canvas;
}

inline void plot_history(const History& h, const std::filesystem::path& path, const Style& style = {}) {
  write_png(render_history(h, style), path);
}

}  // namespace sster
