#include "sster/core/binary_file.hpp"

#include <doctest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "temp_dir.hpp"

using namespace sster;
using sster::test::TempDir;

namespace {
std::size_t files_in(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

// A small container: header, a count, that many floats, the checksum.
std::string small_container(const std::vector<float>& values) {
  std::string bytes;
  BinaryWriter out(bytes);
  out.header("TEST", 3);
  out.put(static_cast<std::uint64_t>(values.size()));
  out.array(values.data(), values.size());
  out.finish();
  return bytes;
}
// Reads small_container's content; throws on bad content like a format would.
std::vector<float> read_small(BinaryReader& in) {
  require(in.header().magic == "TEST", "not a test file");
  std::vector<float> v(in.check_count(in.get<std::uint64_t>(), 4));
  in.array(v.data(), v.size());
  for (float x : v) require(x >= 0, "negative value");
  in.verify_checksum();
  return v;
}
// What diagnose() says after read_small fails, or "read" when it succeeds.
std::string outcome(std::string_view bytes) {
  BinaryReader in(bytes, "t.bin");
  try {
    read_small(in);
    return "read";
  } catch (const Error&) {
    switch (in.diagnose()) {
      case BinaryReader::Failure::malformed: return "malformed";
      case BinaryReader::Failure::truncated: return "truncated";
      case BinaryReader::Failure::damaged: return "damaged";
    }
  }
  return "";
}
}  // namespace

TEST_CASE("binary values round-trip with a checksum") {
  TempDir dir;
  const std::vector<float> floats{1.5f, -2.0f, 3.25f};
  {
    AtomicFile f(dir.file("x.bin"));
    BinaryWriter out(f);
    out.put(std::uint32_t{0xDEADBEEF});
    out.put(std::int64_t{-5});
    out.put(0.1);
    out.string("héllo");
    out.array(floats.data(), floats.size());
    out.finish();
    f.commit();
  }
  CHECK(files_in(dir.path()) == 1);  // the temporary file was renamed, not copied
  BinaryReader in(dir.file("x.bin"));
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
    BinaryWriter out(f);
    out.put(std::uint64_t{123456789});
    out.string("payload");
    out.finish();
    f.commit();
  }
  std::string raw = test::read_file(dir.file("x.bin"));
  raw[14] = static_cast<char>(raw[14] ^ 1);  // inside "payload"
  test::write_file(dir.file("flip.bin"), raw);
  {
    BinaryReader in(dir.file("flip.bin"));
    in.get<std::uint64_t>();
    in.string();
    CHECK_THROWS_WITH_AS(in.verify_checksum(), doctest::Contains("flip.bin: not a valid file: checksum mismatch"), Error);
  }
  test::write_file(dir.file("short.bin"), raw.substr(0, 10));
  {
    BinaryReader in(dir.file("short.bin"));
    CHECK_THROWS_WITH_AS(in.get<std::uint64_t>(), doctest::Contains("short.bin: not a valid file: it ends early"), Error);
  }
  {
    BinaryReader in(dir.file("x.bin"));
    CHECK_THROWS_WITH_AS(in.check_count(1000, 8), doctest::Contains("does not fit in the file"), Error);
  }
  CHECK_THROWS_WITH_AS(BinaryReader(dir.file("missing.bin")), doctest::Contains("missing.bin: cannot open file"), Error);
}

TEST_CASE("a container written to memory and to a file has the same bytes, read back by either reader") {
  TempDir dir;
  const std::vector<float> values{0.5f, 2.0f, 7.25f};
  const std::string memory = small_container(values);
  {
    AtomicFile f(dir.file("c.bin"));
    BinaryWriter out(f);
    out.header("TEST", 3);
    out.put(static_cast<std::uint64_t>(values.size()));
    out.array(values.data(), values.size());
    out.finish();
    f.commit();
  }
  REQUIRE(test::read_file(dir.file("c.bin")) == memory);
  CHECK(memory.size() == 8 + 8 + 12 + 4);
  CHECK(crc32_of(std::string_view(memory).substr(0, memory.size() - 4)) ==
        (static_cast<std::uint32_t>(static_cast<unsigned char>(memory[memory.size() - 4])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(memory[memory.size() - 3])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(memory[memory.size() - 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(memory[memory.size() - 1])) << 24));
  BinaryReader from_file(dir.file("c.bin"));
  BinaryReader from_memory(memory, "memory");
  CHECK(from_file.prefix(4) == "TEST");
  CHECK(read_small(from_file) == values);
  CHECK(read_small(from_memory) == values);
  BinaryReader header(memory, "memory");
  const auto h = header.header();
  CHECK(h.magic == "TEST");
  CHECK(h.version == 3);
}

TEST_CASE("after a failed parse, the checksum tells malformed, truncated and damaged files apart") {
  const std::string good = small_container({1, 2, 3, 4});
  CHECK(outcome(good) == "read");
  // Intact bytes, content the format refuses: malformed.
  CHECK(outcome(small_container({1, -2})) == "malformed");
  // Cut anywhere after the header: the content needs more bytes than there are.
  for (std::size_t cut = 12; cut < good.size(); ++cut) {
    CAPTURE(cut);
    CHECK(outcome(good.substr(0, cut)) == "truncated");
  }
  // A bit flipped anywhere after the header, even one the parse accepts.
  for (std::size_t at = 8; at < good.size(); ++at) {
    std::string flipped = good;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x08);
    CAPTURE(at);
    CHECK(outcome(flipped) == (at < 16 ? "truncated" : "damaged"));  // a larger count claims more bytes
  }
}
