#pragma once
// The one place for the look of sster's plots: font sizes, line widths, margins,
// colours, the class palette and the logo letter colours. Sizes are layout units
// (about a screen pixel at scale 1); `scale` sets device pixels per unit.
#include <array>
#include <cstdint>
#include <string_view>

#include "sster/core/tensor.hpp"
#include "sster/plot/color.hpp"

namespace sster {

struct Style {
  double scale = 2.0;  // PNG pixels per layout unit: 2 keeps text crisp on high-DPI screens and in print

  double font_tick = 11;    // tick labels
  double font_label = 12.5; // axis titles
  double font_title = 13.5; // plot titles
  double font_legend = 11;

  double axis_width = 1.0;   // spines and ticks
  double curve_width = 2.2;  // data lines (pysster's ROC/PR width)
  double grid_width = 0.8;
  double tick_length = 4.5;
  double tick_pad = 3.0;   // tick -> tick label
  double label_pad = 5.0;  // tick labels -> axis title
  double margin = 10.0;    // around every figure

  double logo_column = 32;   // width of one logo position
  double logo_height = 120;  // height of log2(|alphabet|) bits
  double logo_gap = 0.04;    // fraction of a column left blank on each side of a letter

  Rgba text = Rgba::hex("#000000");
  Rgba axis = Rgba::hex("#262626");
  Rgba grid = Rgba::hex("#b0b0b04d");
  Rgba accent = Rgba::hex("#1f77b4");  // single-series colour (matplotlib's C0, as in pysster's plots)
};

// Colour of class `i` out of `n`: seaborn's "Set1" (fewer than 10 classes) or "hls"
// palette, desaturated to 60% as pysster's _get_colors does.
inline Rgba class_color(index_t i, index_t n) {
  static constexpr std::array<std::uint32_t, 9> set1{0xe41a1c, 0x377eb8, 0x4daf4a, 0x984ea3, 0xff7f00,
                                                     0xffff33, 0xa65628, 0xf781bf, 0x999999};
  if (n < 10) {
    const std::uint32_t v = set1[to_size(i) % set1.size()];
    return desaturate({static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>((v >> 8) & 255),
                       static_cast<std::uint8_t>(v & 255), 255},
                      0.6);
  }
  // seaborn.hls_palette(n, h=.01, l=.6, s=.65)
  double h = 0.01 + static_cast<double>(i % n) / static_cast<double>(n);
  h -= static_cast<long>(h);
  return desaturate(detail::hls_to_rgb({h, 0.6, 0.65}), 0.6);
}

namespace detail {

inline bool all_in(std::string_view alphabet, std::string_view set) {
  for (char c : alphabet)
    if (set.find(c) == std::string_view::npos) return false;
  return !alphabet.empty();
}

}  // namespace detail

// Colour of `letter` in a logo over `alphabet` (pysster's colours):
//   nucleotides  A #00CC00, C #0000CC, G #FFB300, T/U #CC0000 (N grey);
//   structure    H #CC0000, I #FFB300, M #00CC00, S #CC00FF (F, T: pysster leaves
//                them black; sster gives 5'/3' ends blue and grey);
//   anything else (dot-bracket, proteins): a fixed palette of 20 distinct colours by
//   the letter's place in the alphabet.
inline Rgba letter_color(std::string_view alphabet, char letter) {
  if (detail::all_in(alphabet, "ACGTUN")) {
    switch (letter) {
      case 'A': return Rgba::hex("#00CC00");
      case 'C': return Rgba::hex("#0000CC");
      case 'G': return Rgba::hex("#FFB300");
      case 'T':
      case 'U': return Rgba::hex("#CC0000");
      default: return Rgba::hex("#7F7F7F");
    }
  }
  if (detail::all_in(alphabet, "FHIMST")) {
    switch (letter) {
      case 'H': return Rgba::hex("#CC0000");
      case 'I': return Rgba::hex("#FFB300");
      case 'M': return Rgba::hex("#00CC00");
      case 'S': return Rgba::hex("#CC00FF");
      case 'F': return Rgba::hex("#0000CC");
      default: return Rgba::hex("#7F7F7F");
    }
  }
  static constexpr std::array<std::uint32_t, 20> palette{
      0x1f77b4, 0xd62728, 0x2ca02c, 0xff7f0e, 0x9467bd, 0x8c564b, 0xe377c2, 0x17becf, 0xbcbd22, 0x393b79,
      0x637939, 0x8c6d31, 0x843c39, 0x7b4173, 0x3182bd, 0xe6550d, 0x31a354, 0x756bb1, 0x636363, 0xad494a};
  const std::size_t pos = alphabet.find(letter);
  const std::uint32_t v = palette[(pos == std::string_view::npos ? 0 : pos) % palette.size()];
  return {static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>((v >> 8) & 255),
          static_cast<std::uint8_t>(v & 255), 255};
}

}  // namespace sster
