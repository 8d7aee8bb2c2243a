#pragma once
// sster::Axes: a 2-D data area inside a box of the canvas, with left/bottom spines
// (top and right hidden, as pysster's _hide_top_right), ticks at "nice" steps, tick
// labels, axis titles and a plot title. The constructor measures every label and
// shrinks the box to the data area, so nothing is clipped ("tight layout").
//
//   Axes ax(canvas.bounds().inset(...), {.x = {0, 1}, .y = {0, 1}, .xlabel = "Recall"}, style);
//   ax.draw_grid(canvas);  ...draw data with ax.map(x, y)...  ax.draw(canvas);
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/plot/canvas.hpp"
#include "sster/plot/font.hpp"
#include "sster/plot/style.hpp"

namespace sster {

struct Range {
  double lo = 0, hi = 1;
  double span() const { return hi - lo; }
};

struct Ticks {
  std::vector<double> values;
  std::vector<std::string> labels;  // one per value
};

// Range widened by `fraction` of its span on both sides (matplotlib's 5% margins);
// an empty range becomes lo +- 0.5 (or +- 5% of |lo|).
inline Range padded(Range r, double fraction = 0.05) {
  double span = r.hi - r.lo;
  if (!(span > 0)) {
    const double half = r.lo == 0 ? 0.5 : std::fabs(r.lo) * 0.05;
    return {r.lo - half, r.lo + half};
  }
  return {r.lo - span * fraction, r.hi + span * fraction};
}

// Smallest of {1, 2, 2.5, 5, 10} x 10^k that cuts `span` into at most `target` steps.
inline double nice_step(double span, int target) {
  if (!(span > 0) || target < 1) return 1.0;
  const double raw = span / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw * (1 - 1e-9)) return m * mag;
  return 10 * mag;
}

// Fewest decimals that show every multiple of `step` exactly ("0.0 0.5 1.0", "0 20 40").
inline int tick_decimals(double step) {
  for (int d = 0; d < 10; ++d) {
    const double v = step * std::pow(10.0, d);
    if (std::fabs(v - std::round(v)) < 1e-6 * std::max(1.0, v)) return d;
  }
  return 10;
}

inline std::string format_number(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-') s.erase(0, 1);  // no "-0.0"
  return s;
}

// Ticks at multiples of a nice step inside [lo, hi].
inline Ticks nice_ticks(Range r, int target = 6, std::optional<double> fixed_step = std::nullopt) {
  Ticks t;
  const double step = fixed_step ? *fixed_step : nice_step(r.hi - r.lo, target);
  if (!(step > 0) || !(r.hi >= r.lo)) return t;
  const int dec = tick_decimals(step);
  const double eps = step * 1e-9;
  for (double k = std::ceil((r.lo - eps) / step); k * step <= r.hi + eps && t.values.size() < 1000; ++k) {
    const double v = k * step;
    t.values.push_back(v);
    t.labels.push_back(format_number(v, dec));
  }
  return t;
}

struct AxesSpec {
  Range x{0, 1}, y{0, 1};
  std::string title{}, xlabel{}, ylabel{};
  std::optional<Ticks> xticks{}, yticks{};  // default: nice_ticks
  int x_target = 7, y_target = 6;           // about how many tick steps
  bool grid_y = false;
  bool x_tick_marks = true;             // false: labels only (categorical axes)
  bool x_labels_vertical = false;       // rotate x tick labels by 90 degrees (long class names)
  bool y_axis = true, x_axis = true;    // draw spines, ticks and labels
  bool x_spine = true;                  // false: x tick labels without the axis line (logos)
};

class Axes {
 public:
  Axes(Box outer, AxesSpec spec, const Style& style) : outer_(outer), spec_(std::move(spec)), style_(style) {
    require(spec_.x.hi > spec_.x.lo && spec_.y.hi > spec_.y.lo,
            "axis ranges must be increasing, got x [" + std::to_string(spec_.x.lo) + ", " +
                std::to_string(spec_.x.hi) + "], y [" + std::to_string(spec_.y.lo) + ", " +
                std::to_string(spec_.y.hi) + "]");
    if (!spec_.xticks) spec_.xticks = nice_ticks(spec_.x, spec_.x_target);
    if (!spec_.yticks) spec_.yticks = nice_ticks(spec_.y, spec_.y_target);
    keep_inside(*spec_.xticks, spec_.x);
    keep_inside(*spec_.yticks, spec_.y);
    layout();
  }

  // Space the labels of `spec` take around the data area: x0 = left, y0 = top,
  // x1 = right, y1 = bottom. Figures use it to size a canvas around a fixed data area.
  static Box margins(const AxesSpec& spec, const Style& style) {
    const Box big{0, 0, 1e5, 1e5};
    const Axes probe(big, spec, style);
    const Box& b = probe.plot_box();
    return {b.x0, b.y0, big.x1 - b.x1, big.y1 - b.y1};
  }

  const Box& plot_box() const { return box_; }
  const Box& outer_box() const { return outer_; }
  const AxesSpec& spec() const { return spec_; }
  double map_x(double v) const { return box_.x0 + (v - spec_.x.lo) / spec_.x.span() * box_.width(); }
  double map_y(double v) const { return box_.y1 - (v - spec_.y.lo) / spec_.y.span() * box_.height(); }
  Point map(double x, double y) const { return {map_x(x), map_y(y)}; }

  // Horizontal grid lines (under the data).
  void draw_grid(Canvas& canvas) const {
    if (!spec_.grid_y) return;
    const double w = style_.grid_width;
    for (double v : spec_.yticks->values) {
      const double y = snap(canvas, map_y(v), w);
      canvas.fill_rect({box_.x0, y - w / 2, box_.x1, y + w / 2}, style_.grid);
    }
  }

  // Spines, ticks, tick labels, axis titles and title (over the data).
  void draw(Canvas& canvas) const {
    const double w = style_.axis_width, tl = style_.tick_length;
    const TextStyle tick_text{style_.font_tick, FontFace::regular, style_.text};
    const TextStyle label_text{style_.font_label, FontFace::regular, style_.text};
    if (spec_.y_axis) {
      canvas.fill_rect({box_.x0 - w, box_.y0, box_.x0, box_.y1 + w}, style_.axis);
      const auto& t = *spec_.yticks;
      for (std::size_t i = 0; i < t.values.size(); ++i) {
        const double y = snap(canvas, map_y(t.values[i]), w);
        canvas.fill_rect({box_.x0 - w - tl, y - w / 2, box_.x0 - w, y + w / 2}, style_.axis);
        draw_text(canvas, t.labels[i], {box_.x0 - w - tl - style_.tick_pad, y}, tick_text, HAlign::right,
                  VAlign::middle);
      }
      if (!spec_.ylabel.empty())
        draw_text(canvas, spec_.ylabel, {outer_.x0, box_.center().y}, label_text, HAlign::center, VAlign::top,
                  Rotation::ccw90);
    }
    if (spec_.x_axis) {
      if (spec_.x_spine) canvas.fill_rect({box_.x0 - w, box_.y1, box_.x1, box_.y1 + w}, style_.axis);
      const auto& t = *spec_.xticks;
      const double mark = spec_.x_tick_marks ? tl : 0;
      for (std::size_t i = 0; i < t.values.size(); ++i) {
        const double x = snap(canvas, map_x(t.values[i]), w);
        if (spec_.x_tick_marks) canvas.fill_rect({x - w / 2, box_.y1 + w, x + w / 2, box_.y1 + w + tl}, style_.axis);
        const double y = box_.y1 + w + mark + style_.tick_pad;
        if (spec_.x_labels_vertical)
          draw_text(canvas, t.labels[i], {x, y}, tick_text, HAlign::right, VAlign::middle, Rotation::ccw90);
        else
          draw_text(canvas, t.labels[i], {x, y}, tick_text, HAlign::center, VAlign::top);
      }
      if (!spec_.xlabel.empty())
        draw_text(canvas, spec_.xlabel, {box_.center().x, outer_.y1}, label_text, HAlign::center, VAlign::bottom);
    }
    if (!spec_.title.empty()) {
      const TextStyle title_text{style_.font_title, FontFace::regular, style_.text};
      draw_text(canvas, spec_.title, {box_.center().x, outer_.y0}, title_text, HAlign::center, VAlign::top);
    }
  }

  // A coordinate moved so that a line `width` wide centred on it covers whole device
  // pixels: 1-unit spines and ticks stay sharp instead of smearing over two pixels.
  static double snap(const Canvas& canvas, double v, double width) {
    const double s = canvas.scale(), wd = std::max(1.0, std::round(width * s));
    return (std::round(v * s - wd / 2) + wd / 2) / s;
  }

 private:
  static void keep_inside(Ticks& t, Range r) {
    const double eps = (r.hi - r.lo) * 1e-9;
    Ticks kept;
    for (std::size_t i = 0; i < t.values.size(); ++i)
      if (t.values[i] >= r.lo - eps && t.values[i] <= r.hi + eps) {
        kept.values.push_back(t.values[i]);
        kept.labels.push_back(i < t.labels.size() ? t.labels[i] : format_number(t.values[i], 2));
      }
    t = std::move(kept);
  }

  void layout() {
    const TextStyle tick_text{style_.font_tick, FontFace::regular, style_.text};
    const double w = style_.axis_width, tl = style_.tick_length;
    const TextExtent probe = measure_text("0", tick_text);
    double left = 0, bottom = 0, top = 0, right = 0;
    if (spec_.y_axis) {
      double widest = 0;
      for (const auto& s : spec_.yticks->labels) widest = std::max(widest, measure_text(s, tick_text).width);
      left = w + tl + style_.tick_pad + widest;
      if (!spec_.ylabel.empty()) left += style_.label_pad + measure_text(spec_.ylabel, style_.font_label).height();
      top = probe.ascent / 2;  // half a tick label above the top tick
    }
    if (spec_.x_axis) {
      double label_h = probe.height();
      if (spec_.x_labels_vertical) {
        label_h = 0;
        for (const auto& s : spec_.xticks->labels) label_h = std::max(label_h, measure_text(s, tick_text).width);
      }
      bottom = w + (spec_.x_tick_marks ? tl : 0) + style_.tick_pad + label_h;
      if (!spec_.xlabel.empty()) bottom += style_.label_pad + measure_text(spec_.xlabel, style_.font_label).height();
    }
    if (!spec_.title.empty()) top = std::max(top, measure_text(spec_.title, style_.font_title).height() + style_.label_pad);
    box_ = outer_.inset(left, top, right, bottom);
    // Tick labels at the ends of the x axis must not stick out of the outer box.
    if (spec_.x_axis && !spec_.x_labels_vertical) {
      for (int pass = 0; pass < 2; ++pass) {
        double over_l = 0, over_r = 0;
        for (std::size_t i = 0; i < spec_.xticks->values.size(); ++i) {
          const double half = measure_text(spec_.xticks->labels[i], tick_text).width / 2;
          const double x = map_x(spec_.xticks->values[i]);
          over_l = std::max(over_l, outer_.x0 - (x - half));
          over_r = std::max(over_r, (x + half) - outer_.x1);
        }
        box_.x0 += over_l;
        box_.x1 -= over_r;
      }
    }
    // Whole device pixels, so the spines drawn along the edges are sharp.
    const double sc = style_.scale;
    box_ = {std::round(box_.x0 * sc) / sc, std::round(box_.y0 * sc) / sc, std::round(box_.x1 * sc) / sc,
            std::round(box_.y1 * sc) / sc};
    require(box_.width() > 1 && box_.height() > 1, "plot area too small for its labels (" +
                                                       std::to_string(outer_.width()) + " x " +
                                                       std::to_string(outer_.height()) + " units)");
  }

  Box outer_;
  AxesSpec spec_;
  Style style_;
  Box box_;
};

}  // namespace sster
