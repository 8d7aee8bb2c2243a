// gallery: the pictures sster draws, from simulated numbers and a scan of a
// simulated genome. They are the ones in docs/gallery/ that the README
// shows: `build/examples/gallery docs/gallery` redraws them, and
// tests/examples fails when they are stale.
//   gallery [out-folder]   (default gallery-out/)
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <unistd.h>
#include <string>
#include <vector>

#include "sster/core/random.hpp"
#include "sster/genome/scanner.hpp"
#include "sster/interpret/plot_clustering.hpp"
#include "sster/interpret/visualize_kernel.hpp"
#include "sster/plot/curves.hpp"
#include "sster/plot/track.hpp"

sster::RandomStream rng(sster::RandomKey(42, sster::Purpose::simulate));

// n copies of `motif`, each letter replaced by a random one with probability `noise`.
std::vector<std::string> noisy(const std::string& motif, const std::string& alphabet, int n, double noise) {
  std::vector<std::string> out(sster::to_size(n), motif);
  for (auto& s : out)
    for (char& x : s)
      if (rng.uniform() < noise) x = alphabet[rng.below(alphabet.size())];
  return out;
}

// A row of summary.html as `sster motifs` draws it (logo, activations,
// positions), for a kernel that learned a motif near position 100 of 200.
sster::Canvas kernel_summary_row(const sster::Motif& motif) {
  const std::vector<std::string> classes{"positives", "background"};
  const int L = 193;
  std::vector<std::vector<double>> maxima(2), mean(2), sd(2);
  std::vector<std::vector<sster::index_t>> positions(2);
  for (std::size_t c = 0; c < 2; ++c) {
    for (int i = 0; i < 300; ++i) {
      const bool site = c == 0 && i % 3 != 0;  // two thirds of the positives carry the motif
      maxima[c].push_back(std::max(0.0, (site ? 0.21 : 0.11) + 0.04 * rng.normal()));
      positions[c].push_back(site ? std::clamp(std::lround(100 + 6 * rng.normal()), 0L, L - 1L) : rng.below(L));
    }
    for (int t = 0; t < L; ++t) {
      const double bump = c == 0 ? 0.01 * std::exp(-(t - 100) * (t - 100) / 72.0) : 0;
      mean[c].push_back(0.004 + bump + 0.0015 * std::abs(rng.normal()));
      sd[c].push_back(0.006 + 2 * bump + 0.004 * std::abs(rng.normal()));
    }
  }
  const auto logo = sster::render_kernel_motif({.kernel = 14, .motif = {motif}, .sites = 200}, classes[0]);
  const auto violins = sster::render_violins(maxima, classes, "Activations, kernel 14");
  const auto where = sster::render_position_summary({14, classes, positions, mean, sd});
  sster::Canvas row(logo.width() + violins.width() + where.width(),
                    std::max({logo.height(), violins.height(), where.height()}), logo.scale());
  row.paste(logo, {0, 0});
  row.paste(violins, {logo.width(), 0});
  row.paste(where, {logo.width() + violins.width(), 0});
  return row;
}

// Maximum activations of 12 kernels on 3 classes of 100 records each;
// kernel k responds to class k % 3.
sster::MaxActivations max_activations() {
  sster::MaxActivations a;
  a.activations.resize(300, 12);
  a.labels = sster::RowMatrix<float>::Zero(300, 3);
  for (sster::index_t r = 0; r < 300; ++r) {
    a.labels(r, r / 100) = 1;
    a.indices.push_back(r);
    for (sster::index_t k = 0; k < 12; ++k)
      a.activations(r, k) = static_cast<float>((k % 3 == r / 100 ? 0.5 : 0.2) + 0.1 * rng.normal());
  }
  return a;
}

// A model of 100-base windows that finds GATTACAGCA: a convolution scoring
// matches (+1) against mismatches (-1), firing from 8 matches of 10, and a
// dense unit that weighs the hits by their closeness to the window's centre.
sster::Model motif_finder(const std::string& motif, sster::index_t L) {
  const auto W = static_cast<sster::index_t>(motif.size());
  const auto p = sster::Params{}.conv_num(1).kernel_num(1).kernel_len(W).pool_size(1).pool_stride(1).neuron_num(1);
  sster::Model m(p, sster::ModelInfo{sster::alphabet::dna(), L, 0, 0, {"background", "site"}, false, 0}, 1);
  std::vector<float> w;
  for (char base : motif)
    for (char c : std::string("ACGT")) w.push_back(c == base ? 1.f : -1.f);  // conv kernel (W, 4, 1)
  w.push_back(-static_cast<float>(W - 5));                                    // conv bias
  const double centre = (L - W) / 2.0;
  for (sster::index_t f = 0; f <= L - W; ++f) w.push_back(static_cast<float>(1 - std::abs(f - centre) / centre));
  for (float v : {0.f, 0.f, 1.2f, 0.f, -4.f}) w.push_back(v);  // dense bias; output kernel (1, 2) and bias
  std::copy(w.begin(), w.end(), m.engine().parameters().begin());
  return m;
}

// `sster scan --strand both --rc-merge none` over 800 bases of a random
// sequence with the motif planted at 400 (plus strand) and 800 (minus).
void scan_track(const std::filesystem::path& out) {
  const std::string motif = "GATTACAGCA";
  std::string seq;
  for (int i = 0; i < 1300; ++i) seq += "ACGT"[rng.below(4)];
  seq.replace(400, motif.size(), motif);
  seq.replace(800, motif.size(), "TGCTGTAATC");  // the motif's reverse complement
  const auto dir = std::filesystem::temp_directory_path() / ("sster-gallery-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  sster::write_file_atomic(dir / "g.fa", ">chr1\n" + seq + "\n");
  sster::Model model = motif_finder(motif, 100);
  const sster::GenomeFasta genome((dir / "g.fa").string());
  const sster::ScanPlan plan(genome, {{0, 200, 1100}}, 100, 1);
  sster::Scanner scanner(model, genome, {.both_strands = true, .merge = sster::RcMerge::none});
  sster::TrackPlot t{.title = "sster scan: class 'site', windows of 100 bases, stride 1",
                     .xlabel = "chr1 position (window centre, 0-based)",
                     .ylabel = "probability", .y = sster::Range{-0.02, 1.02}};
  t.series = {{"plus strand", {}, {}}, {"minus strand", {}, {}}};
  scanner.run(plan, 0, plan.size(), [&](const sster::UnitScores& s) {
    for (sster::index_t k = 0; k < s.unit.windows; ++k)
      for (sster::index_t strand = 0; strand < 2; ++strand) {
        t.series[sster::to_size(strand)].position.push_back(static_cast<double>(s.unit.start + k + 49));  // centre
        t.series[sster::to_size(strand)].value.push_back(s.value(k, strand, 1));
      }
  });
  t.marks = {{400, 410, "GATTACAGCA, + strand"}, {800, 810, "GATTACAGCA, - strand"}};
  sster::plot_track(t, out / "scan_track.png");
  std::filesystem::remove_all(dir);
}

int main(int argc, char** argv) {
  const std::filesystem::path out = argc > 1 ? argv[1] : "gallery-out";
  std::filesystem::create_directories(out);
  // A sequence motif over its structure motif, as for an RNA kernel with structure.
  const auto pum2 = sster::Motif::from_sequences("ACGU", noisy("UGUAAAUA", "ACGU", 300, 0.2));
  const auto structure = sster::Motif::from_sequences("HIMS", noisy("SSHHHHSS", "HIMS", 300, 0.35));
  sster::plot_motifs(std::vector{pum2, structure}, out / "motif_sequence_structure.png");
  sster::write_png(kernel_summary_row(sster::Motif::from_sequences("ACGU", noisy("UGUAAAUA", "ACGU", 200, 0.1))),
                   out / "kernel_summary_row.png");
  sster::plot_clustering(max_activations(), {"class_0", "class_1", "class_2"}, out / "clustering.png");

  std::vector<sster::Curve> roc;  // y = x^a for three classes, with their AUCs
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
  scan_track(out);
}
