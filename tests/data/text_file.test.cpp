#include "sster/data/text_file.hpp"

#include <doctest.h>

#include <string>

#include "data_test_util.hpp"

using namespace sster;
using sster::test::TempDir;

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
