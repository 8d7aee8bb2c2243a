#pragma once
// --precision of the subcommands that score sequences (predict, scan, vep):
// float32, or int8, the convolutions in 8-bit integers
// (nn/quantized_conv_pool1d.hpp) on the calibration training stores.
#include <CLI/CLI.hpp>

#include <string>

#include "sster/core/error.hpp"
#include "sster/model/model.hpp"

namespace sster::cli {

inline void add_precision_option(CLI::App* cmd, std::string& precision) {
  cmd->add_option("--precision", precision,
                  "float32, or int8: the convolutions in 8-bit integers (faster; scores differ slightly), on the "
                  "calibration sster train stored in the model")
      ->check(CLI::IsMember({"float32", "int8"}))
      ->capture_default_str();
}

// `model`, read from `file`, computing in `precision` from now on.
inline void use_precision(Model& model, const std::string& precision, const std::string& file) {
  try {
    model.set_precision(parse_precision(precision));
  } catch (const Error& e) {
    throw Error(file + ": " + e.what());
  }
}

}  // namespace sster::cli
