#pragma once
// FastaReader: one FASTA record at a time from a plain or gzip file, for data
// sets and for streaming prediction over files larger than memory.
//
// Three layouts (pysster's formats):
//   sequence            >name / sequence lines (wrapped over any number of lines)
//   sequence_structure  >name / sequence / structure, e.g. RNAfold output
//                       "((..)) (-3.3)": text after the first space of a
//                       structure line is ignored. Both may be wrapped; the
//                       split is the line where both halves have equal length.
//   sequence_profile    >name / sequence / one line of whitespace-separated
//                       numbers per structure letter (pysster's structure_pwm).
// Blank lines are skipped. Records reuse their buffers: after the first few
// records, reading allocates only when a name or sequence outgrows its string.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/tensor.hpp"
#include "sster/data/line_reader.hpp"

namespace sster {

enum class FastaFormat { sequence, sequence_structure, sequence_profile };

// "pos.fa.gz record 1042 (line 2083)"; without a line number when line <= 0.
inline std::string fasta_location(const std::string& path, index_t record, index_t line) {
  std::string s = path + " record " + std::to_string(record);
  if (line > 0) s += " (line " + std::to_string(line) + ")";
  return s;
}

// Shortens text quoted in a message. (Appends instead of operator+ chains,
// which trip a false -Wrestrict in GCC 12, PR 105651.)
inline std::string quote_excerpt(std::string_view text, std::size_t max = 30) {
  std::string s;
  s.reserve(std::min(text.size(), max) + 5);
  s += '\'';
  s.append(text.substr(0, max));
  if (text.size() > max) s += "...";
  s += '\'';
  return s;
}

namespace detail {
// The name a file gives a class (one FASTA file per class) or an additional
// input: "dir/pum2_positives.fasta.gz" -> "pum2_positives".
inline std::string class_name_from_file(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  auto strip = [&](std::string_view ext) {
    if (name.size() > ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0)
      name.resize(name.size() - ext.size());
  };
  strip(".gz");
  const auto dot = name.rfind('.');
  if (dot != std::string::npos && dot > 0) name.resize(dot);
  return name;
}
}  // namespace detail

struct FastaRecord {
  std::string name;              // header without '>' and trailing whitespace
  std::string sequence;          // all sequence lines joined
  std::string structure;         // sequence_structure: all structure lines joined
  std::vector<float> profile;    // sequence_profile: rows x sequence.size(), row-major as in the file
  index_t profile_rows = 0;
  index_t number = 0;            // 1-based record number in the file
  index_t line = 0;              // line of the header

  // Line number of a sequence / structure position, for messages.
  index_t sequence_line(index_t pos) const { return find_line(sequence_lines, pos); }
  index_t structure_line(index_t pos) const { return find_line(structure_lines, pos); }

  // (offset of the line's first character, line number) per text line.
  std::vector<std::pair<index_t, index_t>> sequence_lines, structure_lines;

 private:
  static index_t find_line(const std::vector<std::pair<index_t, index_t>>& lines, index_t pos) {
    index_t found = 0;
    for (const auto& [offset, line] : lines) {
      if (offset > pos) break;
      found = line;
    }
    return found;
  }
};

class FastaReader {
 public:
  // profile_rows: number of numeric lines per record for sequence_profile.
  explicit FastaReader(std::string path, FastaFormat format = FastaFormat::sequence, index_t profile_rows = 0)
      : lines_(std::move(path)), format_(format), profile_rows_(profile_rows) {
    require(format != FastaFormat::sequence_profile || profile_rows > 0,
            lines_.path() + ": a structure profile needs at least one row per record");
  }

  // The next record; false after the last one. Throws Error (naming the file,
  // record and line) for malformed input, for an empty file and for a file
  // without records.
  bool next(FastaRecord& rec) {
    while (records_ < first_)  // read past (and check) the records before the range
      if (!next_in_file(rec)) return false;
    return records_ < end_ && next_in_file(rec);
  }

  // From now on next() returns only the records [first, end) of the file,
  // counted from 0 (their numbers and lines stay those of the whole file):
  // one share of a file split among processes.
  void restrict_to(index_t first, index_t end) {
    first_ = first;
    end_ = end;
  }

  const std::string& path() const { return lines_.path(); }
  FastaFormat format() const { return format_; }
  bool gzipped() const { return lines_.gzipped(); }
  index_t records() const { return records_; }          // records read so far
  index_t line_number() const { return lines_.line_number(); }
  std::uint64_t bytes_in() const { return lines_.bytes_in(); }
  std::uint64_t bytes_out() const { return lines_.bytes_out(); }
  std::string where(const FastaRecord& rec) const { return fasta_location(path(), rec.number, rec.line); }
  std::string where(const FastaRecord& rec, index_t line) const { return fasta_location(path(), rec.number, line); }

 private:
  struct BodyLine {
    std::size_t offset, size;
    index_t line;
  };

  // The file's next record, whatever the range.
  bool next_in_file(FastaRecord& rec) {
    if (!have_header_ && !read_first_header()) return false;

    rec.name.assign(header_);
    rec.number = ++records_;
    rec.line = header_line_;
    rec.sequence.clear();
    rec.structure.clear();
    rec.profile.clear();
    rec.profile_rows = 0;
    rec.sequence_lines.clear();
    rec.structure_lines.clear();
    body_.clear();
    body_lines_.clear();

    have_header_ = false;
    std::string_view line;
    while (lines_.next(line)) {
      line = rstrip(line);
      if (line.empty()) continue;
      if (line.front() == '>') {
        set_header(line);
        break;
      }
      if (format_ == FastaFormat::sequence) {
        rec.sequence_lines.emplace_back(static_cast<index_t>(rec.sequence.size()), lines_.line_number());
        rec.sequence.append(line);
      } else {
        body_lines_.push_back({body_.size(), line.size(), lines_.line_number()});
        body_.append(line);
      }
    }
    const bool empty_body = format_ == FastaFormat::sequence ? rec.sequence.empty() : body_lines_.empty();
    if (empty_body)
      throw Error(where(rec) + ": header " + quote_excerpt(">" + rec.name) + " is not followed by a sequence");
    if (format_ == FastaFormat::sequence_structure) split_structure(rec);
    if (format_ == FastaFormat::sequence_profile) split_profile(rec);
    return true;
  }

  static std::string_view rstrip(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
  }
  void set_header(std::string_view line) {
    header_.assign(line.substr(1));
    header_line_ = lines_.line_number();
    have_header_ = true;
  }
  bool read_first_header() {
    if (started_) return false;  // the previous record ended the file
    started_ = true;
    std::string_view line;
    while (lines_.next(line)) {
      line = rstrip(line);
      if (line.empty()) continue;
      if (line.front() != '>')
        throw Error(path() + " line " + std::to_string(lines_.line_number()) +
                    ": expected a FASTA header line starting with '>', found " + quote_excerpt(line));
      set_header(line);
      return true;
    }
    if (lines_.bytes_out() == 0) throw Error(path() + ": the file is empty");
    throw Error(path() + ": no FASTA records (no line starts with '>')");
  }

  // Length of a structure line up to its first space (RNAfold appends the energy).
  std::size_t token_size(const BodyLine& l) const {
    const std::string_view s(body_.data() + l.offset, l.size);
    const auto ws = s.find_first_of(" \t");
    return ws == std::string_view::npos ? s.size() : ws;
  }

  void split_structure(FastaRecord& rec) {
    const std::size_t k = body_lines_.size();
    if (k < 2)
      throw Error(where(rec, body_lines_[0].line) +
                  ": expected a sequence line followed by a structure line, found only one line");
    std::size_t split = 1;
    if (k > 2) {
      // Wrapped: the split where sequence and structure have equal length (unique,
      // since prefix sums grow strictly).
      std::size_t total_struct = 0;
      for (const auto& l : body_lines_) total_struct += token_size(l);
      std::size_t seq = 0, structure = total_struct;
      split = 0;
      for (std::size_t j = 1; j < k && split == 0; ++j) {
        seq += body_lines_[j - 1].size;
        structure -= token_size(body_lines_[j - 1]);
        if (seq == structure) split = j;
      }
      if (split == 0)
        throw Error(where(rec, body_lines_[0].line) + ": cannot split its " + std::to_string(k) +
                    " lines into a sequence and a structure of equal length");
    }
    for (std::size_t j = 0; j < k; ++j) {
      const auto& l = body_lines_[j];
      if (j < split) {
        rec.sequence_lines.emplace_back(static_cast<index_t>(rec.sequence.size()), l.line);
        rec.sequence.append(body_.data() + l.offset, l.size);
      } else {
        rec.structure_lines.emplace_back(static_cast<index_t>(rec.structure.size()), l.line);
        rec.structure.append(body_.data() + l.offset, token_size(l));
      }
    }
    if (rec.sequence.size() != rec.structure.size())
      throw Error(where(rec, rec.structure_lines.front().second) + ": the structure has length " +
                  std::to_string(rec.structure.size()) + " but the sequence has length " +
                  std::to_string(rec.sequence.size()));
  }

  void split_profile(FastaRecord& rec) {
    const std::size_t k = body_lines_.size(), rows = to_size(profile_rows_);
    if (k < rows + 1)
      throw Error(where(rec, body_lines_[0].line) + ": expected a sequence line followed by " +
                  std::to_string(rows) + " lines of structure probabilities, found " + std::to_string(k) +
                  (k == 1 ? " line" : " lines"));
    for (std::size_t j = 0; j + rows < k; ++j) {
      const auto& l = body_lines_[j];
      rec.sequence_lines.emplace_back(static_cast<index_t>(rec.sequence.size()), l.line);
      rec.sequence.append(body_.data() + l.offset, l.size);
    }
    const std::size_t L = rec.sequence.size();
    rec.profile_rows = profile_rows_;
    rec.profile.resize(rows * L);
    for (std::size_t r = 0; r < rows; ++r) {
      const auto& l = body_lines_[k - rows + r];
      const std::string_view text(body_.data() + l.offset, l.size);
      const std::size_t n = parse_floats(text, rec.profile.data() + r * L, L, [&] { return where(rec, l.line); });
      if (n != L)
        throw Error(where(rec, l.line) + ": expected " + std::to_string(L) +
                    " structure probabilities (one per sequence position), found " + std::to_string(n));
    }
  }

 public:
  // Parses whitespace-separated finite numbers into out (at most max values are
  // stored); returns how many the text holds. `where` prefixes error messages:
  // a string, or a callable returning one (only called on error).
  template <class Where>
  static std::size_t parse_floats(std::string_view text, float* out, std::size_t max, const Where& where_) {
    auto where = [&]() -> std::string {
      if constexpr (std::is_invocable_v<const Where&>) return where_();
      else return std::string(where_);
    };
    std::size_t n = 0;
    const char* p = text.data();
    const char* end = p + text.size();
    for (;;) {
      while (p < end && (*p == ' ' || *p == '\t' || *p == '\r')) ++p;
      if (p == end) break;
      const char* start = p;
      if (*p == '+') ++p;  // from_chars does not take a leading '+'
      float v = 0;
      const auto [q, ec] = std::from_chars(p, end, v);
      const bool separated = q == end || *q == ' ' || *q == '\t' || *q == '\r';
      if (ec == std::errc::result_out_of_range || (ec == std::errc() && separated && !std::isfinite(v))) {
        const char* tok_end = q;
        while (tok_end < end && *tok_end != ' ' && *tok_end != '\t') ++tok_end;
        throw Error(where() + ": " +
                    quote_excerpt(std::string_view(start, to_size(tok_end - start))) +
                    " is not a finite number");
      }
      if (ec != std::errc() || !separated) {
        const char* tok_end = start;
        while (tok_end < end && *tok_end != ' ' && *tok_end != '\t') ++tok_end;
        throw Error(where() + ": " +
                    quote_excerpt(std::string_view(start, to_size(tok_end - start))) +
                    " is not a number");
      }
      if (n < max) out[n] = v;
      ++n;
      p = q;
    }
    return n;
  }

 private:
  LineReader lines_;
  FastaFormat format_;
  index_t profile_rows_;
  std::string header_;
  index_t header_line_ = 0;
  bool have_header_ = false;
  bool started_ = false;
  index_t records_ = 0;
  index_t first_ = 0, end_ = std::numeric_limits<index_t>::max();  // restrict_to
  std::string body_;
  std::vector<BodyLine> body_lines_;
};

}  // namespace sster
