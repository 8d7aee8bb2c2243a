// Built into sster_interpret_tests (tests/interpret/meson.build).
#include <doctest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "../plot/image_check.hpp"
#include "sster/interpret/motif.hpp"

using sster::Motif;

namespace {
// pysster's tests/test_Motif.py: GATTACA as a sequence and as a matrix of 0.25s.
// clang-format off
const std::vector<double> ref_pwm{
    0,    0,    0.25, 0,
    0.25, 0,    0,    0,
    0,    0,    0,    0.25,
    0,    0,    0,    0.25,
    0.25, 0,    0,    0,
    0,    0.25, 0,    0,
    0.25, 0,    0,    0};
// clang-format on
}  // namespace

TEST_CASE("motif from sequences: counts -> frequencies with pysster's pseudocounts") {
  const Motif m = Motif::from_sequences("ACGT", std::vector<std::string>{"GATTACA"});
  CHECK(m.alphabet() == "ACGT");
  CHECK(m.length() == 7);
  CHECK(m.pwm().size() == 28);
  // 0.999 * 1 + 0.001 / 4 and 0.001 / 4
  CHECK(m.pwm(0, 2) == doctest::Approx(0.99925));
  CHECK(m.pwm(0, 0) == doctest::Approx(0.00025));
  for (sster::index_t i = 0; i < 7; ++i) {
    double sum = 0;
    for (sster::index_t j = 0; j < 4; ++j) sum += m.pwm(i, j);
    CHECK(sum == doctest::Approx(1.0));
  }
  CHECK(m.consensus() == "GATTACA");

  // counts 3:1:0:0 -> 0.999 * 0.75 + 0.00025 = 0.7495, 0.999 * 0.25 + 0.00025 = 0.25
  const Motif mixed = Motif::from_sequences("ACGT", std::vector<std::string>{"A", "A", "A", "C"});
  CHECK(mixed.pwm(0, 0) == doctest::Approx(0.7495));
  CHECK(mixed.pwm(0, 1) == doctest::Approx(0.25));
  CHECK(mixed.pwm(0, 2) == doctest::Approx(0.00025));
}

TEST_CASE("entropy and information content in bits, by hand") {
  const Motif m = Motif::from_sequences("ACGT", std::vector<std::string>{"GATTACA"});
  const double hi = 0.99925, lo = 0.00025;
  const double h = -(hi * std::log2(hi) + 3 * lo * std::log2(lo));  // about 0.0114 bits
  for (double e : m.entropies()) CHECK(e == doctest::Approx(h));
  for (double ic : m.information_content()) CHECK(ic == doctest::Approx(2 - h));
  const Motif mixed = Motif::from_sequences("ACGT", std::vector<std::string>{"A", "A", "A", "C"});
  const double p[] = {0.7495, 0.25, 0.00025, 0.00025};
  double h2 = 0;
  for (double x : p) h2 -= x * std::log2(x);
  CHECK(mixed.entropies()[0] == doctest::Approx(h2));
  const Motif uniform = Motif::from_sequences("ACGT", std::vector<std::string>{"A", "C", "G", "T"});
  CHECK(uniform.entropies()[0] == doctest::Approx(2.0));
  CHECK(uniform.information_content()[0] == doctest::Approx(0.0));
}

TEST_CASE("motif from a matrix equals the motif from the same sequences (pysster's test)") {
  const Motif a = Motif::from_sequences("ACGT", std::vector<std::string>{"GATTACA"});
  const Motif b = Motif::from_pwm("ACGT", ref_pwm);
  REQUIRE(b.length() == 7);
  for (std::size_t i = 0; i < a.pwm().size(); ++i) CHECK(a.pwm()[i] == doctest::Approx(b.pwm()[i]));
  for (sster::index_t i = 0; i < 7; ++i) CHECK(a.entropies()[i] == doctest::Approx(b.entropies()[i]));
  // The alphabet is sorted; matrix columns follow their letters.
  const Motif c = Motif::from_pwm("TGCA", std::vector<double>{0, 1, 0, 0});  // all G
  CHECK(c.alphabet() == "ACGT");
  CHECK(c.consensus() == "G");
  const Motif d = Motif::from_sequences("UGCA", std::vector<std::string>{"UGUA"});
  CHECK(d.alphabet() == "ACGU");
  CHECK(d.consensus() == "UGUA");
}

TEST_CASE("shows: a piece of the consensus counts only where its letters stand tall") {
  // Positions 0-4 are all A (2 bits); positions 5-9 lean weakly to A
  // (2 of 5 sequences A, the rest C, G, T): A tops them, but under 0.25 bits.
  const Motif m = Motif::from_sequences(
      "ACGT", std::vector<std::string>{"AAAAAAAAAA", "AAAAAAAAAA", "AAAAACCCCC", "AAAAAGGGGG", "AAAAATTTTT"});
  REQUIRE(m.consensus() == "AAAAAAAAAA");
  CHECK(m.shows("AAAAA"));
  CHECK(m.shows("AAA"));
  CHECK_FALSE(m.shows("C"));
  const Motif faint = Motif::from_sequences(
      "ACGT", std::vector<std::string>{"AAAAA", "AAAAA", "CCCCC", "GGGGG", "TTTTT"});
  REQUIRE(faint.consensus() == "AAAAA");
  CHECK(faint.information_content()[0] * faint.pwm(0, 0) < 0.25);
  CHECK_FALSE(faint.shows("AAAAA"));
  CHECK(faint.shows("AAAAA", 0.01));
}

TEST_CASE("bad motif input raises sster::Error") {
  CHECK_THROWS_AS(Motif::from_sequences("ACGT", std::vector<std::string>{}), sster::Error);
  CHECK_THROWS_AS(Motif::from_sequences("ACGT", std::vector<std::string>{"ACG", "AC"}), sster::Error);
  CHECK_THROWS_AS(Motif::from_sequences("ACGT", std::vector<std::string>{"ACGN"}), sster::Error);
  CHECK_THROWS_AS(Motif::from_sequences("AACGT", std::vector<std::string>{"ACG"}), sster::Error);
  CHECK_THROWS_AS(Motif::from_sequences("A", std::vector<std::string>{"A"}), sster::Error);
  CHECK_THROWS_AS(Motif::from_pwm("ACGT", std::vector<double>{1, 0, 0}), sster::Error);
  CHECK_THROWS_AS(Motif::from_pwm("ACGT", std::vector<double>{0, 0, 0, 0}), sster::Error);
  CHECK_THROWS_AS(Motif::from_pwm("ACGT", std::vector<double>{1, -1, 0, 0}), sster::Error);
  CHECK_THROWS_AS(Motif::from_pwm("ACGT", std::vector<double>{1, NAN, 0, 0}), sster::Error);
  try {
    Motif::from_sequences("ACGU", std::vector<std::string>{"ACGU", "ACTU"});
  } catch (const sster::Error& e) {
    CHECK(std::string(e.what()).find("sequence 1 position 3") != std::string::npos);
  }
}

TEST_CASE("motif logos: letter heights, PNG output, sequence over structure") {
  const Motif m = Motif::from_sequences("ACGU", std::vector<std::string>{"UGUAAAUA", "UGUAUAUA", "AGUAAAUA"});
  const auto spec = m.logo();
  REQUIRE(spec.heights.size() == 32);
  const auto ic = m.information_content();
  CHECK(spec.heights[0 * 4 + 3] == doctest::Approx(m.pwm(0, 3) * ic[0]));  // U at position 1
  const sster::Style style;
  const auto size = sster::logo_size(spec, style);
  const sster::Canvas one = m.render(style);
  CHECK(one.pixel_width() == static_cast<int>(std::lround(size.x * style.scale)));
  CHECK(one.pixel_height() == static_cast<int>(std::lround(size.y * style.scale)));

  const Motif structure = Motif::from_sequences("HIMS", std::vector<std::string>{"SSHHHHSS", "SSHHHHSS", "SSIHHHSS"});
  const std::vector<Motif> both{m, structure};
  const sster::Canvas two = sster::render_motifs(both, style);
  CHECK(two.pixel_width() == one.pixel_width());
  CHECK(two.pixel_height() == 2 * one.pixel_height());
  const auto img = sster::test::from_canvas(two);
  const auto top = sster::test::Image{img.w, img.h / 2, {img.rgba.begin(), img.rgba.begin() + img.rgba.size() / 2}};
  CHECK(sster::test::count_color(top, sster::Rgba::hex("#CC0000")) > 1000);   // U in the sequence logo
  CHECK(sster::test::count_color(top, sster::Rgba::hex("#CC00FF")) == 0);     // no S up there
  CHECK(sster::test::count_color(img, sster::Rgba::hex("#CC00FF")) > 1000);  // S below

  const auto dir = std::filesystem::temp_directory_path() / ("sster-motif-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  m.plot(dir / "motif.png");
  sster::plot_motifs(both, dir / "motif_pair.png");
  CHECK(std::filesystem::file_size(dir / "motif.png") > 1000);
  CHECK(std::filesystem::file_size(dir / "motif_pair.png") > std::filesystem::file_size(dir / "motif.png"));
  std::filesystem::remove_all(dir);
}
