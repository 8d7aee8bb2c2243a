// Explain a model's predictions position by position: train on planted
// motifs, then ask which bases made each positive sequence score as it did
// (DeepLIFT-SHAP), draw one as an attribution logo, call its seqlets and
// write the attributions for TF-MoDISco.
//   usage: attribution POS.fa[.gz] NEG.fa[.gz] OUT_DIR
#include <sster/sster.hpp>

#include <filesystem>
#include <iostream>

int main(int argc, char** argv) try {
  if (argc != 4) {
    std::cerr << "usage: attribution POS.fa NEG.fa OUT_DIR\n";
    return 2;
  }
  const auto data = sster::Data::from_fasta({argv[1], argv[2]}, sster::alphabet::dna());
  sster::Model model(sster::Params{}.kernel_len(10).conv_num(1).epochs(15), data, /*seed=*/7);
  model.train(data, /*verbose=*/false);

  // The first 50 positives (class 0), explained on class 0's logit.
  const sster::index_t n = 50;
  std::vector<std::uint8_t> x;
  std::vector<std::string> names;
  for (sster::index_t i = 0; i < n; ++i) {
    const auto s = data.symbols(i);
    x.insert(x.end(), s.begin(), s.end());
    names.push_back(data.name(i));
  }
  const sster::AttributionOptions o{.target = {.class_index = 0}, .references = 10};
  const auto a = sster::attribute(model, x, n, sster::AttributionMethod::deeplift_shap, o);

  const std::filesystem::path out = argv[3];
  std::filesystem::create_directories(out);
  sster::plot_attribution(a, 0, data.alphabet(), names[0], out / "logo.png", "class 0 logit");
  sster::save_attribution_npz((out / "planted").string(), a);  // planted_ohe.npz, planted_attr.npz

  // Seqlets: windows whose summed contribution beats 99.9% of those on shuffles.
  const sster::SeqletOptions so{.width = 10};
  const auto shuffled = sster::seqlet_null_sequences(x, n, data.length(), n, so.seed);
  const double threshold =
      sster::seqlet_threshold(sster::attribute(model, shuffled, n, sster::AttributionMethod::deeplift_shap, o), so);
  const auto seqlets = sster::call_seqlets(a, threshold, data.alphabet(), names, so);
  std::cout << seqlets.size() << " seqlets, e.g. " << seqlets[0].record << " " << seqlets[0].start << "-"
            << seqlets[0].end << " " << seqlets[0].sequence << "\n";
  for (const auto& m : sster::cluster_seqlets(seqlets, data.alphabet().sequence()))
    std::cout << "motif " << m.motif.consensus() << " from " << m.members.size() << " seqlets\n";
  return 0;
} catch (const sster::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 2;
}
