#pragma once
// Boltzmann factors exp(-E / kT) of integer energies E in dcal/mol at 37 degC,
// with ViennaRNA's constants (gas constant 1.98717 cal/(mol K), 0 degC =
// 273.15 K). Loop energies are whole dcal/mol, so a table of exp() over the
// range they take replaces a call to exp() per loop in the partition function.
#include <algorithm>
#include <cmath>
#include <vector>

namespace sster::fold {

inline constexpr double gas_constant = 1.98717;  // cal/(mol K)
inline constexpr double temperature = 37.0;      // degC
// kT in dcal/mol: exp(-E / kT_dcal) for E in dcal/mol.
inline constexpr double kT_dcal = (temperature + 273.15) * gas_constant / 10.0;

class BoltzmannTable {
 public:
  static constexpr int range = 20000;  // |E| <= 200 kcal/mol from the table, beyond by exp()
  BoltzmannTable() : factors_(2 * range + 1) {
    for (int e = -range; e <= range; ++e) factors_[static_cast<std::size_t>(e + range)] = std::exp(-e / kT_dcal);
  }
  double operator()(int e) const {
    if (e >= -range && e <= range) return factors_[static_cast<std::size_t>(e + range)];
    return std::exp(-e / kT_dcal);
  }
  // The factor of an energy that may be inf (no such loop; then the factor it
  // multiplies must be 0): no branch, energies above the range get its last factor.
  double clamped(int e) const { return factors_[static_cast<std::size_t>(std::min(e, range) + range)]; }

 private:
  std::vector<double> factors_;
};

// One table for the process (built on first use, thread-safe).
inline const BoltzmannTable& boltzmann() {
  static const BoltzmannTable table;
  return table;
}

}  // namespace sster::fold
