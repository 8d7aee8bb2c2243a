#include <doctest.h>

#include <cstring>

#include "model_test_util.hpp"
#include "sster/core/parallel.hpp"
#include "sster/metrics/roc.hpp"
#include "sster/model/model.hpp"

using namespace sster;

TEST_CASE("recurrent block: pysster's layer stack, names and parameter counts") {
  auto data = test::planted_data(test::small_planted(50, 60));
  Model model(Params{}.conv_num(1).kernel_num(10).kernel_len(8).rnn_type("LSTM").rnn_num(2).rnn_units({16, 8})
                  .rnn_bidirectional({1, 0}),
              data);
  const auto s = model.summary();
  // conv -> 53, pool -> 26 positions of 10 channels
  CHECK(s.find("bidirectional_1") != std::string::npos);
  CHECK(s.find("(None, 26, 32)") != std::string::npos);  // both directions, sequences returned
  CHECK(s.find("lstm_1") != std::string::npos);
  CHECK(s.find("flatten") == std::string::npos);
  // LSTM parameters: 4H(C + H + 1) per direction
  const index_t bi = 2 * 4 * 16 * (10 + 16 + 1), uni = 4 * 8 * (32 + 8 + 1);
  const index_t conv = 8 * 4 * 10 + 10, dense = 8 * 100 + 100, out = 100 * 2 + 2;
  CHECK(s.find("Total params: " + std::to_string(conv + bi + uni + dense + out)) != std::string::npos);
  CHECK_THROWS_WITH_AS(Params{}.rnn_type("GRU").rnn_units(0), doctest::Contains("rnn_units"), Error);
  CHECK_THROWS_WITH_AS(Params{}.rnn_dropout_input(1.0), doctest::Contains("rnn_dropout_input"), Error);
}

// Recurrent layers start slowly at pysster's learning rate; 10x that keeps the test short.
TEST_CASE("a GRU model learns the planted-motif set, deterministically across thread counts") {
  auto data = test::planted_data(test::small_planted(1000, 60));
  const auto params = Params{}.conv_num(1).kernel_num(12).kernel_len(8).rnn_type("GRU").rnn_units(16)
                          .neuron_num(24).batch_size(64).epochs(20).learning_rate(0.005);
  std::vector<AlignedVector<float>> weights;
  for (int t : {2, 1}) {
    set_threads(t);
    Model model(params, data, 4);
    model.train(data, false);
    weights.push_back(model.engine().parameters());
    if (t != 2) continue;
    const auto p = model.predict(data, Group::test);
    std::vector<double> scores, truth;
    const auto idx = data.indices(Group::test);
    for (index_t i = 0; i < p.rows(); ++i) {
      scores.push_back(p(i, 0));
      truth.push_back(data.targets(at(idx, i))[0]);
    }
    const double auc = roc_auc(scores, truth);
    MESSAGE("GRU test ROC-AUC " << auc);
    CHECK(auc > 0.95);
  }
  set_threads(2);
  REQUIRE(weights[0].size() == weights[1].size());
  CHECK(std::memcmp(weights[0].data(), weights[1].data(), weights[0].size() * sizeof(float)) == 0);
}
