#pragma once
// A framed legend: one row per entry, a line or a filled patch in the entry's colour
// followed by its label. legend_size() lets figure code reserve room before drawing.
#include <algorithm>
#include <string>
#include <vector>

#include "sster/plot/canvas.hpp"
#include "sster/plot/font.hpp"
#include "sster/plot/style.hpp"

namespace sster {

struct LegendEntry {
  std::string label{};
  Rgba color{};
  enum class Kind { line, patch, ring } kind = Kind::line;
  std::vector<double> dash{};  // for lines drawn dashed in the plot
};

namespace detail {
struct LegendMetrics {
  double pad, key_w, key_gap, row_h;
};
inline LegendMetrics legend_metrics(const Style& s) {
  const double h = measure_text("Ag", s.font_legend).height();
  return {0.6 * s.font_legend, 2.0 * s.font_legend, 0.7 * s.font_legend, h + 0.35 * s.font_legend};
}
}  // namespace detail

// Width and height of the legend box, `columns` entries per row.
inline Point legend_size(const std::vector<LegendEntry>& entries, const Style& style, int columns = 1) {
  const auto m = detail::legend_metrics(style);
  columns = std::max(1, columns);
  double widest = 0;
  for (const auto& e : entries) widest = std::max(widest, measure_text(e.label, style.font_legend).width);
  const double cell_w = m.key_w + m.key_gap + widest;
  const int n = static_cast<int>(entries.size());
  const int cols = std::min(columns, std::max(1, n));
  const int rows = (n + cols - 1) / cols;
  return {2 * m.pad + cols * cell_w + (cols - 1) * 2 * m.key_gap, 2 * m.pad + rows * m.row_h - 0.35 * style.font_legend};
}

// Draws the legend with its top-left corner at `at`; `frame` adds pysster's white box
// with a light grey border (framealpha = 1).
inline void draw_legend(Canvas& canvas, Point at, const std::vector<LegendEntry>& entries, const Style& style,
                        int columns = 1, bool frame = true) {
  if (entries.empty()) return;
  const auto m = detail::legend_metrics(style);
  const Point size = legend_size(entries, style, columns);
  const Box box = Box::of_size(at.x, at.y, size.x, size.y);
  if (frame) {
    canvas.fill_rect(box, colors::white);
    canvas.stroke_rect(box, Rgba::hex("#cccccc"), 0.8);
  }
  columns = std::max(1, columns);
  double widest = 0;
  for (const auto& e : entries) widest = std::max(widest, measure_text(e.label, style.font_legend).width);
  const double cell_w = m.key_w + m.key_gap + widest + 2 * m.key_gap;
  const TextStyle text{style.font_legend, FontFace::regular, style.text};
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    const double x = box.x0 + m.pad + static_cast<double>(i % columns) * cell_w;
    const double y = box.y0 + m.pad + static_cast<double>(i / columns) * m.row_h + m.row_h / 2 - 0.175 * style.font_legend;
    if (e.kind == LegendEntry::Kind::line) {
      canvas.line({x, y}, {x + m.key_w, y}, e.color, {.width = style.curve_width, .dash = e.dash});
    } else if (e.kind == LegendEntry::Kind::ring) {
      canvas.stroke(circle_points({x + m.key_w / 2, y}, 3.2 * style.curve_width), e.color, {.width = 1.2}, true);
    } else {
      const double hh = 0.35 * style.font_legend;
      canvas.fill_rect({x, y - hh, x + m.key_w, y + hh}, e.color);
    }
    draw_text(canvas, e.label, {x + m.key_w + m.key_gap, y}, text, HAlign::left, VAlign::middle);
  }
}

}  // namespace sster
