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
//
// This header holds the class with its storage and accessors. Its other
// members are defined with the rest of their concept, in headers included at
// the end of this one (each of them includes this one, so any of them brings
// all of Data):
//   data/data_builder.hpp  from_fasta, from_multilabel_fasta, from_sequences
//   data/data_inputs.hpp   add_additional, add_categorical, add_positionwise
//   data/data_file.hpp     save, load: the data file and its field table
#include <algorithm>
#include <cstdint>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/random.hpp"
#include "sster/core/symbol.hpp"
#include "sster/core/tensor.hpp"
#include "sster/data/alphabet.hpp"
#include "sster/data/byte_array.hpp"
#include "sster/data/class_weights.hpp"
#include "sster/data/input_encoding.hpp"
#include "sster/data/split.hpp"
#include "sster/data/text_file.hpp"

namespace sster {

struct DataOptions {
  std::uint64_t seed = 42;      // split and replacement of unknown letters
  bool pad = false;             // pad shorter sequences with no_symbol instead of failing
  bool class_weights = true;    // false: class_weights() returns all 1
  double train_fraction = 0.7, val_fraction = 0.15;
  bool structure_profile = false;     // structures are rows of probabilities (pysster's structure_pwm)
  bool balanced_binary_quirk = true;  // pysster: class 0 of a balanced binary set weighs 1.5
  bool replace_unknown = true;        // false: a sequence letter outside the alphabet is an error
  // true: a structure letter outside the alphabet is replaced by a random one, as
  // pysster does (sster's default is an error). Used while reading; not in data files.
  bool replace_unknown_structure = false;
};

namespace detail {
class DataBuilder;
struct DataFile;
}  // namespace detail

class Data {
 public:
  static constexpr std::uint32_t file_version = 2;  // the newest data file format (data/data_file.hpp)

  Data() = default;

  // ---- building (data/data_builder.hpp)
  // One FASTA file per class (class c = the c-th file); headers are names.
  static Data from_fasta(const std::vector<std::string>& class_files, const Alphabet& alphabet,
                         const DataOptions& options = {});
  // FASTA files with the class of each, records in file order; a class may
  // have several files (its training and its test sequences, say), and every
  // class from 0 to the largest needs one. Classes are named after their
  // first file (class_0, ... if those names clash).
  static Data from_fasta(const std::vector<std::string>& files, const std::vector<index_t>& file_classes,
                         const Alphabet& alphabet, const DataOptions& options = {});
  // FASTA files whose headers hold each record's classes ("0,2", or
  // "name 0,2"), records in file order. classes <= 0: the largest index + 1,
  // as pysster.
  static Data from_multilabel_fasta(const std::vector<std::string>& files, index_t classes, const Alphabet& alphabet,
                                    const DataOptions& options = {});
  static Data from_multilabel_fasta(const std::string& file, index_t classes, const Alphabet& alphabet,
                                    const DataOptions& options = {});
  // Sequences in memory, one class each (tests, simulations). Names are
  // "seq_1", "seq_2", ...; structures, if given, one per sequence.
  static Data from_sequences(const std::vector<std::string>& sequences, const std::vector<index_t>& labels,
                             index_t classes, const Alphabet& alphabet, const DataOptions& options = {},
                             const std::vector<std::string>& structures = {});

  // ---- additional inputs (data/data_inputs.hpp; pysster's
  // load_additional_data / load_additional_positionwise_data)
  // Files hold one line per record: one file per class file (checked file by
  // file) or any files whose lines together match the records.

  // Numbers, one per line; standardize: z-score over all records.
  void add_additional(const std::vector<std::string>& files, bool standardize = false);
  void add_additional(const std::string& file, bool standardize = false);
  // Categories, one per line, one-hot encoded over the sorted categories.
  void add_categorical(const std::vector<std::string>& files, std::vector<std::string> categories);
  void add_categorical(const std::string& file, std::vector<std::string> categories);
  // Numbers per position, one line per record with length() values (with
  // padding: the record's own length or length(); missing positions are 0).
  // standardize: per position, subtract the median and divide by the
  // interquartile range (sklearn's robust_scale); the raw values stay
  // available through dense_unscaled().
  void add_positionwise(const std::vector<std::string>& files, const std::string& identifier, bool standardize = false);
  void add_positionwise(const std::string& file, const std::string& identifier, bool standardize = false);
  // The same inputs for other data, encoded as `as` says (what a model kept
  // of its training data): the same categories, the same scaling, the same names.
  void add_additional(const std::vector<std::string>& files, const AdditionalInput& as);
  void add_positionwise(const std::vector<std::string>& files, const PositionwiseInput& as);
  // How each additional input was encoded, in the order added (its columns
  // follow one another in extra()), and each position-wise channel's scaling.
  const std::vector<AdditionalInput>& additional_inputs() const { return additional_; }
  std::vector<PositionwiseInput> positionwise_inputs() const {
    std::vector<PositionwiseInput> out;
    for (index_t c = 0; c < D_; ++c) out.push_back({at(dense_names_, c), at(dense_center_, c), at(dense_scale_, c)});
    return out;
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
    set_split(Split{.train = std::move(train), .val = std::move(val), .test = std::move(test)});
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
  // Letters outside the alphabet that were replaced by random letters (sequence
  // letters, and structure letters with DataOptions::replace_unknown_structure).
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
      s += "replaced:   " + std::to_string(replaced_) + " unknown letters by random letters\n";
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


  // ---- files (data/data_file.hpp): magic "SSTD", version, the fields of
  // the data set, CRC-32; written atomically. Each kind of damage has its
  // own message: not a data file (magic), a newer format (version),
  // truncated, damaged (checksum), and malformed (checksum fine, content
  // invalid: written by another program).
  void save(const std::string& path) const;
  static Data load(const std::string& path);

 private:
  friend class detail::DataBuilder;
  friend struct detail::DataFile;

  index_t n() const { return n_; }
  void check_index(index_t i) const {
    if (i < 0 || i >= n_)
      throw Error("record index " + std::to_string(i) + " is out of range (the data set has " + std::to_string(n_) +
                  " records)");
  }

  // (data/data_inputs.hpp) One file per class file: each must match its
  // FASTA file; otherwise the lines of all files together must match the records.
  void check_line_counts(const std::vector<std::string>& files, const std::vector<index_t>& counts,
                         const char* what) const;
  // Adds `width` columns per record (values: n x width) after the current extra inputs.
  void append_extra(const std::vector<float>& values, index_t width, const std::vector<std::string>& names);
  // The numbers of `files`, one per record, checked against the records.
  std::vector<double> read_additional_numbers(const std::vector<std::string>& files) const;
  // Appends one input's columns: numbers scaled as `as` says, or categories one-hot.
  void append_additional(const std::vector<double>& numbers, const AdditionalInput& as);
  void append_categories(const std::vector<std::string>& files, const AdditionalInput& as);
  // n x length() values of `files`, one line per record, checked against the records.
  std::vector<float> read_positionwise(const std::vector<std::string>& files) const;
  // Appends one position-wise channel (column: n x length(), scaled as `as` says, in place).
  void append_positionwise(std::vector<float> column, PositionwiseInput as);

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
  std::vector<AdditionalInput> additional_;  // the inputs behind the E columns
  Split split_;
  std::vector<index_t> all_;
  index_t replaced_ = 0;
};

}  // namespace sster

// The members defined with their concepts (see the top of this file).
#include "sster/data/data_builder.hpp"
#include "sster/data/data_file.hpp"
#include "sster/data/data_inputs.hpp"
