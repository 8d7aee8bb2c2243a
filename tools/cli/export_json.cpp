// sster export-json: a model's architecture and weights as JSON, for tools
// that do not read .sster files. Weights keep Keras' shapes (nested arrays).
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/subcommands.hpp"
#include "sster/core/atomic_file.hpp"
#include "sster/model/model.hpp"

namespace sster::cli {

namespace {

// values (row-major) reshaped into nested arrays of `shape`.
nlohmann::json nested(const float*& values, const std::vector<index_t>& shape, std::size_t axis = 0) {
  nlohmann::json a = nlohmann::json::array();
  for (index_t i = 0; i < shape[axis]; ++i) a.push_back(axis + 1 == shape.size() ? nlohmann::json(*values++) : nested(values, shape, axis + 1));
  return a;
}

nlohmann::json model_json(const Model& model) {
  auto j = model.to_file().header;
  j.erase("arrays");
  const float* w = model.weights().data();
  for (auto& layer : j["layers"])
    for (auto& p : layer["params"]) p["values"] = nested(w, p["shape"].get<std::vector<index_t>>());
  return j;
}

}  // namespace

void add_export_json(CLI::App& app) {
  struct Args {
    std::string model, output;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("export-json", "architecture and weights of a model as JSON");
  cmd->add_option("model", args->model, "model file (.sster)")->required();
  cmd->add_option("-o,--output", args->output, "JSON file to write (default: standard output)");
  cmd->callback([args] {
    const auto text = model_json(Model::load(args->model)).dump(1) + "\n";
    if (args->output.empty()) std::cout << text;
    else write_file_atomic(args->output, text);
  });
}

}  // namespace sster::cli
