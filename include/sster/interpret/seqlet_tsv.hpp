#pragma once
// The seqlet TSV that `sster attribute --seqlets` writes and `sster motifs
// --from-seqlets` reads (plain or gzip):
//   # sster seqlets: alphabet=ACGT method=deeplift class=positive width=10 threshold=0.25
//   record  start  end  strand  score  sequence
//   seq_17  20     30   +       1.873  CCCCCCCCCC
// Tab-separated; start is 0-based and end one past the last position (as in
// BED); strand '+' is the sequence as given; the score is the sum of the
// actual contributions (negative: the stretch speaks against the class);
// sequence is the seqlet's letters on its strand. Lines starting with '#'
// are comments; an "alphabet=" word in one names the letters (otherwise the
// reader takes them as the sequences show them).
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "sster/core/atomic_file.hpp"
#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/data/line_reader.hpp"
#include "sster/interpret/seqlets.hpp"

namespace sster {

// Whether a TSV row can hold `name` as its record: not empty, no tab and no
// line break ('\r' too, which other tools read as one). The writer refuses
// other names and the reader rejects them, so what one writes the other reads.
inline bool seqlet_record_name_ok(std::string_view name) {
  return !name.empty() && name.find_first_of("\t\n\r") == std::string_view::npos;
}

inline constexpr std::string_view seqlet_tsv_header = "record\tstart\tend\tstrand\tscore\tsequence";

struct SeqletFile {
  std::string alphabet;  // from the "alphabet=" comment; empty if none
  std::vector<Seqlet> seqlets;
};

// The TSV text: the comment line "# sster seqlets: " + `about` (which should
// hold "alphabet=<letters>"), the header, one row per seqlet.
inline std::string seqlet_tsv(std::span<const Seqlet> seqlets, const std::string& about) {
  std::string out = "# sster seqlets: " + about + "\n" + std::string(seqlet_tsv_header) + "\n";
  char score[32];
  for (const Seqlet& s : seqlets) {
    require(seqlet_record_name_ok(s.record),
            "seqlet TSV: the record name '" + s.record + "' is empty or holds a tab or line break");
    std::snprintf(score, sizeof score, "%.6g", s.score);
    out += s.record + "\t" + std::to_string(s.start) + "\t" + std::to_string(s.end) + "\t" + s.strand + "\t" + score +
           "\t" + s.sequence + "\n";
  }
  return out;
}

inline void save_seqlets(std::span<const Seqlet> seqlets, const std::string& about, const std::filesystem::path& path) {
  write_file_atomic(path, seqlet_tsv(seqlets, about));
}

namespace detail {

inline std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> fields;
  for (std::size_t from = 0;;) {
    const std::size_t tab = line.find('\t', from);
    fields.push_back(line.substr(from, tab == std::string_view::npos ? std::string_view::npos : tab - from));
    if (tab == std::string_view::npos) return fields;
    from = tab + 1;
  }
}

template <class T>
bool parse_whole(std::string_view text, T& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && ec == std::errc{} && end == text.data() + text.size();
}

// One data row; `where` is "FILE line N".
inline Seqlet parse_seqlet_row(std::string_view line, const std::string& alphabet, const std::string& where) {
  const auto f = split_tabs(line);
  require(f.size() == 6, where + ": expected 6 tab-separated fields (" + std::string(seqlet_tsv_header) + "), got " +
                             std::to_string(f.size()));
  Seqlet s;
  s.record = std::string(f[0]);
  require(seqlet_record_name_ok(s.record), where + ": the record name is empty or holds a line break");
  long long start = 0, end = 0;
  require(parse_whole(f[1], start) && start >= 0, where + ": start '" + std::string(f[1]) +
                                                      "' is not a whole number >= 0");
  require(parse_whole(f[2], end) && end > start,
          where + ": end '" + std::string(f[2]) + "' is not a whole number greater than start");
  s.start = start;
  s.end = end;
  require(f[3] == "+" || f[3] == "-", where + ": strand '" + std::string(f[3]) + "' is neither + nor -");
  s.strand = f[3][0];
  require(parse_whole(f[4], s.score) && std::isfinite(s.score),
          where + ": score '" + std::string(f[4]) + "' is not a finite number");
  s.sequence = std::string(f[5]);
  require(ssize(s.sequence) == s.end - s.start, where + ": the sequence has " + std::to_string(s.sequence.size()) +
                                                    " letters, but end - start is " +
                                                    std::to_string(s.end - s.start));
  for (char c : s.sequence)
    require(alphabet.empty() ? c > ' ' && c != 127 : alphabet.find(c) != std::string::npos,
            where + ": '" + std::string(1, c) + "' in the sequence is not " +
                (alphabet.empty() ? std::string("a letter") : "in the alphabet '" + alphabet + "'"));
  return s;
}

// The letters after "alphabet=" in a comment line, if any.
inline std::string alphabet_in_comment(std::string_view line) {
  const std::size_t at = line.find("alphabet=");
  if (at == std::string_view::npos) return {};
  const std::string_view rest = line.substr(at + 9);
  return std::string(rest.substr(0, rest.find_first_of(" \t")));
}

}  // namespace detail

// Reads a seqlet TSV; an Error names the file, the line and what was expected.
inline SeqletFile read_seqlets(const std::filesystem::path& path) {
  LineReader reader(path.string());
  SeqletFile file;
  bool header = false;
  std::string_view line;
  while (reader.next(line)) {
    const std::string where = path.string() + " line " + std::to_string(reader.line_number());
    if (line.empty()) continue;
    if (line.front() == '#') {
      if (file.alphabet.empty() && !header) file.alphabet = detail::alphabet_in_comment(line);
      continue;
    }
    if (!header) {
      require(line == seqlet_tsv_header,
              where + ": expected the header '" + std::string(seqlet_tsv_header) + "' (tab-separated)");
      header = true;
      continue;
    }
    file.seqlets.push_back(detail::parse_seqlet_row(line, file.alphabet, where));
  }
  require(header, path.string() + ": not a seqlet TSV (no header line '" + std::string(seqlet_tsv_header) + "')");
  return file;
}

}  // namespace sster
