#include <doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <unistd.h>

#include "image_check.hpp"
#include "sster/core/atomic_file.hpp"
#include "sster/plot/png.hpp"

namespace fs = std::filesystem;
using sster::Canvas;
using sster::Rgba;

namespace {

fs::path temp_dir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("sster-plot-test-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Only the file we asked for: no temporary left behind.
int entries(const fs::path& dir) {
  int n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST_CASE("PNG round trip keeps size and pixels; opaque canvases are written as RGB") {
  Canvas c(30, 20, 2.0);
  c.fill_rect({0, 0, 15, 20}, Rgba{204, 0, 0, 255});
  const std::string png = sster::encode_png(c);
  CHECK(png.substr(1, 3) == "PNG");
  CHECK(static_cast<unsigned char>(png[25]) == 2);  // IHDR colour type 2 = RGB
  const auto img = sster::test::decode_png(png);
  REQUIRE(img.w == 60);
  REQUIRE(img.h == 40);
  CHECK(img.at(5, 5) == Rgba{204, 0, 0, 255});
  CHECK(img.at(50, 5) == sster::colors::white);
  Canvas t(4, 4, 1.0, sster::colors::transparent);
  CHECK(static_cast<unsigned char>(sster::encode_png(t)[25]) == 6);  // RGBA
}

TEST_CASE("write_png writes atomically and replaces an existing file") {
  const fs::path dir = temp_dir("write");
  const fs::path file = dir / "plot.png";
  Canvas c(10, 10);
  sster::write_png(c, file);
  CHECK(fs::exists(file));
  CHECK(sster::test::decode_png(slurp(file)).w == 10);
  Canvas d(12, 12);
  sster::write_png(d, file);
  CHECK(sster::test::decode_png(slurp(file)).w == 12);
  CHECK(entries(dir) == 1);
  fs::remove_all(dir);
}

TEST_CASE("failed writes raise sster::Error naming the file and leave no file") {
  Canvas c(10, 10);
  SUBCASE("/dev/full") {
    try {
      sster::write_png(c, "/dev/full");
      FAIL("no error");
    } catch (const sster::Error& e) {
      CHECK(std::string(e.what()).find("/dev/full") != std::string::npos);
    }
    CHECK(fs::is_character_file("/dev/full"));  // still the device, not replaced by a file
  }
  SUBCASE("missing folder") {
    const fs::path dir = temp_dir("missing");
    const fs::path file = dir / "no" / "such" / "plot.png";
    try {
      sster::write_png(c, file);
      FAIL("no error");
    } catch (const sster::Error& e) {
      CHECK(std::string(e.what()).find(file.string()) != std::string::npos);
    }
    CHECK(entries(dir) == 0);
    fs::remove_all(dir);
  }
  SUBCASE("folder is a file") {
    const fs::path dir = temp_dir("notdir");
    std::ofstream(dir / "file") << "x";
    CHECK_THROWS_AS(sster::write_png(c, dir / "file" / "plot.png"), sster::Error);
    CHECK(entries(dir) == 1);
    fs::remove_all(dir);
  }
  SUBCASE("read-only file system") {
    // /proc refuses new files even for root, unlike a chmod-ed folder.
    CHECK_THROWS_AS(sster::write_png(c, "/proc/sster-plot-test.png"), sster::Error);
    CHECK_FALSE(fs::exists("/proc/sster-plot-test.png"));
  }
  SUBCASE("unwritable folder") {
    if (::geteuid() == 0) return;  // root writes anywhere; covered by /proc above
    const fs::path dir = temp_dir("readonly");
    fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec);
    CHECK_THROWS_AS(sster::write_png(c, dir / "plot.png"), sster::Error);
    fs::permissions(dir, fs::perms::owner_all);
    CHECK(entries(dir) == 0);
    fs::remove_all(dir);
  }
  SUBCASE("target is a folder") {
    const fs::path dir = temp_dir("isdir");
    CHECK_THROWS_AS(sster::write_png(c, dir), sster::Error);
    CHECK(fs::is_directory(dir));
    fs::remove_all(dir);
  }
}
