#pragma once
// The summary table of a model's network, as Keras prints it: layer, output
// shape, parameter count, and the total (Model::summary, sster summary).
#include <cstdio>
#include <sstream>
#include <string>
#include <variant>

#include "sster/core/index.hpp"
#include "sster/model/network.hpp"

namespace sster {

// Keras-like table of a network: layer, output shape, parameter count, total.
inline std::string summary_table(const Network<float>& net) {
  std::ostringstream out;
  char line[160];
  std::snprintf(line, sizeof line, "%-22s %-20s %12s\n", "Layer", "Output shape", "Params");
  out << line << std::string(56, '=') << "\n";
  index_t total = 0;
  bool flat = false;  // from the Flatten on, Keras shows (None, features)
  for (std::size_t i = 0; i < net.size(); ++i) {
    const Shape s = net.output_shape(i);
    index_t n = 0;
    for (const auto& p : net.param_specs(i)) n += p.size();
    total += n;
    flat = flat || net.type(i) == Flatten<float>::keras_type;
    const std::string shape = flat ? "(None, " + std::to_string(s.C) + ")"
                                   : "(None, " + std::to_string(s.L) + ", " + std::to_string(s.C) + ")";
    std::snprintf(line, sizeof line, "%-22s %-20s %12lld\n", net.name(i).c_str(), shape.c_str(),
                  static_cast<long long>(n));
    out << line;
  }
  out << std::string(56, '=') << "\nTotal params: " << total << "\n";
  return out.str();
}

}  // namespace sster
