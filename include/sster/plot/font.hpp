#pragma once
// Text from the embedded DejaVu Sans outlines (plot/font_data.hpp, printable ASCII):
// measurement, layout into a Path (filled by the canvas, so text is anti-aliased at any
// size and scale), rotation by 90 degrees for y-axis titles, and single glyphs stretched
// to a box (sequence logos). Characters outside 32..126 are drawn as '?'.
#include <string>
#include <string_view>

#include "sster/plot/canvas.hpp"
#include "sster/plot/font_data.hpp"
#include "sster/plot/path.hpp"

namespace sster {

enum class FontFace { regular, bold };
enum class HAlign { left, center, right };
// top/bottom: the font's ascender/descender lines; middle: half the capital height
// above the baseline, so digits and capitals look centred on the anchor.
enum class VAlign { baseline, top, middle, bottom };
enum class Rotation { none, ccw90 };  // ccw90 reads bottom to top (y-axis titles)

struct TextStyle {
  double size = 12;  // em size in layout units
  FontFace face = FontFace::regular;
  Rgba color = colors::black;
};

struct TextExtent {
  double width = 0;    // advance width including kerning
  double ascent = 0;   // above the baseline (font ascender)
  double descent = 0;  // below the baseline (font descender, positive)
  double height() const { return ascent + descent; }
};

namespace detail {

inline const font_data::Face& face_data(FontFace f) {
  return f == FontFace::bold ? font_data::bold : font_data::regular;
}

inline const font_data::Glyph& glyph_data(const font_data::Face& face, char c) {
  const int code = static_cast<unsigned char>(c);
  const int i = (code >= font_data::first_char && code <= font_data::last_char) ? code : '?';
  return face.glyphs[i - font_data::first_char];
}

inline int kerning(const font_data::Face& face, char a, char b) {
  for (int i = 0; i < face.kern_count; ++i)
    if (face.kerns[i].left == a && face.kerns[i].right == b) return face.kerns[i].adjust;
  return 0;
}

// Appends glyph `g`'s outline, mapping font units (fx, fy) through `map`.
template <class Map>
void append_glyph(Path& path, const font_data::Face& face, const font_data::Glyph& g, Map map) {
  const std::int16_t* v = face.verts + static_cast<std::ptrdiff_t>(g.first) * 5;
  for (int i = 0; i < g.count; ++i, v += 5) {
    const Point to = map(v[1], v[2]);
    if (v[0] == 1) path.move_to(to);
    else if (v[0] == 2) path.line_to(to);
    else path.quad_to(map(v[3], v[4]), to);
  }
}

}  // namespace detail

inline bool has_glyph(char c) {
  const int code = static_cast<unsigned char>(c);
  return code >= detail::font_data::first_char && code <= detail::font_data::last_char;
}

inline TextExtent measure_text(std::string_view text, double size, FontFace face = FontFace::regular) {
  const auto& f = detail::face_data(face);
  const double k = size / f.units_per_em;
  long units = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    units += detail::glyph_data(f, text[i]).advance;
    if (i + 1 < text.size()) units += detail::kerning(f, text[i], text[i + 1]);
  }
  return {units * k, f.ascent * k, -f.descent * k};
}
inline TextExtent measure_text(std::string_view text, const TextStyle& style) {
  return measure_text(text, style.size, style.face);
}

namespace detail {

// Offset of the text origin (left end of the baseline) from the anchor, in the text's
// own frame (x along the baseline, y down).
inline Point text_offset(std::string_view text, const TextStyle& style, HAlign h, VAlign v) {
  const TextExtent e = measure_text(text, style);
  const auto& f = face_data(style.face);
  const double dx = h == HAlign::left ? 0 : h == HAlign::center ? -e.width / 2 : -e.width;
  const double dy = v == VAlign::baseline ? 0
                    : v == VAlign::top    ? e.ascent
                    : v == VAlign::bottom ? -e.descent
                                          : f.cap_height * style.size / f.units_per_em / 2;
  return {dx, dy};
}

// Text frame -> layout coordinates around the anchor.
inline Point rotate_about(Point anchor, Point local, Rotation r) {
  return r == Rotation::none ? anchor + local : Point{anchor.x + local.y, anchor.y - local.x};
}

}  // namespace detail

// Outline of `text` placed at `anchor` with the given alignment (applied along the text,
// then the whole line is rotated about the anchor).
inline Path text_path(std::string_view text, Point anchor, const TextStyle& style, HAlign h = HAlign::left,
                      VAlign v = VAlign::baseline, Rotation rot = Rotation::none) {
  Path path;
  const auto& f = detail::face_data(style.face);
  const double k = style.size / f.units_per_em;
  const Point origin = detail::text_offset(text, style, h, v);
  double pen = origin.x;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto& g = detail::glyph_data(f, text[i]);
    const double x0 = pen;
    detail::append_glyph(path, f, g, [&](double fx, double fy) {
      return detail::rotate_about(anchor, {x0 + fx * k, origin.y - fy * k}, rot);
    });
    pen += g.advance * k;
    if (i + 1 < text.size()) pen += detail::kerning(f, text[i], text[i + 1]) * k;
  }
  return path;
}

// The layout box (advance width x ascender..descender) that text_path fills, after
// alignment and rotation: what layout code reserves for a label.
inline Box text_box(std::string_view text, Point anchor, const TextStyle& style, HAlign h = HAlign::left,
                    VAlign v = VAlign::baseline, Rotation rot = Rotation::none) {
  const TextExtent e = measure_text(text, style);
  const Point o = detail::text_offset(text, style, h, v);
  const Point a = detail::rotate_about(anchor, {o.x, o.y - e.ascent}, rot);
  const Point b = detail::rotate_about(anchor, {o.x + e.width, o.y + e.descent}, rot);
  return {std::min(a.x, b.x), std::min(a.y, b.y), std::max(a.x, b.x), std::max(a.y, b.y)};
}

inline void draw_text(Canvas& canvas, std::string_view text, Point anchor, const TextStyle& style,
                      HAlign h = HAlign::left, VAlign v = VAlign::baseline, Rotation rot = Rotation::none) {
  canvas.fill(text_path(text, anchor, style, h, v, rot), style.color);
}

// The glyph of `c` with its ink box stretched onto `box` (letters of sequence logos).
// Blank glyphs (space) give an empty path.
inline Path glyph_in_box(char c, Box box, FontFace face = FontFace::bold) {
  Path path;
  const auto& f = detail::face_data(face);
  const auto& g = detail::glyph_data(f, c);
  if (g.x1 <= g.x0 || g.y1 <= g.y0) return path;
  const double sx = box.width() / (g.x1 - g.x0), sy = box.height() / (g.y1 - g.y0);
  detail::append_glyph(path, f, g, [&](double fx, double fy) {
    return Point{box.x0 + (fx - g.x0) * sx, box.y1 - (fy - g.y0) * sy};
  });
  return path;
}

}  // namespace sster
