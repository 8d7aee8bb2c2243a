#pragma once
// ScanPlan: the windows a scan scores, cut into numbered work units.
//
// Each region is scanned by windows of the model's length L starting at
// region.begin, region.begin + stride, ... as long as the window fits in the
// region (a tail shorter than a stride is left out; a region shorter than L
// has no window). The regions are taken in the order bigWig files and
// `sort -k1,1 -k2,2n` want: sequences by name (byte order), then by start.
//
// A unit is a run of consecutive windows of one region covering at most
// `unit_bases` bases of windows starts (at least one window). Units depend
// only on the genome, the regions, L, the stride and unit_bases, never on
// threads or processes: any split of [0, size()) into ranges, scanned
// anywhere and concatenated in unit order, gives the output of one scan.
#include <algorithm>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/genome/genome_fasta.hpp"
#include "sster/genome/regions.hpp"

namespace sster {

struct ScanUnit {
  index_t number = 0;     // in the plan
  index_t region = 0;     // in plan.regions()
  index_t sequence = 0;   // in the genome
  index_t start = 0;      // where its first window starts in the sequence
  index_t windows = 0;    // how many, `stride` apart
  // Bases its windows cover: start .. end().
  index_t end(index_t window, index_t stride) const { return start + (windows - 1) * stride + window; }
};

class ScanPlan {
 public:
  // Units are what threads share (and MPI ranks): a few per thread even on
  // a 1 Mb sequence, so that the last one keeps no thread waiting long.
  static constexpr index_t default_unit_bases = index_t{1} << 14;

  ScanPlan(const GenomeFasta& genome, std::vector<GenomeRegion> regions, index_t window, index_t stride,
           index_t unit_bases = default_unit_bases)
      : regions_(std::move(regions)), window_(window), stride_(stride) {
    require(window >= 1 && stride >= 1 && unit_bases >= 1,
            "scan: the window, the stride and the unit size must be at least 1");
    unit_windows_ = std::max<index_t>(1, unit_bases / stride);
    std::stable_sort(regions_.begin(), regions_.end(), [&](const GenomeRegion& a, const GenomeRegion& b) {
      if (a.sequence != b.sequence) return genome.name(a.sequence) < genome.name(b.sequence);
      return a.begin < b.begin;
    });
    first_unit_.push_back(0);
    for (const auto& r : regions_) {
      const index_t w = windows_in(r);
      windows_ += w;
      if (w == 0) ++too_short_;
      first_unit_.push_back(first_unit_.back() + (w + unit_windows_ - 1) / unit_windows_);
    }
  }

  index_t window() const { return window_; }
  index_t stride() const { return stride_; }
  const std::vector<GenomeRegion>& regions() const { return regions_; }
  // Work units, windows in all, and regions shorter than a window (no window).
  index_t size() const { return first_unit_.back(); }
  index_t windows() const { return windows_; }
  index_t regions_too_short() const { return too_short_; }

  index_t windows_in(const GenomeRegion& r) const {
    return r.length() < window_ ? 0 : (r.length() - window_) / stride_ + 1;
  }

  ScanUnit unit(index_t u) const {
    require(u >= 0 && u < size(), "scan: unit " + std::to_string(u) + " of " + std::to_string(size()));
    const index_t r = std::upper_bound(first_unit_.begin(), first_unit_.end(), u) - first_unit_.begin() - 1;
    const GenomeRegion& reg = at(regions_, r);
    const index_t k = (u - at(first_unit_, r)) * unit_windows_;
    return {.number = u,
            .region = r,
            .sequence = reg.sequence,
            .start = reg.begin + k * stride_,
            .windows = std::min(unit_windows_, windows_in(reg) - k)};
  }

 private:
  std::vector<GenomeRegion> regions_;
  index_t window_, stride_, unit_windows_ = 1;
  std::vector<index_t> first_unit_;  // per region: its first unit; then the total
  index_t windows_ = 0, too_short_ = 0;
};

}  // namespace sster
