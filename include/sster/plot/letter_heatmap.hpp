#pragma once
// A heat map of one value per position and letter (an ISM map: the change
// of the output when that letter is put at that position), drawn to line
// up under a logo of the same positions: rows are the letters in alphabet
// order, top to bottom, columns the positions; colours RdBu_r symmetric
// around 0 (blue: the output drops, red: it rises) up to the largest |value|;
// the sequence's own letter at each position marked with a dot; letter
// labels on the left, a colour bar on the right with its label above it.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/plot/axes.hpp"
#include "sster/plot/canvas.hpp"
#include "sster/plot/color.hpp"
#include "sster/plot/font.hpp"
#include "sster/plot/style.hpp"

namespace sster {

struct LetterHeatmapSpec {
  std::string alphabet{};        // one letter per row
  std::vector<double> values{};  // length x |alphabet|, row-major (position-major)
  std::string sequence{};        // optional: the letter at each position, marked
  std::string label{};           // colour bar label

  index_t length() const { return alphabet.empty() ? 0 : ssize(values) / ssize(alphabet); }
  double limit() const {
    double m = 0;
    for (double v : values) m = std::max(m, std::abs(v));
    return m > 0 ? m : 1;
  }
};

// Space around the cells: the letter labels on the left (x0), the colour
// bar with its tick labels on the right (x1), the bar's label above it (y0).
inline Box letter_heatmap_margins(const LetterHeatmapSpec& spec, const Style& style = {}) {
  const TextStyle tick{style.font_tick, FontFace::regular, style.text};
  double letters = 0, numbers = 0;
  for (char c : spec.alphabet) letters = std::max(letters, measure_text(std::string(1, c), tick).width);
  for (const auto& s : nice_ticks({-spec.limit(), spec.limit()}, 4).labels)
    numbers = std::max(numbers, measure_text(s, tick).width);
  const TextExtent label = measure_text(spec.label, tick);
  return {letters + style.tick_pad + style.axis_width, spec.label.empty() ? 0 : label.height() + style.tick_pad,
          std::max(12 + 12 + style.tick_length + style.tick_pad + numbers, 12 + label.width), 0};
}

// Draws the cells into `cells` (positions across, letters down), the labels
// and the colour bar around them (letter_heatmap_margins says how far).
inline void draw_letter_heatmap(Canvas& canvas, Box cells, const LetterHeatmapSpec& spec, const Style& style = {}) {
  const index_t A = ssize(spec.alphabet), L = spec.length();
  require(A > 0 && L > 0 && ssize(spec.values) == L * A,
          "letter heat map: " + std::to_string(spec.values.size()) + " values are not a whole number of positions of " +
              std::to_string(A) + " letters");
  require(spec.sequence.empty() || ssize(spec.sequence) == L,
          "letter heat map: the sequence has " + std::to_string(spec.sequence.size()) + " letters for " +
              std::to_string(L) + " positions");
  const double limit = spec.limit();
  canvas.draw_grid(cells, static_cast<int>(L), static_cast<int>(A), [&](int p, int a) {
    const double v = at(spec.values, p * A + a);
    return std::isfinite(v) ? rdbu_r(0.5 + 0.5 * v / limit) : Rgba::hex("#d0d0d0");
  });
  const double cw = cells.width() / static_cast<double>(L), ch = cells.height() / static_cast<double>(A);
  const double dot = std::min(cw, ch) * 0.22;
  for (index_t p = 0; p < ssize(spec.sequence); ++p) {
    const auto a = spec.alphabet.find(at(spec.sequence, p));
    if (a == std::string::npos) continue;
    canvas.fill_circle({cells.x0 + (static_cast<double>(p) + 0.5) * cw, cells.y0 + (static_cast<double>(a) + 0.5) * ch},
                       dot, Rgba::hex("#262626"));
  }
  const TextStyle tick{style.font_tick, FontFace::regular, style.text};
  for (index_t a = 0; a < A; ++a)
    draw_text(canvas, std::string(1, at(spec.alphabet, a)),
              {cells.x0 - style.tick_pad - style.axis_width, cells.y0 + (static_cast<double>(a) + 0.5) * ch}, tick,
              HAlign::right, VAlign::middle);
  // The colour bar: as tall as the cells, 12 units right of them.
  const Box bar{cells.x1 + 12, cells.y0, cells.x1 + 24, cells.y1};
  canvas.draw_grid(bar, 1, 128, [&](int, int r) { return rdbu_r(1.0 - (r + 0.5) / 128.0); });
  const Ticks t = nice_ticks({-limit, limit}, 4);
  for (std::size_t i = 0; i < t.values.size(); ++i) {
    const double y = Axes::snap(canvas, bar.y1 - (t.values[i] + limit) / (2 * limit) * bar.height(), style.axis_width);
    canvas.fill_rect({bar.x1, y - style.axis_width / 2, bar.x1 + style.tick_length, y + style.axis_width / 2},
                     style.axis);
    draw_text(canvas, t.labels[i], {bar.x1 + style.tick_length + style.tick_pad, y}, tick, HAlign::left,
              VAlign::middle);
  }
  if (!spec.label.empty()) draw_text(canvas, spec.label, {bar.x0, bar.y0 - style.tick_pad}, tick, HAlign::left, VAlign::bottom);
}

}  // namespace sster
