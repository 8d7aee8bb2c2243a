// gallery: every kind of picture the plot layer draws, from made-up numbers.
//   gallery [out-folder]   (default gallery-out/)
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "sster/core/random.hpp"
#include "sster/interpret/motif.hpp"
#include "sster/plot/curves.hpp"

// n copies of `motif`, each letter replaced by a random one with probability `noise`.
std::vector<std::string> noisy(const std::string& motif, const std::string& alphabet, int n, double noise) {
  const sster::RandomKey key(42, sster::Purpose::simulate);
  std::vector<std::string> out(sster::to_size(n), motif);
  std::uint64_t c = 0;
  for (auto& s : out)
    for (char& x : s)
      if (key.uniform(c++) < noise) x = alphabet[key.below(c++, alphabet.size())];
  return out;
}

int main(int argc, char** argv) {
  const std::filesystem::path out = argc > 1 ? argv[1] : "gallery-out";
  std::filesystem::create_directories(out);
  sster::Motif::from_sequences("ACGT", noisy("CCCCCCCCCC", "ACGT", 400, 0.15)).plot(out / "motif_c.png");
  sster::Motif::from_sequences("ACGT", noisy("GGGGGGGGGG", "ACGT", 400, 0.4)).plot(out / "motif_g.png");
  const auto pum2 = sster::Motif::from_sequences("ACGU", noisy("UGUAAAUA", "ACGU", 300, 0.2));
  pum2.plot(out / "motif_pum2.png");
  // Sequence over structure, as for an RNA sequence+structure kernel.
  const auto structure = sster::Motif::from_sequences("HIMS", noisy("SSHHHHSS", "HIMS", 300, 0.35));
  sster::plot_motifs(std::vector{pum2, structure}, out / "motif_pum2_structure.png");

  std::vector<sster::Curve> roc;
  for (int k = 0; k < 3; ++k) {
    sster::Curve c{"class_" + std::to_string(k), {}, {}, 0};
    for (int i = 0; i <= 200; ++i) {
      const double x = i / 200.0, y = std::pow(x, 0.04 + 0.15 * k);
      if (i) c.auc += (x - c.x.back()) * (y + c.y.back()) / 2;
      c.x.push_back(x), c.y.push_back(y);
    }
    roc.push_back(c);
  }
  sster::plot_roc(roc, out / "roc.png");

  sster::History h;
  for (int e = 0; e < 30; ++e) {
    h.loss.push_back(0.25 + 0.45 * std::exp(-e / 6.0));
    h.val_loss.push_back(0.3 + 0.42 * std::exp(-e / 7.0) + 0.0004 * (e > 18 ? (e - 18) * (e - 18) : 0));
    h.learning_rate.push_back(e < 17 ? 1e-3 : e < 25 ? 5e-4 : 2.5e-4);
  }
  h.best_epoch = 21;
  sster::plot_history(h, out / "history.png");
}
