// Multi-label classification: one FASTA file whose headers list each
// record's classes (">0,2"), sigmoid outputs and binary cross-entropy.
//   usage: multilabel MULTI.fa CLASSES
#include <sster/sster.hpp>

#include <iostream>

int main(int argc, char** argv) try {
  if (argc != 3) {
    std::cerr << "usage: multilabel MULTI.fa CLASSES\n";
    return 2;
  }
  const auto data = sster::Data::from_multilabel_fasta(argv[1], std::stol(argv[2]), sster::alphabet::dna());
  std::cout << data.summary();
  sster::Model model(sster::Params{}.conv_num(1).kernel_len(8).epochs(20), data, 3);
  model.train(data, false);

  const auto probs = model.predict(data, sster::Group::test);
  std::vector<float> targets;
  for (auto i : data.indices(sster::Group::test))
    for (float t : data.targets(i)) targets.push_back(t);
  sster::ReportOptions opts;
  opts.mode = sster::ReportMode::multi_label;  // each class on its own: probability > 0.5
  const auto report = sster::performance_report(
      std::span<const float>(probs.data(), probs.size()), std::span<const float>(targets),
      data.class_names(), opts);
  std::cout << report.text();
  for (const auto& c : report.classes) std::cout << c.name << " ROC-AUC " << c.roc_auc << "\n";
  return 0;
} catch (const sster::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 2;
}
