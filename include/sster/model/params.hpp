#pragma once
// sster::Params: every pysster Model hyperparameter with pysster's default.
// The engine reads them typed, p.values().kernel_num[i]; the CLI, JSON and
// grid search reach them by name ("kernel_num=(30,60)"). One table,
// param::fields below, joins the two: each row names a member of ParamValues,
// its allowed range and, for per-layer values, whose count they follow.
// Values are checked on every set, per-layer counts by validate().
//
// Adding a parameter: a member in ParamValues (its default is pysster's) and
// one row in param::fields; JSON, key=value, grid search and `sster summary`
// follow from the row. A named setter below is optional sugar for C++ users.
// A choice is an enum plus its words in enum order (rnn_type, rnn_dropout_masks).
// Model files store the parameters as JSON by name, so files written before
// a parameter existed read with its default (rnn_dropout_masks: see
// model/model_file.hpp).
#include <nlohmann/json.hpp>

#include <array>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/model/param_field.hpp"

namespace sster {

enum class RnnType { lstm, gru, none };
inline constexpr std::array<const char*, 3> rnn_type_words{"LSTM", "GRU", "none"};
// sster's: recurrent dropout draws one input and one recurrent mask per gate,
// as pysster's Keras (implementation=1), or one of each shared by all gates,
// which trains faster (nn/recurrent.hpp).
enum class RnnDropoutMasks { per_gate, shared };
inline constexpr std::array<const char*, 2> rnn_dropout_masks_words{"per_gate", "shared"};

// The typed values, defaults as pysster's Model._check_params.
struct ParamValues {
  index_t conv_num = 2;
  PerLayer<index_t> kernel_num = 30;
  PerLayer<index_t> kernel_len = 25;
  PerLayer<index_t> pool_size = 2;
  PerLayer<index_t> pool_stride = 2;
  index_t dense_num = 1;
  PerLayer<index_t> neuron_num = 100;
  double dropout_input = 0.1;
  PerLayer<double> dropout_conv = 0.3;
  PerLayer<double> dropout_dense = 0.6;
  index_t batch_size = 128;
  double learning_rate = 0.0005;
  index_t patience_lr = 5;
  index_t patience_stopping = 15;
  index_t epochs = 500;
  double kernel_constraint = 3;
  RnnType rnn_type = RnnType::none;
  index_t rnn_num = 1;
  PerLayer<index_t> rnn_units = 32;
  PerLayer<bool> rnn_bidirectional = true;
  PerLayer<double> rnn_dropout_input = 0.2;
  PerLayer<double> rnn_dropout_recurrent = 0.0;
  RnnDropoutMasks rnn_dropout_masks = RnnDropoutMasks::per_gate;

  bool operator==(const ParamValues&) const = default;
};

namespace param {

inline constexpr LayerGroup<ParamValues> conv{"conv", &ParamValues::conv_num};
inline constexpr LayerGroup<ParamValues> dense{"dense", &ParamValues::dense_num};
inline constexpr LayerGroup<ParamValues> rnn{"rnn", &ParamValues::rnn_num};

// The table, in pysster's order: name, member, allowed values, layer group.
inline constexpr auto fields = std::tuple{
    Number{"conv_num", &ParamValues::conv_num, closed(0, 1000)},
    Number{"kernel_num", &ParamValues::kernel_num, closed(1, 100000), conv},
    Number{"kernel_len", &ParamValues::kernel_len, closed(1, 100000), conv},
    Number{"pool_size", &ParamValues::pool_size, closed(1, 100000), conv},
    Number{"pool_stride", &ParamValues::pool_stride, closed(1, 100000), conv},
    Number{"dense_num", &ParamValues::dense_num, closed(0, 1000)},
    Number{"neuron_num", &ParamValues::neuron_num, closed(1, 1000000), dense},
    Number{"dropout_input", &ParamValues::dropout_input, below(0, 1)},
    Number{"dropout_conv", &ParamValues::dropout_conv, below(0, 1), conv},
    Number{"dropout_dense", &ParamValues::dropout_dense, below(0, 1), dense},
    Number{"batch_size", &ParamValues::batch_size, closed(1, 1000000)},
    Number{"learning_rate", &ParamValues::learning_rate, above(0, 1000)},
    Number{"patience_lr", &ParamValues::patience_lr, closed(1, 1000000)},
    Number{"patience_stopping", &ParamValues::patience_stopping, closed(1, 1000000)},
    Number{"epochs", &ParamValues::epochs, closed(1, 1000000)},
    Number{"kernel_constraint", &ParamValues::kernel_constraint, above(0)},
    Choice{"rnn_type", &ParamValues::rnn_type, rnn_type_words},
    Number{"rnn_num", &ParamValues::rnn_num, closed(1, 1000)},
    Number{"rnn_units", &ParamValues::rnn_units, closed(1, 100000), rnn},
    Number{"rnn_bidirectional", &ParamValues::rnn_bidirectional, closed(0, 1), rnn},
    Number{"rnn_dropout_input", &ParamValues::rnn_dropout_input, below(0, 1), rnn},
    Number{"rnn_dropout_recurrent", &ParamValues::rnn_dropout_recurrent, below(0, 1), rnn},
    Choice{"rnn_dropout_masks", &ParamValues::rnn_dropout_masks, rnn_dropout_masks_words},
};

// f(row) for every row of the table.
template <class F>
void for_each_field(F&& f) {
  std::apply([&](const auto&... field) { (f(field), ...); }, fields);
}

}  // namespace param

class Params {
 public:
  // The typed values: what the engine reads.
  const ParamValues& values() const { return values_; }

  // By name: one value, or one per layer. Throws Error naming the parameter and its range.
  Params& set(const std::string& name, const std::vector<double>& numbers) {
    with_field(name, [&](const auto& field) { field.set(values_, numbers); });
    return *this;
  }
  Params& set(const std::string& name, double value) { return set(name, std::vector<double>{value}); }
  // Parses "30", "(30, 60)", "30,60", "true", "LSTM", "none": the CLI's --param values.
  Params& set(const std::string& name, const std::string& text) {
    with_field(name, [&](const auto& field) { field.parse(values_, text); });
    return *this;
  }
  // "key=value"
  Params& set(const std::string& assignment) {
    const auto eq = assignment.find('=');
    require(eq != std::string::npos, "parameter '" + assignment + "': expected key=value");
    return set(param::detail::strip(assignment.substr(0, eq), " "), assignment.substr(eq + 1));
  }

  // By name: the value(s) as numbers, the value for `layer` (0-based) of a
  // per-layer parameter or the scalar value, and the same rounded.
  std::vector<double> values(const std::string& name) const {
    std::vector<double> out;
    with_field(name, [&](const auto& field) { out = field.numbers(values_); });
    return out;
  }
  double get(const std::string& name, index_t layer = 0) const {
    const auto v = values(name);
    return v.size() == 1 ? v[0] : v.at(to_size(layer));
  }
  index_t get_int(const std::string& name, index_t layer = 0) const {
    return static_cast<index_t>(std::llround(get(name, layer)));
  }
  // "LSTM", "GRU" or "" (none).
  std::string rnn_type() const {
    return values_.rnn_type == RnnType::none ? "" : rnn_type_words[static_cast<std::size_t>(values_.rnn_type)];
  }

  // Per-layer value counts must match the layer counts (pysster's tuple rule).
  void validate() const {
    param::for_each_field([&](const auto& field) { field.check_count(values_); });
  }

  // Every parameter by name; a key that is missing takes its default. (Model
  // files keep their own rule for rnn_dropout_masks: model/model_file.hpp.)
  nlohmann::json to_json() const {
    nlohmann::json j = nlohmann::json::object();
    param::for_each_field([&](const auto& field) { j[field.name] = field.to_json(values_); });
    return j;
  }
  static Params from_json(const nlohmann::json& j) {
    require(j.is_object(), "parameters: expected a JSON object");
    Params p;
    for (const auto& item : j.items())
      p.with_field(item.key(), [&](const auto& field) { field.from_json(p.values_, item.value()); });
    p.validate();
    return p;
  }
  // "key=value" lines, pysster's tuple syntax for per-layer values.
  std::vector<std::string> to_strings() const {
    std::vector<std::string> out;
    const auto json = to_json();  // items() must not outlive it
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
  bool operator==(const Params& o) const { return values_ == o.values_; }

  // Named setters, so code reads like pysster's params dict:
  // Params{}.conv_num(1).kernel_num({30, 60}).rnn_type("GRU")
  Params& conv_num(double v) { return assign(&ParamValues::conv_num, v); }
  Params& kernel_num(Numbers v) { return assign(&ParamValues::kernel_num, v); }
  Params& kernel_len(Numbers v) { return assign(&ParamValues::kernel_len, v); }
  Params& pool_size(Numbers v) { return assign(&ParamValues::pool_size, v); }
  Params& pool_stride(Numbers v) { return assign(&ParamValues::pool_stride, v); }
  Params& dense_num(double v) { return assign(&ParamValues::dense_num, v); }
  Params& neuron_num(Numbers v) { return assign(&ParamValues::neuron_num, v); }
  Params& dropout_input(double v) { return assign(&ParamValues::dropout_input, v); }
  Params& dropout_conv(Numbers v) { return assign(&ParamValues::dropout_conv, v); }
  Params& dropout_dense(Numbers v) { return assign(&ParamValues::dropout_dense, v); }
  Params& batch_size(double v) { return assign(&ParamValues::batch_size, v); }
  Params& learning_rate(double v) { return assign(&ParamValues::learning_rate, v); }
  Params& patience_lr(double v) { return assign(&ParamValues::patience_lr, v); }
  Params& patience_stopping(double v) { return assign(&ParamValues::patience_stopping, v); }
  Params& epochs(double v) { return assign(&ParamValues::epochs, v); }
  Params& kernel_constraint(double v) { return assign(&ParamValues::kernel_constraint, v); }
  Params& rnn_type(const std::string& type) { return assign(&ParamValues::rnn_type, type); }
  Params& rnn_num(double v) { return assign(&ParamValues::rnn_num, v); }
  Params& rnn_units(Numbers v) { return assign(&ParamValues::rnn_units, v); }
  Params& rnn_bidirectional(Numbers v) { return assign(&ParamValues::rnn_bidirectional, v); }
  Params& rnn_dropout_input(Numbers v) { return assign(&ParamValues::rnn_dropout_input, v); }
  Params& rnn_dropout_recurrent(Numbers v) { return assign(&ParamValues::rnn_dropout_recurrent, v); }
  Params& rnn_dropout_masks(const std::string& masks) { return assign(&ParamValues::rnn_dropout_masks, masks); }

 private:
  // f(row) for the row named `name`; an Error listing the known names otherwise.
  template <class F>
  static void with_field(const std::string& name, F&& f) {
    bool found = false;
    std::string known;
    param::for_each_field([&](const auto& field) {
      known += std::string(known.empty() ? "" : ", ") + field.name;
      if (!found && name == field.name) {
        found = true;
        f(field);
      }
    });
    require(found, "unknown parameter '" + name + "' (known: " + known + ")");
  }

  // Sets the member through its row: numbers are checked, a text is parsed.
  template <class M, class Value>
  Params& assign(M ParamValues::*member, const Value& value) {
    param::for_each_field([&](const auto& field) {
      if constexpr (std::is_same_v<std::remove_cvref_t<decltype(field.member)>, M ParamValues::*>) {
        if (field.member != member) return;
        if constexpr (std::is_same_v<Value, std::string>) field.parse(values_, value);
        else field.set(values_, Numbers(value).values);
      }
    });
    return *this;
  }

  ParamValues values_;
};

}  // namespace sster
