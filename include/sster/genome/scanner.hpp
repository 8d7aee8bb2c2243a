#pragma once
// Scanner: a trained model's scores for every window of a ScanPlan, unit by
// unit, on one or both strands.
//
// Each unit's bases are read and encoded on the calling thread (faidx is
// not thread-safe), then groups of units are scored in parallel, each on a
// SlidingNetwork of its own thread (the convolutions shared by the windows
// of the unit), and handed to the sink in unit order. A unit's scores are a
// function of the unit alone, so they do not depend on the thread count or
// on which units are scanned with it (see ScanPlan for sharding).
//
// Strands: on the minus strand a window's score is the model's score of its
// reverse complement (DNA and RNA models). Both strands are merged class by
// class (RcMerge) or kept side by side.
// Unknown bases (UnknownBases): `skip` leaves every window that holds one
// unscored; `zero` and `random` score them (genome/genome_letters.hpp).
#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/parallel.hpp"
#include "sster/data/fasta.hpp"
#include "sster/data/reverse_complement.hpp"
#include "sster/genome/genome_fasta.hpp"
#include "sster/genome/genome_letters.hpp"
#include "sster/genome/scan_plan.hpp"
#include "sster/genome/sliding_network.hpp"
#include "sster/model/model.hpp"
#include "sster/model/strand_merge.hpp"

namespace sster {

struct ScanOptions {
  bool both_strands = false;
  RcMerge merge = RcMerge::mean;  // with both strands; none keeps the two
  UnknownBases unknown = UnknownBases::skip;
};

// The scores of one unit's windows.
struct UnitScores {
  ScanUnit unit;
  index_t strands = 1;  // 2: plus and minus kept apart (both strands, RcMerge::none)
  index_t classes = 0;
  std::vector<float> values;         // (windows, strands, classes) probabilities
  std::vector<std::uint8_t> scored;  // (windows): 0 when skipped for an unknown base

  float value(index_t window, index_t strand, index_t cls) const {
    return at(values, (window * strands + strand) * classes + cls);
  }
};

class Scanner {
 public:
  Scanner(const Model& model, const GenomeFasta& genome, ScanOptions options)
      : genome_(genome),
        options_(options),
        letters_(model.info().alphabet, options.unknown, model.seed()),
        prototype_(model.network(), model.loss_kind()),
        networks_(prototype_) {
    if (options_.both_strands) rc_.emplace(model.info().alphabet, "scanning both strands");
  }

  index_t window() const { return prototype_.window(); }
  index_t classes() const { return prototype_.classes(); }
  index_t strands() const { return options_.both_strands && options_.merge == RcMerge::none ? 2 : 1; }
  const ScanOptions& options() const { return options_; }

  // Scores units [begin, end) of the plan (whose window must be the
  // model's) and calls sink(const UnitScores&) for each, in unit order, on
  // the calling thread.
  template <class Sink>
  void run(const ScanPlan& plan, index_t begin, index_t end, Sink&& sink) {
    require(plan.window() == window(), "scan: the plan's windows have length " + std::to_string(plan.window()) +
                                           ", the model reads " + std::to_string(window()));
    require(0 <= begin && begin <= end && end <= plan.size(), "scan: units " + std::to_string(begin) + ".." +
                                                                  std::to_string(end) + " of a plan of " +
                                                                  std::to_string(plan.size()));
    const index_t group = 4 * static_cast<index_t>(threads());
    std::vector<Job> jobs(to_size(group));
    for (index_t first = begin; first < end; first += group) {
      const index_t n = std::min(group, end - first);
      for (index_t j = 0; j < n; ++j) read(plan, plan.unit(first + j), at(jobs, j));
      parallel_for_each_index(n, [&](index_t j) { score(plan, at(jobs, j)); });
      for (index_t j = 0; j < n; ++j) sink(std::as_const(at(jobs, j).out));
    }
  }

 private:
  struct Job {
    std::string text;
    std::vector<std::uint8_t> symbols, reversed;
    std::vector<index_t> unknown_before;  // unknown bases before each position (skip)
    std::vector<float> plus, minus;
    UnitScores out;
  };

  // The unit's bases, encoded; an invalid character is an error naming its line.
  void read(const ScanPlan& plan, const ScanUnit& u, Job& job) {
    const index_t n = u.end(plan.window(), plan.stride()) - u.start;
    genome_.fetch(u.sequence, u.start, u.start + n, job.text);
    job.symbols.resize(to_size(n));
    const auto r = letters_.encode(job.text, u.sequence, u.start, job.symbols.data());
    if (r.invalid >= 0)
      throw Error(genome_.location(u.sequence, u.start + r.invalid) + ": " +
                  quote_excerpt(std::string_view(job.text).substr(to_size(r.invalid), 1)) +
                  " is not a base the model reads; expected " + letters_.expected());
    job.unknown_before.clear();
    if (options_.unknown == UnknownBases::skip && r.unknown > 0) {
      job.unknown_before.assign(to_size(n + 1), 0);
      for (index_t i = 0; i < n; ++i)
        at(job.unknown_before, i + 1) = at(job.unknown_before, i) + letters_.is_unknown(at(job.text, i));
    }
    job.out.unit = u;
  }

  void score(const ScanPlan& plan, Job& job) {
    SlidingNetwork& net = networks_.local();
    const ScanUnit& u = job.out.unit;
    const index_t n = ssize(job.symbols), K = classes(), S = strands(), L = window(), step = plan.stride();
    const WindowRange w{0, step, u.windows};
    job.plus.resize(to_size(u.windows * K));
    net.score(job.symbols.data(), n, w, job.plus.data());
    UnitScores& out = job.out;
    out.strands = S;
    out.classes = K;
    out.values.resize(to_size(u.windows * S * K));
    if (rc_) {
      job.reversed.resize(job.symbols.size());
      rc_->apply(job.symbols.data(), n, job.reversed.data());
      job.minus.resize(job.plus.size());
      net.score(job.reversed.data(), n, w, job.minus.data());  // window k of the reverse is window windows-1-k
      std::vector<float>& m = job.minus;
      for (index_t k = 0; k < u.windows / 2; ++k)
        std::swap_ranges(m.begin() + k * K, m.begin() + (k + 1) * K, m.begin() + (u.windows - 1 - k) * K);
      if (S == 1) merge_strands(options_.merge, u.windows * K, job.plus.data(), job.minus.data());
    }
    for (index_t k = 0; k < u.windows; ++k) {
      std::copy_n(job.plus.data() + k * K, K, out.values.data() + k * S * K);
      if (S == 2) std::copy_n(job.minus.data() + k * K, K, out.values.data() + (k * S + 1) * K);
    }
    out.scored.assign(to_size(u.windows), 1);
    if (!job.unknown_before.empty())
      for (index_t k = 0; k < u.windows; ++k)
        at(out.scored, k) = at(job.unknown_before, k * step + L) == at(job.unknown_before, k * step);
  }

  const GenomeFasta& genome_;
  ScanOptions options_;
  GenomeLetters letters_;
  std::optional<ReverseComplement> rc_;
  SlidingNetwork prototype_;
  tbb::enumerable_thread_specific<SlidingNetwork> networks_;
};

}  // namespace sster
