#include "sster/data/line_reader.hpp"

#include <doctest.h>

#include <string>
#include <vector>

#include "data_test_util.hpp"

using namespace sster;
using sster::test::TempDir;

namespace {
std::vector<std::string> all_lines(const std::string& path, std::size_t block = std::size_t{1} << 20) {
  LineReader r(path, block);
  std::vector<std::string> out;
  std::string_view line;
  while (r.next(line)) {
    out.emplace_back(line);
    CHECK(r.line_number() == static_cast<index_t>(out.size()));
  }
  return out;
}
std::string error_of(const std::string& path) {
  try {
    all_lines(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}
// Text with long and short lines, a few MB when n is large.
std::string sample_text(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    s += ">record_" + std::to_string(i) + "\n";
    s += std::string(to_size(1 + (i * 7919) % 300), "ACGT"[i % 4]) + "\n";
  }
  return s;
}
}  // namespace

TEST_CASE("lines: \\n and \\r\\n line ends, empty lines, no final line break") {
  TempDir dir;
  test::write_file(dir.file("a.txt"), "one\r\ntwo\n\nfour\r\nlast");
  CHECK(all_lines(dir.file("a.txt")) == std::vector<std::string>{"one", "two", "", "four", "last"});
  test::write_file(dir.file("b.txt"), "x\n");
  CHECK(all_lines(dir.file("b.txt")) == std::vector<std::string>{"x"});
  test::write_file(dir.file("empty.txt"), "");
  CHECK(all_lines(dir.file("empty.txt")).empty());
}

TEST_CASE("lines longer than the block grow the buffer") {
  TempDir dir;
  const std::string text = sample_text(200);
  test::write_file(dir.file("a.txt"), text);
  const auto big = all_lines(dir.file("a.txt"));
  CHECK(big.size() == 400);
  CHECK(all_lines(dir.file("a.txt"), 16) == big);
  CHECK(all_lines(dir.file("a.txt"), 17) == big);
}

TEST_CASE("gzip is detected by its magic bytes and reads the same lines as plain text") {
  TempDir dir;
  const std::string text = sample_text(5000);  // ~0.8 MB: several inflate blocks
  test::write_file(dir.file("plain.gz"), text);  // misleading names on purpose
  test::write_gz(dir.file("packed.txt"), text);
  LineReader plain(dir.file("plain.gz")), packed(dir.file("packed.txt"));
  std::string_view a, b;
  plain.next(a);
  packed.next(b);
  CHECK_FALSE(plain.gzipped());
  CHECK(packed.gzipped());
  const auto lines = all_lines(dir.file("plain.gz"));
  CHECK(all_lines(dir.file("packed.txt")) == lines);
  CHECK(all_lines(dir.file("packed.txt"), 64) == lines);
  CHECK(lines.size() == 10000);
}

TEST_CASE("concatenated gzip members are one stream") {
  TempDir dir;
  test::write_gz(dir.file("a.gz"), "first\nsecond\n");
  test::write_gz(dir.file("b.gz"), "third\n");
  test::write_file(dir.file("ab.gz"), test::read_file(dir.file("a.gz")) + test::read_file(dir.file("b.gz")));
  CHECK(all_lines(dir.file("ab.gz")) == std::vector<std::string>{"first", "second", "third"});
}

TEST_CASE("a truncated or corrupt gzip file is an error naming the file") {
  TempDir dir;
  test::write_gz(dir.file("full.gz"), sample_text(3000));
  const std::string gz = test::read_file(dir.file("full.gz"));
  for (std::size_t cut : {std::size_t{4}, std::size_t{9}, gz.size() / 2, gz.size() - 11}) {
    test::write_file(dir.file("cut.fa.gz"), gz.substr(0, gz.size() - cut));
    const auto msg = error_of(dir.file("cut.fa.gz"));
    CHECK_MESSAGE(msg.find("cut.fa.gz: truncated gzip file") != std::string::npos, msg);
  }
  std::string bad = gz;
  for (std::size_t i = gz.size() / 3; i < gz.size() / 3 + 64; ++i) bad[i] = static_cast<char>(bad[i] ^ 0x5A);
  test::write_file(dir.file("bad.gz"), bad);
  const auto msg = error_of(dir.file("bad.gz"));
  CHECK_MESSAGE(msg.find("bad.gz: corrupt gzip data") != std::string::npos, msg);
}

TEST_CASE("missing files and directories are errors naming the path") {
  TempDir dir;
  const auto missing = error_of(dir.file("nope.fa"));
  CHECK(missing.find("nope.fa: cannot open file") != std::string::npos);
  const auto is_dir = error_of(dir.path().string());
  CHECK(is_dir.find("is a directory") != std::string::npos);
}

TEST_CASE("the block fits the file: a small file, a gzip that inflates 1000x") {
  TempDir dir;
  const std::string line(300000, 'A');  // gzip shrinks it ~1000x: its size hint is far too small
  test::write_gz(dir.file("packed.gz"), ">x\n" + line + "\n>y\nC\n");
  CHECK(all_lines(dir.file("packed.gz")) == std::vector<std::string>{">x", line, ">y", "C"});
  test::write_file(dir.file("small.txt"), "a\nbb\nccc");
  CHECK(all_lines(dir.file("small.txt")) == std::vector<std::string>{"a", "bb", "ccc"});
}
