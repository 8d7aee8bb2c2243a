#pragma once
// Helpers for the data tests: the shared test inputs, a scratch directory,
// and files written with zlib directly (not with sster's own writer).
#include <doctest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

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

// A fresh directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sster-data-test-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::string& path, const std::string& content) {
  std::ofstream f(path, std::ios::binary);
  f << content;
  REQUIRE(f.good());
}
inline std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  REQUIRE(f.good());
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}
// gzip with zlib's gzFile API.
inline void write_gz(const std::string& path, const std::string& content) {
  gzFile f = gzopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  REQUIRE(gzwrite(f, content.data(), static_cast<unsigned>(content.size())) == static_cast<int>(content.size()));
  REQUIRE(gzclose(f) == Z_OK);
}
// Windows line ends -> "\n" (pysster's reference files use CRLF).
inline std::string unix_lines(std::string s) {
  std::string out;
  for (char c : s)
    if (c != '\r') out += c;
  return out;
}

}  // namespace sster::test
