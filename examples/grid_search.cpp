// Hyperparameter grid search as in pysster: every combination is trained and
// scored by the weighted ROC-AUC on the validation set. With a folder the
// search is resumable: rerunning skips finished combinations.
//   usage: grid_search POS.fa NEG.fa FOLDER
#include <sster/sster.hpp>

#include <iostream>

int main(int argc, char** argv) try {
  if (argc != 4) {
    std::cerr << "usage: grid_search POS.fa NEG.fa FOLDER\n";
    return 2;
  }
  const auto data = sster::Data::from_fasta({argv[1], argv[2]}, sster::alphabet::dna());
  sster::GridSearch search({{"kernel_num", {"4", "12"}}, {"kernel_len", {"6", "10"}}},
                           sster::Params{}.conv_num(1).epochs(8));
  sster::GridOptions options;
  options.folder = argv[3];
  auto [best, ranked] = search.train(data, options);
  std::cout << search.table(ranked, options.metric);
  std::cout << "best: kernel_num " << best.params().values().kernel_num[0] << ", kernel_len "
            << best.params().values().kernel_len[0] << "\n";
  return 0;
} catch (const sster::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 2;
}
