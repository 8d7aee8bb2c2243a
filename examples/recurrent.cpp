// A convolution + bidirectional LSTM network (pysster's rnn_* parameters):
// the recurrent block replaces the Flatten between convolutions and dense
// layers.   usage: recurrent POS.fa NEG.fa
#include <sster/sster.hpp>

#include <iostream>

int main(int argc, char** argv) try {
  if (argc != 3) {
    std::cerr << "usage: recurrent POS.fa NEG.fa\n";
    return 2;
  }
  const auto data = sster::Data::from_fasta({argv[1], argv[2]}, sster::alphabet::dna());
  const auto params = sster::Params{}
                          .conv_num(1)
                          .kernel_len(8)
                          .rnn_type("LSTM")
                          .rnn_units(16)
                          .rnn_bidirectional(1)
                          .learning_rate(0.005)  // recurrent layers start slowly at pysster's 0.0005
                          .epochs(15);
  sster::Model model(params, data, 11);
  model.print_summary();
  model.train(data, true);
  const auto probs = model.predict(data, sster::Group::test);
  std::vector<double> scores, truth;
  const auto idx = data.indices(sster::Group::test);
  for (sster::index_t i = 0; i < probs.rows(); ++i) {
    scores.push_back(probs(i, 0));
    truth.push_back(data.targets(sster::at(idx, i))[0]);
  }
  std::cout << "test ROC-AUC " << sster::roc_auc(scores, truth) << "\n";
  return 0;
} catch (const sster::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 2;
}
