#pragma once
// GenomeRegion: a stretch of one sequence of a genome, 0-based and
// half-open as in BED; read_bed reads them from a BED file, whole_sequences
// covers every sequence.
//
// BED (plain or gzip): tab- or space-separated, the first three columns
// chrom, start, end; further columns, blank lines, '#' comments and
// 'track'/'browser' lines are ignored. Each line must lie inside its
// sequence of the genome (start < end <= the sequence's length), and the
// file must be sorted as `sort -k1,1 -k2,2n` or `bedtools sort` leave it:
// the lines of one sequence together, their starts ascending. Overlapping
// regions are merged into one (so no window is scored twice); regions that
// only touch stay apart. Every other line is an sster::Error naming the
// file, the line and what was expected.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/data/fasta.hpp"
#include "sster/data/line_reader.hpp"
#include "sster/genome/genome_fasta.hpp"

namespace sster {

struct GenomeRegion {
  index_t sequence = 0;  // number of the sequence in the genome (GenomeFasta order)
  index_t begin = 0, end = 0;
  index_t length() const { return end - begin; }
  bool operator==(const GenomeRegion&) const = default;
};

// One region per sequence of the genome, each the whole sequence.
inline std::vector<GenomeRegion> whole_sequences(const GenomeFasta& genome) {
  std::vector<GenomeRegion> out;
  for (index_t i = 0; i < genome.size(); ++i) out.push_back({i, 0, genome.length(i)});
  return out;
}

namespace detail {

// The white-space separated fields of a line (at most `max` of them).
inline std::vector<std::string_view> fields(std::string_view line, std::size_t max) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (out.size() < max) {
    i = line.find_first_not_of(" \t", i);
    if (i == std::string_view::npos) break;
    const std::size_t end = std::min(line.find_first_of(" \t", i), line.size());
    out.push_back(line.substr(i, end - i));
    i = end;
  }
  return out;
}

// A whole non-negative number, or -1.
inline index_t parse_position(std::string_view text) {
  std::int64_t v = -1;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) return -1;
  return v;
}

// "did you mean chr1?": the name with or without the 'chr' prefix, if the genome has it.
inline std::string other_chr_naming(const GenomeFasta& genome, std::string_view name) {
  const std::string other = name.starts_with("chr") ? std::string(name.substr(3)) : "chr" + std::string(name);
  return genome.find(other) >= 0 ? " (the genome calls it '" + other + "')" : "";
}

}  // namespace detail

// The regions of a BED file, in file order, overlapping ones merged.
inline std::vector<GenomeRegion> read_bed(const std::string& path, const GenomeFasta& genome) {
  LineReader reader(path);
  std::string_view line;
  std::vector<GenomeRegion> out;
  std::map<index_t, index_t> first_line;  // per sequence: the line its regions start on
  index_t previous_line = 0;
  while (reader.next(line)) {
    const index_t n = reader.line_number();
    const std::string where = path + " line " + std::to_string(n);
    const auto f = detail::fields(line, 3);
    if (f.empty() || f[0].starts_with('#') || f[0] == "track" || f[0] == "browser") continue;
    require(f.size() == 3, where + ": expected at least 3 columns (chrom, start, end), found " +
                               std::to_string(f.size()) + " in " + quote_excerpt(line));
    const index_t seq = genome.find(std::string(f[0]));
    require(seq >= 0, where + ": the sequence " + quote_excerpt(f[0]) + " is not in the genome " + genome.path() +
                          detail::other_chr_naming(genome, f[0]));
    const index_t begin = detail::parse_position(f[1]), end = detail::parse_position(f[2]);
    require(begin >= 0 && end >= 0, where + ": start and end must be whole numbers >= 0, found " +
                                        quote_excerpt(f[1]) + " and " + quote_excerpt(f[2]));
    require(begin < end, where + ": the end (" + std::to_string(end) + ") must be greater than the start (" +
                             std::to_string(begin) + ")");
    require(end <= genome.length(seq), where + ": the region " + std::string(f[0]) + ":" + std::to_string(begin) +
                                           "-" + std::to_string(end) + " reaches outside the sequence, which has " +
                                           std::to_string(genome.length(seq)) + " bases in " + genome.path());
    GenomeRegion r{seq, begin, end};
    if (!out.empty() && out.back().sequence == seq) {
      require(begin >= out.back().begin,
              where + ": not sorted: the start " + std::to_string(begin) + " comes after the start " +
                  std::to_string(out.back().begin) + " on line " + std::to_string(previous_line) +
                  " (sort the file with `sort -k1,1 -k2,2n` or `bedtools sort`)");
    } else {
      const auto [it, fresh] = first_line.emplace(seq, n);
      require(fresh, where + ": not sorted: the regions of " + std::string(f[0]) + " started on line " +
                         std::to_string(it->second) +
                         " and other sequences came between (sort the file with `sort -k1,1 -k2,2n` or "
                         "`bedtools sort`)");
    }
    previous_line = n;
    if (!out.empty() && out.back().sequence == seq && begin < out.back().end)
      out.back().end = std::max(out.back().end, end);  // overlapping: merged
    else
      out.push_back(r);
  }
  return out;
}

}  // namespace sster
