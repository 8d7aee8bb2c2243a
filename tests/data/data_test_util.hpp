#pragma once
// Helpers for the data tests: the shared test inputs, a scratch directory,
// and files written with zlib directly (not with sster's own writer).
#include <doctest.h>
#include <zlib.h>

#include <cstdint>
#include <string>

#include "temp_dir.hpp"

#ifndef SSTER_SHARED_DATA
#error "tests/data/meson.build defines SSTER_SHARED_DATA"
#endif

namespace sster::test {

inline std::string pysster_file(const std::string& name) {
  return std::string(SSTER_SHARED_DATA) + "/pysster-tests/" + name;
}
inline std::string tutorial_file(const std::string& name) {
  return std::string(SSTER_SHARED_DATA) + "/tutorial/" + name;
}

// gzip with zlib's gzFile API.
inline void write_gz(const std::string& path, const std::string& content) {
  gzFile f = gzopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  REQUIRE(gzwrite(f, content.data(), static_cast<unsigned>(content.size())) == static_cast<int>(content.size()));
  REQUIRE(gzclose(f) == Z_OK);
}
// The bytes with their last 4 replaced by the CRC-32 of the rest (zlib's,
// not sster's), as a crafted file carries it.
inline std::string with_crc(std::string bytes) {
  REQUIRE(bytes.size() >= 4);
  const auto crc = static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size() - 4)));
  for (std::size_t b = 0; b < 4; ++b) bytes[bytes.size() - 4 + b] = static_cast<char>(crc >> (8 * b));
  return bytes;
}
// Windows line ends -> "\n" (pysster's reference files use CRLF).
inline std::string unix_lines(std::string s) {
  std::string out;
  for (char c : s)
    if (c != '\r') out += c;
  return out;
}

}  // namespace sster::test
