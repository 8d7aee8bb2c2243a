#pragma once
// The partition function (McCaskill 1990) over all structures of RNAfold's
// energy model (fold/energy.hpp), its outside counterpart, and what they give:
// the ensemble free energy, base-pair probabilities and per position the
// probability of each structural context (fold/contexts.hpp).
//
// Inside tables (unambiguous, so every structure is counted once):
//   qb(i, j)   i and j pair
//   qm1(i, j)  one multiloop stem starting at i, unpaired bases after it to j
//   qm(i, j)   at least one multiloop stem in i..j
//   z5[j], z3[i]  exterior loop over 1..j and i..n (dangles d2 make a stem's
//              exterior energy a function of the sequence alone, so a prefix
//              and a suffix weight combine by multiplication)
// Outside tables hold, for each inside entry, the summed weight of everything
// around it; P(i, j) = qb(i, j) outside_qb(i, j) / Z.
//
// Overflow: every weight is scaled by `unit` per nucleotide, chosen from the
// MFE (exp(1.07 MFE / (n kT)), as ViennaRNA does), so Z stays near 1; a
// result that is not finite throws.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/fold/band.hpp"
#include "sster/fold/boltzmann.hpp"
#include "sster/fold/contexts.hpp"
#include "sster/fold/energy.hpp"
#include "sster/fold/mfe.hpp"
#include "sster/fold/options.hpp"

namespace sster::fold {

struct BasePair {
  index_t i, j;  // 1-based, i < j
  double probability;
};

struct Ensemble {
  double energy = 0;                        // ensemble free energy -kT ln Z, kcal/mol
  Mfe mfe;                                  // computed on the way (it sets the scale)
  std::vector<BasePair> pairs;              // every pair with probability >= the cutoff
  std::vector<ContextProbabilities> contexts;  // per position
};

struct PartitionOptions {
  FoldOptions fold;
  double pair_cutoff = 1e-5;  // pairs less likely than this are left out of Ensemble::pairs
};

class PartitionFolder {
 public:
  // Fills the inside and outside tables; then pairs(), contexts() and
  // sample() read them until the next call.
  Ensemble fold(const Rna& rna, const PartitionOptions& options = {}) {
    Ensemble out;
    out.mfe = mfe_.fold(rna, options.fold);
    inside(rna, band_width(rna.length(), options.fold), out.mfe.energy_dcal);
    out.energy = ensemble_energy();
    outside(rna);
    out.pairs = pairs(options.pair_cutoff);
    out.contexts = contexts_;
    return out;
  }

  double ensemble_energy() const {
    // ln Z of the unscaled weights = ln(z) - n ln(unit)
    return -kT_dcal / 100.0 * (std::log(z()) - static_cast<double>(n_) * std::log(unit_));
  }
  double z() const { return at(z5_, n_); }

  // P(i, j) for every pair of the band at or above `cutoff`, by i then j.
  std::vector<BasePair> pairs(double cutoff) const {
    std::vector<BasePair> out;
    for (index_t i = 1; i <= n_; ++i)
      for (index_t j = i + min_hairpin + 1; j <= std::min(n_, i + width_ - 1); ++j)
        if (const double p = probability(i, j); p >= cutoff && p > 0) out.push_back({i, j, p});
    return out;
  }
  double probability(index_t i, index_t j) const { return qb_(i, j) * outside_qb_(i, j) / z(); }
  const std::vector<ContextProbabilities>& contexts() const { return contexts_; }

  // A structure drawn from the Boltzmann ensemble (Ding & Lawrence 2003);
  // `uniform` returns numbers in [0, 1).
  template <class Uniform>
  std::string sample(const Rna& rna, Uniform&& uniform) const;

 private:
  // Scaled Boltzmann weights of the loops.
  double unpaired(index_t count) const { return at(unit_powers_, count); }
  // Beyond 30 unpaired bases RNAfold's partition function extrapolates the
  // hairpin initiation without truncating to whole dcal/mol (its MFE does).
  double hairpin_weight(const Rna& rna, index_t i, index_t j) const {
    const index_t size = j - i - 1;
    double w = boltzmann()(hairpin_energy(rna, i, j)) * unpaired(j - i + 1);
    if (size > 30) {
      const double extra = tp::lxc * std::log(static_cast<double>(size) / 30.0);
      w *= std::exp(-(extra - std::trunc(extra)) / kT_dcal);
    }
    return w;
  }
  double multi_closing_weight(const Rna& rna, index_t i, index_t j) const {
    return boltzmann()(multi_closing_energy(rna, i, j)) * unpaired(2);
  }
  double multi_stem_weight(const Rna& rna, index_t i, index_t j) const {
    return boltzmann()(multi_stem_energy(types_(i, j), rna.code(i - 1), rna.code(j + 1)));
  }
  double exterior_stem_weight(const Rna& rna, index_t i, index_t j) const {
    return boltzmann()(exterior_stem_energy(types_(i, j), rna.code(i - 1), rna.code(j + 1)));
  }
  double multi_unpaired(index_t count) const { return unpaired(count) * at(ml_base_powers_, count); }

  // Calls fn(p, q, weight) for every interior loop closed by (i, j) with inner
  // pair (p, q): weight = Boltzmann factor of the loop x scale of its bases.
  template <class Fn>
  void for_each_interior(const Rna& rna, index_t i, index_t j, Fn&& fn) const {
    const int type = types_(i, j), si1 = rna.code(i + 1), sj1 = rna.code(j - 1);
    for (index_t p = i + 1; p <= std::min(i + max_interior + 1, j - min_hairpin - 2); ++p) {
      const index_t u1 = p - i - 1;
      const index_t q_min = std::max(p + min_hairpin + 1, j - 1 - (max_interior - u1));
      const int sp1 = rna.code(p - 1);
      for (index_t q = j - 1; q >= q_min; --q) {
        const int type_in = types_(p, q);
        if (type_in == 0) continue;
        const int e = interior_energy(type, reversed_pair[type_in], si1, sj1, sp1, rna.code(q + 1), u1, j - q - 1);
        fn(p, q, boltzmann()(e) * unpaired(u1 + j - q + 1));
      }
    }
  }
  // The same loops seen from the inner pair (p, q): fn(i, j, weight).
  template <class Fn>
  void for_each_enclosing(const Rna& rna, index_t p, index_t q, Fn&& fn) const {
    const int type_in = reversed_pair[types_(p, q)], sp1 = rna.code(p - 1), sq1 = rna.code(q + 1);
    for (index_t i = p - 1; i >= std::max<index_t>(1, p - max_interior - 1); --i) {
      const index_t u1 = p - i - 1;
      const int si1 = rna.code(i + 1);
      const index_t j_max = std::min({n_, q + 1 + (max_interior - u1), i + width_ - 1});
      for (index_t j = q + 1; j <= j_max; ++j) {
        const int type = types_(i, j);
        if (type == 0) continue;
        const int e = interior_energy(type, type_in, si1, rna.code(j - 1), sp1, sq1, u1, j - q - 1);
        fn(i, j, boltzmann()(e) * unpaired(u1 + j - q + 1));
      }
    }
  }

  void reset(const Rna& rna, index_t width, int mfe_dcal) {
    n_ = rna.length();
    width_ = width;
    unit_ = std::exp(1.07 * mfe_dcal / (kT_dcal * static_cast<double>(n_)));
    unit_powers_.resize(to_size(n_ + 2));
    ml_base_powers_.resize(to_size(n_ + 2));
    for (index_t k = 0; k <= n_ + 1; ++k) {
      at(unit_powers_, k) = std::pow(unit_, static_cast<double>(k));
      at(ml_base_powers_, k) = std::pow(boltzmann()(tp::ml_base), static_cast<double>(k));
    }
    fill_pair_types(rna, width, types_);
    for (auto* t : {&qb_, &qm_, &qm1_, &outside_qb_}) t->reset(n_, width, 0.0);
    for (auto* t : {&qm_cols_, &qm1_cols_, &outside_qm_cols_, &outside_multi_cols_}) t->reset(n_, width, 0.0);
    outside_qm_.reset(n_, width, 0.0);
  }

  void inside(const Rna& rna, index_t width, int mfe_dcal) {
    reset(rna, width, mfe_dcal);
    for (index_t i = n_; i >= 1; --i) {
      for (index_t j = i + min_hairpin + 1; j <= std::min(n_, i + width - 1); ++j) {
        double stem = 0;
        if (types_(i, j) != 0) {
          double q = hairpin_weight(rna, i, j);
          for_each_interior(rna, i, j, [&](index_t p, index_t r, double w) { q += w * qb_(p, r); });
          double multi = 0;
          for (index_t k = i + 6; k <= j - 5; ++k) multi += qm_(i + 1, k - 1) * qm1_cols_(k, j - 1);
          qb_(i, j) = q + multi * multi_closing_weight(rna, i, j);
          stem = qb_(i, j) * multi_stem_weight(rna, i, j);
        }
        qm1_(i, j) = qm1_cols_(i, j) = stem + qm1_(i, j - 1) * multi_unpaired(1);
        double qm = 0;
        for (index_t k = i; k <= j - 4; ++k)
          qm += (multi_unpaired(k - i) + (k - 1 >= i ? qm_(i, k - 1) : 0.0)) * qm1_cols_(k, j);
        qm_(i, j) = qm_cols_(i, j) = qm;
      }
    }
    z5_.assign(to_size(n_ + 2), 1.0);
    z3_.assign(to_size(n_ + 2), 1.0);
    for (index_t j = 1; j <= n_; ++j) {
      double z = at(z5_, j - 1) * unpaired(1);
      for (index_t k = std::max<index_t>(1, j - width + 1); k <= j - min_hairpin - 1; ++k)
        if (types_(k, j) != 0) z += at(z5_, k - 1) * qb_(k, j) * exterior_stem_weight(rna, k, j);
      at(z5_, j) = z;
    }
    for (index_t i = n_; i >= 1; --i) {
      double z = at(z3_, i + 1) * unpaired(1);
      for (index_t l = i + min_hairpin + 1; l <= std::min(n_, i + width - 1); ++l)
        if (types_(i, l) != 0) z += qb_(i, l) * exterior_stem_weight(rna, i, l) * at(z3_, l + 1);
      at(z3_, i) = z;
    }
    require(std::isfinite(z()) && z() > 0,
            "partition function: the scaled weights overflowed (sequence of " + std::to_string(n_) +
                " nt); fold it with a smaller max_span");
  }

  // Outside pass, from the widest pairs inwards: i ascending, j descending.
  // Loop contexts are summed on the way into difference arrays over positions.
  void outside(const Rna& rna) {
    std::vector<ContextProbabilities> diff(to_size(n_ + 2), ContextProbabilities{});
    auto add_range = [&](index_t from, index_t to, Context c, double p) {
      if (from > to) return;
      at(diff, from)[slot(c)] += p;
      at(diff, to + 1)[slot(c)] -= p;
    };
    const double zz = z();
    for (index_t i = 1; i <= n_; ++i) {
      for (index_t j = std::min(n_, i + width_ - 1); j >= i + min_hairpin + 1; --j) {
        // qm(i, j): as the head of a longer qm(i, j') or of a multiloop closed by (i - 1, j').
        double out_qm = 0;
        for (index_t jj = j + 5; jj <= std::min(n_, i + width_ - 1); ++jj) out_qm += outside_qm_(i, jj) * qm1_(j + 1, jj);
        if (i >= 2)
          for (index_t jj = j + 6; jj <= std::min(n_, i - 1 + width_ - 1); ++jj)
            out_qm += outside_multi_cols_(i - 1, jj) * qm1_(j + 1, jj - 1);
        outside_qm_(i, j) = outside_qm_cols_(i, j) = out_qm;
        // qm1(i, j): the last stem of qm(h, j) for h <= i, the last of a multiloop
        // closed by (h, j + 1), or qm1(i, j + 1) minus its last unpaired base.
        double out_qm1 = j + 1 <= std::min(n_, i + width_ - 1) ? outside_qm1_row_ * multi_unpaired(1) : 0.0;
        for (index_t h = i; h >= std::max<index_t>(1, j - width_ + 1); --h)
          out_qm1 += outside_qm_cols_(h, j) * (multi_unpaired(i - h) + (i - 1 >= h ? qm_cols_(h, i - 1) : 0.0));
        if (j + 1 <= n_)
          for (index_t h = i - 6; h >= std::max<index_t>(1, j + 1 - width_ + 1); --h)
            out_qm1 += outside_multi_cols_(h, j + 1) * qm_cols_(h + 1, i - 1);
        outside_qm1_row_ = out_qm1;
        if (types_(i, j) == 0) {
          outside_qb_(i, j) = 0;
          continue;
        }
        // qb(i, j): a stem of the exterior loop, inside an interior loop, or a multiloop stem.
        double out = at(z5_, i - 1) * exterior_stem_weight(rna, i, j) * at(z3_, j + 1);
        const double inner = qb_(i, j);
        for_each_enclosing(rna, i, j, [&](index_t h, index_t l, double w) {
          const double o = outside_qb_(h, l) * w;
          out += o;
          const double p = o * inner / zz;
          const index_t left = i - h - 1, right = l - j - 1;
          const Context c = left == 0 && right == 0 ? Context::paired_5
                            : left == 0 || right == 0 ? Context::bulge
                                                      : Context::interior;
          if (c == Context::paired_5) return;  // a stack leaves no base unpaired
          add_range(h + 1, i - 1, c, p);
          add_range(j + 1, l - 1, c, p);
        });
        out += multi_stem_weight(rna, i, j) * out_qm1;
        outside_qb_(i, j) = out;
        outside_multi_cols_(i, j) = out * multi_closing_weight(rna, i, j);
        add_range(i + 1, j - 1, Context::hairpin, out * hairpin_weight(rna, i, j) / zz);
      }
      outside_qm1_row_ = 0;
    }
    finish_contexts(diff);
  }

  void finish_contexts(const std::vector<ContextProbabilities>& diff) {
    contexts_.assign(to_size(n_), ContextProbabilities{});
    std::vector<double> open(to_size(n_ + 2), 0.0), close(to_size(n_ + 2), 0.0);
    for (index_t i = 1; i <= n_; ++i)
      for (index_t j = i + min_hairpin + 1; j <= std::min(n_, i + width_ - 1); ++j)
        if (types_(i, j) != 0) {
          const double p = probability(i, j);
          at(open, i) += p;
          at(close, j) += p;
        }
    ContextProbabilities running{};
    const double zz = z();
    for (index_t k = 1; k <= n_; ++k) {
      for (std::size_t c = 0; c < running.size(); ++c) running[c] += at(diff, k)[c];
      ContextProbabilities& p = at(contexts_, k - 1);
      for (Context c : {Context::hairpin, Context::bulge, Context::interior}) p[slot(c)] = std::max(0.0, running[slot(c)]);
      p[slot(Context::paired_5)] = at(open, k);
      p[slot(Context::paired_3)] = at(close, k);
      const double exterior = at(z5_, k - 1) * unpaired(1) * at(z3_, k + 1) / zz;
      const double empty = unpaired(n_) / zz;  // the structure without pairs: all exterior_5
      p[slot(Context::exterior_5)] = unpaired(k) * at(z3_, k + 1) / zz;
      p[slot(Context::exterior_3)] = std::max(0.0, at(z5_, k - 1) * unpaired(n_ - k + 1) / zz - empty);
      p[slot(Context::exterior_between)] =
          std::max(0.0, exterior - p[slot(Context::exterior_5)] - p[slot(Context::exterior_3)]);
      double rest = 1.0;
      for (std::size_t c = 0; c < p.size(); ++c)
        if (c != slot(Context::multi)) rest -= p[c];
      p[slot(Context::multi)] = std::max(0.0, rest);
    }
  }

  MfeFolder mfe_;
  index_t n_ = 0, width_ = 0;
  double unit_ = 1;
  std::vector<double> unit_powers_, ml_base_powers_, z5_, z3_;
  Band<std::int8_t> types_;
  Band<double> qb_, qm_, qm1_, outside_qb_, outside_qm_;
  Band<double, BandOrder::columns> qm_cols_, qm1_cols_, outside_qm_cols_, outside_multi_cols_;
  double outside_qm1_row_ = 0;  // outside of qm1(i, j + 1) while row i is walked
  std::vector<ContextProbabilities> contexts_;
};

template <class Uniform>
std::string PartitionFolder::sample(const Rna& rna, Uniform&& uniform) const {
  enum class Part { pair, multi, multi_one, none };
  struct Segment {
    index_t i, j;
    Part part;
  };
  // One way to continue: its weight and the (up to two) segments it leaves.
  struct Choice {
    double weight;
    Segment first, second;
  };
  std::vector<Choice> choices;
  auto draw = [&]() -> const Choice& {
    double total = 0;
    for (const auto& c : choices) total += c.weight;
    double r = uniform() * total;
    for (const auto& c : choices) {
      if (c.weight > 0 && (r -= c.weight) < 0) return c;
    }
    for (auto c = choices.rbegin(); c != choices.rend(); ++c)  // rounding: the last possible one
      if (c->weight > 0) return *c;
    return choices.back();
  };
  const Segment none{0, 0, Part::none};
  std::string db(to_size(n_), '.');
  std::vector<Segment> todo;
  for (index_t j = n_; j >= 1;) {  // exterior loop from the 3' end: j unpaired, or paired with k
    choices.assign(1, {at(z5_, j - 1) * unpaired(1), {j, j, Part::none}, none});
    for (index_t k = j - min_hairpin - 1; k >= std::max<index_t>(1, j - width_ + 1); --k)
      if (types_(k, j) != 0)
        choices.push_back({at(z5_, k - 1) * qb_(k, j) * exterior_stem_weight(rna, k, j), {k, j, Part::pair}, none});
    const Choice& c = draw();
    if (c.first.part == Part::pair) todo.push_back(c.first);
    j = c.first.i - 1;
  }
  while (!todo.empty()) {
    const auto [i, j, part] = todo.back();
    todo.pop_back();
    choices.clear();
    if (part == Part::pair) {  // hairpin, interior loop or multiloop
      at(db, i - 1) = '(';
      at(db, j - 1) = ')';
      choices.push_back({hairpin_weight(rna, i, j), none, none});
      for_each_interior(rna, i, j, [&](index_t p, index_t q, double w) {
        choices.push_back({w * qb_(p, q), {p, q, Part::pair}, none});
      });
      const double closing = multi_closing_weight(rna, i, j);
      for (index_t k = i + 6; k <= j - 5; ++k)
        choices.push_back({closing * qm_(i + 1, k - 1) * qm1_cols_(k, j - 1), {i + 1, k - 1, Part::multi},
                           {k, j - 1, Part::multi_one}});
    } else if (part == Part::multi_one) {  // the stem (i, l), then unpaired bases to j
      for (index_t l = i + min_hairpin + 1; l <= j; ++l)
        if (types_(i, l) != 0)
          choices.push_back({qb_(i, l) * multi_stem_weight(rna, i, l) * multi_unpaired(j - l), {i, l, Part::pair}, none});
    } else {  // the last stem starts at k; before it only unpaired bases, or more stems
      for (index_t k = i; k <= j - 4; ++k) {
        choices.push_back({multi_unpaired(k - i) * qm1_cols_(k, j), {k, j, Part::multi_one}, none});
        if (k - 1 >= i)
          choices.push_back({qm_(i, k - 1) * qm1_cols_(k, j), {k, j, Part::multi_one}, {i, k - 1, Part::multi}});
      }
    }
    const Choice& c = draw();
    for (const Segment& s : {c.first, c.second})
      if (s.part != Part::none) todo.push_back(s);
  }
  return db;
}

// The ensemble of one sequence (letters as encode_rna reads them).
inline Ensemble partition(std::string_view sequence, const PartitionOptions& options = {}) {
  PartitionFolder folder;
  return folder.fold(encode_rna(sequence), options);
}

}  // namespace sster::fold
