#pragma once
// Position weight matrices in minimal MEME format, byte for byte as pysster's
// utils.save_as_meme writes them (uniform background, "E= 0", each probability
// printed like Python's str(round(p, 6)) and followed by a tab), so tomtom and
// friends read sster's files exactly as pysster's. pysster names its motifs
// motif_<i> and counts 20 sites: interpret/kernel_meme.hpp makes such Pwms from
// Motifs. The reader is io/meme_reader.hpp.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/atomic_file.hpp"
#include "sster/core/pwm.hpp"

namespace sster {

namespace detail {

// Python's repr of a float: the shortest digits that round-trip, in positional notation
// for decimal exponents -4..15 ("0.00025", "1.0"), otherwise scientific ("1e-05").
inline std::string python_float_repr(double v) {
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  const std::size_t e = sci.find('e');
  std::string mant = sci.substr(0, e);
  const int exp = std::stoi(sci.substr(e + 1));
  const bool neg = mant[0] == '-';
  if (neg) mant.erase(0, 1);
  std::string digits;
  for (char c : mant)
    if (c != '.') digits += c;
  std::string out;
  if (exp >= -4 && exp < 16) {
    if (exp < 0) {
      out = "0." + std::string(to_size(-exp - 1), '0') + digits;
    } else {
      const std::size_t int_len = to_size(exp) + 1;
      if (digits.size() <= int_len) out = digits + std::string(int_len - digits.size(), '0') + ".0";
      else out = digits.substr(0, int_len) + "." + digits.substr(int_len);
    }
  } else {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char ebuf[16];
    std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    out += ebuf;
  }
  return neg ? "-" + out : out;
}

// Python's round(v, 6): correctly rounded to 6 decimals, back to the nearest double.
inline double python_round6(double v) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 6);
  double out = 0;
  std::from_chars(buf, res.ptr, out);
  return out;
}

// nsites as MEME writes it: a whole number without decimals.
inline std::string meme_sites(double nsites) {
  return nsites == std::floor(nsites) && std::abs(nsites) < 1e15 ? std::to_string(static_cast<long long>(nsites))
                                                                   : python_float_repr(nsites);
}

}  // namespace detail

inline std::string meme_string(std::span<const Pwm> motifs) {
  require(!motifs.empty(), "save_as_meme: no motifs to write");
  const std::string& alphabet = motifs[0].alphabet;
  for (std::size_t i = 0; i < motifs.size(); ++i) {
    require(motifs[i].alphabet == alphabet, "save_as_meme: motif " + std::to_string(i) + " has alphabet '" +
                                                motifs[i].alphabet + "', motif 0 has '" + alphabet + "'");
    require(!alphabet.empty() && motifs[i].width() > 0 && ssize(motifs[i].p) == motifs[i].width() * ssize(alphabet),
            "save_as_meme: motif " + std::to_string(i) + " is empty or not a whole number of rows");
  }
  std::string out = "MEME version 4\n\nALPHABET= " + alphabet + "\n\nstrands: + -\n\n";
  out += "Background letter frequencies (from uniform background):\n";
  char buf[64];
  for (std::size_t j = 0; j < alphabet.size(); ++j) {
    std::snprintf(buf, sizeof buf, "%c %7.5f", alphabet[j], 1.0 / static_cast<double>(alphabet.size()));
    out += buf;
    out += j + 1 < alphabet.size() ? " " : "\n";
  }
  for (const Pwm& m : motifs) {
    out += "\nMOTIF " + m.id + (m.alt.empty() ? "" : " " + m.alt) + "\n\n";
    out += "letter-probability matrix: alength= " + std::to_string(alphabet.size()) + " w= " +
           std::to_string(m.width()) + " nsites= " + detail::meme_sites(m.nsites) + " E= 0\n";
    for (index_t r = 0; r < m.width(); ++r) {
      out += "  ";
      for (index_t j = 0; j < m.letters(); ++j) {
        if (j > 0) out += "\t  ";
        out += detail::python_float_repr(detail::python_round6(m(r, j)));
      }
      out += "\t\n";
    }
    if (!m.url.empty()) out += "URL " + m.url + "\n";
  }
  return out;
}

inline std::string meme_string(const std::vector<Pwm>& motifs) { return meme_string(std::span<const Pwm>(motifs)); }

// Writes the motifs to `path` (atomically; an Error names the file on failure).
inline void save_as_meme(std::span<const Pwm> motifs, const std::filesystem::path& path) {
  write_file_atomic(path, meme_string(motifs));
}
inline void save_as_meme(const std::vector<Pwm>& motifs, const std::filesystem::path& path) {
  save_as_meme(std::span<const Pwm>(motifs), path);
}

}  // namespace sster
