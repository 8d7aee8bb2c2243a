#pragma once
// The tables of the partition function (McCaskill 1990) over all structures
// of RNAfold's energy model (fold/energy.hpp), for pairs (i, j) within the
// band (fold/band.hpp), and the scaled Boltzmann weights of the loops.
//
// Inside tables (unambiguous, so every structure is counted once):
//   qb(i, j)   i and j pair
//   qm1(i, j)  one multiloop stem starting at i, unpaired bases after it to j
//   qm(i, j)   at least one multiloop stem in i..j
//   z5[j], z3[i]  exterior loop over 1..j and i..n (dangles d2 make a stem's
//              exterior energy a function of the sequence alone, so a prefix
//              and a suffix weight combine by multiplication)
// Outside: out_qb(i, j), the summed weight of everything around the pair over
// Z, so P(i, j) = qb(i, j) out_qb(i, j); and, per position, the differences
// (loop_diff[p] - loop_diff[p - 1]) of the probabilities of being unpaired in
// a hairpin, bulge or interior loop, from which fold/partition.hpp finishes
// the contexts. The outside pass starts from each pair's exterior_seed, the
// weight of the exterior loop around it over Z: z5[i - 1] z3[j + 1] / Z, or,
// for RNAplfold's windows (fold/plfold.hpp), that of each window containing
// the pair summed over the windows (then P(i, j) is summed too).
//
// Overflow: every weight is scaled by `unit` per nucleotide, chosen from the
// MFE (exp(1.07 MFE / (n kT)), as ViennaRNA does), so Z stays near 1.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/fold/band.hpp"
#include "sster/fold/boltzmann.hpp"
#include "sster/fold/contexts.hpp"
#include "sster/fold/energy.hpp"
#include "sster/fold/loop_weights.hpp"
#include "sster/fold/mfe_tables.hpp"

namespace sster::fold {

struct EnsembleTables {
  index_t n = 0, width = 0;
  double unit = 1;
  std::vector<double> unit_powers, ml_base_powers, hairpin_rest, z5, z3;
  HairpinInitiations hairpins;
  const BoltzmannTable* factors = &boltzmann();
  const LoopWeights* loops = &loop_weights();
  Band<std::int8_t> types;
  Band<double> qb, qm, qm1, out_qb;
  bool windows = false;        // exterior seeds summed over windows, in window_seeds
  Band<double> window_seeds;
  std::vector<ContextProbabilities> loop_diff;  // n + 2 positions; hairpin, bulge and interior slots

  void reset(const Rna& rna, index_t band, int mfe_dcal);

  // exp(-e / kT) of an energy in dcal/mol (the process's table, looked up once).
  double weight(int e) const { return (*factors)(e); }

  double z() const { return at(z5, n); }
  double probability(index_t i, index_t j) const { return qb(i, j) * out_qb(i, j); }
  // The exterior loop around (i, j) (its stem weight aside), over Z.
  double exterior_seed(index_t i, index_t j) const {
    return windows ? window_seeds(i, j) : at(z5, i - 1) * at(z3, j + 1) / z();
  }

  // Scaled Boltzmann weights of the loops.
  double unpaired(index_t count) const { return at(unit_powers, count); }
  double multi_unpaired(index_t count) const { return unpaired(count) * at(ml_base_powers, count); }
  // Beyond 30 unpaired bases RNAfold's partition function extrapolates the
  // hairpin initiation without truncating to whole dcal/mol (its MFE does):
  // hairpin_rest holds the factor of the truncated part.
  double hairpin_weight(const Rna& rna, index_t i, index_t j) const {
    return weight(hairpin_energy(rna, i, j, hairpins(j - i - 1))) * unpaired(j - i + 1) *
           at(hairpin_rest, j - i - 1);
  }
  // The pair (i, j) closing a multiloop, as a stem in a multiloop and in the exterior loop.
  double multi_closing_weight(const Rna& rna, index_t i, index_t j) const {
    return loops->multi_closing[types(i, j)][rna.code(j - 1) + 1][rna.code(i + 1) + 1] * unpaired(2);
  }
  double multi_stem_weight(const Rna& rna, index_t i, index_t j) const {
    return loops->multi_stem[types(i, j)][rna.code(i - 1) + 1][rna.code(j + 1) + 1];
  }
  double exterior_stem_weight(const Rna& rna, index_t i, index_t j) const {
    return loops->exterior_stem[types(i, j)][rna.code(i - 1) + 1][rna.code(j + 1) + 1];
  }
  // The interior loop closed by (i, j) with inner pair (p, q), its bases scaled.
  double interior_weight(const Rna& rna, index_t i, index_t j, index_t p, index_t q) const {
    return weight(interior_energy(rna, i, j, p, q)) * unpaired(p - i + j - q);
  }

  // z5 and z3 from qb.
  void fill_exterior(const Rna& rna);
  // Adds p to the probability of `c` at positions from..to (none if from > to).
  void add_loop_range(index_t from, index_t to, Context c, double p) {
    if (from > to) return;
    at(loop_diff, from)[slot(c)] += p;
    at(loop_diff, to + 1)[slot(c)] -= p;
  }
};

inline void EnsembleTables::reset(const Rna& rna, index_t band, int mfe_dcal) {
  n = rna.length();
  width = band;
  unit = std::exp(1.07 * mfe_dcal / (kT_dcal * static_cast<double>(n)));
  const index_t powers = std::max(n + 2, max_interior + 3);  // bases of a sequence, or of an interior loop
  unit_powers.resize(to_size(powers));
  ml_base_powers.resize(to_size(powers));
  for (index_t k = 0; k < powers; ++k) {
    at(unit_powers, k) = std::pow(unit, static_cast<double>(k));
    at(ml_base_powers, k) = std::pow(weight(tp::ml_base), static_cast<double>(k));
  }
  hairpins.reserve(band);
  hairpin_rest.assign(to_size(band + 1), 1.0);
  for (index_t size = 31; size <= band; ++size) {
    const double extra = tp::lxc * std::log(static_cast<double>(size) / 30.0);
    at(hairpin_rest, size) = std::exp(-(extra - std::trunc(extra)) / kT_dcal);
  }
  fill_pair_types(rna, band, types);
  for (auto* t : {&qb, &qm, &qm1, &out_qb}) t->reset(n, band, 0.0);
  windows = false;
  loop_diff.assign(to_size(n + 2), ContextProbabilities{});
}

inline void EnsembleTables::fill_exterior(const Rna& rna) {
  z5.assign(to_size(n + 2), 1.0);
  z3.assign(to_size(n + 2), 1.0);
  for (index_t j = 1; j <= n; ++j) {
    double z = at(z5, j - 1) * unpaired(1);
    for (index_t k = std::max<index_t>(1, j - width + 1); k <= j - min_hairpin - 1; ++k)  // qb = 0: no pair
      z += at(z5, k - 1) * qb(k, j) * exterior_stem_weight(rna, k, j);
    at(z5, j) = z;
  }
  for (index_t i = n; i >= 1; --i) {
    double z = at(z3, i + 1) * unpaired(1);
    for (index_t l = i + min_hairpin + 1; l <= std::min(n, i + width - 1); ++l)
      z += qb(i, l) * exterior_stem_weight(rna, i, l) * at(z3, l + 1);
    at(z3, i) = z;
  }
  require(std::isfinite(z()) && z() > 0, "partition function: the scaled weights overflowed (sequence of " +
                                             std::to_string(n) + " nt); fold it with a smaller max_span");
}

}  // namespace sster::fold
