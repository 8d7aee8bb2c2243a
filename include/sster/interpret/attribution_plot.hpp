#pragma once
// Pictures of one sequence's attributions (interpret/attributions.hpp):
//   attribution_logo  the actual contributions as a signed logo
//                     (plot/signed_logo.hpp): at each position the
//                     sequence's own letter, as tall as its contribution,
//                     above the axis when it speaks for the class and below
//                     when against
//   ism_heatmap       ISM's raw changes, positions x letters
//                     (plot/letter_heatmap.hpp), the sequence's letters dotted
//   plot_attribution  the logo, and for ISM the heat map under it on the
//                     same positions, as one PNG
// For a sequence x structure alphabet the logo shows the sequence letter of
// each position's symbol, and there is no heat map (its rows would be the
// combined symbols).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/data/alphabet.hpp"
#include "sster/interpret/attributions.hpp"
#include "sster/plot/axes.hpp"
#include "sster/plot/canvas.hpp"
#include "sster/plot/letter_heatmap.hpp"
#include "sster/plot/png.hpp"
#include "sster/plot/signed_logo.hpp"
#include "sster/plot/style.hpp"

namespace sster {

inline SignedLogoSpec attribution_logo(const Attributions& a, index_t i, const Alphabet& alphabet,
                                       std::string title = {}) {
  require(i >= 0 && i < a.n, "attribution logo: no sequence " + std::to_string(i) + " among " + std::to_string(a.n));
  const std::string& letters = alphabet.sequence();
  SignedLogoSpec spec{.alphabet = letters,
                      .heights = std::vector<double>(to_size(a.length) * letters.size(), 0.0),
                      .ylabel = a.method == AttributionMethod::saliency ? "|gradient|" : "contribution",
                      .title = std::move(title)};
  for (index_t t = 0; t < a.length; ++t) {
    const char letter = alphabet.sequence_letter(at(a.symbols, i * a.length + t));
    at(spec.heights, t * ssize(letters) + static_cast<index_t>(letters.find(letter))) = a.actual(i, t);
  }
  return spec;
}

inline LetterHeatmapSpec ism_heatmap(const Attributions& a, index_t i, const Alphabet& alphabet) {
  require(a.method == AttributionMethod::ism && !a.deltas.empty(), "ISM heat map: these are not ISM attributions");
  require(!alphabet.has_structure(), "ISM heat map: only for alphabets without structure letters");
  require(i >= 0 && i < a.n, "ISM heat map: no sequence " + std::to_string(i) + " among " + std::to_string(a.n));
  const auto per = to_size(a.length * a.letters);
  LetterHeatmapSpec spec{.alphabet = alphabet.sequence(),
                         .values = std::vector<double>(a.deltas.begin() + static_cast<std::ptrdiff_t>(to_size(i) * per),
                                                       a.deltas.begin() + static_cast<std::ptrdiff_t>(to_size(i + 1) * per)),
                         .label = "ISM change"};
  for (index_t t = 0; t < a.length; ++t) spec.sequence += alphabet.sequence_letter(at(a.symbols, i * a.length + t));
  return spec;
}

// "name: METHOD, TARGET 2.31 (references 0.12)": what was explained and
// from where (ISM and the gradients measure from the sequence itself).
inline std::string attribution_title(const Attributions& a, index_t i, const std::string& name,
                                     const std::string& target) {
  char buf[64];
  std::string title = name + ": " + method_name(a.method) + ", " + target;
  std::snprintf(buf, sizeof buf, " %.4g", at(a.output, i));
  title += buf;
  if (a.method == AttributionMethod::deeplift_shap) std::snprintf(buf, sizeof buf, " (references %.4g)", at(a.reference, i));
  else if (a.method == AttributionMethod::integrated_gradients) std::snprintf(buf, sizeof buf, " (no letter: %.4g)", at(a.reference, i));
  else buf[0] = '\0';
  return title + buf;
}

// The logo of sequence i, with ISM's heat map under it for ISM attributions.
// target: what the output is, for the title ("output", "positive (logit)").
inline Canvas render_attribution(const Attributions& a, index_t i, const Alphabet& alphabet, const std::string& name,
                                 const std::string& target = "output", const Style& style = {}) {
  const SignedLogoSpec logo = attribution_logo(a, i, alphabet, attribution_title(a, i, name, target));
  const bool heat = a.method == AttributionMethod::ism && !alphabet.has_structure();
  const double column = std::clamp(900.0 / static_cast<double>(a.length), 3.0, 16.0), logo_h = 150;
  const AxesSpec axes = signed_logo_axes(logo);
  LetterHeatmapSpec map;
  Box heat_margin{0, 0, 0, 0};
  if (heat) {
    map = ism_heatmap(a, i, alphabet);
    heat_margin = letter_heatmap_margins(map, style);
  }
  const double row = 12, heat_h = heat ? row * static_cast<double>(ssize(map.alphabet)) : 0;
  const double gap = heat ? std::max(8.0, heat_margin.y0) : 0;
  const Box m = Axes::margins(axes, style);
  const double data_w = column * (static_cast<double>(a.length) + 1.2);
  const double w = style.margin + m.x0 + data_w + std::max(m.x1, heat_margin.x1) + style.margin;
  const double h = style.margin + m.y0 + logo_h + m.y1 + gap + heat_h + style.margin;
  Canvas canvas(w, h, style.scale);
  const Axes ax(Box{style.margin, style.margin, style.margin + m.x0 + data_w + m.x1, style.margin + m.y0 + logo_h + m.y1},
                axes, style);
  draw_signed_logo(canvas, ax, logo, style);
  if (heat) {
    const double y0 = style.margin + m.y0 + logo_h + m.y1 + gap;
    // The heat map's columns under the logo's positions.
    draw_letter_heatmap(canvas, {ax.map_x(logo.first_position - 0.5), y0,
                                 ax.map_x(logo.first_position + a.length - 0.5), y0 + heat_h},
                        map, style);
  }
  return canvas;
}

inline void plot_attribution(const Attributions& a, index_t i, const Alphabet& alphabet, const std::string& name,
                             const std::filesystem::path& path, const std::string& target = "output",
                             const Style& style = {}) {
  write_png(render_attribution(a, i, alphabet, name, target, style), path);
}

}  // namespace sster
