#pragma once
// What a scan writes: tracks (bedGraph or bigWig, one class on one strand
// each) and the table of the best windows.
//
// A window's value covers `span` = min(stride, L) bases of the genome, so a
// track tiles the scanned regions without overlaps: from the window's start
// (--anchor start), or centred on the window (--anchor centre, the default),
// i.e. [start + (L - span) / 2, + span). With stride 1 that is the single
// base at index (L - 1) / 2 of the window: base 499 of a 1000-base window,
// Selene's and ExPecto's centre. Windows left unscored (unknown bases) leave
// a gap. bedGraph lines are `chrom start end value` (0-based, half-open,
// value %.6g), sorted as `sort -k1,1 -k2,2n` leaves them.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "sster/core/atomic_file.hpp"
#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/genome/bigwig.hpp"
#include "sster/genome/genome_fasta.hpp"
#include "sster/genome/scanner.hpp"

namespace sster {

enum class Anchor { start, centre };

inline Anchor parse_anchor(const std::string& name) {
  if (name == "start") return Anchor::start;
  if (name == "centre" || name == "center") return Anchor::centre;
  throw Error("anchor '" + name + "': expected start or centre");
}

// Where each window's value lies on the genome.
struct TrackGeometry {
  index_t window = 1, stride = 1;
  Anchor anchor = Anchor::centre;
  index_t span() const { return std::min(stride, window); }
  index_t offset() const { return anchor == Anchor::centre ? (window - span()) / 2 : 0; }
  // The first base of window k of a unit.
  index_t position(const ScanUnit& u, index_t k) const { return u.start + k * stride + offset(); }
};

enum class TrackFormat { bedgraph, bigwig };

// bigWig for names ending in .bw, .bigwig or .bigWig; bedGraph otherwise.
inline TrackFormat track_format_of(const std::string& path) {
  for (const char* ext : {".bw", ".bigwig", ".bigWig", ".BW"})
    if (path.ends_with(ext)) return TrackFormat::bigwig;
  return TrackFormat::bedgraph;
}

// One track: class `cls` on strand `strand` of the scores (0 unless the
// two strands are kept apart).
struct TrackChoice {
  index_t cls = 0, strand = 0;
};

// The bedGraph lines of one unit's scored windows.
inline std::string bedgraph_lines(const UnitScores& s, const GenomeFasta& genome, const TrackGeometry& g,
                                  TrackChoice track) {
  std::string out;
  const std::string& name = genome.name(s.unit.sequence);
  char line[64];
  for (index_t k = 0; k < s.unit.windows; ++k) {
    if (!at(s.scored, k)) continue;
    const long long start = g.position(s.unit, k);
    const int n = std::snprintf(line, sizeof line, "\t%lld\t%lld\t%.6g\n", start,
                                start + static_cast<long long>(g.span()), s.value(k, track.strand, track.cls));
    out += name;
    out.append(line, to_size(n));
  }
  return out;
}

// The genome's sequences sorted by name: a bigWig's header, in scan order.
inline std::vector<SequenceSize> sequences_by_name(const GenomeFasta& genome) {
  std::vector<SequenceSize> out;
  for (index_t i = 0; i < genome.size(); ++i) out.push_back({genome.name(i), genome.length(i)});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

// One track file, filled unit by unit in plan order. A bigWig gets zoom
// levels unless `zoom` is false (see BigWigWriter::zoom_bytes).
class TrackWriter {
 public:
  TrackWriter(const std::string& path, const GenomeFasta& genome, TrackGeometry geometry, TrackChoice track,
              bool zoom = true)
      : genome_(genome), geometry_(geometry), track_(track) {
    if (track_format_of(path) == TrackFormat::bigwig) bigwig_.emplace(path, sequences_by_name(genome), zoom);
    else text_.emplace(path);
  }

  void add(const UnitScores& s) {
    if (text_) {
      text_->write(bedgraph_lines(s, genome_, geometry_, track_));
      return;
    }
    // each run of scored windows is one fixed-step block
    const auto span = static_cast<std::uint32_t>(geometry_.span()), step = static_cast<std::uint32_t>(geometry_.stride);
    for (index_t k = 0; k < s.unit.windows;) {
      if (!at(s.scored, k)) {
        ++k;
        continue;
      }
      values_.clear();
      const index_t first = k;
      for (; k < s.unit.windows && at(s.scored, k); ++k) values_.push_back(s.value(k, track_.strand, track_.cls));
      bigwig_->add(genome_.name(s.unit.sequence), static_cast<std::uint32_t>(geometry_.position(s.unit, first)), span,
                   step, values_);
    }
  }

  void commit() {
    if (text_) text_->commit();
    else bigwig_->commit();
  }

 private:
  const GenomeFasta& genome_;
  TrackGeometry geometry_;
  TrackChoice track_;
  std::optional<AtomicFile> text_;
  std::optional<BigWigWriter> bigwig_;
  std::vector<float> values_;
};

// The n best windows by one class's score (on either strand when the two
// are kept apart), ties broken by scan order: the same table whatever the
// threads or shards.
class TopWindows {
 public:
  TopWindows(index_t n, index_t rank_class) : n_(n), rank_class_(rank_class) {}

  void add(const UnitScores& s, index_t stride) {
    if (n_ <= 0) return;
    for (index_t k = 0; k < s.unit.windows; ++k) {
      if (!at(s.scored, k)) continue;
      for (index_t strand = 0; strand < s.strands; ++strand) {
        const Entry e{s.value(k, strand, rank_class_), s.unit.number, k, strand, ssize(windows_)};
        if (ssize(heap_) == n_ && !better(e, heap_.front())) continue;
        std::vector<float> values(to_size(s.classes));
        for (index_t c = 0; c < s.classes; ++c) at(values, c) = s.value(k, strand, c);
        windows_.push_back({s.unit.sequence, s.unit.start + k * stride, std::move(values)});
        heap_.push_back(e);
        std::push_heap(heap_.begin(), heap_.end(), better);
        if (ssize(heap_) > n_) {
          std::pop_heap(heap_.begin(), heap_.end(), better);
          heap_.pop_back();
        }
      }
    }
    if (ssize(windows_) > 4 * n_ + 1024) compact();
  }

  // chrom, start, end (the window, 0-based half-open), strand, then every
  // class's score; best first. strand_labels: "." (merged or one strand) or "+-".
  std::string tsv(const GenomeFasta& genome, const std::vector<std::string>& class_names, index_t window,
                  const std::string& strand_labels) const {
    std::string out = "chrom\tstart\tend\tstrand";
    for (const auto& c : class_names) out += "\t" + c;
    out += "\n";
    std::vector<Entry> best = heap_;
    std::sort(best.begin(), best.end(), better);
    char num[32];
    for (const auto& e : best) {
      const Window& w = at(windows_, e.window);
      out += genome.name(w.sequence) + "\t" + std::to_string(w.start) + "\t" + std::to_string(w.start + window) +
             "\t" + at(strand_labels, std::min<index_t>(e.strand, ssize(strand_labels) - 1));
      for (float v : w.values) {
        std::snprintf(num, sizeof num, "\t%.6g", v);
        out += num;
      }
      out += "\n";
    }
    return out;
  }

 private:
  struct Entry {
    float score;
    index_t unit, k, strand;
    index_t window = 0;  // in windows_
  };
  struct Window {
    index_t sequence, start;
    std::vector<float> values;
  };
  // Higher score first, then earlier in scan order.
  static bool better(const Entry& a, const Entry& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.unit != b.unit) return a.unit < b.unit;
    if (a.k != b.k) return a.k < b.k;
    return a.strand < b.strand;
  }
  // Drops the windows no entry points to any more.
  void compact() {
    std::vector<Window> kept;
    for (auto& e : heap_) {
      kept.push_back(std::move(at(windows_, e.window)));
      e.window = ssize(kept) - 1;
    }
    windows_ = std::move(kept);
  }

  index_t n_, rank_class_;
  std::vector<Entry> heap_;  // a heap whose front is the worst kept entry
  std::vector<Window> windows_;
};

}  // namespace sster
