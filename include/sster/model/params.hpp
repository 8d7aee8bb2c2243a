#pragma once
// sster::Params: every pysster Model hyperparameter with pysster's default.
// Per-layer parameters take one value (used for every layer) or one value
// per layer, like pysster's tuples (kernel_num (30, 60) for two conv layers).
// Values are validated against their allowed range on every set, and the
// per-layer counts by validate(). Readable and writable as JSON and as
// "key=value" strings (the CLI's --param).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/tensor.hpp"

namespace sster {

namespace detail {

enum class Kind { integer, real, boolean, text };

struct ParamDef {
  const char* name;
  Kind kind;
  double fallback;         // default (numeric kinds)
  double lo, hi;           // allowed range
  bool lo_open, hi_open;   // whether the bounds themselves are excluded
  const char* group;       // per-layer group: "conv", "dense", "rnn", or "" for scalars
};

inline constexpr double unbounded = 1e300;

// The table of pysster's parameters (Model._check_params), in its order.
inline const std::vector<ParamDef>& param_table() {
  static const std::vector<ParamDef> table = {
      {"conv_num", Kind::integer, 2, 0, 1000, false, false, ""},
      {"kernel_num", Kind::integer, 30, 1, 100000, false, false, "conv"},
      {"kernel_len", Kind::integer, 25, 1, 100000, false, false, "conv"},
      {"pool_size", Kind::integer, 2, 1, 100000, false, false, "conv"},
      {"pool_stride", Kind::integer, 2, 1, 100000, false, false, "conv"},
      {"dense_num", Kind::integer, 1, 0, 1000, false, false, ""},
      {"neuron_num", Kind::integer, 100, 1, 1000000, false, false, "dense"},
      {"dropout_input", Kind::real, 0.1, 0, 1, false, true, ""},
      {"dropout_conv", Kind::real, 0.3, 0, 1, false, true, "conv"},
      {"dropout_dense", Kind::real, 0.6, 0, 1, false, true, "dense"},
      {"batch_size", Kind::integer, 128, 1, 1000000, false, false, ""},
      {"learning_rate", Kind::real, 0.0005, 0, 1000, true, false, ""},
      {"patience_lr", Kind::integer, 5, 1, 1000000, false, false, ""},
      {"patience_stopping", Kind::integer, 15, 1, 1000000, false, false, ""},
      {"epochs", Kind::integer, 500, 1, 1000000, false, false, ""},
      {"kernel_constraint", Kind::real, 3, 0, unbounded, true, false, ""},
      {"rnn_type", Kind::text, 0, 0, 0, false, false, ""},
      {"rnn_num", Kind::integer, 1, 1, 1000, false, false, ""},
      {"rnn_units", Kind::integer, 32, 1, 100000, false, false, "rnn"},
      {"rnn_bidirectional", Kind::boolean, 1, 0, 1, false, false, "rnn"},
      {"rnn_dropout_input", Kind::real, 0.2, 0, 1, false, true, "rnn"},
      {"rnn_dropout_recurrent", Kind::real, 0.0, 0, 1, false, true, "rnn"},
      {"rnn_dropout_masks", Kind::text, 0, 0, 0, false, false, ""},  // sster's: per_gate (pysster's Keras) or shared
  };
  return table;
}

inline const ParamDef& param_def(const std::string& name) {
  for (const auto& d : param_table())
    if (name == d.name) return d;
  std::string known;
  for (const auto& d : param_table()) known += std::string(known.empty() ? "" : ", ") + d.name;
  throw Error("unknown parameter '" + name + "' (known: " + known + ")");
}

inline std::string range_text(const ParamDef& d) {
  auto num = [](double v) {
    std::ostringstream s;
    s << v;
    return s.str();
  };
  if (d.kind == Kind::boolean) return "true or false";
  const std::string lo = std::string(d.lo_open ? "(" : "[") + num(d.lo) + ", ";
  const std::string hi = d.hi >= unbounded ? "inf)" : num(d.hi) + (d.hi_open ? ")" : "]");
  return (d.kind == Kind::integer ? "a whole number in " : "a number in ") + lo + hi;
}

}  // namespace detail

// One value for every layer, or one per layer: kernel_num(30) or kernel_num({30, 60}).
struct PerLayer {
  std::vector<double> values;
  PerLayer(double v) : values{v} {}  // NOLINT: implicit by design
  PerLayer(std::initializer_list<double> v) : values(v) {}
  PerLayer(std::vector<double> v) : values(std::move(v)) {}  // NOLINT
};

class Params {
 public:
  Params() {
    for (const auto& d : detail::param_table())
      if (d.kind != detail::Kind::text) values_[d.name] = {d.fallback};
  }

  // One value, or one per layer. Throws Error naming the parameter and its range.
  Params& set(const std::string& name, std::vector<double> values) {
    const auto& d = detail::param_def(name);
    require(d.kind != detail::Kind::text, "parameter '" + name + "' takes a name, not a number");
    require(!values.empty(), "parameter '" + name + "': no value given");
    require(values.size() == 1 || *d.group, "parameter '" + name + "' takes a single value, got " +
                                                  std::to_string(values.size()));
    for (double v : values) check_value(d, v);
    values_[name] = std::move(values);
    return *this;
  }
  Params& set(const std::string& name, double value) { return set(name, std::vector<double>{value}); }

  // Parses "30", "(30, 60)", "30,60", "true", "LSTM", "none": the CLI's --param values.
  Params& set(const std::string& name, const std::string& text) {
    const auto& d = detail::param_def(name);
    if (d.kind == detail::Kind::text) return name == "rnn_type" ? rnn_type(text) : rnn_dropout_masks(text);
    std::vector<double> values;
    std::string item;
    std::istringstream in(strip(text, "()[] "));
    while (std::getline(in, item, ',')) values.push_back(parse_number(d, strip(item, " ")));
    return set(name, std::move(values));
  }
  // "key=value"
  Params& set(const std::string& assignment) {
    const auto eq = assignment.find('=');
    require(eq != std::string::npos, "parameter '" + assignment + "': expected key=value");
    return set(strip(assignment.substr(0, eq), " "), assignment.substr(eq + 1));
  }

  // Value for `layer` (0-based) of a per-layer parameter, or the scalar value.
  double get(const std::string& name, index_t layer = 0) const {
    const auto& d = detail::param_def(name);
    require(d.kind != detail::Kind::text, "parameter '" + name + "' is not numeric");
    const auto& v = values_.at(name);
    return v.size() == 1 ? v[0] : v.at(to_size(layer));
  }
  index_t get_int(const std::string& name, index_t layer = 0) const {
    return static_cast<index_t>(std::llround(get(name, layer)));
  }
  const std::vector<double>& values(const std::string& name) const { return values_.at(name); }
  const std::string& rnn_type() const { return rnn_type_; }
  const std::string& rnn_dropout_masks() const { return rnn_dropout_masks_; }

  // Per-layer value counts must match the layer counts (pysster's tuple rule).
  void validate() const {
    const std::map<std::string, index_t> counts = {
        {"conv", get_int("conv_num")}, {"dense", get_int("dense_num")}, {"rnn", get_int("rnn_num")}};
    for (const auto& d : detail::param_table()) {
      if (!*d.group) continue;
      const auto n = static_cast<index_t>(values_.at(d.name).size());
      const index_t want = counts.at(d.group);
      require(n == 1 || n == want, "parameter '" + std::string(d.name) + "' has " + std::to_string(n) +
                                       " values but there are " + std::to_string(want) + " " + d.group +
                                       " layers (" + group_count_name(d.group) + "): give 1 value or " +
                                       std::to_string(want));
    }
  }

  nlohmann::json to_json() const {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& d : detail::param_table()) {
      if (d.kind == detail::Kind::text) {
        if (d.name == std::string("rnn_type"))
          j[d.name] = rnn_type_.empty() ? nlohmann::json(nullptr) : nlohmann::json(rnn_type_);
        else if (rnn_dropout_masks_ != masks_before_the_parameter)  // so files of shared-mask models stay as they were
          j[d.name] = rnn_dropout_masks_;
        continue;
      }
      const auto& v = values_.at(d.name);
      auto one = [&](double x) -> nlohmann::json {
        if (d.kind == detail::Kind::integer) return std::llround(x);
        if (d.kind == detail::Kind::boolean) return x != 0;
        return x;
      };
      if (v.size() == 1) {
        j[d.name] = one(v[0]);
      } else {
        nlohmann::json a = nlohmann::json::array();
        for (double x : v) a.push_back(one(x));
        j[d.name] = a;
      }
    }
    return j;
  }
  static Params from_json(const nlohmann::json& j) {
    require(j.is_object(), "parameters: expected a JSON object");
    Params p;
    p.rnn_dropout_masks_ = masks_before_the_parameter;  // what a file without the key was trained with
    for (const auto& item : j.items()) {
      // Not a structured binding: clang before 16 cannot capture one in the lambda below.
      const std::string& key = item.key();
      const nlohmann::json& value = item.value();
      const auto& d = detail::param_def(key);
      if (d.kind == detail::Kind::text) {
        p.set(key, value.is_null() ? std::string("none") : value.get<std::string>());
        continue;
      }
      std::vector<double> v;
      auto number = [&](const nlohmann::json& x) {
        require(x.is_number() || x.is_boolean(), "parameter '" + key + "': expected " + range_text(d));
        return x.is_boolean() ? (x.get<bool>() ? 1.0 : 0.0) : x.get<double>();
      };
      if (value.is_array())
        for (const auto& x : value) v.push_back(number(x));
      else
        v.push_back(number(value));
      p.set(key, std::move(v));
    }
    p.validate();
    return p;
  }
  // "key=value" lines, pysster's tuple syntax for per-layer values.
  std::vector<std::string> to_strings() const {
    std::vector<std::string> out;
    auto json = to_json();  // items() must not outlive it
    json["rnn_dropout_masks"] = rnn_dropout_masks_;
    for (const auto& [key, value] : json.items()) {
      std::string text = value.is_null() ? "none" : value.is_array() ? "(" : value.dump();
      if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) {  // appends: "," + dump() trips GCC 12's -Wrestrict (PR 105651)
          if (i > 0) text += ',';
          text += value[i].dump();
        }
        text += ")";
      }
      if (value.is_string()) text = value.get<std::string>();
      out.push_back(key + "=" + text);
    }
    return out;
  }
  bool operator==(const Params& o) const {
    return values_ == o.values_ && rnn_type_ == o.rnn_type_ && rnn_dropout_masks_ == o.rnn_dropout_masks_;
  }

  // Named setters, so code reads like pysster's params dict:
  // Params{}.conv_num(1).kernel_num({30, 60}).rnn_type("GRU")
  Params& conv_num(double v) { return set("conv_num", v); }
  Params& kernel_num(PerLayer v) { return set("kernel_num", std::move(v.values)); }
  Params& kernel_len(PerLayer v) { return set("kernel_len", std::move(v.values)); }
  Params& pool_size(PerLayer v) { return set("pool_size", std::move(v.values)); }
  Params& pool_stride(PerLayer v) { return set("pool_stride", std::move(v.values)); }
  Params& dense_num(double v) { return set("dense_num", v); }
  Params& neuron_num(PerLayer v) { return set("neuron_num", std::move(v.values)); }
  Params& dropout_input(double v) { return set("dropout_input", v); }
  Params& dropout_conv(PerLayer v) { return set("dropout_conv", std::move(v.values)); }
  Params& dropout_dense(PerLayer v) { return set("dropout_dense", std::move(v.values)); }
  Params& batch_size(double v) { return set("batch_size", v); }
  Params& learning_rate(double v) { return set("learning_rate", v); }
  Params& patience_lr(double v) { return set("patience_lr", v); }
  Params& patience_stopping(double v) { return set("patience_stopping", v); }
  Params& epochs(double v) { return set("epochs", v); }
  Params& kernel_constraint(double v) { return set("kernel_constraint", v); }
  Params& rnn_num(double v) { return set("rnn_num", v); }
  Params& rnn_units(PerLayer v) { return set("rnn_units", std::move(v.values)); }
  Params& rnn_bidirectional(PerLayer v) { return set("rnn_bidirectional", std::move(v.values)); }
  Params& rnn_dropout_input(PerLayer v) { return set("rnn_dropout_input", std::move(v.values)); }
  Params& rnn_dropout_recurrent(PerLayer v) { return set("rnn_dropout_recurrent", std::move(v.values)); }
  Params& rnn_type(std::string type) {
    std::string upper = type;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    if (upper == "NONE") upper.clear();
    require(upper.empty() || upper == "LSTM" || upper == "GRU",
            "parameter 'rnn_type': expected LSTM, GRU or none, got '" + type + "'");
    rnn_type_ = upper;
    return *this;
  }
  // Recurrent dropout masks: "per_gate" (pysster's Keras 2.2 default,
  // implementation=1: one input and one recurrent mask per gate) or
  // "shared" (one of each for all gates: the input projections of all gates
  // become one product, faster; see nn/recurrent.hpp).
  Params& rnn_dropout_masks(const std::string& masks) {
    require(masks == "per_gate" || masks == "shared",
            "parameter 'rnn_dropout_masks': expected per_gate (one mask per gate, as pysster's Keras) or shared "
            "(one mask for all gates, faster), got '" + masks + "'");
    rnn_dropout_masks_ = masks;
    return *this;
  }

 private:
  static std::string strip(const std::string& s, const char* chars) {
    const auto b = s.find_first_not_of(chars);
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(chars) - b + 1);
  }
  static std::string range_text(const detail::ParamDef& d) { return detail::range_text(d); }
  static std::string group_count_name(const std::string& group) { return group + "_num"; }
  static double parse_number(const detail::ParamDef& d, const std::string& text) {
    if (d.kind == detail::Kind::boolean) {
      if (text == "true" || text == "True" || text == "1") return 1;
      if (text == "false" || text == "False" || text == "0") return 0;
    } else {
      std::size_t used = 0;
      try {
        const double v = std::stod(text, &used);
        if (used == text.size()) return v;
      } catch (const std::exception&) {
      }
    }
    throw Error("parameter '" + std::string(d.name) + "': '" + text + "' is not " + range_text(d));
  }
  static void check_value(const detail::ParamDef& d, double v) {
    const bool ok = std::isfinite(v) && (d.lo_open ? v > d.lo : v >= d.lo) && (d.hi_open ? v < d.hi : v <= d.hi) &&
                    (d.kind == detail::Kind::real || v == std::floor(v));
    if (!ok) {
      std::ostringstream s;
      s << "parameter '" << d.name << "' = " << v << " is out of range: expected " << range_text(d);
      throw Error(s.str());
    }
  }

  // Model files written before rnn_dropout_masks existed were trained with
  // shared masks: a header without the key means that (and to_json leaves it out then).
  static constexpr const char* masks_before_the_parameter = "shared";

  std::map<std::string, std::vector<double>> values_;
  std::string rnn_type_;                      // "" (none), "LSTM" or "GRU"
  std::string rnn_dropout_masks_ = "per_gate";
};

}  // namespace sster
