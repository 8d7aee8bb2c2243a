#pragma once
// sster::Motif: a position frequency matrix (pysster's Motif): built from aligned
// sequences (counts -> frequencies) or from a frequency/count matrix, smoothed with
// pysster's pseudocount rule p' = 0.999 p + 0.001 / |alphabet|, with per-position
// entropy and information content in bits, a consensus string, and sequence-logo
// plots (letter height = frequency x information content).
//
// The alphabet is kept sorted, as pysster does; a matrix given in another letter order
// has its columns permuted to match (pysster would silently mislabel them). Letters are
// plain chars, so this header does not depend on the data layer.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/pwm.hpp"
#include "sster/core/tensor.hpp"
#include "sster/plot/canvas.hpp"
#include "sster/plot/logo.hpp"
#include "sster/plot/png.hpp"
#include "sster/plot/style.hpp"

namespace sster {

class Motif {
 public:
  // Aligned sequences of equal length over `alphabet`; every letter must be in it.
  static Motif from_sequences(std::string_view alphabet, std::span<const std::string> sequences) {
    Motif m(alphabet);
    require(!sequences.empty(), "a motif needs at least one sequence");
    const std::size_t len = sequences[0].size(), k = m.alphabet_.size();
    require(len > 0, "motif sequences must not be empty");
    m.pwm_.assign(len * k, 0.0);
    for (std::size_t s = 0; s < sequences.size(); ++s) {
      const std::string& seq = sequences[s];
      require(seq.size() == len, "motif sequence " + std::to_string(s) + " has length " + std::to_string(seq.size()) +
                                     ", expected " + std::to_string(len) + " like sequence 0");
      for (std::size_t i = 0; i < len; ++i) {
        const std::size_t j = m.alphabet_.find(seq[i]);
        require(j != std::string::npos, "motif sequence " + std::to_string(s) + " position " + std::to_string(i + 1) +
                                            ": '" + std::string(1, seq[i]) + "' is not in the alphabet '" +
                                            m.alphabet_ + "'");
        m.pwm_[i * k + j] += 1.0;
      }
    }
    m.finish();
    return m;
  }
  static Motif from_sequences(std::string_view alphabet, const std::vector<std::string>& sequences) {
    return from_sequences(alphabet, std::span<const std::string>(sequences));
  }

  // A length x |alphabet| matrix (row-major) of frequencies or counts, columns in the
  // order of `alphabet`; each row is normalised to sum 1 before the pseudocounts.
  static Motif from_pwm(std::string_view alphabet, std::span<const double> matrix) {
    Motif m(alphabet);
    const std::size_t k = m.alphabet_.size();
    require(!matrix.empty() && matrix.size() % k == 0,
            "motif matrix: " + std::to_string(matrix.size()) + " values are not a whole number of rows of " +
                std::to_string(k) + " letters ('" + std::string(alphabet) + "')");
    // Column c of the input holds letter alphabet[c]; it goes to that letter's sorted place.
    std::vector<std::size_t> to(k);
    for (std::size_t c = 0; c < k; ++c) to[c] = m.alphabet_.find(alphabet[c]);
    m.pwm_.assign(matrix.size(), 0.0);
    for (std::size_t r = 0; r < matrix.size() / k; ++r)
      for (std::size_t c = 0; c < k; ++c) {
        const double v = matrix[r * k + c];
        require(std::isfinite(v) && v >= 0, "motif matrix row " + std::to_string(r) + ": value " + std::to_string(v) +
                                                " is not a finite frequency >= 0");
        m.pwm_[r * k + to[c]] = v;
      }
    m.finish();
    return m;
  }
  static Motif from_pwm(std::string_view alphabet, const std::vector<double>& matrix) {
    return from_pwm(alphabet, std::span<const double>(matrix));
  }

  const std::string& alphabet() const { return alphabet_; }
  index_t length() const { return static_cast<index_t>(entropies_.size()); }
  index_t letters() const { return static_cast<index_t>(alphabet_.size()); }
  // Smoothed frequencies, length x |alphabet| row-major; rows sum to 1.
  const std::vector<double>& pwm() const { return pwm_; }
  double pwm(index_t pos, index_t letter) const { return at(pwm_, pos * letters() + letter); }
  // Shannon entropy per position in bits.
  const std::vector<double>& entropies() const { return entropies_; }
  // log2(|alphabet|) - entropy: bits of information per position.
  std::vector<double> information_content() const {
    std::vector<double> ic(entropies_.size());
    const double max_bits = std::log2(static_cast<double>(alphabet_.size()));
    for (std::size_t i = 0; i < ic.size(); ++i) ic[i] = std::max(0.0, max_bits - entropies_[i]);
    return ic;
  }
  // Most frequent letter per position (the first in the alphabet on ties).
  std::string consensus() const {
    std::string s;
    const std::size_t k = alphabet_.size();
    for (std::size_t i = 0; i < entropies_.size(); ++i) {
      const auto row = pwm_.begin() + static_cast<std::ptrdiff_t>(i * k);
      s += at(alphabet_, std::max_element(row, row + static_cast<std::ptrdiff_t>(k)) - row);
    }
    return s;
  }
  // Whether the logo shows `piece`: consecutive positions whose consensus
  // letters spell it, each letter at least `min_bits` tall (frequency x
  // information content), so a faint letter that merely tops a flat
  // position does not count.
  bool shows(std::string_view piece, double min_bits = 0.25) const {
    const std::string c = consensus();
    const auto ic = information_content();
    for (auto found = c.find(piece); found != std::string::npos; found = c.find(piece, found + 1)) {
      bool tall = true;
      for (std::size_t i = 0; i < piece.size() && tall; ++i) {
        const auto pos = static_cast<index_t>(found + i);
        tall = pwm(pos, static_cast<index_t>(alphabet_.find(piece[i]))) * at(ic, pos) >= min_bits;
      }
      if (tall) return true;
    }
    return false;
  }

  // Per-letter colours replacing the defaults of plot/style.hpp letter_color.
  Motif& set_colors(std::map<char, Rgba> colors) {
    colors_ = std::move(colors);
    return *this;
  }

  // Letter heights (frequency x information content) ready for plot/logo.hpp.
  LogoSpec logo() const {
    LogoSpec spec{alphabet_, pwm_, 0.0, colors_};
    const auto ic = information_content();
    const std::size_t k = alphabet_.size();
    for (std::size_t i = 0; i < spec.heights.size(); ++i) spec.heights[i] *= ic[i / k];
    return spec;
  }
  void draw(Canvas& canvas, Box box, const Style& style = {}) const { draw_logo(canvas, box, logo(), style); }
  Canvas render(const Style& style = {}) const {
    const LogoSpec spec = logo();
    return render_logos(std::span<const LogoSpec>(&spec, 1), style);
  }
  void plot(const std::filesystem::path& path, const Style& style = {}) const { write_png(render(style), path); }

  // The smoothed frequencies as a plain matrix named `id` (for MEME files and
  // motif matching); 20 sites, as pysster's MEME files say.
  Pwm to_pwm(std::string id, std::string alt = {}) const { return Pwm{std::move(id), std::move(alt), alphabet_, pwm_}; }

 private:
  explicit Motif(std::string_view alphabet) : alphabet_(alphabet) {
    std::sort(alphabet_.begin(), alphabet_.end());
    require(alphabet_.size() >= 2, "a motif alphabet needs at least 2 letters, got '" + std::string(alphabet) + "'");
    require(std::adjacent_find(alphabet_.begin(), alphabet_.end()) == alphabet_.end(),
            "motif alphabet '" + std::string(alphabet) + "' repeats a letter");
  }

  // pysster's _add_pseudocounts and _compute_entropies, in its order of operations so
  // the numbers (and the MEME file) match to the last bit.
  void finish() {
    const std::size_t k = alphabet_.size(), rows = pwm_.size() / k;
    entropies_.assign(rows, 0.0);
    for (std::size_t r = 0; r < rows; ++r) {
      double* row = &pwm_[r * k];
      double sum = 0;
      for (std::size_t j = 0; j < k; ++j) sum += row[j];
      require(sum > 0, "motif matrix row " + std::to_string(r) + " sums to 0");
      for (std::size_t j = 0; j < k; ++j) row[j] = 0.999 * (row[j] / sum) + 0.001 * (1.0 / static_cast<double>(k));
      double h = 0;
      for (std::size_t j = 0; j < k; ++j) h -= row[j] * std::log2(row[j]);
      entropies_[r] = h;
    }
  }

  std::string alphabet_;
  std::vector<double> pwm_;
  std::vector<double> entropies_;
  std::map<char, Rgba> colors_;
};

// Several motifs as logos stacked in one PNG, top to bottom: pysster's sequence logo
// over structure logo for RNA sequence+structure kernels.
inline Canvas render_motifs(std::span<const Motif> motifs, const Style& style = {}) {
  std::vector<LogoSpec> specs;
  for (const Motif& m : motifs) specs.push_back(m.logo());
  return render_logos(specs, style);
}
inline void plot_motifs(std::span<const Motif> motifs, const std::filesystem::path& path, const Style& style = {}) {
  write_png(render_motifs(motifs, style), path);
}
inline void plot_motifs(const std::vector<Motif>& motifs, const std::filesystem::path& path, const Style& style = {}) {
  plot_motifs(std::span<const Motif>(motifs), path, style);
}

}  // namespace sster
