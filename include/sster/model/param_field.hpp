#pragma once
// The kinds of row in Params' table (model/params.hpp), in namespace
// sster::param: a typed member of the values struct `V`, its name, and
// what it accepts. Every row reads and
// writes its member the same few ways, so the table alone drives JSON,
// "key=value" text, by-name access and the per-layer count check:
//   numbers(v)       the value(s) as doubles (by-name access, Params::get)
//   set(v, numbers)  checked against count, range and wholeness, then stored
//   parse(v, text)   "30", "(30, 60)", "true", "gru": the CLI's --param
//   to_json(v), from_json(v, j)
//   check_count(v)   per-layer values: 1 or one per layer
// param::Number holds a number or a PerLayer of numbers (index_t, double or
// bool); param::Choice holds an enum named by a list of words.
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <span>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"

namespace sster {

// One value for every layer, or one per layer, like pysster's tuples
// (kernel_num (30, 60) for two conv layers).
template <class T>
struct PerLayer {
  std::vector<T> values;
  PerLayer(T v) : values{v} {}  // NOLINT: implicit by design, kernel_num = 30
  PerLayer(std::vector<T> v) : values(std::move(v)) {}  // NOLINT
  // The value for `layer` (0-based).
  T operator[](index_t layer) const { return values.size() == 1 ? values.front() : values.at(to_size(layer)); }
  bool operator==(const PerLayer&) const = default;
};

// The numbers a setter takes: one, or one per layer. Whole-number members
// take doubles too, so that 2.5 is refused by name instead of truncated.
struct Numbers {
  std::vector<double> values;
  Numbers(double v) : values{v} {}  // NOLINT: implicit by design
  Numbers(std::initializer_list<double> v) : values(v) {}
  Numbers(std::vector<double> v) : values(std::move(v)) {}  // NOLINT
};

namespace param {
namespace detail {

template <class M>
struct Element {
  using type = M;
  static constexpr bool per_layer = false;
};
template <class T>
struct Element<PerLayer<T>> {
  using type = T;
  static constexpr bool per_layer = true;
};

inline std::string strip(const std::string& s, const char* chars) {
  const auto b = s.find_first_not_of(chars);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(chars) - b + 1);
}

inline std::string number_text(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace detail

// Allowed values [lo, hi], either end possibly open; hi may be infinity.
struct Range {
  double lo, hi;
  bool lo_open = false, hi_open = false;
  bool contains(double v) const {
    return std::isfinite(v) && (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
  }
  std::string text() const {
    return std::string(lo_open ? "(" : "[") + detail::number_text(lo) + ", " +
           (std::isinf(hi) ? "inf)" : detail::number_text(hi) + (hi_open ? ")" : "]"));
  }
};
constexpr Range closed(double lo, double hi) { return {lo, hi}; }
constexpr Range below(double lo, double hi) { return {lo, hi, false, true}; }  // [lo, hi)
constexpr Range above(double lo, double hi = std::numeric_limits<double>::infinity()) {  // (lo, hi]
  return {lo, hi, true, false};
}

// A per-layer parameter's layers: their word in messages and their count.
template <class V>
struct LayerGroup {
  const char* word = nullptr;
  index_t V::*count = nullptr;
};

template <class V, class M>
struct Number {
  using E = typename detail::Element<M>::type;
  static constexpr bool per_layer = detail::Element<M>::per_layer;
  static_assert(std::is_same_v<E, index_t> || std::is_same_v<E, double> || std::is_same_v<E, bool>);

  const char* name;
  M V::*member;
  Range range;
  LayerGroup<V> layers{};

  std::vector<double> numbers(const V& v) const {
    if constexpr (per_layer) return {(v.*member).values.begin(), (v.*member).values.end()};
    else return {static_cast<double>(v.*member)};
  }

  void set(V& v, const std::vector<double>& xs) const {
    require(!xs.empty(), "parameter '" + std::string(name) + "': no value given");
    require(xs.size() == 1 || per_layer,
            "parameter '" + std::string(name) + "' takes a single value, got " + std::to_string(xs.size()));
    std::vector<E> typed;
    for (double x : xs) typed.push_back(checked(x));
    if constexpr (per_layer) v.*member = PerLayer<E>(std::move(typed));
    else v.*member = typed.front();
  }

  void parse(V& v, const std::string& text) const {
    std::vector<double> xs;
    std::string item;
    std::istringstream in(detail::strip(text, "()[] "));
    while (std::getline(in, item, ',')) xs.push_back(parse_one(detail::strip(item, " ")));
    set(v, xs);
  }

  nlohmann::json to_json(const V& v) const {
    if constexpr (per_layer) {
      const auto& values = (v.*member).values;
      if (values.size() == 1) return nlohmann::json(values.front());
      nlohmann::json a = nlohmann::json::array();
      for (E x : values) a.push_back(x);
      return a;
    } else {
      return nlohmann::json(v.*member);
    }
  }

  void from_json(V& v, const nlohmann::json& j) const {
    std::vector<double> xs;
    auto number = [&](const nlohmann::json& x) {
      require(x.is_number() || x.is_boolean(), "parameter '" + std::string(name) + "': expected " + expected());
      return x.is_boolean() ? (x.get<bool>() ? 1.0 : 0.0) : x.get<double>();
    };
    if (j.is_array())
      for (const auto& x : j) xs.push_back(number(x));
    else
      xs.push_back(number(j));
    set(v, xs);
  }

  void check_count(const V& v) const {
    if constexpr (per_layer) {
      const index_t n = std::ssize((v.*member).values), want = v.*layers.count;
      require(n == 1 || n == want, "parameter '" + std::string(name) + "' has " + std::to_string(n) +
                                       " values but there are " + std::to_string(want) + " " + layers.word +
                                       " layers (" + layers.word + "_num): give 1 value or " +
                                       std::to_string(want));
    }
  }

 private:
  std::string expected() const {
    if constexpr (std::is_same_v<E, bool>) return "true or false";
    else if constexpr (std::is_same_v<E, index_t>) return "a whole number in " + range.text();
    else return "a number in " + range.text();
  }

  E checked(double x) const {
    const bool whole = std::is_same_v<E, double> || x == std::floor(x);
    if (!whole || !range.contains(x))
      throw Error("parameter '" + std::string(name) + "' = " + detail::number_text(x) +
                  " is out of range: expected " + expected());
    return static_cast<E>(x);
  }

  double parse_one(const std::string& text) const {
    if constexpr (std::is_same_v<E, bool>) {
      if (text == "true" || text == "True" || text == "1") return 1;
      if (text == "false" || text == "False" || text == "0") return 0;
    } else {
      std::size_t used = 0;
      try {
        const double x = std::stod(text, &used);
        if (used == text.size()) return x;
      } catch (const std::exception&) {
      }
    }
    throw Error("parameter '" + std::string(name) + "': '" + text + "' is not " + expected());
  }
};

// An enum E whose values are named, in enum order, by `words` (matched
// without regard to case). The word "none", if there is one, is JSON null.
template <class V, class E>
struct Choice {
  const char* name;
  E V::*member;
  std::span<const char* const> words;

  std::vector<double> numbers(const V&) const {
    throw Error("parameter '" + std::string(name) + "' is not numeric");
  }
  void set(V&, const std::vector<double>&) const {
    throw Error("parameter '" + std::string(name) + "' takes a name, not a number");
  }

  // An empty text is "none", as in the files written before the table.
  void parse(V& v, const std::string& text) const {
    for (std::size_t i = 0; i < words.size(); ++i)
      if (same_word(text.empty() ? "none" : text, words[i])) {
        v.*member = static_cast<E>(i);
        return;
      }
    std::string list;
    for (std::size_t i = 0; i < words.size(); ++i)
      list += std::string(i == 0 ? "" : i + 1 == words.size() ? " or " : ", ") + words[i];
    throw Error("parameter '" + std::string(name) + "': expected " + list + ", got '" + text + "'");
  }

  // The word for the value held.
  std::string word(const V& v) const { return words[static_cast<std::size_t>(v.*member)]; }

  nlohmann::json to_json(const V& v) const {
    const std::string w = word(v);
    return w == "none" ? nlohmann::json(nullptr) : nlohmann::json(w);
  }
  void from_json(V& v, const nlohmann::json& j) const {
    if (j.is_null()) return parse(v, "");
    require(j.is_string(), "parameter '" + std::string(name) + "': expected a name, found " + j.dump());
    parse(v, j.get<std::string>());
  }
  void check_count(const V&) const {}

 private:
  static bool same_word(const std::string& a, const char* b) {
    const std::string_view w(b);
    if (a.size() != w.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(w[i])))
        return false;
    return true;
  }
};

// Deduction guides: clang 14 (the fuzz build) does not deduce aggregates.
template <class V, class M>
Number(const char*, M V::*, Range) -> Number<V, M>;
template <class V, class M>
Number(const char*, M V::*, Range, LayerGroup<V>) -> Number<V, M>;
template <class V, class E>
Choice(const char*, E V::*, std::span<const char* const>) -> Choice<V, E>;

}  // namespace param
}  // namespace sster
