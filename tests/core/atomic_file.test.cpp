#include "sster/core/atomic_file.hpp"

#include <doctest.h>

#include <filesystem>
#include <string>

#include "temp_dir.hpp"

using namespace sster;
using sster::test::TempDir;

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
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 1);
  CHECK_THROWS_WITH_AS(AtomicFile(dir.file("no/such/dir/x")), doctest::Contains("No such file or directory"), Error);
}

