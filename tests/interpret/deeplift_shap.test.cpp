#include <doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "attribution_test_util.hpp"
#include "sster/interpret/deeplift_shap.hpp"

using namespace sster;

namespace {

// The largest |sum of actual contributions - (output - mean reference output)|.
double summation_error(const Attributions& a) {
  double worst = 0;
  for (index_t i = 0; i < a.n; ++i) {
    double sum = 0;
    for (index_t t = 0; t < a.length; ++t) sum += a.actual(i, t);
    worst = std::max(worst, std::abs(sum - (at(a.output, i) - at(a.reference, i))));
  }
  return worst;
}

}  // namespace

TEST_CASE("DeepLIFT-SHAP: contributions sum to output - mean reference output within 1e-4, every shape and target") {
  const std::vector<std::pair<const char*, std::pair<Params, index_t>>> shapes = {
      {"default architecture", {Params{}.kernel_len(9), 80}},
      {"overlapping pools", {Params{}.conv_num(2).kernel_num(5).kernel_len(3).pool_size(3).pool_stride(1), 30}},
      {"pools with gaps", {Params{}.conv_num(2).kernel_num(4).kernel_len(3).pool_size(2).pool_stride(3), 50}},
      {"three convs, two dense", {Params{}.conv_num(3).kernel_num({5, 7, 3}).kernel_len({5, 3, 2}).dense_num(2), 64}},
      {"no convolution", {Params{}.conv_num(0).neuron_num(12), 20}},
      {"no dense hidden layer", {Params{}.conv_num(1).kernel_num(6).dense_num(0).kernel_len(4), 24}},
  };
  std::uint64_t seed = 30;
  for (const auto& [name, shape] : shapes)
    for (const auto& [classes, multilabel] : std::vector<std::pair<index_t, bool>>{{2, false}, {4, false}, {3, true}})
      for (auto scale : {OutputScale::logit, OutputScale::probability}) {
        CAPTURE(name);
        CAPTURE(classes);
        CAPTURE(multilabel);
        CAPTURE(static_cast<int>(scale));
        Model m = test::random_model(shape.first, shape.second, classes, ++seed, multilabel);
        const auto x = test::random_symbols(3, shape.second, 4, seed);
        const auto a = deeplift_shap(m, x, 3, {.class_index = 1, .scale = scale, .multilabel = multilabel},
                                     {.references = 5, .seed = seed});
        CHECK(summation_error(a) < 1e-4);
        double spread = 0;  // the outputs and references differ: the check is not 0 = 0
        for (index_t i = 0; i < 3; ++i) spread = std::max(spread, std::abs(at(a.output, i) - at(a.reference, i)));
        CHECK(spread > (scale == OutputScale::logit ? 1e-2 : 1e-4));
      }
}

TEST_CASE("DeepLIFT-SHAP: the references are dinucleotide shuffles of the sequence, seeded") {
  const auto x = test::random_symbols(1, 50, 4, 3);
  const auto a = deeplift_references(x, 0, {.references = 4, .seed = 9});
  const auto b = deeplift_references(x, 0, {.references = 4, .seed = 9});
  const auto c = deeplift_references(x, 1, {.references = 4, .seed = 9});
  CHECK(a == b);
  CHECK(a != c);
  for (index_t r = 0; r < 4; ++r) {
    std::map<std::pair<int, int>, int> want, got;
    for (index_t t = 0; t + 1 < 50; ++t) {
      ++want[{x[static_cast<std::size_t>(t)], x[static_cast<std::size_t>(t + 1)]}];
      ++got[{a[static_cast<std::size_t>(r * 50 + t)], a[static_cast<std::size_t>(r * 50 + t + 1)]}];
    }
    CHECK(want == got);
  }
}

TEST_CASE("DeepLIFT-SHAP: the same on 1 and 2 threads; hypothetical contributions at the sequence's letters") {
  Model m = test::random_model(Params{}.kernel_len(5), 40, 2, 4);
  const auto x = test::random_symbols(5, 40, 4, 4);
  set_threads(1);
  const auto one = deeplift_shap(m, x, 5, {}, {.references = 3});
  set_threads(2);
  const auto two = deeplift_shap(m, x, 5, {}, {.references = 3});
  CHECK(one.hypothetical == two.hypothetical);
  CHECK(one.output == two.output);
  // A sequence of one letter is its only shuffle: every reference equals it,
  // and nothing contributes.
  std::vector<std::uint8_t> same(40, 2);
  const auto none = deeplift_shap(m, same, 1, {}, {.references = 2});
  for (index_t t = 0; t < 40; ++t) CHECK(none.actual(0, t) == 0.0f);
  CHECK(none.output[0] == doctest::Approx(none.reference[0]));
}

TEST_CASE("DeepLIFT-SHAP refuses recurrent networks, naming the layer") {
  Model m = test::random_model(Params{}.conv_num(1).kernel_num(2).kernel_len(3).rnn_type("GRU").rnn_bidirectional(0), 12, 2, 1);
  const auto x = test::random_symbols(1, 12, 4, 1);
  CHECK_THROWS_WITH_AS(deeplift_shap(m, x, 1, {}), doctest::Contains("it has a gru layer"), Error);
}
