#pragma once
// The parts of a model's input description (ModelInfo, model/model.hpp)
// beyond its sizes, as the model file's JSON holds them: how each additional
// input was encoded and scaled, each position-wise input's scaling, and how
// the training data was split. A model file is input too: every value is
// checked as it is read.
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/json_fields.hpp"
#include "sster/data/input_encoding.hpp"
#include "sster/data/split.hpp"

namespace sster {

namespace detail {
inline double json_finite(const nlohmann::json& j, const char* key) {
  const double v = j.at(key).get<double>();
  require(std::isfinite(v), std::string("'") + key + "' is not a finite number");
  return v;
}
}  // namespace detail

inline nlohmann::json to_json(const AdditionalInput& a) {
  nlohmann::json j = {{"name", a.name}};
  if (a.categorical()) j["categories"] = a.categories;
  if (a.standardized) j["zscore"] = {{"mean", a.mean}, {"sd", a.sd}};
  return j;
}
inline AdditionalInput additional_input_from_json(const nlohmann::json& j) {
  AdditionalInput a{.name = j.at("name").get<std::string>(),
                    .categories = j.value("categories", std::vector<std::string>{})};
  if (j.contains("zscore")) {
    const auto& z = j.at("zscore");
    a.standardized = true;
    a.mean = detail::json_finite(z, "mean");
    a.sd = detail::json_finite(z, "sd");
    require(a.sd >= 0, "additional input '" + a.name + "': negative standard deviation");
  }
  return a;
}

inline nlohmann::json to_json(const PositionwiseInput& p) {
  nlohmann::json j = {{"name", p.name}};
  if (p.scaled()) j["robust_scale"] = {{"center", p.center}, {"scale", p.scale}};
  return j;
}
inline PositionwiseInput positionwise_input_from_json(const nlohmann::json& j, index_t length) {
  PositionwiseInput p{.name = j.at("name").get<std::string>()};
  if (j.contains("robust_scale")) {
    const auto& r = j.at("robust_scale");
    p.center = r.at("center").get<std::vector<float>>();
    p.scale = r.at("scale").get<std::vector<float>>();
    require(std::ssize(p.center) == length && std::ssize(p.scale) == length,
            "position-wise input '" + p.name + "': its scaling has " + std::to_string(p.center.size()) +
                " positions, the model's sequences " + std::to_string(length));
    for (std::size_t t = 0; t < p.center.size(); ++t)
      require(std::isfinite(p.center[t]) && std::isfinite(p.scale[t]) && p.scale[t] != 0,
              "position-wise input '" + p.name + "': its scaling is not finite and non-zero");
  }
  return p;
}

inline nlohmann::json to_json(const SplitRecipe& r) {
  nlohmann::json j = {{"kind", split_kind_name(r.kind)}, {"seed", r.seed}, {"file_records", r.file_records}};
  if (r.kind == SplitRecipe::Kind::random) {
    j["train_fraction"] = r.train_fraction;
    j["val_fraction"] = r.val_fraction;
  }
  if (r.kind == SplitRecipe::Kind::held_out) {
    j["train_fraction"] = r.train_fraction;
    j["val_files"] = r.val_files;
    j["test_files"] = r.test_files;
  }
  if (r.kind == SplitRecipe::Kind::file) {
    j["split_file"] = r.split_file;
    j["split_crc32"] = r.split_crc;
  }
  return j;
}
inline SplitRecipe split_recipe_from_json(const nlohmann::json& j) {
  constexpr index_t max_records = index_t{1} << 40;
  SplitRecipe r;
  const std::string kind = j.at("kind").get<std::string>();
  if (kind == "random") r.kind = SplitRecipe::Kind::random;
  else if (kind == "held_out") r.kind = SplitRecipe::Kind::held_out;
  else if (kind == "file") r.kind = SplitRecipe::Kind::file;
  else throw Error("split: unknown kind '" + kind + "' (expected random, held_out or file)");
  r.seed = json_integer<std::uint64_t>(j, "seed");
  for (const auto& n : j.at("file_records")) {
    require(n.is_number_integer() && n.get<std::int64_t>() >= 0 && n.get<std::int64_t>() <= max_records,
            "split: a file's record count is not a whole number from 0 to 2^40");
    r.file_records.push_back(n.get<index_t>());
  }
  auto fraction = [&](const char* key) {
    const double v = detail::json_finite(j, key);
    require(v >= 0 && v <= 1, std::string("split: '") + key + "' is not within 0..1");
    return v;
  };
  if (r.kind != SplitRecipe::Kind::file) r.train_fraction = fraction("train_fraction");
  if (r.kind == SplitRecipe::Kind::random) r.val_fraction = fraction("val_fraction");
  if (r.kind == SplitRecipe::Kind::held_out) {
    const auto files = static_cast<index_t>(r.file_records.size());
    r.val_files = json_integer<index_t>(j, "val_files", 0, files);
    r.test_files = json_integer<index_t>(j, "test_files", 0, files - r.val_files);
  }
  if (r.kind == SplitRecipe::Kind::file) {
    r.split_file = j.at("split_file").get<std::string>();
    r.split_crc = json_integer<std::uint32_t>(j, "split_crc32");
  }
  return r;
}

}  // namespace sster
