#pragma once
// The partition function over all structures of RNAfold's energy model and
// what it gives: the ensemble free energy, base-pair probabilities, per
// position the probability of each structural context (fold/contexts.hpp),
// and structures sampled from the ensemble. The tables
// (fold/ensemble_tables.hpp) are filled by PartitionKernel
// (fold/partition_kernel.hpp), or with fold_ref by inside_ref and
// outside_ref (fold/partition_ref.hpp), which give the same up to rounding.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "sster/fold/contexts.hpp"
#include "sster/fold/ensemble_tables.hpp"
#include "sster/fold/mfe.hpp"
#include "sster/fold/options.hpp"
#include "sster/fold/partition_kernel.hpp"
#include "sster/fold/partition_ref.hpp"

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
    t_.reset(rna, band_width(rna.length(), options.fold), out.mfe.energy_dcal);
    kernel_.inside(rna, t_);
    t_.fill_exterior(rna);
    kernel_.outside(rna, t_);
    return finish(std::move(out), options);
  }
  // The same by inside_ref and outside_ref (the specification the kernel is tested against).
  Ensemble fold_ref(const Rna& rna, const PartitionOptions& options = {}) {
    Ensemble out;
    out.mfe = mfe_.fold_ref(rna, options.fold);
    t_.reset(rna, band_width(rna.length(), options.fold), out.mfe.energy_dcal);
    inside_ref(rna, t_);
    t_.fill_exterior(rna);
    outside_ref(rna, t_);
    return finish(std::move(out), options);
  }

  double ensemble_energy() const {
    // ln Z of the unscaled weights = ln(z) - n ln(unit)
    return -kT_dcal / 100.0 * (std::log(t_.z()) - static_cast<double>(t_.n) * std::log(t_.unit));
  }
  // P(i, j) for every pair of the band at or above `cutoff`, by i then j.
  std::vector<BasePair> pairs(double cutoff) const {
    std::vector<BasePair> out;
    for (index_t i = 1; i <= t_.n; ++i)
      for (index_t j = i + min_hairpin + 1; j <= std::min(t_.n, i + t_.width - 1); ++j)
        if (const double p = probability(i, j); p >= cutoff && p > 0) out.push_back({i, j, p});
    return out;
  }
  double probability(index_t i, index_t j) const { return t_.probability(i, j); }
  const std::vector<ContextProbabilities>& contexts() const { return contexts_; }
  const EnsembleTables& tables() const { return t_; }

  // A structure drawn from the Boltzmann ensemble (Ding & Lawrence 2003);
  // `uniform` returns numbers in [0, 1).
  template <class Uniform>
  std::string sample(const Rna& rna, Uniform&& uniform) const;

 private:
  Ensemble finish(Ensemble out, const PartitionOptions& options) {
    out.energy = ensemble_energy();
    finish_contexts();
    out.pairs = pairs(options.pair_cutoff);
    out.contexts = contexts_;
    return out;
  }

  // The contexts per position: loops from the differences the outside pass
  // summed, paired from the pair probabilities, the exterior loop from z5 and
  // z3, and multiloops as the rest.
  void finish_contexts() {
    const index_t n = t_.n;
    contexts_.assign(to_size(n), ContextProbabilities{});
    std::vector<double> open(to_size(n + 2), 0.0), close(to_size(n + 2), 0.0);
    for (index_t i = 1; i <= n; ++i)
      for (index_t j = i + min_hairpin + 1; j <= std::min(n, i + t_.width - 1); ++j)
        if (t_.types(i, j) != 0) {
          const double p = probability(i, j);
          at(open, i) += p;
          at(close, j) += p;
        }
    ContextProbabilities running{};
    const double z = t_.z();
    for (index_t k = 1; k <= n; ++k) {
      for (std::size_t c = 0; c < running.size(); ++c) running[c] += at(t_.loop_diff, k)[c];
      ContextProbabilities& p = at(contexts_, k - 1);
      for (Context c : {Context::hairpin, Context::bulge, Context::interior}) p[slot(c)] = std::max(0.0, running[slot(c)]);
      p[slot(Context::paired_5)] = at(open, k);
      p[slot(Context::paired_3)] = at(close, k);
      const double exterior = at(t_.z5, k - 1) * t_.unpaired(1) * at(t_.z3, k + 1) / z;
      const double empty = t_.unpaired(n) / z;  // the structure without pairs: all exterior_5
      p[slot(Context::exterior_5)] = t_.unpaired(k) * at(t_.z3, k + 1) / z;
      p[slot(Context::exterior_3)] = std::max(0.0, at(t_.z5, k - 1) * t_.unpaired(n - k + 1) / z - empty);
      p[slot(Context::exterior_between)] =
          std::max(0.0, exterior - p[slot(Context::exterior_5)] - p[slot(Context::exterior_3)]);
      double rest = 1.0;
      for (std::size_t c = 0; c < p.size(); ++c)
        if (c != slot(Context::multi)) rest -= p[c];
      p[slot(Context::multi)] = std::max(0.0, rest);
    }
  }

  MfeFolder mfe_;
  EnsembleTables t_;
  PartitionKernel kernel_;
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
  const EnsembleTables& t = t_;
  std::string db(to_size(t.n), '.');
  std::vector<Segment> todo;
  for (index_t j = t.n; j >= 1;) {  // exterior loop from the 3' end: j unpaired, or paired with k
    choices.assign(1, {at(t.z5, j - 1) * t.unpaired(1), {j, j, Part::none}, none});
    for (index_t k = j - min_hairpin - 1; k >= std::max<index_t>(1, j - t.width + 1); --k)
      if (t.types(k, j) != 0)
        choices.push_back({at(t.z5, k - 1) * t.qb(k, j) * t.exterior_stem_weight(rna, k, j), {k, j, Part::pair}, none});
    const Choice& c = draw();
    if (c.first.part == Part::pair) todo.push_back(c.first);
    j = c.first.i - 1;
  }
  while (!todo.empty()) {
    // Plain copies, not a structured binding: the lambda below captures i
    // and j, which clang accepts for bindings only from version 16 on.
    const Segment segment = todo.back();
    todo.pop_back();
    const index_t i = segment.i, j = segment.j;
    const Part part = segment.part;
    choices.clear();
    if (part == Part::pair) {  // hairpin, interior loop or multiloop
      at(db, i - 1) = '(';
      at(db, j - 1) = ')';
      choices.push_back({t.hairpin_weight(rna, i, j), none, none});
      detail::for_each_interior(t, i, j, [&](index_t p, index_t q) {
        choices.push_back({t.interior_weight(rna, i, j, p, q) * t.qb(p, q), {p, q, Part::pair}, none});
      });
      const double closing = t.multi_closing_weight(rna, i, j);
      for (index_t k = i + 6; k <= j - 5; ++k)
        choices.push_back({closing * t.qm(i + 1, k - 1) * t.qm1(k, j - 1), {i + 1, k - 1, Part::multi},
                           {k, j - 1, Part::multi_one}});
    } else if (part == Part::multi_one) {  // the stem (i, l), then unpaired bases to j
      for (index_t l = i + min_hairpin + 1; l <= j; ++l)
        if (t.types(i, l) != 0)
          choices.push_back({t.qb(i, l) * t.multi_stem_weight(rna, i, l) * t.multi_unpaired(j - l), {i, l, Part::pair}, none});
    } else {  // the last stem starts at k; before it only unpaired bases, or more stems
      for (index_t k = i; k <= j - 4; ++k) {
        choices.push_back({t.multi_unpaired(k - i) * t.qm1(k, j), {k, j, Part::multi_one}, none});
        if (k - 1 >= i)
          choices.push_back({t.qm(i, k - 1) * t.qm1(k, j), {k, j, Part::multi_one}, {i, k - 1, Part::multi}});
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
