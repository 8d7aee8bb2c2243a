#pragma once
// Sequence logos drawn from a per-position letter-height matrix (bits), pysster's way:
// at every position the letters are stacked by height with the largest on top, each
// letter the glyph outline of DejaVu Sans Bold stretched to its box, coloured by
// letter_color (plot/style.hpp) unless overridden; y axis "bits" from 0 to
// log2(|alphabet|) in steps of 0.5, positions 1..L below. Several logos (sequence and
// structure of one motif) stack vertically in one image.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/tensor.hpp"
#include "sster/plot/axes.hpp"
#include "sster/plot/canvas.hpp"
#include "sster/plot/font.hpp"
#include "sster/plot/png.hpp"
#include "sster/plot/style.hpp"

namespace sster {

struct LogoSpec {
  std::string alphabet{};          // one letter per column of `heights`
  std::vector<double> heights{};   // length x |alphabet|, row-major: letter heights in bits
  double max_bits = 0;             // top of the y axis; 0 = log2(|alphabet|)
  std::map<char, Rgba> colors{};   // per-letter colour overrides

  index_t length() const {
    return alphabet.empty() ? 0 : static_cast<index_t>(heights.size() / alphabet.size());
  }
  double top() const { return max_bits > 0 ? max_bits : std::log2(static_cast<double>(alphabet.size())); }
  Rgba color(char c) const {
    const auto it = colors.find(c);
    return it != colors.end() ? it->second : letter_color(alphabet, c);
  }
};

namespace detail {

inline void check_logo(const LogoSpec& spec) {
  require(spec.alphabet.size() >= 2, "a logo needs an alphabet of at least 2 letters, got '" + spec.alphabet + "'");
  require(!spec.heights.empty() && spec.heights.size() % spec.alphabet.size() == 0,
          "logo heights: " + std::to_string(spec.heights.size()) + " values are not a whole number of positions of " +
              std::to_string(spec.alphabet.size()) + " letters");
  for (double h : spec.heights) require(std::isfinite(h) && h >= 0, "logo letter heights must be finite and >= 0");
}

inline AxesSpec logo_axes(const LogoSpec& spec) {
  const index_t n = spec.length();
  const double top = spec.top();
  Ticks x;
  for (index_t i = 1; i <= n; ++i) {
    x.values.push_back(static_cast<double>(i));
    x.labels.push_back(std::to_string(i));
  }
  return {.x = {0.45, static_cast<double>(n) + 0.5},  // a little air between the y axis and letter 1
          .y = {0, top},
          .ylabel = "bits",
          .xticks = x,
          .yticks = nice_ticks({0, top}, 0, top <= 3 ? 0.5 : 1.0),
          .x_tick_marks = false,
          .x_spine = false};
}

}  // namespace detail

// Natural size (layout units) of one logo: a fixed column width per position.
inline Point logo_size(const LogoSpec& spec, const Style& style = {}) {
  detail::check_logo(spec);
  const Box m = Axes::margins(detail::logo_axes(spec), style);
  return {m.x0 + (static_cast<double>(spec.length()) + 0.05) * style.logo_column + m.x1 + style.margin,
          m.y0 + style.logo_height + m.y1 + style.margin};
}

// Draws the logo with its axes into `outer`.
inline void draw_logo(Canvas& canvas, Box outer, const LogoSpec& spec, const Style& style = {}) {
  detail::check_logo(spec);
  const double pad = style.margin / 2;
  const Axes ax(outer.inset(pad, pad, pad, pad), detail::logo_axes(spec), style);
  const std::size_t k = spec.alphabet.size();
  const double top = spec.top();
  const double device_px = 1.0 / canvas.scale();
  std::vector<std::size_t> order(k);
  for (index_t pos = 0; pos < spec.length(); ++pos) {
    const double* h = &spec.heights[to_size(pos) * k];
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [h](std::size_t a, std::size_t b) { return h[a] < h[b]; });
    const double c = static_cast<double>(pos + 1);
    const double x0 = ax.map_x(c - 0.5 + style.logo_gap), x1 = ax.map_x(c + 0.5 - style.logo_gap);
    double bits = 0;
    for (std::size_t j : order) {
      const double y_bottom = ax.map_y(std::min(bits, top)), y_top = ax.map_y(std::min(bits + h[j], top));
      bits += h[j];
      if (y_bottom - y_top < 0.05 * device_px) continue;  // nothing a pixel would show
      canvas.fill(glyph_in_box(spec.alphabet[j], {x0, y_top, x1, y_bottom}, FontFace::bold), spec.color(spec.alphabet[j]));
    }
  }
  ax.draw(canvas);
}

// Logos stacked top to bottom in one canvas (e.g. sequence over structure), all as
// wide as the widest.
inline Canvas render_logos(std::span<const LogoSpec> specs, const Style& style = {}) {
  require(!specs.empty(), "render_logos needs at least one logo");
  double width = 0, height = 0;
  std::vector<Point> sizes;
  for (const auto& s : specs) {
    sizes.push_back(logo_size(s, style));
    width = std::max(width, sizes.back().x);
    height += sizes.back().y;
  }
  Canvas canvas(width, height, style.scale);
  double y = 0;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    draw_logo(canvas, Box::of_size(0, y, sizes[i].x, sizes[i].y), specs[i], style);
    y += sizes[i].y;
  }
  return canvas;
}

inline void plot_logos(std::span<const LogoSpec> specs, const std::filesystem::path& path, const Style& style = {}) {
  write_png(render_logos(specs, style), path);
}
inline void plot_logos(const std::vector<LogoSpec>& specs, const std::filesystem::path& path, const Style& style = {}) {
  plot_logos(std::span<const LogoSpec>(specs), path, style);
}

}  // namespace sster
