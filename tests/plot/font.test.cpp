#include <doctest.h>

#include <string>

#include "image_check.hpp"
#include "sster/plot/font.hpp"

using sster::Box;
using sster::Canvas;
using sster::FontFace;
using sster::HAlign;
using sster::Rotation;
using sster::TextStyle;
using sster::VAlign;

TEST_CASE("every printable ASCII glyph is embedded in both faces") {
  for (FontFace face : {FontFace::regular, FontFace::bold}) {
    const auto& f = sster::detail::face_data(face);
    CHECK(f.units_per_em == 2048);
    for (int c = 32; c <= 126; ++c) {
      CAPTURE(c);
      const auto& g = sster::detail::glyph_data(f, static_cast<char>(c));
      CHECK(g.advance > 0);
      if (c == ' ') {
        CHECK(g.count == 0);
      } else {
        CHECK(g.count >= 3);         // an outline
        CHECK(g.x1 > g.x0);
        CHECK(g.y1 > g.y0);
        CHECK(f.verts[g.first * 5] == 1);  // starts with a move
      }
    }
  }
  CHECK(sster::has_glyph('~'));
  CHECK_FALSE(sster::has_glyph('\t'));
}

TEST_CASE("every glyph renders ink inside its advance box") {
  for (int c = 33; c <= 126; ++c) {
    CAPTURE(c);
    const std::string s(1, static_cast<char>(c));
    Canvas canvas(60, 60);
    const TextStyle st{40, FontFace::regular, sster::colors::black};
    sster::draw_text(canvas, s, {10, 45}, st);
    const auto img = sster::test::from_canvas(canvas);
    CHECK(sster::test::ink(img) > 5);
  }
}

TEST_CASE("text ink stays inside the measured box; measurement scales with size") {
  const std::string text = "Activations, kernel 7 (n = 993) jgpq|";
  const TextStyle st{20, FontFace::regular, sster::colors::black};
  const sster::TextExtent e = sster::measure_text(text, st);
  CHECK(e.width > 200);
  CHECK(sster::measure_text(text, 40, FontFace::regular).width == doctest::Approx(2 * e.width));
  CHECK(sster::measure_text("WWW", 20, FontFace::bold).width > sster::measure_text("WWW", 20).width);
  CHECK(e.height() == doctest::Approx(20 * (1901 + 483) / 2048.0));
  Canvas canvas(e.width + 40, 80);
  const sster::Point anchor{20, 40};
  sster::draw_text(canvas, text, anchor, st, HAlign::left, VAlign::middle);
  const Box box = sster::text_box(text, anchor, st, HAlign::left, VAlign::middle);
  const auto img = sster::test::from_canvas(canvas);
  const long all = sster::test::ink(img);
  CHECK(all > 500);
  // 1 pixel of slack for anti-aliasing
  CHECK(sster::test::ink(img, static_cast<int>(box.x0) - 1, static_cast<int>(box.y0) - 1,
                         static_cast<int>(box.x1) + 2, static_cast<int>(box.y1) + 2) == all);
}

TEST_CASE("centred and rotated text land where the layout says") {
  const TextStyle st{16, FontFace::regular, sster::colors::black};
  Canvas canvas(100, 200);
  sster::draw_text(canvas, "bits", {50, 100}, st, HAlign::center, VAlign::top, Rotation::ccw90);
  const Box box = sster::text_box("bits", {50, 100}, st, HAlign::center, VAlign::top, Rotation::ccw90);
  CHECK(box.height() > box.width());  // vertical text
  CHECK(box.x0 == doctest::Approx(50));
  CHECK(box.center().y == doctest::Approx(100));
  const auto img = sster::test::from_canvas(canvas);
  const long all = sster::test::ink(img);
  CHECK(all > 50);
  CHECK(sster::test::ink(img, static_cast<int>(box.x0) - 1, static_cast<int>(box.y0) - 1,
                         static_cast<int>(box.x1) + 2, static_cast<int>(box.y1) + 2) == all);
}

TEST_CASE("glyph_in_box stretches the letter's ink to the box") {
  Canvas canvas(100, 200);
  const Box box{20, 30, 80, 170};
  canvas.fill(sster::glyph_in_box('T', box), sster::colors::black);
  const auto img = sster::test::from_canvas(canvas);
  CHECK(sster::test::ink(img, 0, 0, 100, 29) == 0);
  CHECK(sster::test::ink(img, 0, 171, 100, 200) == 0);
  CHECK(sster::test::ink(img, 0, 0, 19, 200) == 0);
  CHECK(sster::test::ink(img, 81, 0, 100, 200) == 0);
  // The bar of the T spans the full width at the top, the stem reaches the bottom.
  CHECK(img.at(21, 31) == sster::Rgba{0, 0, 0, 255});
  CHECK(img.at(78, 31) == sster::Rgba{0, 0, 0, 255});
  CHECK(img.at(50, 168) == sster::Rgba{0, 0, 0, 255});
  CHECK(sster::glyph_in_box(' ', box).empty());
}
