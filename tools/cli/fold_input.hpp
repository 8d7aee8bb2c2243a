#pragma once
// RNA folding in the tool (the folding itself is sster/fold/):
//   FoldSpec         how plain RNA is folded for a model: the MFE structure
//                    annotated as pysster's contexts F/T/S/I/M/H ("annotate",
//                    the default, what pysster's tutorial feeds its models),
//                    or RNAplfold's structure profiles ("profile"). Its text
//                    ("annotate", "annotate span=150", "profile FHIMST W=70
//                    L=70") is what a model keeps in ModelInfo::fold.
//   fold_to          folds a FASTA file into RNAfold's output, annotated
//                    structures or profiles, streaming (sster fold, the cache)
//   folded_input     the folded copy of an input file, from the cache
//   for_each_folded  a file's records folded, one at a time (sster predict)
//
// The cache. Folding a data set takes seconds to minutes, and train, report
// and motifs read the same files again, so the folded copy is kept next to
// the input, named after a hash of the input's bytes, the FoldSpec and the
// sster version: pos.fa.gz -> pos.fa.gz.sster-fold-<16 hex digits>.fa
// (.fa.gz for profiles). A changed input or other fold options give another
// name, so a stale copy is never read; writing a new copy removes the copies
// of the same input made before its last change. Where the input's folder
// is not writable, copies go to $XDG_CACHE_HOME/sster/fold (else
// ~/.cache/sster/fold); $SSTER_FOLD_CACHE names one folder for all copies.
// A copy is written atomically: an interrupted fold leaves none.
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/progress.hpp"
#include "sster/core/atomic_file.hpp"
#include "sster/core/crc32.hpp"
#include "sster/data/text_file.hpp"
#include "sster/fold/output.hpp"
#include "sster/fold/records.hpp"
#include "sster/version.hpp"

namespace sster::cli {

struct FoldSpec {
  static constexpr index_t plfold_window = 70;  // pysster runs RNAplfold with -W 70 -L 70
  static constexpr const char* annotation_letters = "FHIMST";

  bool profile = false;
  index_t span = 0;  // annotate: the largest base-pair span (0: none); profile: RNAplfold's L (0: 70)
  std::string letters = annotation_letters;

  // RNAplfold's L, and its W: 70, or L where that is longer.
  index_t window_span() const { return span > 0 ? span : plfold_window; }
  index_t window() const { return std::max(plfold_window, window_span()); }

  std::string to_string() const {
    if (!profile) return span > 0 ? "annotate span=" + std::to_string(span) : "annotate";
    return "profile " + letters + " W=" + std::to_string(window()) + " L=" + std::to_string(window_span());
  }

  // The spec of `text` (to_string's spelling); `where` names its origin in errors.
  static FoldSpec parse(const std::string& text, const std::string& where) {
    std::istringstream in(text);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    FoldSpec s;
    auto number_after = [&](const std::string& word, const std::string& key) -> index_t {
      if (word.rfind(key, 0) != 0) return -1;
      try {
        return std::stoll(word.substr(key.size()));
      } catch (const std::exception&) {
        return -1;
      }
    };
    if (!words.empty() && words[0] == "profile" && words.size() == 4) {
      s.profile = true;
      s.letters = words[1];
      s.span = number_after(words[3], "L=");
    } else if (!words.empty() && words[0] == "annotate" && words.size() <= 2) {
      s.span = words.size() == 2 ? number_after(words[1], "span=") : 0;
    }
    require(s.span >= 0 && s.to_string() == text,
            where + ": unknown fold settings '" + text +
                "' (expected e.g. 'annotate', 'annotate span=150' or 'profile FHIMST W=70 L=70')");
    s.check(where);
    return s;
  }

  // Letters and span fit the mode; `where` names the options in errors.
  void check(const std::string& where) const {
    require(span >= 0, where + ": the base-pair span must be 0 (no limit) or positive, got " + std::to_string(span));
    if (profile) {
      fold::context_rows(letters);  // an Error naming the letter that does not fit
    } else {
      require(letters == annotation_letters,
              where + ": folding with 'annotate' gives the structure letters FHIMST, not '" + letters +
                  "' (leave out --structure, or fold with 'profile' for other letters)");
    }
  }

  fold::FoldRequest request() const {
    fold::FoldRequest r;
    if (profile) {
      r.plfold = fold::WindowOptions{window(), window_span()};
      r.profile_letters = letters;
      r.fold.max_span = window_span();  // the MFE beside the windows only sets their scale
    } else {
      r.fold.max_span = span;
    }
    return r;
  }
};

enum class FoldFormat { rnafold, annotated, profile };

// How `sster fold` writes: RNAfold's lines (with `ensemble`, RNAfold -p0's
// two lines after each record; the request must then ask for the partition
// function), annotated structures or profiles; gzip members when `gzip`.
struct FoldWriting {
  FoldFormat format = FoldFormat::rnafold;
  bool ensemble = false, gzip = false;
  bool quiet = false;  // no progress bar
};

struct FoldCounts {
  index_t records = 0;
  index_t with_unknown = 0;  // records with N bases
  index_t unknown = 0;       // N bases in all

  void add(const fold::FoldedRecord& f) {
    ++records;
    with_unknown += f.unknown > 0;
    unknown += f.unknown;
  }
};

// "pos.fa: 3 records have N bases (7 in all), left unpaired" on stderr.
inline void warn_unknown(const std::string& input, const FoldCounts& c) {
  if (c.with_unknown == 0) return;
  std::cerr << "sster: warning: " << input << ": " << c.with_unknown << (c.with_unknown == 1 ? " record has" : " records have")
            << " N bases (" << c.unknown << " in all); they were folded unpaired\n";
}

// Folds every record of `input` with `request` and writes it to `out` as
// `how` says, in file order, a block at a time. Bad input throws Error
// (file, record, letter) before its block is written.
inline FoldCounts fold_to(const std::string& input, const fold::FoldRequest& request, const FoldWriting& how,
                          std::FILE* out) {
  FastaReader reader(input);
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(input, ec);
  FoldProgress progress(how.quiet, input, ec ? 0 : bytes);
  std::string text;
  auto flush = [&] {
    const std::string block = how.gzip ? gzip_compress(text) : std::string();
    const std::string& data = how.gzip ? block : text;
    require(std::fwrite(data.data(), 1, data.size(), out) == data.size(),
            "cannot write the folded records of " + input + ": " + std::strerror(errno));
    text.clear();
  };
  FoldCounts counts;
  fold::fold_records(reader, request, [&](const FastaRecord& rec, const fold::FoldedRecord& f) {
    switch (how.format) {
      case FoldFormat::rnafold: fold::append_rnafold(text, rec.name, f); break;
      case FoldFormat::annotated: fold::append_annotated(text, rec.name, f); break;
      case FoldFormat::profile: fold::append_profile(text, rec.name, f); break;
    }
    if (how.ensemble) fold::append_ensemble(text, f);
    counts.add(f);
    if (text.size() >= (std::size_t{1} << 20)) flush();
    progress.update(reader.bytes_in(), counts.records);
  });
  flush();
  return counts;
}

// 16 hex digits: CRC-32 and Adler-32 of the file's bytes, the spec and the
// sster version (a new version may fold differently).
inline std::string fold_cache_key(const std::string& input, const FoldSpec& spec) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(input.c_str(), "rb"), &std::fclose);
  if (!f) throw Error(input + ": cannot open file (" + std::strerror(errno) + ")");
  std::uint32_t crc = 0;
  uLong adler = ::adler32(0L, Z_NULL, 0);
  std::vector<char> block(std::size_t{1} << 20);
  auto add = [&](const char* data, std::size_t n) {
    crc = crc32_update(crc, data, n);
    adler = ::adler32(adler, reinterpret_cast<const Bytef*>(data), static_cast<uInt>(n));
  };
  for (std::size_t n; (n = std::fread(block.data(), 1, block.size(), f.get())) > 0;) add(block.data(), n);
  require(!std::ferror(f.get()), input + ": cannot read file (" + std::strerror(errno) + ")");
  const std::string tail = "\n" + spec.to_string() + "\nsster " + version;
  add(tail.data(), tail.size());
  char key[17];
  std::snprintf(key, sizeof key, "%08x%08x", crc, static_cast<std::uint32_t>(adler));
  return key;
}

namespace detail {

// Where a cached copy may be: $SSTER_FOLD_CACHE alone, else next to the
// input, then the user's cache folder.
inline std::vector<std::filesystem::path> fold_cache_folders(const std::string& input) {
  namespace fs = std::filesystem;
  if (const char* dir = std::getenv("SSTER_FOLD_CACHE"); dir && *dir) return {dir};
  const fs::path path(input);
  std::vector<fs::path> folders = {path.has_parent_path() ? path.parent_path() : fs::path(".")};
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) folders.push_back(fs::path(xdg) / "sster" / "fold");
  else if (const char* home = std::getenv("HOME"); home && *home) folders.push_back(fs::path(home) / ".cache" / "sster" / "fold");
  return folders;
}

// Removes the cached copies of `input` beside it, other than `kept`, made
// before the input's last change (only there: a shared cache folder may hold
// copies of other files of the same name).
inline void remove_stale_copies(const std::string& input, const std::filesystem::path& kept) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto changed = fs::last_write_time(input, ec);
  if (ec) return;
  const std::string prefix = fs::path(input).filename().string() + ".sster-fold-";
  for (const auto& entry : fs::directory_iterator(kept.parent_path().empty() ? "." : kept.parent_path(), ec)) {
    const std::string name = entry.path().filename().string();
    std::error_code old;
    if (name.rfind(prefix, 0) == 0 && entry.path() != kept && entry.last_write_time(old) < changed && !old)
      fs::remove(entry.path(), old);
  }
}

}  // namespace detail

// The folded copy of `input` that `spec` asks for, as a FASTA file sster's
// Data reads (annotated structures, or profiles): from the cache when it
// holds one, else folded now and cached. Returns its path.
inline std::string folded_input(const std::string& input, const FoldSpec& spec, bool quiet) {
  namespace fs = std::filesystem;
  const std::string name = fs::path(input).filename().string() + ".sster-fold-" + fold_cache_key(input, spec) +
                           (spec.profile ? ".fa.gz" : ".fa");
  const auto folders = detail::fold_cache_folders(input);
  for (const auto& folder : folders) {
    std::error_code ec;
    if (fs::is_regular_file(folder / name, ec)) {
      if (!quiet) std::cerr << "using the structures cached in " << (folder / name).string() << "\n";
      return (folder / name).string();
    }
  }
  std::optional<AtomicFile> out;
  std::string failures;
  for (const auto& folder : folders) {
    try {
      create_folders(folder);
      out.emplace(folder / name);
      break;
    } catch (const Error& e) {
      failures += failures.empty() ? e.what() : std::string("; ") + e.what();
    }
  }
  require(out.has_value(), input + ": nowhere to cache its folded structures (" + failures +
                               "); set SSTER_FOLD_CACHE to a writable folder");
  if (!quiet) std::cerr << "folding " << input << " (" << spec.to_string() << ") into " << out->path() << "\n";
  FoldWriting how;
  how.format = spec.profile ? FoldFormat::profile : FoldFormat::annotated;
  how.gzip = spec.profile;
  how.quiet = quiet;
  warn_unknown(input, fold_to(input, spec.request(), how, out->stream()));
  out->commit();
  if (!std::getenv("SSTER_FOLD_CACHE") && fs::path(out->path()).parent_path() == folders.front())
    detail::remove_stale_copies(input, out->path());
  return out->path();
}

// Calls fn(const FastaRecord&) for every record of `input` folded as `spec`
// says: the sequence as folded (upper case, T as U) with its annotation as
// the structure, or with its profile; name, number and line as read. With
// `records`, only those (counted from 0) are folded.
template <class Fn>
FoldCounts for_each_folded(const std::string& input, const FoldSpec& spec, bool quiet, Fn&& fn,
                           std::optional<ChunkRange> records = {}) {
  FastaReader reader(input);
  if (records) reader.restrict_to(records->begin, records->end);
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(input, ec);
  FoldProgress progress(quiet, input, ec ? 0 : bytes);
  FoldCounts counts;
  FastaRecord folded;
  fold::fold_records(reader, spec.request(), [&](const FastaRecord& rec, const fold::FoldedRecord& f) {
    folded.name = rec.name;
    folded.number = rec.number;
    folded.line = rec.line;
    folded.sequence = f.letters;
    folded.sequence_lines = rec.sequence_lines;
    if (spec.profile) {
      folded.profile = f.profile;
      folded.profile_rows = std::ssize(spec.letters);
    } else {
      folded.structure = f.annotation;
      folded.structure_lines = rec.sequence_lines;
    }
    fn(std::as_const(folded));
    counts.add(f);
    progress.update(reader.bytes_in(), counts.records);
  });
  return counts;
}

}  // namespace sster::cli
