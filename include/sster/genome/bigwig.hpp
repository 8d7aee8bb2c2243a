#pragma once
// bigWig tracks through libBigWig: BigWigWriter writes one (atomically, as
// every sster output), read_bigwig reads a sequence's intervals back.
//
// A bigWig lists its sequences (names and lengths) in its header; the data
// must then come sequence by sequence in that order, each by ascending,
// non-overlapping intervals. sster lists sequences sorted by name in byte
// order, which is what UCSC's tools search the header by, and what
// ScanPlan scans in. Zoom levels (up to 10, for browsers' zoomed-out views)
// are made when the file closes, from the data read back: libBigWig holds
// them in memory until then, about 17 bytes per interval in all levels
// (zoom_bytes: the peak RSS of sster scan writing bigWig over writing
// bedGraph, Debian's libBigWig, 0.25 to 5 million intervals at strides 10
// to 200). A writer without zoom levels holds only the index.
// sster reads no remote files, so it includes bigWig.h without curl (NOCURL).
#ifndef NOCURL
#define NOCURL
#endif
#include <bigWig.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "sster/core/atomic_file.hpp"
#include "sster/core/error.hpp"
#include "sster/core/index.hpp"

namespace sster {

namespace detail {

// libBigWig's global set-up (its remote-file buffers), once per process.
inline void bigwig_init() {
  static const int status = bwInit(1 << 17);
  require(status == 0, "libBigWig could not be initialised");
}

struct BigWigCloser {
  void operator()(bigWigFile_t* f) const { bwClose(f); }
};
using BigWigFile = std::unique_ptr<bigWigFile_t, BigWigCloser>;

}  // namespace detail

struct SequenceSize {
  std::string name;
  index_t length = 0;
};

class BigWigWriter {
 public:
  static constexpr int zoom_levels = 10;

  // The memory libBigWig takes for the zoom levels of `intervals` intervals of equal width.
  static double zoom_bytes(index_t intervals) { return 17.0 * static_cast<double>(intervals); }

  // `sequences`: every sequence the track may hold, in the order its data will come.
  BigWigWriter(const std::string& path, const std::vector<SequenceSize>& sequences, bool zoom = true) : out_(path) {
    detail::bigwig_init();
    file_.reset(bwOpen(out_.staging_path().c_str(), nullptr, "w"));
    require(file_ != nullptr, "cannot write '" + path + "' (bigWig)");
    require(bwCreateHdr(file_.get(), zoom ? zoom_levels : 0) == 0, "cannot write '" + path + "': bigWig header");
    std::vector<const char*> names;
    std::vector<std::uint32_t> lengths;
    for (const auto& s : sequences) {
      require(s.length <= index_t{UINT32_MAX}, "bigWig holds sequences up to 2^32 bases; '" + s.name + "' has " +
                                                   std::to_string(s.length));
      names.push_back(s.name.c_str());
      lengths.push_back(static_cast<std::uint32_t>(s.length));
    }
    file_->cl = bwCreateChromList(names.data(), lengths.data(), ssize(sequences));
    require(file_->cl != nullptr && bwWriteHdr(file_.get()) == 0, "cannot write '" + path + "': bigWig header");
  }

  // Intervals [start + i * step, + span) of one sequence with their values
  // (a fixed-step block: 4 bytes per value).
  void add(const std::string& sequence, std::uint32_t start, std::uint32_t span, std::uint32_t step,
           std::span<const float> values) {
    if (values.empty()) return;
    if (bwAddIntervalSpanSteps(file_.get(), sequence.c_str(), start, span, step, values.data(),
                               static_cast<std::uint32_t>(values.size())) != 0)
      throw Error("cannot write '" + out_.path() + "' (bigWig data of '" + sequence +
                  "'; is the disk full, or the data out of order?)");
    empty_ = false;
  }

  // Writes the index and zoom levels and puts the file in place.
  void commit() {
    require(!empty_, "'" + out_.path() + "': no window was scored, so there is no track to write");
    file_.reset();  // bwClose: index and zoom levels; it reports no errors, so the file is read back
    detail::BigWigFile check(bwOpen(out_.staging_path().c_str(), nullptr, "r"));
    require(check != nullptr, "cannot write '" + out_.path() + "' (the bigWig does not read back: is the disk full?)");
    check.reset();
    out_.commit();
  }

 private:
  AtomicFile out_;
  detail::BigWigFile file_;
  bool empty_ = true;
};

// One interval of a track.
struct TrackInterval {
  index_t start = 0, end = 0;
  float value = 0;
  bool operator==(const TrackInterval&) const = default;
};

// The intervals of one sequence of a bigWig file (none if it has no data there).
inline std::vector<TrackInterval> read_bigwig(const std::string& path, const std::string& sequence) {
  detail::bigwig_init();
  detail::BigWigFile f(bwOpen(path.c_str(), nullptr, "r"));
  require(f != nullptr, path + ": cannot read it as a bigWig file");
  std::uint32_t length = 0;
  for (std::int64_t i = 0; i < f->cl->nKeys; ++i)
    if (sequence == f->cl->chrom[i]) length = f->cl->len[i];
  std::vector<TrackInterval> out;
  if (length == 0) return out;
  bwOverlappingIntervals_t* o = bwGetOverlappingIntervals(f.get(), sequence.c_str(), 0, length);
  require(o != nullptr, path + ": cannot read the intervals of '" + sequence + "'");
  for (std::uint32_t i = 0; i < o->l; ++i) out.push_back({o->start[i], o->end[i], o->value[i]});
  bwDestroyOverlappingIntervals(o);
  return out;
}

}  // namespace sster
