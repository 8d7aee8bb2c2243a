#pragma once
// Logos of signed letter heights, as attribution logos are drawn (DeepLIFT,
// tangermeme, logomaker): at each position the positive heights stack up
// from 0 and the negative ones down from it, the tallest letter farthest
// from the axis, each letter's glyph (DejaVu Sans Bold) stretched to its box
// and coloured as in sequence logos (plot/style.hpp letter_color). A thin
// line marks 0; the y axis spans what the stacks reach; x ticks count
// positions from first_position at a readable step.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/plot/axes.hpp"
#include "sster/plot/canvas.hpp"
#include "sster/plot/font.hpp"
#include "sster/plot/png.hpp"
#include "sster/plot/style.hpp"

namespace sster {

struct SignedLogoSpec {
  std::string alphabet{};         // one letter per column of `heights`
  std::vector<double> heights{};  // length x |alphabet|, row-major, signed
  index_t first_position = 1;     // the label of the first position
  std::string ylabel = "contribution";
  std::string title{};
  std::map<char, Rgba> colors{};  // per-letter colour overrides

  index_t length() const { return alphabet.empty() ? 0 : ssize(heights) / ssize(alphabet); }
  Rgba color(char c) const {
    const auto it = colors.find(c);
    return it != colors.end() ? it->second : letter_color(alphabet, c);
  }
  // The lowest and highest point the stacks reach (0 included).
  Range reach() const {
    Range r{0, 0};
    const auto k = to_size(ssize(alphabet));
    for (index_t p = 0; p < length(); ++p) {
      double up = 0, down = 0;
      for (std::size_t j = 0; j < k; ++j) (heights[to_size(p) * k + j] > 0 ? up : down) += heights[to_size(p) * k + j];
      r.lo = std::min(r.lo, down);
      r.hi = std::max(r.hi, up);
    }
    return r;
  }
};

namespace detail {

inline void check_signed_logo(const SignedLogoSpec& spec) {
  require(!spec.alphabet.empty() && !spec.heights.empty() && spec.heights.size() % spec.alphabet.size() == 0,
          "signed logo: " + std::to_string(spec.heights.size()) + " heights are not a whole number of positions of " +
              std::to_string(spec.alphabet.size()) + " letters");
  for (double h : spec.heights) require(std::isfinite(h), "signed logo: letter heights must be finite");
}

}  // namespace detail

// The axes of the logo: positions as x (column p centred on first_position + p).
inline AxesSpec signed_logo_axes(const SignedLogoSpec& spec) {
  detail::check_signed_logo(spec);
  const Range reach = spec.reach();
  const double first = static_cast<double>(spec.first_position), last = first + static_cast<double>(spec.length() - 1);
  const Range y = reach.hi > reach.lo ? padded(reach, 0.04) : Range{-1, 1};
  Ticks x = nice_ticks({first, last}, std::clamp<int>(static_cast<int>(spec.length()), 1, 12));
  return {.x = {first - 0.6, last + 0.6},
          .y = y,
          .title = spec.title,
          .ylabel = spec.ylabel,
          .xticks = x,
          .y_target = 4};
}

// Draws the letters into the axes' data area, then the zero line and the axes.
inline void draw_signed_logo(Canvas& canvas, const Axes& ax, const SignedLogoSpec& spec, const Style& style = {}) {
  detail::check_signed_logo(spec);
  const auto k = to_size(ssize(spec.alphabet));
  const double device_px = 1.0 / canvas.scale();
  std::vector<std::size_t> order(k);
  for (index_t pos = 0; pos < spec.length(); ++pos) {
    const double* h = &spec.heights[to_size(pos) * k];
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [h](std::size_t a, std::size_t b) { return std::abs(h[a]) < std::abs(h[b]); });
    const double c = static_cast<double>(spec.first_position + pos);
    const double x0 = ax.map_x(c - 0.5 + style.logo_gap), x1 = ax.map_x(c + 0.5 - style.logo_gap);
    double up = 0, down = 0;
    for (std::size_t j : order) {
      double& edge = h[j] > 0 ? up : down;
      const double y_a = ax.map_y(edge), y_b = ax.map_y(edge + h[j]);
      edge += h[j];
      const double top = std::min(y_a, y_b), bottom = std::max(y_a, y_b);
      if (bottom - top < 0.05 * device_px) continue;  // nothing a pixel would show
      canvas.fill(glyph_in_box(spec.alphabet[j], {x0, top, x1, bottom}, FontFace::bold), spec.color(spec.alphabet[j]));
    }
  }
  const double zero = Axes::snap(canvas, ax.map_y(0), 0.6);
  canvas.fill_rect({ax.plot_box().x0, zero - 0.3, ax.plot_box().x1, zero + 0.3}, style.axis);
  ax.draw(canvas);
}

// The logo alone: `column` layout units per position, `height` for the data area.
inline Canvas render_signed_logo(const SignedLogoSpec& spec, double column, double height, const Style& style = {}) {
  const AxesSpec axes = signed_logo_axes(spec);
  const Box m = Axes::margins(axes, style);
  const double w = m.x0 + column * (static_cast<double>(spec.length()) + 1.2) + m.x1 + 2 * style.margin;
  const double h = m.y0 + height + m.y1 + 2 * style.margin;
  Canvas canvas(w, h, style.scale);
  const Axes ax(Box{0, 0, w, h}.inset(style.margin, style.margin, style.margin, style.margin), axes, style);
  draw_signed_logo(canvas, ax, spec, style);
  return canvas;
}

inline void plot_signed_logo(const SignedLogoSpec& spec, const std::filesystem::path& path, double column = 12,
                             double height = 140, const Style& style = {}) {
  write_png(render_signed_logo(spec, column, height, style), path);
}

}  // namespace sster
