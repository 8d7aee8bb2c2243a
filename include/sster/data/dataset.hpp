#pragma once
// Data: a labelled set of sequences ready for training (pysster's Data).
//
// Storage, per record i of n, all contiguous:
//   symbols   n x L uint8_t, one symbol per position (no float one-hot);
//             no_symbol (255) pads records shorter than L when padding is on
//   targets   n x classes floats (1 for each class of the record)
//   profile   n x L x S floats: structure probabilities (pysster's
//             structure_pwm), S = letters of the structure alphabet
//   dense     n x L x D floats: position-wise inputs, channels after the
//             alphabet's channels (load_additional_positionwise_data)
//   extra     n x E floats: per-sequence inputs (load_additional_data)
// 1 million sequences of length 200 take about 200 MB of symbols plus the
// names (about 300 MB in all).
//
// The input of the network for record i is pysster's matrix of L rows and
// input_channels() = alphabet().size() + dense_channels() columns: the
// one-hot symbol (or, with a structure profile, the structure probabilities
// in the block of the sequence letter: channel s * S + r holds profile[t][r]
// when the sequence letter at t is s), then the position-wise values.
// write_input() produces exactly that matrix.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/random.hpp"
#include "sster/core/symbol.hpp"
#include "sster/core/tensor.hpp"
#include "sster/data/alphabet.hpp"
#include "sster/data/binary_io.hpp"
#include "sster/data/byte_array.hpp"
#include "sster/data/class_weights.hpp"
#include "sster/data/encoding.hpp"
#include "sster/data/extra_inputs.hpp"
#include "sster/data/fasta.hpp"
#include "sster/data/split.hpp"

namespace sster {

struct DataOptions {
  std::uint64_t seed = 42;      // split and replacement of unknown letters
  bool pad = false;             // pad shorter sequences with no_symbol instead of failing
  bool class_weights = true;    // false: class_weights() returns all 1
  double train_fraction = 0.7, val_fraction = 0.15;
  bool structure_profile = false;     // structures are rows of probabilities (pysster's structure_pwm)
  bool balanced_binary_quirk = true;  // pysster: class 0 of a balanced binary set weighs 1.5
  bool replace_unknown = true;        // false: a sequence letter outside the alphabet is an error
};

class Data;

namespace detail {

// "dir/pum2_positives.fasta.gz" -> "pum2_positives".
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
      : alphabet_(alphabet), options_(options), encoder_(alphabet, options.seed, options.replace_unknown) {
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
              std::vector<index_t> file_records);

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

class Data {
 public:
  static constexpr std::uint32_t file_version = 1;

  Data() = default;

  // One FASTA file per class (class c = the c-th file); headers are names.
  static Data from_fasta(const std::vector<std::string>& class_files, const Alphabet& alphabet,
                         const DataOptions& options = {}) {
    require(!class_files.empty(), "Data::from_fasta: no class files given");
    std::vector<index_t> file_classes(class_files.size());
    std::iota(file_classes.begin(), file_classes.end(), index_t{0});
    return from_fasta(class_files, file_classes, alphabet, options);
  }

  // FASTA files with the class of each, records in file order; a class may
  // have several files (its training and its test sequences, say), and every
  // class from 0 to the largest needs one. Classes are named after their
  // first file (class_0, ... if those names clash).
  static Data from_fasta(const std::vector<std::string>& files, const std::vector<index_t>& file_classes,
                         const Alphabet& alphabet, const DataOptions& options = {}) {
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

  // FASTA files whose headers hold each record's classes ("0,2", or
  // "name 0,2"), records in file order. classes <= 0: the largest index + 1,
  // as pysster.
  static Data from_multilabel_fasta(const std::vector<std::string>& files, index_t classes, const Alphabet& alphabet,
                                    const DataOptions& options = {}) {
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
  static Data from_multilabel_fasta(const std::string& file, index_t classes, const Alphabet& alphabet,
                                    const DataOptions& options = {}) {
    return from_multilabel_fasta(std::vector<std::string>{file}, classes, alphabet, options);
  }

  // Sequences in memory, one class each (tests, simulations). Names are
  // "seq_1", "seq_2", ...; structures, if given, one per sequence.
  static Data from_sequences(const std::vector<std::string>& sequences, const std::vector<index_t>& labels,
                             index_t classes, const Alphabet& alphabet, const DataOptions& options = {},
                             const std::vector<std::string>& structures = {}) {
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

  // ---- additional inputs (pysster's load_additional_data / _positionwise_data)
  // Files hold one line per record: one file per class file (checked file by
  // file) or any files whose lines together match the records.

  // Numbers, one per line; standardize: z-score over all records.
  void add_additional(const std::vector<std::string>& files, bool standardize = false) {
    std::vector<double> values;
    std::vector<index_t> counts;
    for (const auto& f : files) {
      auto v = read_numbers(f);
      counts.push_back(static_cast<index_t>(v.size()));
      values.insert(values.end(), v.begin(), v.end());
    }
    check_line_counts(files, counts, "values");
    if (standardize) zscore(values);
    std::vector<float> column(values.begin(), values.end());
    append_extra(column, 1, {detail::class_name_from_file(files.front())});
  }
  void add_additional(const std::string& file, bool standardize = false) {
    add_additional(std::vector<std::string>{file}, standardize);
  }

  // Categories, one per line, one-hot encoded over the sorted categories.
  void add_categorical(const std::vector<std::string>& files, std::vector<std::string> categories) {
    require(!categories.empty(), "add_categorical: no categories given");
    std::sort(categories.begin(), categories.end());
    for (std::size_t k = 1; k < categories.size(); ++k)
      require(categories[k] != categories[k - 1], "add_categorical: category '" + categories[k] + "' given twice");
    const auto K = categories.size();
    std::vector<float> onehot;
    std::vector<index_t> counts;
    for (const auto& f : files) {
      index_t count = 0;
      detail::for_each_value_line(f, [&](std::string_view v, index_t line) {
        const auto it = std::lower_bound(categories.begin(), categories.end(), v);
        if (it == categories.end() || *it != v) {
          std::string list;
          for (std::size_t k = 0; k < K && k < 20; ++k) list += (k ? ", " : "") + categories[k];
          if (K > 20) list += ", ...";
          throw Error(f + " line " + std::to_string(line) + ": " + quote_excerpt(v) + " is not one of the categories " +
                      list);
        }
        const std::size_t at = onehot.size();
        onehot.resize(at + K, 0.0f);
        onehot[at + to_size(it - categories.begin())] = 1.0f;
        ++count;
      });
      counts.push_back(count);
    }
    check_line_counts(files, counts, "values");
    std::vector<std::string> names;
    const std::string stem = detail::class_name_from_file(files.front());
    for (const auto& c : categories) names.push_back(stem + "=" + c);
    append_extra(onehot, static_cast<index_t>(K), names);
  }
  void add_categorical(const std::string& file, std::vector<std::string> categories) {
    add_categorical(std::vector<std::string>{file}, std::move(categories));
  }

  // Numbers per position, one line per record with length() values (with
  // padding: the record's own length or length(); missing positions are 0).
  // standardize: per position, subtract the median and divide by the
  // interquartile range (sklearn's robust_scale); the raw values stay
  // available through dense_unscaled().
  void add_positionwise(const std::vector<std::string>& files, const std::string& identifier, bool standardize = false) {
    require(size() > 0, "add_positionwise: the data set is empty");
    require(std::find(dense_names_.begin(), dense_names_.end(), identifier) == dense_names_.end(),
            "add_positionwise: identifier '" + identifier + "' already exists");
    const auto L = to_size(L_);
    std::vector<float> column;  // n x L
    std::vector<index_t> counts;
    index_t row = 0;
    for (const auto& f : files) {
      const NumberRows rows = read_number_rows(f);
      counts.push_back(rows.rows());
      for (index_t r = 0; r < rows.rows(); ++r, ++row) {
        const index_t want = row < size() ? record_length(row) : L_;
        const index_t got = rows.row_size(r);
        if (got != want && got != L_)
          throw Error(f + " line " + std::to_string(at(rows.lines, r)) + ": expected " +
                      std::to_string(want) + " values (one per position of record " + std::to_string(row + 1) +
                      "), found " + std::to_string(got));
        const std::size_t at = column.size();
        column.resize(at + L, 0.0f);
        std::copy_n(rows.row(r), got, column.data() + at);
      }
    }
    check_line_counts(files, counts, "lines");
    std::vector<float> center, scale;
    if (standardize) {
      center.resize(L);
      scale.resize(L);
      std::vector<double> v(to_size(n()));
      for (std::size_t t = 0; t < L; ++t) {
        for (std::size_t i = 0; i < v.size(); ++i) v[i] = column[i * L + t];
        std::sort(v.begin(), v.end());
        const double med = percentile_sorted(v, 50), iqr = percentile_sorted(v, 75) - percentile_sorted(v, 25);
        center[t] = static_cast<float>(med);
        scale[t] = static_cast<float>(iqr == 0 ? 1.0 : iqr);  // sklearn leaves constant columns unscaled
        for (std::size_t i = 0; i < v.size(); ++i) column[i * L + t] = (column[i * L + t] - center[t]) / scale[t];
      }
    }
    // Interleave: dense_ is n x L x D, the new channel last.
    const auto D = to_size(D_);
    std::vector<float> dense(to_size(n()) * L * (D + 1));
    for (std::size_t i = 0; i < to_size(n()); ++i)
      for (std::size_t t = 0; t < L; ++t) {
        const std::size_t src = (i * L + t) * D, dst = (i * L + t) * (D + 1);
        std::copy_n(dense_.data() + src, D, dense.data() + dst);
        dense[dst + D] = column[i * L + t];
      }
    dense_ = std::move(dense);
    dense_names_.push_back(identifier);
    dense_center_.push_back(std::move(center));
    dense_scale_.push_back(std::move(scale));
    ++D_;
  }
  void add_positionwise(const std::string& file, const std::string& identifier, bool standardize = false) {
    add_positionwise(std::vector<std::string>{file}, identifier, standardize);
  }

  // ---- shape
  index_t size() const { return n_; }
  index_t length() const { return L_; }
  index_t classes() const { return C_; }
  bool multilabel() const { return multilabel_; }
  const Alphabet& alphabet() const { return alphabet_; }
  const DataOptions& options() const { return options_; }
  // Channels of the network input: the alphabet's symbols, then dense_channels().
  index_t input_channels() const { return alphabet_.size() + D_; }

  // ---- per record
  std::span<const std::uint8_t> symbols(index_t i) const {
    check_index(i);
    return {symbols_.data() + i * L_, to_size(L_)};
  }
  // Length before padding.
  index_t record_length(index_t i) const {
    check_index(i);
    return static_cast<index_t>(at(lengths_, i));
  }
  bool has_profile() const { return S_ > 0; }
  index_t profile_channels() const { return S_; }
  // length() x profile_channels() structure probabilities, row-major (0 in padding).
  std::span<const float> profile(index_t i) const {
    check_index(i);
    return {profile_.data() + i * L_ * S_, to_size(L_ * S_)};
  }
  index_t dense_channels() const { return D_; }
  // length() x dense_channels(), row-major; as given when standardize was off.
  std::span<const float> dense(index_t i) const {
    check_index(i);
    return {dense_.data() + i * L_ * D_, to_size(L_ * D_)};
  }
  const std::vector<std::string>& dense_names() const { return dense_names_; }
  // dense(i) with any standardisation undone (for plots of the raw values).
  std::vector<float> dense_unscaled(index_t i) const {
    const auto d = dense(i);
    std::vector<float> out(d.begin(), d.end());
    for (index_t c = 0; c < D_; ++c) {
      const auto& center = at(dense_center_, c);
      const auto& scale = at(dense_scale_, c);
      if (center.empty()) continue;
      for (index_t t = 0; t < L_; ++t) {
        auto& v = at(out, t * D_ + c);
        v = v * at(scale, t) + at(center, t);
      }
    }
    return out;
  }
  index_t extra_size() const { return E_; }
  std::span<const float> extra(index_t i) const {
    check_index(i);
    return {extra_.data() + i * E_, to_size(E_)};
  }
  const std::vector<std::string>& extra_names() const { return extra_names_; }
  // classes() values: 1 for each class of record i, else 0.
  std::span<const float> targets(index_t i) const {
    check_index(i);
    return {targets_.data() + i * C_, to_size(C_)};
  }
  std::vector<index_t> labels(index_t i) const {
    std::vector<index_t> out;
    const auto t = targets(i);
    for (index_t c = 0; c < C_; ++c)
      if (at(t, c) != 0) out.push_back(c);
    return out;
  }
  const std::string& name(index_t i) const {
    check_index(i);
    return at(names_, i);
  }
  // The record's letters again (unknown letters as replaced; padding dropped).
  std::string sequence_string(index_t i) const {
    const auto s = symbols(i);
    std::string out(to_size(record_length(i)), '\0');
    for (std::size_t t = 0; t < out.size(); ++t) out[t] = alphabet_.sequence_letter(s[t]);
    return out;
  }
  std::string structure_string(index_t i) const {
    if (!alphabet_.has_structure()) return "";
    const auto s = symbols(i);
    std::string out(to_size(record_length(i)), '\0');
    for (std::size_t t = 0; t < out.size(); ++t) out[t] = alphabet_.structure_letter(s[t]);
    return out;
  }

  // pysster's input matrix of record i: length() x input_channels() floats, row-major.
  void write_input(index_t i, std::span<float> out) const {
    const index_t C = input_channels(), A = alphabet_.size();
    if (static_cast<index_t>(out.size()) != L_ * C)
      throw Error("Data::write_input: the output holds " + std::to_string(out.size()) + " values, expected " +
                  std::to_string(L_ * C));
    std::fill(out.begin(), out.end(), 0.0f);
    const auto s = symbols(i);
    const auto p = profile(i);
    const auto d = dense(i);
    for (index_t t = 0; t < L_; ++t) {
      float* row = out.data() + t * C;
      const std::uint8_t sym = at(s, t);
      if (sym != no_symbol) {
        if (S_ > 0) {
          const index_t block = alphabet_.sequence_index(sym) * S_;
          for (index_t r = 0; r < S_; ++r) row[block + r] = at(p, t * S_ + r);
        } else {
          row[sym] = 1.0f;
        }
      }
      for (index_t c = 0; c < D_; ++c) row[A + c] = at(d, t * D_ + c);
    }
  }

  // ---- classes
  const std::vector<std::string>& class_names() const { return class_names_; }
  void set_class_names(std::vector<std::string> names) {
    require(static_cast<index_t>(names.size()) == C_, "set_class_names: " + std::to_string(names.size()) +
                                                          " names for " + std::to_string(C_) + " classes");
    class_names_ = std::move(names);
  }
  // Records of each class in a group (a multi-label record counts for each of its classes).
  std::vector<index_t> class_counts(Group g = Group::all) const {
    std::vector<index_t> counts(to_size(C_), 0);
    for (index_t i : indices(g)) {
      const auto t = targets(i);
      for (index_t c = 0; c < C_; ++c) at(counts, c) += at(t, c) != 0;
    }
    return counts;
  }
  // pysster's class weights over all records (see class_weights.hpp), or all 1
  // when DataOptions::class_weights is off.
  std::vector<double> class_weights() const {
    if (!options_.class_weights) return std::vector<double>(to_size(C_), 1.0);
    const auto counts = class_counts(Group::all);
    return sster::class_weights(counts, n_, options_.balanced_binary_quirk);
  }

  // ---- splits
  std::span<const index_t> indices(Group g) const {
    switch (g) {
      case Group::train: return split_.train;
      case Group::val: return split_.val;
      case Group::test: return split_.test;
      case Group::all: return all_;
    }
    return all_;
  }
  const Split& split() const { return split_; }
  void set_split(Split split) {
    validate_split(split, n_);
    for (auto* g : {&split.train, &split.val, &split.test}) std::sort(g->begin(), g->end());
    split_ = std::move(split);
  }
  void set_split(std::vector<index_t> train, std::vector<index_t> val, std::vector<index_t> test) {
    set_split(Split{std::move(train), std::move(val), std::move(test)});
  }
  // A new random split (pysster's train_val_test_split).
  void resplit(double train_fraction, double val_fraction, std::uint64_t seed) {
    split_ = random_split(n_, train_fraction, val_fraction, seed);
    options_.train_fraction = train_fraction;
    options_.val_fraction = val_fraction;
    options_.seed = seed;
  }
  void load_split(const std::string& path) { set_split(read_split_file(path, n_)); }
  void save_split(const std::string& path) const { write_text_file(path, split_file_text(split_, n_)); }

  // The training indices in a fresh seeded order for each epoch (pysster
  // shuffles once only; sster reshuffles every epoch).
  std::vector<index_t> epoch_order(std::uint64_t seed, std::uint64_t epoch) const {
    std::vector<index_t> order(split_.train);
    RandomStream rng(RandomKey(seed, Purpose::shuffle).with(epoch));
    shuffle(order.begin(), order.end(), rng);
    return order;
  }

  // ---- bookkeeping
  // Sequence letters outside the alphabet that were replaced by random letters.
  index_t replaced_symbols() const { return replaced_; }
  const std::vector<std::string>& files() const { return files_; }
  const std::vector<index_t>& file_records() const { return file_records_; }
  // Bytes held by the data set (capacity of its arrays and strings).
  std::size_t memory_bytes() const {
    std::size_t b = sizeof(*this) + symbols_.capacity() + lengths_.capacity() * 4 +
                    (targets_.capacity() + profile_.capacity() + dense_.capacity() + extra_.capacity()) * 4 +
                    (split_.train.capacity() + split_.val.capacity() + split_.test.capacity() + all_.capacity()) *
                        sizeof(index_t) +
                    names_.capacity() * sizeof(std::string);
    for (const auto& s : names_)
      if (s.capacity() > 15) b += s.capacity() + 1;  // beyond the small-string buffer
    return b;
  }

  // pysster's table (classes x all/train/val/test), then the shape of the data.
  std::string summary() const {
    std::size_t w = 9;
    for (const auto& c : class_names_) w = std::max(w, c.size());
    auto row = [&](const std::string& label, const std::vector<std::string>& cells) {
      std::string s = label;
      s.resize(std::max<std::size_t>(12, s.size()), ' ');
      for (std::size_t k = 0; k < cells.size(); ++k) {
        if (k > 0) s += "  ";
        s += std::string(w > cells[k].size() ? w - cells[k].size() : 0, ' ') + cells[k];
      }
      return s + '\n';
    };
    auto counts = [&](Group g) {
      std::vector<std::string> cells;
      for (index_t c : class_counts(g)) cells.push_back(std::to_string(c));
      return cells;
    };
    std::string s = row("", class_names_);
    s += row("all data:", counts(Group::all));
    s += row("training:", counts(Group::train));
    s += row("validation:", counts(Group::val));
    s += row("test:", counts(Group::test));
    s += "sequences:  " + std::to_string(n_) + (multilabel_ ? " (multi-label)" : "") + ", length " +
         std::to_string(L_);
    if (options_.pad) {
      index_t shortest = L_;
      for (auto l : lengths_) shortest = std::min<index_t>(shortest, l);
      if (shortest < L_) s += " (shorter ones padded; shortest " + std::to_string(shortest) + ")";
    }
    s += "\nalphabet:   " + alphabet_.name() + " " + alphabet_.sequence();
    if (alphabet_.has_structure())
      s += " x structure " + alphabet_.structure() + (S_ > 0 ? " (probabilities)" : "");
    s += " (" + std::to_string(alphabet_.size()) + " symbols)\n";
    if (replaced_ > 0)
      s += "replaced:   " + std::to_string(replaced_) + " unknown sequence letters by random letters\n";
    if (D_ > 0) {
      s += "position-wise inputs:";
      for (const auto& d : dense_names_) s += " " + d;
      s += '\n';
    }
    if (E_ > 0) s += "additional inputs: " + std::to_string(E_) + " values per sequence\n";
    if (options_.class_weights) {
      s += "class weights:";
      for (double x : class_weights()) {
        std::ostringstream o;
        o << x;
        s += " " + o.str();
      }
      s += '\n';
    }
    return s;
  }

  // ---- files: magic "SSTD", version, content, CRC-32; written atomically.
  void save(const std::string& path) const {
    require(n_ > 0, path + ": cannot save an empty data set");
    AtomicFile file(path);
    BinaryOut out(file);
    out.bytes("SSTD", 4);
    out.put(file_version);
    out.string(alphabet_.to_string());
    out.put(options_.seed);
    out.put(static_cast<std::uint8_t>(options_.pad));
    out.put(static_cast<std::uint8_t>(options_.class_weights));
    out.put(static_cast<std::uint8_t>(options_.structure_profile));
    out.put(static_cast<std::uint8_t>(options_.balanced_binary_quirk));
    out.put(static_cast<std::uint8_t>(options_.replace_unknown));
    out.put(options_.train_fraction);
    out.put(options_.val_fraction);
    out.put(static_cast<std::uint8_t>(multilabel_));
    for (index_t v : {n_, L_, C_, S_, D_, E_, replaced_}) out.put(static_cast<std::int64_t>(v));
    for (const auto& c : class_names_) out.string(c);
    out.put(static_cast<std::uint64_t>(files_.size()));
    for (std::size_t f = 0; f < files_.size(); ++f) {
      out.string(files_[f]);
      out.put(static_cast<std::int64_t>(file_records_[f]));
    }
    for (const auto& s : names_) out.string(s);
    out.array(lengths_.data(), lengths_.size());
    out.array(symbols_.data(), symbols_.size());
    std::vector<std::uint8_t> label_bits(targets_.size());
    for (std::size_t k = 0; k < targets_.size(); ++k) label_bits[k] = targets_[k] != 0;
    out.array(label_bits.data(), label_bits.size());
    out.array(profile_.data(), profile_.size());
    for (index_t d = 0; d < D_; ++d) {
      const auto k = to_size(d);
      out.string(dense_names_[k]);
      out.put(static_cast<std::uint8_t>(!dense_center_[k].empty()));
      out.array(dense_center_[k].data(), dense_center_[k].size());
      out.array(dense_scale_[k].data(), dense_scale_[k].size());
    }
    out.array(dense_.data(), dense_.size());
    for (const auto& e : extra_names_) out.string(e);
    out.array(extra_.data(), extra_.size());
    for (const auto* g : {&split_.train, &split_.val, &split_.test}) {
      out.put(static_cast<std::int64_t>(g->size()));
      for (index_t i : *g) out.put(static_cast<std::int64_t>(i));
    }
    out.finish();
    file.commit();
  }

  // Each kind of damage has its own message: not a data file (magic), a
  // newer format (version), truncated, damaged (checksum), and malformed
  // (checksum fine, content invalid: written by another program).
  static Data load(const std::string& path) {
    BinaryIn in(path);
    const std::string head = in.prefix(8);
    const std::string_view magic = std::string_view(head).substr(0, 4);
    if (head.empty()) throw in.corrupt("the file is empty");
    if (magic != std::string_view("SSTD").substr(0, magic.size()))
      throw in.corrupt("it does not start with 'SSTD' (not an sster data file; model files start with 'SSTR')");
    if (in.size() < 12) throw in.corrupt("truncated: it ends after " + std::to_string(in.size()) + " bytes, inside its header");
    std::uint32_t version = 0;
    for (int b = 3; b >= 0; --b) version = version << 8 | static_cast<unsigned char>(head[4 + to_size(b)]);
    if (version > file_version)
      throw Error(path + ": data file version " + std::to_string(version) + " is newer than this sster reads (up to " +
                  std::to_string(file_version) + "): update sster");
    if (version == 0) throw in.corrupt("format version 0 does not exist");
    try {
      return read_content(in);
    } catch (const Error&) {
      if (in.rest_matches_checksum()) throw;
      if (in.ran_out())
        throw in.corrupt("truncated: its content needs more than its " + std::to_string(in.size()) +
                         " bytes (an incomplete copy or download?)");
      throw in.corrupt("checksum mismatch: the data file is damaged (in transfer or on disk)");
    }
  }

 private:
  static Data read_content(BinaryIn& in) {
    char magic[4] = {};
    in.bytes(magic, 4);
    (void)in.get<std::uint32_t>();  // the version, checked by load()
    Data d;
    try {
      d.alphabet_ = Alphabet::from_string(in.string());
    } catch (const Error& e) {
      throw in.corrupt(std::string("bad alphabet: ") + e.what());
    }
    d.options_.seed = in.get<std::uint64_t>();
    d.options_.pad = in.get<std::uint8_t>() != 0;
    d.options_.class_weights = in.get<std::uint8_t>() != 0;
    d.options_.structure_profile = in.get<std::uint8_t>() != 0;
    d.options_.balanced_binary_quirk = in.get<std::uint8_t>() != 0;
    d.options_.replace_unknown = in.get<std::uint8_t>() != 0;
    d.options_.train_fraction = in.get<double>();
    d.options_.val_fraction = in.get<double>();
    d.multilabel_ = in.get<std::uint8_t>() != 0;
    index_t* dims[] = {&d.n_, &d.L_, &d.C_, &d.S_, &d.D_, &d.E_, &d.replaced_};
    for (index_t* v : dims) {
      *v = static_cast<index_t>(in.get<std::int64_t>());
      if (*v < 0 || *v > (index_t{1} << 40)) throw in.corrupt("a size field is out of range");
    }
    const auto n = to_size(d.n_), L = to_size(d.L_);
    if (d.S_ != 0 && d.S_ != d.alphabet_.structure_size()) throw in.corrupt("profile channels do not match the alphabet");
    in.check_count(n, L + 4 + d.C_);  // every record's symbols, length and labels must fit
    in.check_count(static_cast<std::uint64_t>(d.C_), 4);
    // Per-position channels: n * L * channels floats must fit, checked
    // without multiplying past 2^64 (n * L fits: the symbols do).
    if (n * L > 0) {
      in.check_count(static_cast<std::uint64_t>(d.S_), n * L * 4);
      in.check_count(static_cast<std::uint64_t>(d.D_), n * L * 4);
      in.check_count(static_cast<std::uint64_t>(d.E_), n * 4);
    }
    for (index_t c = 0; c < d.C_; ++c) d.class_names_.push_back(in.string());
    const std::size_t files = in.check_count(in.get<std::uint64_t>(), 12);
    for (std::size_t f = 0; f < files; ++f) {
      d.files_.push_back(in.string());
      d.file_records_.push_back(static_cast<index_t>(in.get<std::int64_t>()));
    }
    d.names_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) d.names_.push_back(in.string());
    d.lengths_.resize(n);
    in.array(d.lengths_.data(), n);
    d.symbols_.assign(in.check_count(n * L, 1), no_symbol);
    in.array(d.symbols_.data(), d.symbols_.size());
    std::vector<std::uint8_t> label_bits(in.check_count(n * to_size(d.C_), 1));
    in.array(label_bits.data(), label_bits.size());
    d.targets_.assign(label_bits.begin(), label_bits.end());
    d.profile_.resize(in.check_count(n * L * to_size(d.S_), 4));
    in.array(d.profile_.data(), d.profile_.size());
    for (index_t k = 0; k < d.D_; ++k) {
      d.dense_names_.push_back(in.string());
      const bool scaled = in.get<std::uint8_t>() != 0;
      std::vector<float> center(scaled ? in.check_count(L, 8) : 0), scale(center.size());
      in.array(center.data(), center.size());
      in.array(scale.data(), scale.size());
      d.dense_center_.push_back(std::move(center));
      d.dense_scale_.push_back(std::move(scale));
    }
    d.dense_.resize(in.check_count(n * L * to_size(d.D_), 4));
    in.array(d.dense_.data(), d.dense_.size());
    for (index_t k = 0; k < d.E_; ++k) d.extra_names_.push_back(in.string());
    d.extra_.resize(in.check_count(n * to_size(d.E_), 4));
    in.array(d.extra_.data(), d.extra_.size());
    Split split;
    for (auto* g : {&split.train, &split.val, &split.test}) {
      g->resize(in.check_count(static_cast<std::uint64_t>(in.get<std::int64_t>()), 8));
      for (auto& i : *g) i = static_cast<index_t>(in.get<std::int64_t>());
    }
    in.verify_checksum();
    // The checksum matched; these checks catch files written by a different program.
    for (std::size_t i = 0; i < n; ++i)
      if (d.lengths_[i] == 0 || d.lengths_[i] > L) throw in.corrupt("record length out of range");
    const auto A = static_cast<std::uint8_t>(d.alphabet_.size());
    for (std::uint8_t s : d.symbols_)
      if (s >= A && s != no_symbol) throw in.corrupt("a symbol is outside the alphabet");
    for (std::uint8_t b : label_bits)
      if (b > 1) throw in.corrupt("a label is not 0 or 1");
    // Data read from text refuses NaN and infinity; so does a data file.
    auto finite = [](const std::vector<float>& v) {
      return std::all_of(v.begin(), v.end(), [](float x) { return std::isfinite(x); });
    };
    bool all_finite = finite(d.profile_) && finite(d.dense_) && finite(d.extra_);
    for (std::size_t k = 0; k < d.dense_center_.size(); ++k)
      all_finite = all_finite && finite(d.dense_center_[k]) && finite(d.dense_scale_[k]);
    if (!all_finite) throw in.corrupt("an input value is NaN or infinite");
    try {
      validate_split(split, d.n_);
    } catch (const Error& e) {
      throw in.corrupt(e.what());
    }
    d.split_ = std::move(split);
    d.all_.resize(n);
    std::iota(d.all_.begin(), d.all_.end(), index_t{0});
    return d;
  }

  friend class detail::DataBuilder;

  index_t n() const { return n_; }
  void check_index(index_t i) const {
    if (i < 0 || i >= n_)
      throw Error("record index " + std::to_string(i) + " is out of range (the data set has " + std::to_string(n_) +
                  " records)");
  }

  // One file per class file: each must match its FASTA file; otherwise the
  // lines of all files together must match the records.
  void check_line_counts(const std::vector<std::string>& files, const std::vector<index_t>& counts,
                         const char* what) const {
    require(!files.empty(), "additional data: no files given");
    if (files.size() == files_.size()) {
      for (std::size_t f = 0; f < files.size(); ++f)
        require(counts[f] == file_records_[f], files[f] + ": " + std::to_string(counts[f]) + " " + what + ", but " +
                                                   files_[f] + " has " + std::to_string(file_records_[f]) +
                                                   " records (expected one line per record)");
      return;
    }
    const index_t total = std::accumulate(counts.begin(), counts.end(), index_t{0});
    std::string names;
    for (const auto& f : files) names += (names.empty() ? "" : ", ") + f;
    require(total == n_, names + ": " + std::to_string(total) + " " + what + " for " + std::to_string(n_) +
                             " records (expected one line per record)");
  }

  // Adds `width` columns per record (values: n x width) after the current extra inputs.
  void append_extra(const std::vector<float>& values, index_t width, const std::vector<std::string>& names) {
    const auto n = to_size(n_), E = to_size(E_), W = to_size(width);
    std::vector<float> extra(n * (E + W));
    for (std::size_t i = 0; i < n; ++i) {
      std::copy_n(extra_.data() + i * E, E, extra.data() + i * (E + W));
      std::copy_n(values.data() + i * W, W, extra.data() + i * (E + W) + E);
    }
    extra_ = std::move(extra);
    extra_names_.insert(extra_names_.end(), names.begin(), names.end());
    E_ += width;
  }

  Alphabet alphabet_;
  DataOptions options_;
  index_t n_ = 0, L_ = 0, C_ = 0;
  bool multilabel_ = false;
  ByteArray symbols_;                   // n x L
  std::vector<std::uint32_t> lengths_;  // n, before padding
  std::vector<float> targets_;          // n x C
  std::vector<std::string> names_, class_names_;
  std::vector<std::string> files_;      // the FASTA files read
  std::vector<index_t> file_records_;   // records per file
  index_t S_ = 0;
  std::vector<float> profile_;  // n x L x S
  index_t D_ = 0;
  std::vector<float> dense_;    // n x L x D
  std::vector<std::string> dense_names_;
  std::vector<std::vector<float>> dense_center_, dense_scale_;  // per channel: L values, or empty (unscaled)
  index_t E_ = 0;
  std::vector<float> extra_;    // n x E
  std::vector<std::string> extra_names_;
  Split split_;
  std::vector<index_t> all_;
  index_t replaced_ = 0;
};

namespace detail {

inline Data DataBuilder::finish(index_t classes, bool multilabel, std::vector<std::string> class_names,
                                std::vector<std::string> files, std::vector<index_t> file_records) {
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

}  // namespace detail

}  // namespace sster
