#include <doctest.h>

#include <string>
#include <vector>

#include "interpret_test_util.hpp"
#include "plot/image_check.hpp"
#include "sster/interpret/attribution.hpp"
#include "sster/interpret/attribution_plot.hpp"
#include "temp_dir.hpp"

using namespace sster;

namespace {

const Rgba green = Rgba::hex("#00CC00"), blue = Rgba::hex("#0000CC"), red = Rgba::hex("#CC0000");

struct Ink {
  long n = 0;
  double mean_x = 0, mean_y = 0;
};

Ink ink_of(const test::Image& img, Rgba c, int x0 = 0, int x1 = -1) {
  if (x1 < 0) x1 = img.w;
  Ink e;
  for (int y = 0; y < img.h; ++y)
    for (int x = x0; x < x1; ++x)
      if (test::dist(img.at(x, y), c) <= 6) ++e.n, e.mean_x += x, e.mean_y += y;
  if (e.n) e.mean_x /= static_cast<double>(e.n), e.mean_y /= static_cast<double>(e.n);
  return e;
}

}  // namespace

TEST_CASE("signed logo: positive letters stand above the axis, negative ones hang below it") {
  SignedLogoSpec spec{.alphabet = "ACGT", .heights = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.5}};
  const auto img = test::from_canvas(render_signed_logo(spec, 30, 100));
  const Ink a = ink_of(img, green), t = ink_of(img, red);
  REQUIRE(a.n > 200);
  REQUIRE(t.n > 100);
  CHECK(a.mean_x < t.mean_x);  // position 1, then 2
  CHECK(a.mean_y < t.mean_y);  // A above T
  CHECK(a.n > t.n);            // twice as tall
  spec.heights.push_back(0);
  CHECK_THROWS_WITH_AS(render_signed_logo(spec, 30, 100), doctest::Contains("not a whole number of positions"), Error);
}

TEST_CASE("attribution PNGs of a planted sequence: readable, not blank, the planted letters tallest; ISM's heat map") {
  auto& p = test::planted();
  const index_t L = 140;
  const auto record = p.data.symbols(0);  // a positive: CCCCCCCCCC at 20, GGGGGGGGGG at 50
  const std::vector<std::uint8_t> x(record.begin(), record.end());
  test::TempDir dir;
  std::vector<int> heights;
  for (auto method : {AttributionMethod::deeplift_shap, AttributionMethod::ism}) {
    CAPTURE(method_name(method));
    const Attributions a = attribute(p.model, x, 1, method);
    const auto path = dir.file(method_name(method) + ".png");
    plot_attribution(a, 0, alphabet::dna(), "record_0", path);
    const auto img = test::decode_png(test::read_file(path));
    REQUIRE(img.w > 800);
    CHECK(test::ink(img) > img.w * img.h / 50);
    // The logo's columns: C (blue) ink lies over positions 21-30 and outweighs
    // any blue elsewhere.
    const SignedLogoSpec logo = attribution_logo(a, 0, alphabet::dna(), "t");
    CHECK(logo.length() == L);
    const double column = static_cast<double>(img.w) / (L + 10);  // about: margins are a few columns
    const Ink motif_c = ink_of(img, blue, static_cast<int>(15 * column), static_cast<int>(45 * column));
    const Ink all_c = ink_of(img, blue);
    CHECK(motif_c.n > 0);
    CHECK(motif_c.n * 10 > 8 * all_c.n);
    // ISM: the heat map under the logo, its darkest blue where the motif's
    // letters are mutated away (the output drops most there).
    const bool heat = method == AttributionMethod::ism;
    CHECK((test::count_color(img, rdbu_r(0.05), 40) > 20) == heat);
    heights.push_back(img.h);
  }
  CHECK(heights[1] > heights[0] + 4 * 12 * 2);  // four rows of 12 units, 2 pixels per unit
}
