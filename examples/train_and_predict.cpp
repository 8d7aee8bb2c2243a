// Train pysster's default network on one FASTA file per class, report its
// test-set performance, save it, and score the test records with the saved
// model.   usage: train_and_predict POS.fa[.gz] NEG.fa[.gz] MODEL_OUT
#include <sster/sster.hpp>

#include <iostream>

int main(int argc, char** argv) try {
  if (argc != 4) {
    std::cerr << "usage: train_and_predict POS.fa NEG.fa MODEL_OUT\n";
    return 2;
  }
  const auto data = sster::Data::from_fasta({argv[1], argv[2]}, sster::alphabet::dna());
  std::cout << data.summary();

  // pysster's defaults except for a shorter kernel and a quicker schedule
  const auto params = sster::Params{}.kernel_len(10).conv_num(1).epochs(20);
  sster::Model model(params, data, /*seed=*/7);
  model.print_summary();
  model.train(data, /*verbose=*/true);

  const auto probs = model.predict(data, sster::Group::test);  // (records, classes)
  std::vector<float> targets;
  for (auto i : data.indices(sster::Group::test))
    for (float t : data.targets(i)) targets.push_back(t);
  const auto report = sster::performance_report(
      std::span<const float>(probs.data(), probs.size()), std::span<const float>(targets),
      data.class_names());
  std::cout << report.text();

  model.save(argv[3]);
  auto loaded = sster::Model::load(argv[3]);  // no data needed to load
  const auto again = loaded.predict(data, sster::Group::test);
  std::cout << "saved model reproduces the predictions: " << ((again.array() == probs.array()).all() ? "yes" : "no")
            << "\ntest ROC-AUC " << report.classes[0].roc_auc << "\n";
  return 0;
} catch (const sster::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 2;
}
