// A program that uses sster, as another project would: the version header
// must agree with the version its build system reports, and oneTBB (which
// sster's dependency brings along) must link. It includes only what it uses,
// so building it takes seconds.
#include <cstdio>
#include <cstring>
#include <vector>

#include "sster/core/parallel.hpp"
#include "sster/data/alphabet.hpp"
#include "sster/version.hpp"

int main() {
  if (std::strcmp(sster::version, EXPECTED_VERSION) != 0) {
    std::fprintf(stderr, "sster/version.hpp says %s, the build system %s\n", sster::version, EXPECTED_VERSION);
    return 1;
  }
  const sster::Alphabet rna = sster::alphabet::rna();
  std::vector<int> codes(4, -1);
  sster::set_threads(2);
  sster::parallel_for_each_index(4, [&](sster::index_t i) { sster::at(codes, i) = rna.encode("ACGU"[i]); });
  if (codes != std::vector{0, 1, 2, 3}) {
    std::fprintf(stderr, "ACGU encodes as %d %d %d %d\n", codes[0], codes[1], codes[2], codes[3]);
    return 1;
  }
  std::printf("sster %s: ACGU encodes as 0 1 2 3 on %d threads\n", sster::version, sster::threads());
}
