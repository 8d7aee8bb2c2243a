#pragma once
// Boltzmann factors of the loop parts that depend only on a pair's type and
// the bases beside it, tabulated once for the process: the partition
// function looks them up per pair instead of summing the energy and looking
// up its factor.
#include "sster/fold/boltzmann.hpp"
#include "sster/fold/energy.hpp"
#include "sster/fold/loop_parts.hpp"

namespace sster::fold {

struct LoopWeights {
  // [type][s5 + 1][s3 + 1], s = -1 (no base) .. 4: a stem (i, j) with bases s5 =
  // i - 1 and s3 = j + 1 beside it, in the exterior loop or in a multiloop.
  double exterior_stem[8][6][6], multi_stem[8][6][6];
  // [type][sj + 1][si + 1]: a multiloop closed by (i, j) of `type`, with sj = j - 1 and si = i + 1.
  double multi_closing[8][6][6];
  // [kind][type][si][sj] and [kind][type][sp][sq]: the outer and inner parts
  // of the separable interior loops (fold/loop_parts.hpp).
  double outer[loop_kinds][8][5][5], inner[loop_kinds][8][5][5];

  LoopWeights() {
    const BoltzmannTable& b = boltzmann();
    for (int type = 0; type < 8; ++type) {
      for (int s5 = -1; s5 <= 4; ++s5)
        for (int s3 = -1; s3 <= 4; ++s3) {
          exterior_stem[type][s5 + 1][s3 + 1] = b(exterior_stem_energy(type, s5, s3));
          multi_stem[type][s5 + 1][s3 + 1] = b(multi_stem_energy(type, s5, s3));
          multi_closing[type][s5 + 1][s3 + 1] = b(tp::ml_closing + multi_stem_energy(reversed_pair[type], s5, s3));
        }
      for (int kind = 0; kind < loop_kinds; ++kind)
        for (int x = 0; x <= 4; ++x)
          for (int y = 0; y <= 4; ++y) {
            outer[kind][type][x][y] = b(outer_part(LoopKind(kind), {type, x, y}));
            inner[kind][type][x][y] = b(inner_part(LoopKind(kind), {type, x, y}));
          }
    }
  }
};

// One table for the process (built on first use, thread-safe).
inline const LoopWeights& loop_weights() {
  static const LoopWeights weights;
  return weights;
}

}  // namespace sster::fold
