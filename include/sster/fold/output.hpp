#pragma once
// The text of folded records, as `sster fold` writes them and sster's Data
// reads them back:
//   append_rnafold    RNAfold's record: ">name", the sequence (upper case,
//                     T as U), the structure and " (%6.2f)" of the MFE, e.g.
//                     "((...)). (-19.40)", "...... (  0.00)"
//   append_ensemble   RNAfold -p0's two lines: " free energy of ensemble =
//                     %6.2f kcal/mol" and " frequency of mfe structure in
//                     ensemble %g;"
//   append_annotated  ">name", the sequence and the MFE structure as forgi's
//                     contexts (F T S I M H): pysster's annotated files, read
//                     with the structure letters "FHIMST"
//   append_profile    ">name", the sequence and one line of probabilities
//                     per structure letter: pysster's structure_pwm files,
//                     read with structure_profile
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "sster/fold/boltzmann.hpp"
#include "sster/fold/records.hpp"

namespace sster::fold {

// RNAfold's "%6.2f" of an energy in kcal/mol.
inline std::string rnafold_number(double kcal) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%6.2f", kcal);
  return buf;
}

namespace detail {
inline void append_header(std::string& out, const std::string& name, const FoldedRecord& f) {
  out += '>';
  out += name;
  out += '\n';
  out += f.letters;
  out += '\n';
}
}  // namespace detail

inline void append_rnafold(std::string& out, const std::string& name, const FoldedRecord& f) {
  detail::append_header(out, name, f);
  out += f.mfe.structure;
  out += " (";
  out += rnafold_number(f.mfe.energy());
  out += ")\n";
}

// Needs a FoldedRecord of FoldRequest::partition.
inline void append_ensemble(std::string& out, const FoldedRecord& f) {
  const double frequency = std::exp((f.ensemble_energy - f.mfe.energy()) / (kT_dcal / 100.0));
  char buf[96];
  std::snprintf(buf, sizeof buf, " frequency of mfe structure in ensemble %g;\n", frequency);
  out += " free energy of ensemble = ";
  out += rnafold_number(f.ensemble_energy);
  out += " kcal/mol\n";
  out += buf;
}

inline void append_annotated(std::string& out, const std::string& name, const FoldedRecord& f) {
  detail::append_header(out, name, f);
  out += f.annotation;
  out += '\n';
}

// Probabilities with 4 decimals, trailing zeros dropped ("0.25", "1", "0"):
// ample for a network's input, and a sixth of the digits of a float.
inline void append_profile(std::string& out, const std::string& name, const FoldedRecord& f) {
  detail::append_header(out, name, f);
  const std::size_t n = f.letters.size();
  for (std::size_t k = 0; k < f.profile.size(); ++k) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, std::max(f.profile[k], 0.0f), std::chars_format::fixed, 4);
    char* end = r.ptr;  // always holds a '.'
    while (end[-1] == '0') --end;
    if (end[-1] == '.') --end;
    out.append(buf, end);
    out += (k + 1) % n == 0 ? '\n' : ' ';
  }
}

}  // namespace sster::fold
