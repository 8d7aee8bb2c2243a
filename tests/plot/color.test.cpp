#include <doctest.h>

#include "sster/plot/color.hpp"
#include "sster/plot/style.hpp"

using sster::Rgba;

TEST_CASE("Rgba parses #RRGGBB and #RRGGBBAA and rejects anything else") {
  CHECK(Rgba::hex("#00CC00") == Rgba{0, 204, 0, 255});
  CHECK(Rgba::hex("#ffb30080") == Rgba{255, 179, 0, 128});
  CHECK(Rgba::hex("#CC00FF").to_hex() == "#cc00ff");
  CHECK_THROWS_AS(Rgba::hex("00CC00"), sster::Error);
  CHECK_THROWS_AS(Rgba::hex("#00CC0"), sster::Error);
  CHECK_THROWS_AS(Rgba::hex("#00GG00"), sster::Error);
}

TEST_CASE("class palette is seaborn's Set1 desaturated to 60% (pysster's _get_colors)") {
  // sns.color_palette("Set1", 3, 0.6), rounded to 8 bits
  CHECK(sster::class_color(0, 3).to_hex() == "#bc4244");
  CHECK(sster::class_color(1, 3).to_hex() == "#517b9e");
  CHECK(sster::class_color(2, 3).to_hex() == "#609b5e");
  // 10 or more classes: hls palette, all distinct
  for (int i = 0; i < 12; ++i)
    for (int j = 0; j < i; ++j) CHECK(sster::class_color(i, 12) != sster::class_color(j, 12));
}

TEST_CASE("logo letter colours follow pysster") {
  CHECK(sster::letter_color("ACGT", 'A') == Rgba::hex("#00CC00"));
  CHECK(sster::letter_color("ACGU", 'C') == Rgba::hex("#0000CC"));
  CHECK(sster::letter_color("ACGU", 'G') == Rgba::hex("#FFB300"));
  CHECK(sster::letter_color("ACGU", 'U') == Rgba::hex("#CC0000"));
  CHECK(sster::letter_color("ACGT", 'T') == Rgba::hex("#CC0000"));
  CHECK(sster::letter_color("HIMS", 'H') == Rgba::hex("#CC0000"));
  CHECK(sster::letter_color("HIMS", 'I') == Rgba::hex("#FFB300"));
  CHECK(sster::letter_color("HIMS", 'M') == Rgba::hex("#00CC00"));
  CHECK(sster::letter_color("HIMS", 'S') == Rgba::hex("#CC00FF"));
  // other alphabets: distinct colours by place
  CHECK(sster::letter_color("().", '(') != sster::letter_color("().", ')'));
  CHECK(sster::letter_color("().", ')') != sster::letter_color("().", '.'));
}

TEST_CASE("RdBu_r runs from blue through white to red") {
  const Rgba lo = sster::rdbu_r(0), mid = sster::rdbu_r(0.5), hi = sster::rdbu_r(1);
  CHECK(lo == Rgba::hex("#053061"));
  CHECK(mid == Rgba::hex("#f7f7f7"));
  CHECK(hi == Rgba::hex("#67001f"));
  CHECK(sster::rdbu_r(-3) == lo);
  CHECK(sster::rdbu_r(7) == hi);
}
