// make_font: writes include/sster/plot/font_data.hpp, the glyph outlines of DejaVu Sans
// and DejaVu Sans Bold for printable ASCII (32..126), so sster draws text without any
// font file at run time. Run once; the generated header is committed.
//
//   g++ -std=c++20 -O2 -Wall -Wextra -I/usr/include/stb tools/make_font.cpp -lstb -o /tmp/make_font
//   F=/usr/share/fonts/truetype/dejavu/DejaVuSans
//   /tmp/make_font $F.ttf $F-Bold.ttf > include/sster/plot/font_data.hpp
//
// Per glyph: advance width, bounding box and outline vertices in font units (y up),
// each vertex (type, x, y, cx, cy) with type 1 = move, 2 = line, 3 = quadratic curve
// to (x, y) with control point (cx, cy): stb_truetype's stbtt_vertex, which for
// TrueType outlines never holds a cubic. Kerning pairs (from 'kern' or GPOS) are kept
// when non-zero.
#include <stb_truetype.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

constexpr int first_char = 32;
constexpr int last_char = 126;

const char* const license_text = R"(Copyright (c) 2003 by Bitstream, Inc. All Rights Reserved.
Bitstream Vera is a trademark of Bitstream, Inc. DejaVu changes are in public domain.

Permission is hereby granted, free of charge, to any person obtaining a copy
of the fonts accompanying this license ("Fonts") and associated
documentation files (the "Font Software"), to reproduce and distribute the
Font Software, including without limitation the rights to use, copy, merge,
publish, distribute, and/or sell copies of the Font Software, and to permit
persons to whom the Font Software is furnished to do so, subject to the
following conditions:

The above copyright and trademark notices and this permission notice shall
be included in all copies of one or more of the Font Software typefaces.

The Font Software may be modified, altered, or added to, and in particular
the designs of glyphs or characters in the Fonts may be modified and
additional glyphs or characters may be added to the Fonts, only if the fonts
are renamed to names not containing either the words "Bitstream" or the word
"Vera".

This License becomes null and void to the extent applicable to Fonts or Font
Software that has been modified and is distributed under the "Bitstream
Vera" names.

The Font Software may be sold as part of a larger software package but no
copy of one or more of the Font Software typefaces may be sold by itself.

THE FONT SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS
OR IMPLIED, INCLUDING BUT NOT LIMITED TO ANY WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT OF COPYRIGHT, PATENT,
TRADEMARK, OR OTHER RIGHT. IN NO EVENT SHALL BITSTREAM OR THE GNOME
FOUNDATION BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, INCLUDING
ANY GENERAL, SPECIAL, INDIRECT, INCIDENTAL, OR CONSEQUENTIAL DAMAGES,
WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF
THE USE OR INABILITY TO USE THE FONT SOFTWARE OR FROM OTHER DEALINGS IN THE
FONT SOFTWARE.

Except as contained in this notice, the names of Gnome, the Gnome
Foundation, and Bitstream Inc., shall not be used in advertising or
otherwise to promote the sale, use or other dealings in this Font Software
without prior written authorization from the Gnome Foundation or Bitstream
Inc., respectively. For further information, contact: fonts at gnome dot
org.)";

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "make_font: %s\n", message.c_str());
  std::exit(2);
}

std::vector<unsigned char> read_all(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(std::string("cannot open ") + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Emits one face as constexpr arrays named <name>_verts, <name>_glyphs, <name>_kerns
// and the Face record <name>.
void emit_face(const char* path, const char* name) {
  const std::vector<unsigned char> ttf = read_all(path);
  stbtt_fontinfo info;
  if (!stbtt_InitFont(&info, ttf.data(), stbtt_GetFontOffsetForIndex(ttf.data(), 0)))
    fail(std::string(path) + " is not a TrueType font stb_truetype can read");
  const int units_per_em =
      static_cast<int>(std::lround(1.0 / stbtt_ScaleForMappingEmToPixels(&info, 1.0f)));
  int ascent = 0, descent = 0, line_gap = 0;
  stbtt_GetFontVMetrics(&info, &ascent, &descent, &line_gap);
  int box[4];
  stbtt_GetCodepointBox(&info, 'H', &box[0], &box[1], &box[2], &box[3]);
  const int cap_height = box[3];
  stbtt_GetCodepointBox(&info, 'x', &box[0], &box[1], &box[2], &box[3]);
  const int x_height = box[3];

  std::printf("inline constexpr std::int16_t %s_verts[] = {\n", name);
  std::string glyphs;
  int next_vertex = 0;
  for (int c = first_char; c <= last_char; ++c) {
    if (stbtt_FindGlyphIndex(&info, c) == 0)
      fail(std::string(path) + " has no glyph for '" + static_cast<char>(c) + "'");
    int advance = 0, lsb = 0;
    stbtt_GetCodepointHMetrics(&info, c, &advance, &lsb);
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    if (!stbtt_GetCodepointBox(&info, c, &x0, &y0, &x1, &y1)) x0 = y0 = x1 = y1 = 0;
    stbtt_vertex* verts = nullptr;
    const int n = stbtt_GetCodepointShape(&info, c, &verts);
    std::printf("  // '%s'\n", c == '\\' ? "backslash" : std::string(1, static_cast<char>(c)).c_str());
    for (int i = 0; i < n; ++i) {
      const stbtt_vertex& v = verts[i];
      if (v.type == STBTT_vcubic) fail("cubic outline segment; only TrueType (quadratic) fonts");
      std::printf("  %d, %d, %d, %d, %d,\n", v.type, v.x, v.y, v.cx, v.cy);
    }
    stbtt_FreeShape(&info, verts);
    glyphs += "  {" + std::to_string(advance) + ", " + std::to_string(x0) + ", " +
              std::to_string(y0) + ", " + std::to_string(x1) + ", " + std::to_string(y1) + ", " +
              std::to_string(next_vertex) + ", " + std::to_string(n) + "},\n";
    next_vertex += n;
  }
  std::printf("};\n\n");
  std::printf("inline constexpr Glyph %s_glyphs[%d] = {\n%s};\n\n", name, last_char - first_char + 1,
              glyphs.c_str());

  int kern_count = 0;
  std::printf("inline constexpr Kern %s_kerns[] = {\n", name);
  for (int a = first_char; a <= last_char; ++a)
    for (int b = first_char; b <= last_char; ++b) {
      const int k = stbtt_GetCodepointKernAdvance(&info, a, b);
      if (k == 0) continue;
      std::printf("  {%d, %d, %d},\n", a, b, k);
      ++kern_count;
    }
  std::printf("  {0, 0, 0},  // sentinel: keeps the array non-empty\n};\n\n");
  std::printf(
      "inline constexpr Face %s{%d, %d, %d, %d, %d, %d, %s_glyphs, %s_verts, %s_kerns, %d};\n\n",
      name, units_per_em, ascent, descent, line_gap, cap_height, x_height, name, name, name,
      kern_count);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) fail("usage: make_font DejaVuSans.ttf DejaVuSans-Bold.ttf > font_data.hpp");
  std::printf("#pragma once\n");
  std::printf("// GENERATED by tools/make_font.cpp from DejaVu Sans and DejaVu Sans Bold: do not edit.\n");
  std::printf("// Glyph outlines for printable ASCII %d..%d in font units (y up); see make_font.cpp.\n",
              first_char, last_char);
  std::printf("//\n// The DejaVu fonts carry this notice:\n//\n");
  std::string line;
  for (const char* p = license_text;; ++p) {
    if (*p == '\n' || *p == '\0') {
      std::printf("//%s%s\n", line.empty() ? "" : " ", line.c_str());
      line.clear();
      if (*p == '\0') break;
    } else {
      line += *p;
    }
  }
  std::printf("\n#include <cstdint>\n\nnamespace sster::detail::font_data {\n\n");
  std::printf("inline constexpr int first_char = %d;\ninline constexpr int last_char = %d;\n\n",
              first_char, last_char);
  std::printf(
      "struct Glyph {\n"
      "  std::int16_t advance, x0, y0, x1, y1;  // font units; box of the ink\n"
      "  std::int32_t first, count;             // vertex range in the face's verts (5 values each)\n"
      "};\n"
      "struct Kern {\n"
      "  std::int16_t left, right, adjust;  // added to left's advance when right follows\n"
      "};\n"
      "struct Face {\n"
      "  int units_per_em, ascent, descent, line_gap, cap_height, x_height;\n"
      "  const Glyph* glyphs;        // index: char - first_char\n"
      "  const std::int16_t* verts;  // (type 1 move / 2 line / 3 quad, x, y, cx, cy)\n"
      "  const Kern* kerns;\n"
      "  int kern_count;\n"
      "};\n\n");
  emit_face(argv[1], "regular");
  emit_face(argv[2], "bold");
  std::printf("}  // namespace sster::detail::font_data\n");
  return 0;
}
