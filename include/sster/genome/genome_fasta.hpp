#pragma once
// GenomeFasta: random access to the sequences of a FASTA file through
// htslib's faidx, for genomes too large to hold in memory.
//
// Any FASTA works, indexed or not:
//   an index next to the file (genome.fa.fai, and genome.fa.gz.gzi for a
//     bgzip file: `samtools faidx`) is used as it is;
//   a plain or bgzip file without one is indexed into a temporary folder
//     (the file's own folder is left alone: it may be read-only);
//   anything faidx cannot index (gzip that is not bgzip, lines of unequal
//     length within a sequence, blank lines) is first copied, decompressed
//     and with one line per sequence, into that temporary folder. A large
//     genome is better bgzipped and indexed once than copied on every run.
// The temporary folder ($TMPDIR) goes when the GenomeFasta does.
//
// Bases come back as the file has them (case kept); what is a valid base is
// the reader's business (genome/genome_letters.hpp), and location() names
// the line of a base for its message. Sequences are numbered in file order.
// Not thread-safe: faidx reads through one file handle.
#include <htslib/bgzf.h>
#include <htslib/faidx.h>
#include <htslib/hts.h>
#include <stdlib.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/data/line_reader.hpp"

namespace sster {

namespace detail {

// A fresh folder under $TMPDIR, removed with its contents on destruction.
class TempFolder {
 public:
  explicit TempFolder(const std::string& what) {
    std::string pattern = (std::filesystem::temp_directory_path() / "sster-XXXXXX").string();
    require(::mkdtemp(pattern.data()) != nullptr,
            "cannot create a temporary folder under " + std::filesystem::temp_directory_path().string() + " for " +
                what + " (set TMPDIR to a writable folder)");
    path_ = pattern;
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

struct FaidxDeleter {
  void operator()(faidx_t* f) const { fai_destroy(f); }
};

inline bool file_exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

// Whether the file is BGZF-compressed (bgzip), which faidx can index.
inline bool is_bgzf(const std::string& path) {
  htsFile* f = hts_open(path.c_str(), "r");
  if (!f) return false;
  const bool compressed = hts_get_format(f)->compression == htsCompression::bgzf;
  hts_close(f);
  return compressed;
}

}  // namespace detail

class GenomeFasta {
 public:
  // How the file came to be indexed.
  enum class Source { index_file, indexed_now, copied };

  explicit GenomeFasta(std::string path) : path_(std::move(path)) {
    require(detail::file_exists(path_), path_ + ": no such FASTA file");
    const bool bgzf = detail::is_bgzf(path_);
    if (detail::file_exists(path_ + ".fai") && (!bgzf || detail::file_exists(path_ + ".gzi"))) {
      check_index_file(bgzf);
      fai_.reset(fai_load3(path_.c_str(), nullptr, nullptr, 0));
      require(fai_ != nullptr, path_ + ".fai: htslib cannot read this FASTA index; delete it to let sster index the "
                                   "file again, or remake it with samtools faidx");
      source_ = Source::index_file;
    } else {
      temp_ = std::make_unique<detail::TempFolder>("the index of " + path_);
      const std::string fai = temp_->file("genome.fa.fai"), gzi = temp_->file("genome.fa.gzi");
      if (fai_build3(path_.c_str(), fai.c_str(), gzi.c_str()) == 0) {
        fai_.reset(fai_load3(path_.c_str(), fai.c_str(), gzi.c_str(), 0));
        source_ = Source::indexed_now;
      } else {
        copy_ = temp_->file("genome.fa");
        copy_one_line_per_sequence();
        require(fai_build3(copy_.c_str(), nullptr, nullptr) == 0,
                path_ + ": cannot index the copy in " + copy_ + " (is the temporary folder full?)");
        fai_.reset(fai_load3(copy_.c_str(), nullptr, nullptr, 0));
        source_ = Source::copied;
      }
      require(fai_ != nullptr, path_ + ": cannot load the index just made");
    }
    const int n = faidx_nseq(fai_.get());
    for (int i = 0; i < n; ++i) {
      names_.emplace_back(faidx_iseq(fai_.get(), i));
      lengths_.push_back(faidx_seq_len(fai_.get(), names_.back().c_str()));
      require(lengths_.back() >= 0, path_ + ": the index has no valid length for sequence '" + names_.back() + "'");
      number_[names_.back()] = i;
    }
  }

  const std::string& path() const { return path_; }
  Source source() const { return source_; }
  index_t size() const { return ssize(names_); }
  const std::string& name(index_t i) const { return at(names_, i); }
  index_t length(index_t i) const { return at(lengths_, i); }
  // The number of the sequence called `name`, or -1.
  index_t find(const std::string& name) const {
    const auto it = number_.find(name);
    return it == number_.end() ? -1 : it->second;
  }

  // Bases [begin, end) of sequence i into out (0 <= begin <= end <= length(i)).
  void fetch(index_t i, index_t begin, index_t end, std::string& out) const {
    require(begin >= 0 && begin <= end && end <= length(i),
            path_ + ": bases " + std::to_string(begin) + ".." + std::to_string(end) + " asked of sequence '" +
                name(i) + "' of length " + std::to_string(length(i)));
    out.clear();
    if (begin == end) return;
    hts_pos_t got = 0;
    char* s = faidx_fetch_seq64(fai_.get(), name(i).c_str(), begin, end - 1, &got);
    if (!s || got != end - begin) {
      std::free(s);
      throw Error(path_ + ": cannot read " + name(i) + ":" + std::to_string(begin + 1) + "-" + std::to_string(end) +
                  " (the file is damaged or truncated, or its index was made for another version of it)");
    }
    out.assign(s, to_size(got));
    std::free(s);
  }
  std::string fetch(index_t i, index_t begin, index_t end) const {
    std::string out;
    fetch(i, begin, end, out);
    return out;
  }

  // "genome.fa line 1042 (chr2:12345)": where base `pos` (0-based) of
  // sequence i sits in the file. Reads the file up to there: for messages.
  std::string location(index_t i, index_t pos) const {
    const std::string where = name(i) + ":" + std::to_string(pos + 1);
    try {
      LineReader reader(path_);
      std::string_view line;
      bool inside = false;
      index_t seen = 0;
      while (reader.next(line)) {
        if (!line.empty() && line[0] == '>') {
          if (inside) break;
          inside = header_name(line) == name(i);
          continue;
        }
        if (!inside) continue;
        const index_t bases = sequence_bases(line);
        if (pos < seen + bases) return path_ + " line " + std::to_string(reader.line_number()) + " (" + where + ")";
        seen += bases;
      }
    } catch (const Error&) {
      // the file cannot be read again: the coordinates alone still say where
    }
    return path_ + " at " + where;
  }

 private:
  // faidx names a sequence by its header up to the first white space.
  static std::string_view header_name(std::string_view header) {
    header.remove_prefix(1);
    return header.substr(0, header.find_first_of(" \t"));
  }
  // Bases on a sequence line: every character but white space.
  static index_t sequence_bases(std::string_view line) {
    index_t n = 0;
    for (char c : line) n += c != ' ' && c != '\t';
    return n;
  }

  // An index made for another file, or damaged, reads wrong bases or trips
  // htslib's assertions (offsets past a block's end abort the process), so
  // the .fai is checked line by line before use, and a bgzip file must end
  // with its end-of-file block (a truncated one does not).
  void check_index_file(bool bgzf) const {
    const std::string fai = path_ + ".fai";
    const std::string remedy = "; delete it to let sster index the file again, or remake it with samtools faidx";
    if (bgzf) {
      BGZF* f = bgzf_open(path_.c_str(), "r");
      const int eof = f ? bgzf_check_EOF(f) : -1;
      if (f) bgzf_close(f);
      require(eof == 1, path_ + ": the bgzip file has no end-of-file block: it is truncated or damaged");
    }
    std::error_code ec;
    const auto size = static_cast<index_t>(std::filesystem::file_size(path_, ec));
    LineReader reader(fai);
    std::string_view line;
    std::map<std::string, index_t, std::less<>> seen;
    while (reader.next(line)) {
      const std::string where = fai + " line " + std::to_string(reader.line_number());
      std::vector<index_t> v;
      std::string_view name, rest = line;
      for (int field = 0; field < 5; ++field) {
        const auto tab = rest.find('\t');
        const std::string_view f = rest.substr(0, tab);
        if (field == 0) {
          name = f;
        } else {
          std::int64_t x = -1;
          const auto [end, err] = std::from_chars(f.data(), f.data() + f.size(), x);
          require(err == std::errc() && end == f.data() + f.size() && x >= 0 && x < (std::int64_t{1} << 42),
                  where + ": expected name, length, offset, bases per line and bytes per line, tab-separated" + remedy);
          v.push_back(x);
        }
        require(tab != std::string_view::npos || field == 4,
                where + ": expected name, length, offset, bases per line and bytes per line, tab-separated" + remedy);
        if (tab != std::string_view::npos) rest.remove_prefix(tab + 1);
      }
      const index_t length = v[0], offset = v[1], per_line = v[2], width = v[3];
      require(!name.empty() && seen.emplace(std::string(name), 0).second, where + ": a missing or repeated sequence name" + remedy);
      if (length == 0) continue;
      require(per_line >= 1 && width >= per_line && width <= per_line + 2,
              where + ": " + std::to_string(per_line) + " bases in lines of " + std::to_string(width) + " bytes" + remedy);
      const index_t last = offset + (length - 1) / per_line * width + (length - 1) % per_line;
      require(bgzf || ec || last < size, where + ": the sequence '" + std::string(name) + "' would end at byte " +
                                             std::to_string(last) + ", past the end of " + path_ + remedy);
    }
  }

  // The file, decompressed, each sequence on one line, white space and blank
  // lines dropped: what faidx can index.
  void copy_one_line_per_sequence() {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(std::fopen(copy_.c_str(), "wb"), &std::fclose);
    require(out != nullptr, "cannot write the copy of " + path_ + " in " + copy_);
    LineReader reader(path_);
    std::string_view line;
    std::map<std::string, index_t, std::less<>> header_lines;
    std::string bases;
    bool any = false, open_line = false;  // a header seen; bases written since the last one
    while (reader.next(line)) {
      const index_t at_line = reader.line_number();
      if (!line.empty() && line[0] == '>') {
        const std::string_view n = header_name(line);
        require(!n.empty(), path_ + " line " + std::to_string(at_line) + ": a header without a sequence name");
        const auto [it, fresh] = header_lines.emplace(std::string(n), at_line);
        require(fresh, path_ + " line " + std::to_string(at_line) + ": the sequence name '" + std::string(n) +
                           "' is already used on line " + std::to_string(it->second) + "; names must be unique");
        std::fprintf(out.get(), "%s>%.*s\n", open_line ? "\n" : "", static_cast<int>(n.size()), n.data());
        any = true;
        open_line = false;
        continue;
      }
      if (sequence_bases(line) == 0) continue;
      require(any, path_ + " line " + std::to_string(at_line) + ": sequence letters before the first '>' header line");
      bases.clear();
      for (char c : line)
        if (c != ' ' && c != '\t') bases += c;
      require(std::fwrite(bases.data(), 1, bases.size(), out.get()) == bases.size(),
              "cannot write the copy of " + path_ + " in " + copy_ + " (is the temporary folder full?)");
      open_line = true;
    }
    if (open_line) std::fputc('\n', out.get());
    require(std::fflush(out.get()) == 0 && !std::ferror(out.get()),
            "cannot write the copy of " + path_ + " in " + copy_ + " (is the temporary folder full?)");
  }

  std::string path_, copy_;
  Source source_ = Source::index_file;
  std::unique_ptr<detail::TempFolder> temp_;
  std::unique_ptr<faidx_t, detail::FaidxDeleter> fai_;
  std::vector<std::string> names_;
  std::vector<index_t> lengths_;
  std::map<std::string, index_t, std::less<>> number_;
};

}  // namespace sster
