#include <doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "model_test_util.hpp"
#include "sster/core/parallel.hpp"
#include "sster/metrics/roc.hpp"
#include "sster/model/model.hpp"

using namespace sster;

namespace int8_model_test {

// Two conv blocks: the second reads the first's ReLU'd, pooled output.
Params two_blocks() { return test::quick_params().conv_num(2).kernel_num(12).kernel_len(6).epochs(6); }

struct Trained {
  Data data = test::planted_data(test::small_planted(600, 60));
  Model model{two_blocks(), data, 3};
  Trained() { model.train(data, false); }
};

Trained& trained() {
  static Trained t;
  return t;
}

float largest_difference(const RowMatrix<float>& a, const RowMatrix<float>& b) {
  return (a - b).cwiseAbs().maxCoeff();
}

double test_roc_auc(Model& m, const Data& d) {
  const auto probs = m.predict(d, Group::test);
  std::vector<double> scores, truth;
  const auto idx = d.indices(Group::test);
  for (std::size_t k = 0; k < idx.size(); ++k) {
    scores.push_back(probs(static_cast<index_t>(k), 0));
    truth.push_back(d.targets(idx[k])[0]);
  }
  return roc_auc(scores, truth);
}

}  // namespace int8_model_test

TEST_CASE("calibrate_int8 keeps the largest input of each block that reads floats (the first reads symbols)") {
  auto& t = int8_model_test::trained();
  Model& m = t.model;
  const auto train = t.data.indices(Group::train);
  const auto from_training = m.int8_calibration();  // what train() ended with
  m.calibrate_int8(t.data, train);
  CHECK(m.int8_calibration() == from_training);
  REQUIRE(m.int8_calibration().size() == 1);
  REQUIRE(m.int8_calibration().contains("conv1d_2"));
  // The oracle: conv1d_2 reads the first block's pooled output, whose
  // largest value is the largest first-convolution activation in the rows
  // the pooling covers (size 2, stride 2 over the conv rows).
  const Conv1D<float>& first = *m.first_conv();
  const index_t rows = t.data.length() - first.width + 1, covered = rows / 2 * 2;
  float largest = 0;
  m.first_layer_activations(t.data, train, [&](index_t, const float* acts) {
    for (index_t i = 0; i < covered * first.kernels; ++i) largest = std::max(largest, acts[i]);  // one thread here
  });
  CHECK(m.int8_calibration().at("conv1d_2") == largest);
}

TEST_CASE("int8 predictions stay within the quantisation error of float, on any thread count") {
  auto& t = int8_model_test::trained();  // train() calibrated it
  Model& m = t.model;
  m.set_precision(Precision::float32);
  const auto f = m.predict(t.data, Group::test);
  const double auc = int8_model_test::test_roc_auc(m, t.data);
  m.set_precision(Precision::int8);
  const auto q = m.predict(t.data, Group::test);
  const float worst = int8_model_test::largest_difference(f, q);
  CHECK(worst > 0);  // int8 did run
  CHECK(worst < 0.05f);
  CHECK(std::abs(int8_model_test::test_roc_auc(m, t.data) - auc) < 0.005);
  set_threads(1);
  const auto one = m.predict(t.data, Group::test);
  set_threads(2);
  CHECK(int8_model_test::largest_difference(one, q) == 0);
  m.set_precision(Precision::float32);
  CHECK(int8_model_test::largest_difference(m.predict(t.data, Group::test), f) == 0);  // float is float again
}

TEST_CASE("int8: the calibration travels with the model file; bad calibrations are refused") {
  Model& m = int8_model_test::trained().model;
  const Data& data = int8_model_test::trained().data;
  m.set_precision(Precision::int8);
  const auto before = m.predict(data, Group::test);
  Model loaded = Model::from_file(m.to_file(), "m.sster");
  CHECK(loaded.int8_calibration() == m.int8_calibration());
  CHECK(loaded.precision() == Precision::float32);  // a loaded model computes in float until told otherwise
  loaded.set_precision(Precision::int8);
  CHECK(int8_model_test::largest_difference(loaded.predict(data, Group::test), before) == 0);
  m.set_precision(Precision::float32);

  auto file = m.to_file();
  file.header["int8_calibration"]["conv1d_1"] = 1.0;  // reads symbols: not a block int8 runs
  CHECK_THROWS_WITH_AS(Model::from_file(file, "m.sster"), doctest::Contains("m.sster: int8 calibration names conv1d_1"),
                       Error);
  file = m.to_file();
  file.header["int8_calibration"]["conv1d_2"] = -2.0;
  CHECK_THROWS_WITH_AS(Model::from_file(file, "m.sster"), doctest::Contains("conv1d_2: expected a positive number"),
                       Error);
}

TEST_CASE("int8 needs a calibration, a finished training run measures it anew, gradients refuse an int8 forward") {
  Data data = test::planted_data(test::small_planted(200, 60));
  Model m(int8_model_test::two_blocks().epochs(1), data, 5);
  CHECK_THROWS_WITH_AS(m.set_precision(Precision::int8), doctest::Contains("no int8 calibration"), Error);
  m.train(data, false);
  const auto first = m.int8_calibration();
  CHECK(first.size() == 1);
  m.set_precision(Precision::int8);
  TrainObserver stop;
  stop.stop_requested = [] { return true; };
  CHECK(!m.train(data, stop));  // interrupted: the weights changed, the old calibration is gone
  CHECK(m.int8_calibration().empty());
  CHECK(m.precision() == Precision::float32);
  CHECK(m.train(data, TrainObserver{}));
  REQUIRE(m.int8_calibration().size() == 1);
  CHECK(m.int8_calibration().at("conv1d_2") != first.at("conv1d_2"));  // measured on the new weights

  m.calibrate_int8(data, data.indices(Group::train));
  m.set_precision(Precision::int8);
  auto& net = m.engine().network();
  const auto idx = data.indices(Group::train);
  std::vector<std::uint8_t> symbols;
  for (index_t i = 0; i < 4; ++i) {
    const auto s = data.symbols(idx[to_size(i)]);
    symbols.insert(symbols.end(), s.begin(), s.end());
  }
  Context ctx;
  const auto& logits = net.forward(InputBatch<float>{.B = 4, .symbols = symbols.data()}, ctx);
  CHECK_THROWS_WITH_AS(net.backward(logits, ctx), doctest::Contains("ran in int8"), Error);
}
