#pragma once
// Readers for RNAfold's expected outputs (ViennaRNA's tests/RNAfold/results,
// committed under tests/fold/data): per sequence the sequence line (after an
// optional ">name" line), "structure (energy)", and with -p "[ensemble]" or
// " free energy of ensemble = -16.46 kcal/mol".
#include <array>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"

namespace sster::test {

struct GoldFold {
  std::string name, sequence, structure;
  double energy = 0;             // kcal/mol
  double ensemble_energy = 0.0;  // kcal/mol, where the file has it
  bool has_ensemble = false;
};

inline std::string fold_data(const std::string& file) { return std::string(SSTER_FOLD_DATA) + "/" + file; }

// The number in "(...)", "[...]" or after "= ".
inline double gold_number(const std::string& text, char open, char close) {
  const auto a = text.find(open), b = text.find(close, a + 1);
  require(a != std::string::npos && b != std::string::npos, "gold: no number in '" + text + "'");
  return std::stod(text.substr(a + 1, b - a - 1));
}

inline std::vector<GoldFold> read_gold(const std::string& file) {
  std::ifstream in(fold_data(file));
  require(bool(in), "cannot open " + fold_data(file));
  std::vector<GoldFold> out;
  std::string line, name;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const char c = line.front();
    if (c == '>') {
      name = line.substr(1);
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      out.push_back({name, line, "", 0, 0, false});
      name.clear();
    } else if ((c == '.' || c == '(') && !out.empty() && out.back().structure.empty()) {
      const auto space = line.find(' ');
      out.back().structure = line.substr(0, space);
      out.back().energy = gold_number(line.substr(space), '(', ')');
    } else if (!out.empty() && line.back() == ']') {
      out.back().ensemble_energy = gold_number(line, '[', ']');
      out.back().has_ensemble = true;
    } else if (!out.empty() && line.find("free energy of ensemble") != std::string::npos) {
      out.back().ensemble_energy = std::stod(line.substr(line.find('=') + 1));
      out.back().has_ensemble = true;
    }
  }
  return out;
}

}  // namespace sster::test

namespace sster::test {

// bench/fold_reference.py's records (ViennaRNA's Python package, RNAfold's
// defaults): sequence, MFE structure, MFE, number of structures with the MFE
// (0: not counted), ensemble free energy, P(paired) per position.
struct ViennaReference {
  std::string sequence, structure;
  double mfe = 0, ensemble = 0;
  int ties = 0;
  std::vector<double> paired;
};

inline std::vector<ViennaReference> read_vienna_reference(const std::string& file) {
  std::ifstream in(fold_data(file));
  require(bool(in), "cannot open " + fold_data(file));
  std::vector<ViennaReference> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.front() == '#') continue;
    std::istringstream fields(line);
    ViennaReference r;
    std::string paired;
    fields >> r.sequence >> r.structure >> r.mfe >> r.ties >> r.ensemble >> paired;
    std::istringstream values(paired);
    for (std::string v; std::getline(values, v, ',');) r.paired.push_back(std::stod(v));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace sster::test

namespace sster::test {

// bench/fold_reference.py plfold's records (ViennaRNA's RNAplfold): sequence,
// W, L, P(unpaired) per position in the exterior loop, hairpins, interior
// loops and multiloops, and the pairs with p >= 0.01.
struct PlfoldReference {
  std::string sequence;
  index_t window = 0, span = 0;
  std::array<std::vector<double>, 4> unpaired;  // E, H, I, M
  std::map<std::pair<index_t, index_t>, double> pairs;
};

inline std::vector<double> comma_numbers(const std::string& text) {
  std::vector<double> out;
  std::istringstream values(text);
  for (std::string v; std::getline(values, v, ',');) out.push_back(std::stod(v));
  return out;
}

inline std::vector<PlfoldReference> read_plfold_reference(const std::string& file) {
  std::ifstream in(fold_data(file));
  require(bool(in), "cannot open " + fold_data(file));
  std::vector<PlfoldReference> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.front() == '#') continue;
    std::istringstream fields(line);
    PlfoldReference r;
    std::string pairs;
    fields >> r.sequence >> r.window >> r.span;
    for (auto& u : r.unpaired) {
      std::string values;
      fields >> values;
      u = comma_numbers(values);
    }
    fields >> pairs;
    std::istringstream list(pairs);
    for (std::string p; std::getline(list, p, ',');) {
      if (p == "-") continue;
      const auto a = p.find(':'), b = p.find(':', a + 1);
      r.pairs[{std::stol(p.substr(0, a)), std::stol(p.substr(a + 1, b - a - 1))}] = std::stod(p.substr(b + 1));
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace sster::test
