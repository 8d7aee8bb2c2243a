#pragma once
// Models, sequences and genome files for the genome tests: untrained models
// whose windows score differently, a model that detects one motif, random
// sequences with planted motifs, FASTA files plain, gzip and bgzip.
#include <htslib/bgzf.h>
#include <htslib/hts_log.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "../temp_dir.hpp"
#include "sster/core/random.hpp"
#include "sster/data/text_file.hpp"
#include "sster/model/model.hpp"

namespace sster::test {

// sster reports htslib's failures itself: its own messages would only be noise.
inline const bool htslib_quiet = (hts_set_log_level(HTS_LOG_OFF), true);

// An untrained model on DNA windows of length L with `classes` classes; its
// weights are scaled up from the initial +-0.05 so that scores spread.
inline Model model_for(const Params& params, index_t L, index_t classes, bool multilabel, std::uint64_t seed = 7) {
  std::vector<std::string> names;
  for (index_t c = 0; c < classes; ++c) names.push_back("class_" + std::to_string(c));
  Model m(params, ModelInfo{alphabet::dna(), L, 0, 0, names, multilabel, 0}, seed);
  for (float& w : m.engine().parameters()) w *= 12;
  return m;
}

// A model of windows of length L whose class "site" is ~0.993 when the
// window holds `motif` (exactly, on the plus strand) and ~0.007 when not;
// class "background" is the rest. One convolution matches the motif (1 on a
// match, 0 with any mismatch), a dense unit counts the matches.
inline Model motif_model(const std::string& motif, index_t L) {
  const index_t W = ssize(motif);
  const Params p = Params{}.conv_num(1).kernel_num(1).kernel_len(W).pool_size(1).pool_stride(1).dense_num(1).neuron_num(1);
  Model m(p, ModelInfo{alphabet::dna(), L, 0, 0, {"background", "site"}, false, 0}, 1);
  auto& w = m.engine().parameters();
  std::fill(w.begin(), w.end(), 0.f);
  const std::string letters = alphabet::dna().sequence();
  index_t i = 0;
  for (index_t j = 0; j < W; ++j)
    for (char c : letters) w[to_size(i++)] = c == at(motif, j) ? 1.f : -1.f;  // conv kernel (W, 4, 1)
  w[to_size(i++)] = -static_cast<float>(W - 1);                              // conv bias
  for (index_t f = 0; f < L - W + 1; ++f) w[to_size(i++)] = 1.f;             // dense kernel (F, 1)
  w[to_size(i++)] = 0.f;                                                      // dense bias
  w[to_size(i++)] = 0.f;                                                      // output kernel (1, 2)
  w[to_size(i++)] = 10.f;
  w[to_size(i++)] = 0.f;  // output bias
  w[to_size(i++)] = -5.f;
  REQUIRE(i == ssize(w));
  return m;
}

inline std::vector<std::uint8_t> random_symbols(index_t n, index_t letters, std::uint64_t seed) {
  RandomStream rng(RandomKey(seed, Purpose::simulate));
  std::vector<std::uint8_t> x(to_size(n));
  for (auto& s : x) s = static_cast<std::uint8_t>(rng.below(static_cast<std::uint64_t>(letters)));
  return x;
}

inline std::string random_bases(index_t n, std::uint64_t seed, const std::string& letters = "ACGT") {
  std::string s;
  for (auto x : random_symbols(n, ssize(letters), seed)) s += at(letters, x);
  return s;
}

// The reverse complement of bases (upper case; N stays N).
inline std::string reverse_complement(std::string s) {
  std::reverse(s.begin(), s.end());
  for (char& c : s) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    c = c == 'A' ? 'T' : c == 'T' ? 'A' : c == 'C' ? 'G' : c == 'G' ? 'C' : c;
  }
  return s;
}

using NamedSequences = std::vector<std::pair<std::string, std::string>>;

// FASTA text with `width` bases per line (0: one line per sequence).
inline std::string fasta_text(const NamedSequences& seqs, index_t width = 60) {
  std::string out;
  for (const auto& [name, seq] : seqs) {
    out += ">" + name + " test sequence\n";
    const index_t n = ssize(seq), w = width > 0 ? width : std::max<index_t>(n, 1);
    for (index_t i = 0; i < n; i += w) out += seq.substr(to_size(i), to_size(std::min(w, n - i))) + "\n";
  }
  return out;
}

// `text` as a bgzip (BGZF) file.
inline void write_bgzip(const std::string& path, const std::string& text) {
  BGZF* f = bgzf_open(path.c_str(), "w");
  REQUIRE(f != nullptr);
  REQUIRE(bgzf_write(f, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  REQUIRE(bgzf_close(f) == 0);
}

}  // namespace sster::test
