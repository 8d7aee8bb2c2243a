#pragma once
// The prepared data file (.sstd, docs/data-file.md): Data::save and
// Data::load. The file is a binary container (core/binary_file.hpp) with
// magic "SSTD"; its content is the fields of DataFile::fields(), in order.
// That one table says, per field, which member of Data it holds, how its
// values are stored (element type), how many there are (shape rule) and
// which values are valid (range check): save and load both walk it, so the
// writer and the reader cannot drift apart. A field added in a later format
// version says since when: save writes the oldest version that can hold the
// data set (so files of data sets without the newer content stay as they
// were), load reads what the file's version has.
#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <numeric>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "sster/core/atomic_file.hpp"
#include "sster/core/binary_file.hpp"
#include "sster/core/error.hpp"
#include "sster/core/symbol.hpp"
#include "sster/data/dataset.hpp"
#include "sster/data/split.hpp"

namespace sster {

namespace detail {

// Friend of Data: the fields of its file, and the walks that write and read them.
struct DataFile {
  static constexpr index_t max_size = index_t{1} << 40;  // records, length, channels: far beyond use

  // How many values an array field holds: the product of size fields read
  // before it (records x length x channels). A product past 2^64 (a damaged
  // size) saturates, so the count check refuses it instead of wrapping.
  class Shape {
   public:
    Shape(std::initializer_list<index_t Data::*> sizes) {
      assert(sizes.size() <= sizes_.size());
      for (auto s : sizes) sizes_[count_++] = s;
    }
    std::uint64_t values(const Data& d) const {
      std::uint64_t n = 1;
      for (std::size_t k = 0; k < count_; ++k)
        if (__builtin_mul_overflow(n, static_cast<std::uint64_t>(d.*sizes_[k]), &n))
          return std::numeric_limits<std::uint64_t>::max();
      return n;
    }

   private:
    std::array<index_t Data::*, 3> sizes_{};
    std::size_t count_ = 0;
  };

  // ---- element types: each writes its member and reads it back.

  // One number stored as `Stored`: a flag as one byte, a size as int64.
  template <class Stored, class Member>
  struct Scalar {
    Member member;
    void write(BinaryWriter& out, const Data& d) const { out.put(static_cast<Stored>(std::invoke(member, d))); }
    void read(BinaryReader& in, Data& d) const {
      auto& v = std::invoke(member, d);
      v = static_cast<std::remove_reference_t<decltype(v)>>(in.get<Stored>());
    }
  };

  // shape.values(d) numbers stored as `Stored` (0/1 labels as bytes).
  template <class Stored, class Member>
  struct Array {
    Member member;
    Shape shape;
    void write(BinaryWriter& out, const Data& d) const {
      const auto& v = std::invoke(member, d);
      if constexpr (std::is_same_v<Element<decltype(v)>, Stored>) {
        out.array(v.data(), v.size());
      } else {  // labels: the 0/1 targets as bytes
        std::vector<Stored> stored(v.size());
        std::transform(v.begin(), v.end(), stored.begin(), [](auto x) { return static_cast<Stored>(x != 0); });
        out.array(stored.data(), stored.size());
      }
    }
    void read(BinaryReader& in, Data& d) const {
      auto& v = std::invoke(member, d);
      const std::size_t n = in.check_count(shape.values(d), sizeof(Stored));
      if constexpr (std::is_same_v<Element<decltype(v)>, Stored>) {
        v.resize(n);
        in.array(v.data(), n);
      } else {
        std::vector<Stored> stored(n);
        in.array(stored.data(), n);
        v.assign(stored.begin(), stored.end());
      }
    }
    template <class V>
    using Element = std::remove_cvref_t<decltype(*std::declval<V>().data())>;
  };

  // shape.values(d) strings.
  template <class Member>
  struct Strings {
    Member member;
    Shape shape;
    void write(BinaryWriter& out, const Data& d) const {
      for (const auto& s : std::invoke(member, d)) out.string(s);
    }
    void read(BinaryReader& in, Data& d) const {
      auto& v = std::invoke(member, d);
      const std::size_t n = in.check_count(shape.values(d), 4);
      v.clear();
      v.reserve(n);
      for (std::size_t i = 0; i < n; ++i) v.push_back(in.string());
    }
  };

  // Record indices that carry their own count: int64 count, then int64 each.
  template <class Member>
  struct Indices {
    Member member;
    void write(BinaryWriter& out, const Data& d) const {
      const auto& v = std::invoke(member, d);
      out.put(static_cast<std::int64_t>(v.size()));
      for (index_t i : v) out.put(static_cast<std::int64_t>(i));
    }
    void read(BinaryReader& in, Data& d) const {
      auto& v = std::invoke(member, d);
      v.resize(in.check_count(static_cast<std::uint64_t>(in.get<std::int64_t>()), 8));
      for (auto& i : v) i = static_cast<index_t>(in.get<std::int64_t>());
    }
  };

  // The alphabet as its string (sequence letters, then a space and the structure letters).
  struct AlphabetText {
    void write(BinaryWriter& out, const Data& d) const { out.string(d.alphabet_.to_string()); }
    void read(BinaryReader& in, Data& d) const {
      try {
        d.alphabet_ = Alphabet::from_string(in.string());
      } catch (const Error& e) {
        throw in.corrupt(std::string("bad alphabet: ") + e.what());
      }
    }
  };

  // The FASTA files read: uint64 count, then per file its path and its
  // record count (int64).
  struct SourceFiles {
    void write(BinaryWriter& out, const Data& d) const {
      out.put(static_cast<std::uint64_t>(d.files_.size()));
      for (std::size_t f = 0; f < d.files_.size(); ++f) {
        out.string(d.files_[f]);
        out.put(static_cast<std::int64_t>(d.file_records_[f]));
      }
    }
    void read(BinaryReader& in, Data& d) const {
      const std::size_t files = in.check_count(in.get<std::uint64_t>(), 12);
      for (std::size_t f = 0; f < files; ++f) {
        d.files_.push_back(in.string());
        d.file_records_.push_back(static_cast<index_t>(in.get<std::int64_t>()));
      }
    }
  };

  // Per position-wise channel: its name, whether it is standardised, and if
  // so its centre and scale per position (length() float32 each).
  struct PositionwiseChannels {
    void write(BinaryWriter& out, const Data& d) const {
      for (index_t k = 0; k < d.D_; ++k) {
        const auto& center = at(d.dense_center_, k);
        const auto& scale = at(d.dense_scale_, k);
        out.string(at(d.dense_names_, k));
        out.put(static_cast<std::uint8_t>(!center.empty()));
        out.array(center.data(), center.size());
        out.array(scale.data(), scale.size());
      }
    }
    void read(BinaryReader& in, Data& d) const {
      for (index_t k = 0; k < d.D_; ++k) {
        d.dense_names_.push_back(in.string());
        const bool scaled = in.get<std::uint8_t>() != 0;
        std::vector<float> center(scaled ? in.check_count(static_cast<std::uint64_t>(d.L_), 8) : 0), scale(center.size());
        in.array(center.data(), center.size());
        in.array(scale.data(), scale.size());
        d.dense_center_.push_back(std::move(center));
        d.dense_scale_.push_back(std::move(scale));
      }
    }
  };

  // How each additional input was encoded (version 2): uint64 count, then
  // per input its name, uint64 category count and the categories, whether it
  // is z-scored (byte), mean and sd (float64). Version 1 files have plain
  // numbers only, one per column.
  struct AdditionalEncodings {
    void write(BinaryWriter& out, const Data& d) const {
      out.put(static_cast<std::uint64_t>(d.additional_.size()));
      for (const auto& a : d.additional_) {
        out.string(a.name);
        out.put(static_cast<std::uint64_t>(a.categories.size()));
        for (const auto& c : a.categories) out.string(c);
        out.put(static_cast<std::uint8_t>(a.standardized));
        out.put(a.mean);
        out.put(a.sd);
      }
    }
    void read(BinaryReader& in, Data& d) const {
      const std::size_t inputs = in.check_count(in.get<std::uint64_t>(), 29);
      for (std::size_t k = 0; k < inputs; ++k) {
        AdditionalInput a{.name = in.string()};
        const std::size_t categories = in.check_count(in.get<std::uint64_t>(), 4);
        for (std::size_t c = 0; c < categories; ++c) a.categories.push_back(in.string());
        a.standardized = in.get<std::uint8_t>() != 0;
        a.mean = in.get<double>();
        a.sd = in.get<double>();
        d.additional_.push_back(std::move(a));
      }
    }
  };

  // Stores nothing: once the sizes are read, and before anything is sized
  // from them, they must match the alphabet and fit in the bytes left.
  struct SizesFit {
    void write(BinaryWriter&, const Data&) const {}
    void read(BinaryReader& in, const Data& d) const {
      if (d.S_ != 0 && d.S_ != d.alphabet_.structure_size()) throw in.corrupt("profile channels do not match the alphabet");
      const auto n = to_size(d.n_), L = to_size(d.L_);
      in.check_count(n, L + 4 + to_size(d.C_));  // every record's symbols, length and labels
      in.check_count(to_size(d.C_), 4);
      if (n * L > 0) {  // n * L does not overflow: the symbols fit
        in.check_count(to_size(d.S_), n * L * 4);
        in.check_count(to_size(d.D_), n * L * 4);
        in.check_count(to_size(d.E_), n * 4);
      }
    }
  };

  // ---- the table

  // A field: its name, its element type and shape (the codec, which knows
  // the member), and its range check: why a loaded value is invalid, or ""
  // when all are valid. A size is checked as soon as it is read, since later
  // fields are sized from it; other values once the checksum matched, since
  // in a damaged file the damage is the message.
  template <class Codec, class Check>
  struct Field {
    const char* name;
    Codec codec;
    Check check;
    bool size = false;
    std::uint32_t since = 1;  // the format version that added it
  };
  struct AnyValue {
    std::string operator()(const Data&) const { return {}; }
  };
  template <class Codec, class Check = AnyValue>
  static Field<Codec, Check> field(const char* name, Codec codec, Check check = {}) {
    return {name, codec, check};
  }
  template <class F>
  static F added_in(std::uint32_t version, F f) {
    f.since = version;
    return f;
  }
  template <class Stored, class Member>
  static Scalar<Stored, Member> scalar(Member member) {
    return {member};
  }
  template <class Stored, class Member>
  static Array<Stored, Member> array(Member member, Shape shape) {
    return {member, shape};
  }
  template <class Member>
  static Strings<Member> strings(Member member, Shape shape) {
    return {member, shape};
  }
  template <class Member>
  static Indices<Member> indices(Member member) {
    return {member};
  }

  // Sizes (records, length, channels, ...) are int64 within [0, 2^40].
  static std::string size_error(index_t v) { return v >= 0 && v <= max_size ? "" : "a size field is out of range"; }
  static auto size(const char* name, index_t Data::*member) {
    auto in_range = [member](const Data& d) { return size_error(d.*member); };
    return Field<Scalar<std::int64_t, index_t Data::*>, decltype(in_range)>{name, {member}, in_range, true};
  }
  template <class Values, class Pred>
  static std::string all_valid(const Values& values, Pred pred, const char* error) {
    return std::all_of(values.begin(), values.end(), pred) ? "" : error;
  }
  // Data read from text refuses NaN and infinity; so does a data file.
  static std::string all_finite(const std::vector<float>& values) {
    return all_valid(values, [](float x) { return std::isfinite(x); }, "an input value is NaN or infinite");
  }

  // The fields in file order, after magic and version.
  static auto fields() {
    using D = Data;
    auto option = [](auto DataOptions::*m) { return [m](auto& d) -> auto& { return d.options_.*m; }; };
    auto group = [](auto Split::*g) { return [g](auto& d) -> auto& { return d.split_.*g; }; };
    // The range checks of fields other than sizes.
    auto record_lengths = [](const Data& d) {
      return all_valid(d.lengths_, [&](index_t l) { return l > 0 && l <= d.L_; }, "record length out of range");
    };
    auto in_alphabet = [](const Data& d) {
      const auto A = static_cast<std::uint8_t>(d.alphabet_.size());
      return all_valid(d.symbols_, [&](std::uint8_t s) { return s < A || s == no_symbol; },
                       "a symbol is outside the alphabet");
    };
    auto zero_or_one = [](const Data& d) {
      return all_valid(d.targets_, [](float t) { return t == 0 || t == 1; }, "a label is not 0 or 1");
    };
    auto finite_scaling = [](const Data& d) {
      for (index_t k = 0; k < d.D_; ++k)
        for (const auto* v : {&at(d.dense_center_, k), &at(d.dense_scale_, k)})
          if (std::string error = all_finite(*v); !error.empty()) return error;
      return std::string();
    };
    auto encodings_fit = [](const Data& d) {
      index_t columns = 0;
      for (const auto& a : d.additional_) {
        columns += a.columns();
        if (!std::isfinite(a.mean) || !std::isfinite(a.sd) || a.sd < 0) return std::string("an additional input's scaling is not finite");
      }
      return columns == d.E_ ? std::string() : std::string("the additional inputs' encodings do not match their columns");
    };
    auto valid_split = [](const Data& d) {
      try {
        validate_split(d.split_, d.n_);
      } catch (const Error& e) {
        return std::string(e.what());
      }
      return std::string();
    };
    return std::tuple{
        field("alphabet", AlphabetText{}),
        field("seed", scalar<std::uint64_t>(option(&DataOptions::seed))),
        field("pad", scalar<std::uint8_t>(option(&DataOptions::pad))),
        field("class weights", scalar<std::uint8_t>(option(&DataOptions::class_weights))),
        field("structure profile", scalar<std::uint8_t>(option(&DataOptions::structure_profile))),
        field("balanced binary quirk", scalar<std::uint8_t>(option(&DataOptions::balanced_binary_quirk))),
        field("replace unknown", scalar<std::uint8_t>(option(&DataOptions::replace_unknown))),
        field("train fraction", scalar<double>(option(&DataOptions::train_fraction))),
        field("validation fraction", scalar<double>(option(&DataOptions::val_fraction))),
        field("multi-label", scalar<std::uint8_t>(&D::multilabel_)),
        size("records", &D::n_),
        size("length", &D::L_),
        size("classes", &D::C_),
        size("profile channels", &D::S_),
        size("position-wise channels", &D::D_),
        size("additional inputs", &D::E_),
        size("replaced letters", &D::replaced_),
        field("sizes fit", SizesFit{}),
        field("class names", strings(&D::class_names_, {&D::C_})),
        field("files", SourceFiles{}),
        field("record names", strings(&D::names_, {&D::n_})),
        field("lengths", array<std::uint32_t>(&D::lengths_, {&D::n_}), record_lengths),
        field("symbols", array<std::uint8_t>(&D::symbols_, {&D::n_, &D::L_}), in_alphabet),
        field("labels", array<std::uint8_t>(&D::targets_, {&D::n_, &D::C_}), zero_or_one),
        field("structure profiles", array<float>(&D::profile_, {&D::n_, &D::L_, &D::S_}),
              [](const Data& d) { return all_finite(d.profile_); }),
        field("position-wise names and scaling", PositionwiseChannels{}, finite_scaling),
        field("position-wise values", array<float>(&D::dense_, {&D::n_, &D::L_, &D::D_}),
              [](const Data& d) { return all_finite(d.dense_); }),
        field("additional names", strings(&D::extra_names_, {&D::E_})),
        field("additional values", array<float>(&D::extra_, {&D::n_, &D::E_}),
              [](const Data& d) { return all_finite(d.extra_); }),
        field("training records", indices(group(&Split::train))),
        field("validation records", indices(group(&Split::val))),
        field("test records", indices(group(&Split::test)), valid_split),
        added_in(2, field("additional input encodings", AdditionalEncodings{}, encodings_fit)),
    };
  }

  // The oldest version that holds d: 2 once an additional input is more
  // than a plain number (categorical or z-scored).
  static std::uint32_t version_for(const Data& d) {
    return d.additional_ == plain_additional_inputs(d.extra_names_) ? 1 : 2;
  }

  static void write(BinaryWriter& out, const Data& d, std::uint32_t version) {
    std::apply([&](const auto&... f) { ((f.since <= version ? f.codec.write(out, d) : void()), ...); }, fields());
  }
  static void read(BinaryReader& in, Data& d, std::uint32_t version) {
    const auto table = fields();
    std::apply([&](const auto&... f) { (read_field(in, d, f, version), ...); }, table);
    in.verify_checksum();
    if (version < 2) d.additional_ = plain_additional_inputs(d.extra_names_);
    std::apply([&](const auto&... f) { (check_value(in, d, f), ...); }, table);
  }
  template <class F>
  static void read_field(BinaryReader& in, Data& d, const F& f, std::uint32_t version) {
    if (f.since > version) return;
    f.codec.read(in, d);
    if (f.size) check(in, d, f);
  }
  template <class F>
  static void check_value(BinaryReader& in, const Data& d, const F& f) {
    if (!f.size) check(in, d, f);
  }
  template <class F>
  static void check(BinaryReader& in, const Data& d, const F& f) {
    if (const std::string error = f.check(d); !error.empty()) throw in.corrupt(error);
  }
};

}  // namespace detail

inline void Data::save(const std::string& path) const {
  require(n_ > 0, path + ": cannot save an empty data set");
  AtomicFile file(path);
  BinaryWriter out(file);
  const std::uint32_t version = detail::DataFile::version_for(*this);
  out.header("SSTD", version);
  detail::DataFile::write(out, *this, version);
  out.finish();
  file.commit();
}

inline Data Data::load(const std::string& path) {
  BinaryReader in(path);
  const std::string magic = in.prefix(4);
  if (magic.empty()) throw in.corrupt("the file is empty");
  if (magic != std::string_view("SSTD").substr(0, magic.size()))
    throw in.corrupt("it does not start with 'SSTD' (not an sster data file; model files start with 'SSTR')");
  if (in.size() < 12) throw in.corrupt("truncated: it ends after " + std::to_string(in.size()) + " bytes, inside its header");
  const std::uint32_t version = in.header().version;
  if (version > file_version)
    throw Error(path + ": data file version " + std::to_string(version) + " is newer than this sster reads (up to " +
                std::to_string(file_version) + "): update sster");
  if (version == 0) throw in.corrupt("format version 0 does not exist");
  Data d;
  try {
    detail::DataFile::read(in, d, version);
  } catch (const Error&) {
    switch (in.diagnose()) {
      case BinaryReader::Failure::malformed: throw;
      case BinaryReader::Failure::truncated:
        throw in.corrupt("truncated: its content needs more than its " + std::to_string(in.size()) +
                         " bytes (an incomplete copy or download?)");
      case BinaryReader::Failure::damaged:
        throw in.corrupt("checksum mismatch: the data file is damaged (in transfer or on disk)");
    }
    throw;
  }
  d.all_.resize(to_size(d.n_));
  std::iota(d.all_.begin(), d.all_.end(), index_t{0});
  return d;
}

}  // namespace sster
