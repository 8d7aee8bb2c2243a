#pragma once
// A Model in its file (model/model.hpp; the bytes: model/serialize.hpp):
// to_file writes params, input description, layers, training history and
// weights, plus the state of an unfinished run (a checkpoint); from_file
// checks every value before it sizes anything from it, since a model file is
// input too.
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/json_fields.hpp"
#include "sster/model/model.hpp"
#include "sster/model/serialize.hpp"
#include "sster/model/training_state.hpp"

namespace sster {

// Model files written before rnn_dropout_masks existed hold models trained
// with shared masks: in a file, no key means shared, and a shared model is
// written without it, so those files save again byte for byte.
inline nlohmann::json params_to_file(const Params& p) {
  auto j = p.to_json();
  if (p.values().rnn_dropout_masks == RnnDropoutMasks::shared) j.erase("rnn_dropout_masks");
  return j;
}
inline Params params_from_file(nlohmann::json j) {
  if (j.is_object() && !j.contains("rnn_dropout_masks")) j["rnn_dropout_masks"] = "shared";
  return Params::from_json(j);
}

inline void Model::save(const std::string& path) const { write_model_file(to_file(), path); }

inline Model Model::load(const std::string& path) { return from_file(read_model_file(path), path); }

inline ModelFile Model::to_file() const { return to_file(training_ ? &*training_ : nullptr); }

inline ModelFile Model::to_file(const TrainingState* run) const {
  nlohmann::json layers = nlohmann::json::array();
  const auto& net = network();
  for (std::size_t i = 0; i < net.size(); ++i) {
    nlohmann::json params = nlohmann::json::array();
    for (const auto& p : net.param_specs(i)) params.push_back({{"name", p.name}, {"shape", p.shape}});
    const Shape s = net.output_shape(i);
    layers.push_back({{"name", net.name(i)}, {"output_shape", {s.L, s.C}}, {"params", params}});
  }
  nlohmann::json history = nlohmann::json::array();
  for (const auto& r : history_)
    history.push_back({{"epoch", r.epoch}, {"loss", r.loss}, {"val_loss", r.val_loss},
                       {"learning_rate", r.learning_rate}, {"seconds", r.seconds}});
  auto as_vector = [](const auto& a) { return std::vector<float>(a.begin(), a.end()); };
  ModelFile file{.header = {{"format", "sster model"},
                            {"sster_version", library_version},
                            {"params", params_to_file(params_)},
                            {"input", info_.to_json()},
                            {"seed", seed_},
                            {"layers", layers},
                            {"history", history},
                            {"learning_rate", learning_rate_}},
                 .arrays = {{"weights", as_vector(engine_->parameters())}}};
  if (!int8_calibration_.empty()) file.header["int8_calibration"] = int8_calibration_;
  if (run) {  // a checkpoint: everything an unfinished run needs
    const auto& adam = engine_->adam_state();
    file.header["training"] = run->to_json();
    file.header["training"]["step"] = engine_->step();
    file.header["training"]["adam_t"] = adam.t;
    file.arrays.emplace_back("best", as_vector(run->best));
    file.arrays.emplace_back("adam_m", as_vector(adam.m));
    file.arrays.emplace_back("adam_v", as_vector(adam.v));
  }
  return file;
}

inline Model Model::from_file(const ModelFile& file, const std::string& name) {
  try {
    const auto& h = file.header;
    Params params = params_from_file(h.at("params"));
    ModelInfo info = ModelInfo::from_json(h.at("input"));
    // The architecture must match the stored weights before its buffers are
    // allocated: a damaged header must not ask for terabytes.
    const double needed = parameter_count_checked(build_network<float>(params, info.input_spec(), info.classes()));
    auto array = [&](const char* what) -> const std::vector<float>& {
      const auto* a = file.find(what);
      require(a != nullptr, std::string("the file has no '") + what + "' array");
      require(static_cast<double>(a->size()) == needed,
              "array '" + std::string(what) + "' has " + std::to_string(a->size()) +
                  " values, the architecture needs " + std::to_string(static_cast<std::uint64_t>(needed)));
      for (float v : *a) require(std::isfinite(v), "array '" + std::string(what) + "' holds NaN or infinite values");
      return *a;
    };
    const auto& weights = array("weights");
    Model m(std::move(params), std::move(info), json_integer<std::uint64_t>(h, "seed"));
    for (const auto& r : h.at("history"))
      m.history_.push_back({.epoch = json_integer<int>(r, "epoch"),
                            .loss = r.at("loss").get<double>(),
                            .val_loss = r.at("val_loss").get<double>(),
                            .learning_rate = r.at("learning_rate").get<double>(),
                            .seconds = r.at("seconds").get<double>()});
    m.learning_rate_ = h.at("learning_rate").get<double>();
    require(std::isfinite(m.learning_rate_) && m.learning_rate_ > 0, "the learning rate is not a positive number");
    m.engine_->parameters().assign(weights.begin(), weights.end());
    if (h.contains("int8_calibration")) {
      for (const auto& [layer, largest] : h.at("int8_calibration").items()) {
        const float v = largest.get<float>();
        require(m.network().can_quantize(layer), "int8 calibration names " + layer + ", not a convolution int8 can run");
        require(std::isfinite(v) && v > 0, "int8 calibration of " + layer + ": expected a positive number");
        m.int8_calibration_[layer] = v;
      }
    }
    if (h.contains("training")) {
      const auto& t = h.at("training");
      TrainingState s = TrainingState::from_json(t);
      s.best.assign(array("best").begin(), array("best").end());
      auto& adam = m.engine_->adam_state();
      adam.m.assign(array("adam_m").begin(), array("adam_m").end());
      adam.v.assign(array("adam_v").begin(), array("adam_v").end());
      adam.t = json_integer<std::int64_t>(t, "adam_t", 0);
      m.engine_->set_step(json_integer<std::uint64_t>(t, "step"));
      m.training_ = std::move(s);
    }
    return m;
  } catch (const nlohmann::json::exception& e) {
    throw Error(name + ": the model header is incomplete: " + e.what());
  } catch (const Error& e) {
    throw Error(name + ": " + e.what());
  }
}

inline ModelFile Checkpoint::to_file() const { return model_.to_file(&state_); }

inline void Checkpoint::save(const std::string& path) const { write_model_file(to_file(), path); }

}  // namespace sster
