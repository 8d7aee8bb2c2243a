#include <doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "attribution_test_util.hpp"
#include "kernel_sets.hpp"
#include "sster/interpret/ism.hpp"

using namespace sster;

namespace {

// The largest |fast - naive| over every delta and output, relative to the
// outputs' scale (at least 1).
double ism_difference(Model& m, const std::vector<std::uint8_t>& x, index_t n, const AttributionTarget& t) {
  const IsmResult fast = ism(m, x, n, t), naive = ism_ref(m, x, n, t);
  REQUIRE(fast.deltas.size() == naive.deltas.size());
  double scale = 1, worst = 0;
  for (double y : naive.output) scale = std::max(scale, std::abs(y));
  for (index_t i = 0; i < n; ++i) worst = std::max(worst, std::abs(at(fast.output, i) - at(naive.output, i)));
  for (std::size_t e = 0; e < fast.deltas.size(); ++e)
    worst = std::max(worst, static_cast<double>(std::abs(fast.deltas[e] - naive.deltas[e])));
  return worst / scale;
}

struct Shape {
  const char* name;
  Params params;
  index_t length;
};

std::vector<Shape> shapes() {
  return {
      {"default architecture, length 60", Params{}.kernel_len(7), 60},
      {"one conv, pool 3 stride 3", Params{}.conv_num(1).kernel_num(5).kernel_len(4).pool_size(3).pool_stride(3), 40},
      {"overlapping pools (size 3, stride 1)", Params{}.conv_num(2).kernel_num(6).kernel_len(3).pool_size(3).pool_stride(1),
       30},
      {"pools with gaps (size 2, stride 3)", Params{}.conv_num(2).kernel_num(4).kernel_len(3).pool_size(2).pool_stride(3),
       50},
      {"three convs, two dense", Params{}.conv_num(3).kernel_num({5, 7, 3}).kernel_len({5, 3, 2}).dense_num(2).neuron_num({9, 4}),
       64},
      {"no dense hidden layer", Params{}.conv_num(1).kernel_num(17).kernel_len(6).dense_num(0), 33},
      {"no convolution", Params{}.conv_num(0).neuron_num(12), 20},
      {"kernels as wide as the SIMD width and beyond", Params{}.conv_num(2).kernel_num({16, 33}).kernel_len(4), 30},
      {"pool 1 (no pooling)", Params{}.conv_num(2).kernel_num(3).kernel_len(5).pool_size(1).pool_stride(1), 20},
  };
}

}  // namespace

TEST_CASE("fast ISM equals naive ISM to 1e-5 on random networks of every supported shape") {
  std::uint64_t seed = 10;
  for (const auto& s : shapes()) {
    for (const auto& [classes, multilabel] : std::vector<std::pair<index_t, bool>>{{2, false}, {3, false}, {2, true}}) {
      CAPTURE(s.name);
      CAPTURE(classes);
      CAPTURE(multilabel);
      Model m = test::random_model(s.params, s.length, classes, ++seed, multilabel);
      REQUIRE(FeedForward::supports(m.network()));
      const index_t n = 3;
      const auto x = test::random_symbols(n, s.length, 4, seed);
      for (auto scale : {OutputScale::logit, OutputScale::probability}) {
        const AttributionTarget t{.class_index = classes - 1, .scale = scale, .multilabel = multilabel};
        CHECK(ism_difference(m, x, n, t) < 1e-5);
      }
    }
  }
}

TEST_CASE("fast ISM equals naive ISM under every kernel set the CPU runs") {
  Model m = test::random_model(Params{}.conv_num(2).kernel_num({20, 33}).kernel_len(5).neuron_num(40), 50, 3, 44);
  const auto x = test::random_symbols(3, 50, 4, 44);
  test::for_each_kernel_set([&] { CHECK(ism_difference(m, x, 3, {.class_index = 2}) < 1e-5); });
}

TEST_CASE("fast ISM: protein alphabet, one class of three; the sequence's own letters are 0") {
  Model m = test::random_model(Params{}.conv_num(2).kernel_num(8).kernel_len(3), 25, 3, 5, false, alphabet::protein());
  const index_t A = alphabet::protein().size();
  const auto x = test::random_symbols(2, 25, A, 5);
  const AttributionTarget t{.class_index = 1};
  CHECK(ism_difference(m, x, 2, t) < 1e-5);
  const auto r = ism(m, x, 2, t);
  for (index_t i = 0; i < 2 * 25; ++i) CHECK(r.deltas[static_cast<std::size_t>(i * A + x[static_cast<std::size_t>(i)])] == 0.0f);
}

TEST_CASE("FeedForward computes the network's logits") {
  for (const auto& s : shapes()) {
    CAPTURE(s.name);
    Model m = test::random_model(s.params, s.length, 3, 77);
    const index_t n = 5;
    const auto x = test::random_symbols(n, s.length, 4, 78);
    const FeedForward ff(m.network());
    FeedForwardPass pass;
    ff.forward(x.data(), n, pass);
    Context ctx;
    Network<float>& net = m.engine().network();
    const Tensor<float>& logits = net.forward(InputBatch<float>{.B = n, .symbols = x.data()}, ctx);
    for (index_t e = 0; e < n * 3; ++e) CHECK(pass.logits()[static_cast<std::size_t>(e)] == doctest::Approx(logits[e]).epsilon(1e-5));
  }
}

TEST_CASE("recurrent networks have no stage view; ism takes the naive path and gives its numbers") {
  Params p = Params{}.conv_num(1).kernel_num(4).kernel_len(5).rnn_type("LSTM").rnn_units(3);
  Model m = test::random_model(p, 30, 2, 3);
  std::string why;
  CHECK_FALSE(FeedForward::supports(m.network(), &why));
  CHECK(why.find("bidirectional") != std::string::npos);
  const auto x = test::random_symbols(2, 30, 4, 3);
  const AttributionTarget t{};
  const auto fast = ism(m, x, 2, t), naive = ism_ref(m, x, 2, t);
  CHECK(fast.deltas == naive.deltas);
  CHECK(fast.output == naive.output);
  double largest = 0;
  for (float d : fast.deltas) largest = std::max(largest, static_cast<double>(std::abs(d)));
  CHECK(largest > 0);  // the network is not constant
}

TEST_CASE("fast ISM does not depend on the thread count") {
  Model m = test::random_model(Params{}.kernel_len(5), 40, 2, 9);
  const auto x = test::random_symbols(3, 40, 4, 9);
  set_threads(1);
  const auto one = ism(m, x, 3, {});
  set_threads(2);
  const auto two = ism(m, x, 3, {});
  CHECK(one.deltas == two.deltas);
  CHECK(one.output == two.output);
}

TEST_CASE("ISM: symbols outside the alphabet and a wrong class are errors naming the problem") {
  Model m = test::random_model(Params{}.conv_num(1).kernel_num(2).kernel_len(3), 10, 2, 1);
  auto x = test::random_symbols(1, 10, 4, 1);
  CHECK_THROWS_WITH_AS(ism(m, x, 2, {}), doctest::Contains("expected 2 sequences of length 10"), Error);
  CHECK_THROWS_WITH_AS(ism(m, x, 1, {.class_index = 2}), doctest::Contains("not class 2"), Error);
  x[3] = 7;
  CHECK_THROWS_WITH_AS(ism(m, x, 1, {}), doctest::Contains("symbol 7"), Error);
}
