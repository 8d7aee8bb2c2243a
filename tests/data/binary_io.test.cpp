#include "sster/data/binary_io.hpp"

#include <doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "data_test_util.hpp"

using namespace sster;
using sster::test::TempDir;

namespace {
std::size_t files_in(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}
}  // namespace

TEST_CASE("binary values round-trip with a checksum") {
  TempDir dir;
  const std::vector<float> floats{1.5f, -2.0f, 3.25f};
  {
    AtomicFile f(dir.file("x.bin"));
    BinaryOut out(f);
    out.put(std::uint32_t{0xDEADBEEF});
    out.put(std::int64_t{-5});
    out.put(0.1);
    out.string("héllo");
    out.array(floats.data(), floats.size());
    out.finish();
    f.commit();
  }
  CHECK(files_in(dir.path()) == 1);  // the temporary file was renamed, not copied
  BinaryIn in(dir.file("x.bin"));
  CHECK(in.get<std::uint32_t>() == 0xDEADBEEF);
  CHECK(in.get<std::int64_t>() == -5);
  CHECK(in.get<double>() == 0.1);
  CHECK(in.string() == "héllo");
  std::vector<float> back(3);
  in.array(back.data(), 3);
  CHECK(back == floats);
  CHECK_NOTHROW(in.verify_checksum());
  // Little-endian on disk.
  const std::string raw = test::read_file(dir.file("x.bin"));
  CHECK(static_cast<unsigned char>(raw[0]) == 0xEF);
  CHECK(static_cast<unsigned char>(raw[3]) == 0xDE);
}

TEST_CASE("a damaged or short file is reported, not read past its end") {
  TempDir dir;
  {
    AtomicFile f(dir.file("x.bin"));
    BinaryOut out(f);
    out.put(std::uint64_t{123456789});
    out.string("payload");
    out.finish();
    f.commit();
  }
  std::string raw = test::read_file(dir.file("x.bin"));
  raw[14] = static_cast<char>(raw[14] ^ 1);  // inside "payload"
  test::write_file(dir.file("flip.bin"), raw);
  {
    BinaryIn in(dir.file("flip.bin"));
    in.get<std::uint64_t>();
    in.string();
    CHECK_THROWS_WITH_AS(in.verify_checksum(), doctest::Contains("flip.bin: not a valid file: checksum mismatch"), Error);
  }
  test::write_file(dir.file("short.bin"), raw.substr(0, 10));
  {
    BinaryIn in(dir.file("short.bin"));
    CHECK_THROWS_WITH_AS(in.get<std::uint64_t>(), doctest::Contains("short.bin: not a valid file: it ends early"), Error);
  }
  {
    BinaryIn in(dir.file("x.bin"));
    CHECK_THROWS_WITH_AS(in.check_count(1000, 8), doctest::Contains("does not fit in the file"), Error);
  }
  CHECK_THROWS_WITH_AS(BinaryIn(dir.file("missing.bin")), doctest::Contains("missing.bin: cannot open file"), Error);
}

TEST_CASE("an uncommitted atomic file leaves nothing behind and keeps the old file") {
  TempDir dir;
  test::write_file(dir.file("keep.txt"), "old");
  try {
    AtomicFile f(dir.file("keep.txt"));
    f.write("new and partial", 15);
    throw Error("simulated failure");
  } catch (const Error&) {
  }
  CHECK(test::read_file(dir.file("keep.txt")) == "old");
  CHECK(files_in(dir.path()) == 1);
  CHECK_THROWS_WITH_AS(AtomicFile(dir.file("no/such/dir/x")), doctest::Contains("No such file or directory"), Error);
}

TEST_CASE("write_text_file gzips by name, and the result inflates back") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += ">r" + std::to_string(i) + "\nACGUACGU\n";
  write_text_file(dir.file("a.fa"), text);
  write_text_file(dir.file("a.fa.gz"), text);
  CHECK(test::read_file(dir.file("a.fa")) == text);
  const std::string gz = test::read_file(dir.file("a.fa.gz"));
  CHECK(gz.size() < text.size() / 4);
  // Inflate with zlib's own reader.
  gzFile f = gzopen(dir.file("a.fa.gz").c_str(), "rb");
  REQUIRE(f != nullptr);
  std::string back(text.size() + 16, '\0');
  const int got = gzread(f, back.data(), static_cast<unsigned>(back.size()));
  gzclose(f);
  CHECK(got == static_cast<int>(text.size()));
  back.resize(to_size(got));
  CHECK(back == text);
}
