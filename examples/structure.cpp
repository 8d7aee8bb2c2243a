// Sequence + secondary structure input: each FASTA record has a sequence line
// and a dot-bracket line. annotate_structures turns dot-brackets into
// pysster's structural contexts (F, H, I, M, S, T); the combined alphabet
// has one symbol per (nucleotide, context) pair.
//   usage: structure POS_dotbracket.fa NEG_dotbracket.fa WORK_DIR
#include <sster/sster.hpp>

#include <filesystem>
#include <iostream>

int main(int argc, char** argv) try {
  if (argc != 4) {
    std::cerr << "usage: structure POS.fa NEG.fa WORK_DIR\n";
    return 2;
  }
  const std::filesystem::path work = argv[3];
  std::filesystem::create_directories(work);
  const auto pos = (work / "pos_annotated.fa").string(), neg = (work / "neg_annotated.fa").string();
  sster::annotate_structures(argv[1], pos);
  sster::annotate_structures(argv[2], neg);

  const auto data = sster::Data::from_fasta({pos, neg}, sster::alphabet::rna_annotated());
  std::cout << data.summary();
  sster::Model model(sster::Params{}.conv_num(1).kernel_num(10).kernel_len(6).epochs(10), data, 5);
  // first-layer kernels see 4 nucleotides x 6 contexts = 24 channels
  std::cout << "first layer weights: (" << model.network().param_specs(1)[0].shape[0] << ", "
            << model.network().param_specs(1)[0].shape[1] << ", " << model.network().param_specs(1)[0].shape[2] << ")\n";
  model.train(data, false);
  const auto probs = model.predict(data, sster::Group::all);
  std::cout << "predicted " << probs.rows() << " records; first: " << probs.row(0) << "\n";
  return 0;
} catch (const sster::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 2;
}
