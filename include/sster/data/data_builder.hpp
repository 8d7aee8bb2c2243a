#pragma once
// Building a Data set (data/dataset.hpp): from FASTA files with one class
// per file or the classes in each header, or from sequences in memory. The
// records of every file go through one DataBuilder.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/symbol.hpp"
#include "sster/data/alphabet.hpp"
#include "sster/data/byte_array.hpp"
#include "sster/data/dataset.hpp"
#include "sster/data/encoding.hpp"
#include "sster/data/extra_inputs.hpp"
#include "sster/data/fasta.hpp"
#include "sster/data/split.hpp"

namespace sster {

namespace detail {

// Comma-separated class indices ("0,2", "0, 2"); false if any item is not a
// number (the first bad item in `bad`).
inline bool parse_label_list(std::string_view text, std::vector<index_t>& out, std::string& bad) {
  out.clear();
  if (trim(text).empty()) {
    bad = std::string(text);
    return false;
  }
  while (true) {
    const auto comma = text.find(',');
    const std::string_view item = trim(text.substr(0, comma));
    const bool digits = !item.empty() && item.size() <= 9 &&
                        std::all_of(item.begin(), item.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) {
      bad = std::string(item);
      return false;
    }
    index_t v = 0;
    for (char c : item) v = v * 10 + (c - '0');
    out.push_back(v);
    if (comma == std::string_view::npos) return true;
    text.remove_prefix(comma + 1);
  }
}

// Class indices of a multi-label header: the whole header ("0,2"), else what
// follows the first word ("name 0,2"), else the last word.
inline void parse_header_labels(const std::string& header, index_t classes, const std::string& where,
                                std::vector<index_t>& out) {
  std::string bad;
  const std::string_view h = trim(header);
  bool ok = parse_label_list(h, out, bad);
  if (!ok) {
    const auto ws = h.find_first_of(" \t");
    if (ws != std::string_view::npos) {
      std::string ignored;
      ok = parse_label_list(h.substr(ws + 1), out, ignored);
      if (!ok) {
        const auto last = h.find_last_of(" \t");
        ok = parse_label_list(h.substr(last + 1), out, bad);
      }
    }
  }
  if (!ok)
    throw Error(where + ": " + quote_excerpt(bad) +
                " in the header is not a class index (expected comma-separated class numbers, e.g. '>0,2' or "
                "'>name 0,2')");
  for (index_t c : out)
    if (classes > 0 && c >= classes)
      throw Error(where + ": class index " + std::to_string(c) + " is out of range (" + std::to_string(classes) +
                  " classes: 0 to " + std::to_string(classes - 1) + ")");
}

// Collects records one by one into one growing ByteArray (records back to
// back), then pads them in place if lengths differ: peak memory stays at the
// final size, never an old and a new copy of all symbols.
class DataBuilder {
 public:
  DataBuilder(const Alphabet& alphabet, const DataOptions& options)
      : alphabet_(alphabet), options_(options), encoder_(alphabet, options.seed, options.replace_unknown, options.replace_unknown_structure) {
    require(alphabet.size() > 0, "Data: the alphabet is empty");
    require(!options.structure_profile || alphabet.has_structure(),
            "Data: structure_profile needs an alphabet with structure letters, e.g. Alphabet(\"ACGU\", \"().\")");
  }

  FastaFormat format() const {
    if (!alphabet_.has_structure()) return FastaFormat::sequence;
    return options_.structure_profile ? FastaFormat::sequence_profile : FastaFormat::sequence_structure;
  }
  index_t profile_rows() const { return options_.structure_profile ? alphabet_.structure_size() : 0; }

  void add(const FastaRecord& rec, const std::string& path, std::span<const index_t> labels) {
    const std::size_t len = rec.sequence.size();
    if (len > 0xFFFFFFFFu) throw Error(fasta_location(path, rec.number, rec.line) + ": sequence longer than 2^32");
    if (!options_.pad) {
      if (lengths_.empty()) {
        first_length_ = len;
        first_where_ = fasta_location(path, rec.number, rec.line);
      } else if (len != first_length_) {
        throw Error(fasta_location(path, rec.number, rec.line) + " has length " + std::to_string(len) + ", but " +
                    first_where_ + " has length " + std::to_string(first_length_) +
                    "; all sequences must have the same length (or pad them: DataOptions::pad)");
      }
    }
    const std::size_t at = symbols_.size();
    symbols_.resize(at + len);
    replaced_ += encoder_.encode(rec, path, lengths_.size(), symbols_.data() + at);
    if (rec.profile_rows > 0) {
      const std::size_t p = profile_.size();
      profile_.resize(p + len * to_size(rec.profile_rows));
      SequenceEncoder::transpose_profile(rec, profile_.data() + p);
    }
    lengths_.push_back(static_cast<std::uint32_t>(len));
    max_length_ = std::max(max_length_, len);
    names_.push_back(rec.name);
    label_values_.insert(label_values_.end(), labels.begin(), labels.end());
    label_ends_.push_back(label_values_.size());
  }

  index_t size() const { return static_cast<index_t>(lengths_.size()); }
  index_t max_label() const {
    index_t m = -1;
    for (index_t c : label_values_) m = std::max(m, c);
    return m;
  }

  Data finish(index_t classes, bool multilabel, std::vector<std::string> class_names, std::vector<std::string> files,
              std::vector<index_t> file_records) {
    require(classes >= 1, "Data: at least one class is needed");
    Data d;
    d.alphabet_ = alphabet_;
    d.options_ = options_;
    d.n_ = static_cast<index_t>(lengths_.size());
    d.L_ = static_cast<index_t>(max_length_);
    d.C_ = classes;
    d.multilabel_ = multilabel;
    d.S_ = profile_rows();
    const auto n = lengths_.size(), L = max_length_, S = to_size(d.S_);
    // Symbols: already in place when all lengths are equal; otherwise spread
    // records to stride L from the last one back (record i moves from its
    // offset to i * L >= offset, so no record is overwritten before it moves).
    std::size_t offset = symbols_.size();
    if (offset != n * L) {
      symbols_.resize(n * L);
      for (std::size_t i = n; i-- > 0;) {
        const std::size_t len = lengths_[i];
        offset -= len;
        std::memmove(symbols_.data() + i * L, symbols_.data() + offset, len);
        std::memset(symbols_.data() + i * L + len, no_symbol, L - len);
      }
    }
    symbols_.shrink_to_fit();
    d.symbols_ = std::move(symbols_);
    if (S > 0) {
      if (options_.pad) {
        d.profile_.assign(n * L * S, 0.0f);
        std::size_t from = 0;
        for (std::size_t i = 0; i < n; ++i) {
          std::copy_n(profile_.data() + from, lengths_[i] * S, d.profile_.data() + i * L * S);
          from += lengths_[i] * S;
        }
        profile_.clear();
      } else {
        d.profile_ = std::move(profile_);
      }
    }
    d.targets_.assign(n * to_size(classes), 0.0f);
    std::size_t from = 0;
    for (std::size_t i = 0; i < n; ++i) {
      for (; from < label_ends_[i]; ++from) {
        const index_t c = label_values_[from];
        if (c < 0 || c >= classes) throw Error("Data: class index " + std::to_string(c) + " out of range");
        d.targets_[i * to_size(classes) + to_size(c)] = 1.0f;
      }
    }
    d.lengths_ = std::move(lengths_);
    names_.shrink_to_fit();
    d.names_ = std::move(names_);
    if (class_names.empty())
      for (index_t c = 0; c < classes; ++c) class_names.push_back("class_" + std::to_string(c));
    d.class_names_ = std::move(class_names);
    d.files_ = std::move(files);
    d.file_records_ = std::move(file_records);
    d.replaced_ = replaced_;
    d.split_ = random_split(d.n_, options_.train_fraction, options_.val_fraction, options_.seed);
    d.all_.resize(n);
    std::iota(d.all_.begin(), d.all_.end(), index_t{0});
    return d;
  }

 private:
  Alphabet alphabet_;
  DataOptions options_;
  SequenceEncoder encoder_;
  ByteArray symbols_;  // records back to back
  std::vector<std::uint32_t> lengths_;
  std::vector<std::string> names_;
  std::vector<index_t> label_values_;
  std::vector<std::size_t> label_ends_;
  std::vector<float> profile_;  // records back to back, each length x S
  std::size_t max_length_ = 0, first_length_ = 0;
  std::string first_where_;
  index_t replaced_ = 0;
};

}  // namespace detail

inline Data Data::from_fasta(const std::vector<std::string>& class_files, const Alphabet& alphabet,
                             const DataOptions& options) {
  require(!class_files.empty(), "Data::from_fasta: no class files given");
  std::vector<index_t> file_classes(class_files.size());
  std::iota(file_classes.begin(), file_classes.end(), index_t{0});
  return from_fasta(class_files, file_classes, alphabet, options);
}

inline Data Data::from_fasta(const std::vector<std::string>& files, const std::vector<index_t>& file_classes,
                             const Alphabet& alphabet, const DataOptions& options) {
  require(!files.empty(), "Data::from_fasta: no class files given");
  require(file_classes.size() == files.size(), "Data::from_fasta: " + std::to_string(files.size()) + " files but " +
                                                   std::to_string(file_classes.size()) + " classes");
  const index_t classes = *std::max_element(file_classes.begin(), file_classes.end()) + 1;
  std::vector<std::string> names(to_size(classes));
  for (std::size_t f = files.size(); f-- > 0;) {
    const index_t c = file_classes[f];
    require(c >= 0, files[f] + ": class index " + std::to_string(c) + " is negative");
    at(names, c) = detail::class_name_from_file(files[f]);
  }
  for (index_t c = 0; c < classes; ++c)
    require(std::find(file_classes.begin(), file_classes.end(), c) != file_classes.end(),
            "Data::from_fasta: class " + std::to_string(c) + " has no file");
  if (std::set<std::string>(names.begin(), names.end()).size() != names.size()) names.clear();
  detail::DataBuilder builder(alphabet, options);
  std::vector<index_t> counts;
  FastaRecord rec;
  for (std::size_t f = 0; f < files.size(); ++f) {
    FastaReader reader(files[f], builder.format(), builder.profile_rows());
    while (reader.next(rec)) builder.add(rec, reader.path(), {&file_classes[f], 1});
    counts.push_back(reader.records());
  }
  return builder.finish(classes, false, std::move(names), files, std::move(counts));
}

inline Data Data::from_multilabel_fasta(const std::vector<std::string>& files, index_t classes,
                                        const Alphabet& alphabet, const DataOptions& options) {
  require(!files.empty(), "Data::from_multilabel_fasta: no files given");
  detail::DataBuilder builder(alphabet, options);
  std::vector<index_t> counts;
  FastaRecord rec;
  std::vector<index_t> labels;
  for (const auto& file : files) {
    FastaReader reader(file, builder.format(), builder.profile_rows());
    while (reader.next(rec)) {
      detail::parse_header_labels(rec.name, classes, reader.where(rec), labels);
      builder.add(rec, reader.path(), labels);
    }
    counts.push_back(reader.records());
  }
  if (classes <= 0) classes = builder.max_label() + 1;
  return builder.finish(classes, true, {}, files, std::move(counts));
}
inline Data Data::from_multilabel_fasta(const std::string& file, index_t classes, const Alphabet& alphabet,
                                        const DataOptions& options) {
  return from_multilabel_fasta(std::vector<std::string>{file}, classes, alphabet, options);
}

inline Data Data::from_sequences(const std::vector<std::string>& sequences, const std::vector<index_t>& labels,
                                 index_t classes, const Alphabet& alphabet, const DataOptions& options,
                                 const std::vector<std::string>& structures) {
  require(labels.size() == sequences.size(), "Data::from_sequences: " + std::to_string(sequences.size()) +
                                                  " sequences but " + std::to_string(labels.size()) + " labels");
  require(structures.empty() || structures.size() == sequences.size(),
          "Data::from_sequences: " + std::to_string(sequences.size()) + " sequences but " +
              std::to_string(structures.size()) + " structures");
  require(!sequences.empty(), "Data::from_sequences: no sequences");
  require(!options.structure_profile, "Data::from_sequences: structure profiles are read from FASTA files only");
  require(alphabet.has_structure() == !structures.empty(),
          alphabet.has_structure() ? "Data::from_sequences: the alphabet has structure letters, but no structures were given"
                                   : "Data::from_sequences: structures given for an alphabet without structure letters");
  detail::DataBuilder builder(alphabet, options);
  FastaRecord rec;
  const std::string where = "sequences";
  for (std::size_t i = 0; i < sequences.size(); ++i) {
    rec.number = static_cast<index_t>(i + 1);
    rec.name = "seq_" + std::to_string(i + 1);
    rec.sequence = sequences[i];
    if (rec.sequence.empty()) throw Error(fasta_location(where, rec.number, 0) + ": empty sequence");
    rec.structure = structures.empty() ? std::string() : structures[i];
    if (!rec.structure.empty() && rec.structure.size() != rec.sequence.size())
      throw Error(fasta_location(where, rec.number, 0) + ": the structure has length " +
                  std::to_string(rec.structure.size()) + " but the sequence has length " +
                  std::to_string(rec.sequence.size()));
    if (labels[i] < 0 || labels[i] >= classes)
      throw Error(fasta_location(where, rec.number, 0) + ": class index " + std::to_string(labels[i]) +
                  " is out of range (" + std::to_string(classes) + " classes)");
    builder.add(rec, where, {&labels[i], 1});
  }
  return builder.finish(classes, false, {}, {where}, {static_cast<index_t>(sequences.size())});
}

}  // namespace sster
