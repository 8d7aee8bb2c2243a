#include <doctest.h>

#include <cstdio>
#include <string>

#include "sster/dist/job_error.hpp"
#include "sster/dist/shards.hpp"

using namespace sster;

// One process (no mpirun): the dist/ helpers step aside, so a subcommand
// written for MPI runs exactly as before.

TEST_CASE("one process: its share is every item, its part goes straight into the output") {
  auto& world = dist::Communicator::world();
  REQUIRE(!world.distributed());
  const ChunkRange all = dist::share(17, world);
  CHECK(all.begin == 0);
  CHECK(all.end == 17);
  std::FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  dist::write_in_order(world, out, [&](std::FILE* part) {
    CHECK(part == out);
    std::fputs("rows\n", part);
  });
  std::rewind(out);
  char line[16] = {};
  CHECK(std::fgets(line, sizeof line, out) != nullptr);
  CHECK(std::string(line) == "rows\n");
  std::fclose(out);
}

TEST_CASE("one process: run_together rethrows the error itself, not a JobError") {
  auto& world = dist::Communicator::world();
  bool plain = false;
  try {
    dist::run_together(world, [] { throw Error("bad.fa record 3: expected ACGT"); });
  } catch (const dist::JobError&) {
  } catch (const Error& e) {
    plain = std::string(e.what()) == "bad.fa record 3: expected ACGT";
  }
  CHECK(plain);
  CHECK(world.any(true));
  CHECK(!world.any(false));
  CHECK(world.all_gather(std::span<const double>(std::vector<double>{1.5, 2.5})) == std::vector<double>{1.5, 2.5});
}
