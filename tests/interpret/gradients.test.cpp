#include <doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "attribution_test_util.hpp"
#include "sster/interpret/gradients.hpp"

using namespace sster;

namespace {

// The target at a float input (L, A), through the network's float path.
double target_at(Model& m, const std::vector<float>& x, const AttributionTarget& t) {
  const index_t L = m.info().length, A = m.info().alphabet.size();
  Tensor<float> in({1, L, A});
  std::copy(x.begin(), x.end(), in.data());
  Context ctx;
  return t.value(m.engine().network().forward_dense(in, ctx).data(), m.info().classes());
}

}  // namespace

TEST_CASE("gradient x input: the gradient of the target, checked by central differences (also the LSTM path)") {
  // The LSTM's weights are smaller: saturated gates curve too much for +-eps.
  const std::vector<std::pair<Params, double>> nets = {
      {Params{}.kernel_len(5), 2.0}, {Params{}.conv_num(1).kernel_num(4).kernel_len(3).rnn_type("LSTM").rnn_units(3), 1.0}};
  for (const auto& [p, weights] : nets)
    for (auto scale : {OutputScale::logit, OutputScale::probability}) {
      Model m = test::random_model(p, 30, 3, 12, false, alphabet::dna(), weights);
      const auto x = test::random_symbols(1, 30, 4, 12);
      const AttributionTarget t{.class_index = 2, .scale = scale};
      const auto a = gradient_x_input(m, x, 1, t);
      auto in = std::vector<float>(30 * 4, 0.0f);
      for (index_t i = 0; i < 30; ++i) in[static_cast<std::size_t>(i * 4 + x[static_cast<std::size_t>(i)])] = 1;
      CHECK(a.output[0] == doctest::Approx(target_at(m, in, t)).epsilon(1e-5));
      int agree = 0;
      const float eps = 1e-3f;
      double largest = 0;
      for (std::size_t e = 0; e < in.size(); ++e) {
        auto up = in, down = in;
        up[e] += eps;
        down[e] -= eps;
        const double numeric = (target_at(m, up, t) - target_at(m, down, t)) / (2 * eps);
        agree += std::abs(numeric - a.hypothetical[e]) < 2e-3 * std::max(1.0, std::abs(numeric));
        largest = std::max(largest, std::abs(numeric));
      }
      CHECK(largest > 1e-3);
      CHECK(agree >= 114);  // of 120: a ReLU or a pooling winner may switch within +-eps
    }
}

TEST_CASE("saliency is the absolute gradient") {
  Model m = test::random_model(Params{}.kernel_len(5), 30, 2, 13);
  const auto x = test::random_symbols(4, 30, 4, 13);
  const auto g = gradient_x_input(m, x, 4, {}), s = saliency(m, x, 4, {});
  CHECK(s.method == AttributionMethod::saliency);
  REQUIRE(g.hypothetical.size() == s.hypothetical.size());
  for (std::size_t e = 0; e < g.hypothetical.size(); ++e) CHECK(s.hypothetical[e] == std::abs(g.hypothetical[e]));
}

TEST_CASE("integrated gradients: contributions sum to output - output of the all-zero input (completeness)") {
  const std::vector<Params> nets = {Params{}.kernel_len(7), Params{}.conv_num(2).kernel_num(6).kernel_len(4).pool_size(3).pool_stride(1),
                                    Params{}.conv_num(1).kernel_num(4).kernel_len(3).rnn_type("GRU").rnn_units(4)};
  std::uint64_t seed = 50;
  for (const auto& p : nets)
    for (auto scale : {OutputScale::logit, OutputScale::probability}) {
      Model m = test::random_model(p, 40, 2, ++seed);
      const auto x = test::random_symbols(3, 40, 4, seed);
      const AttributionTarget t{.class_index = 0, .scale = scale};
      auto error = [&](index_t steps) {
        const auto a = integrated_gradients(m, x, 3, t, steps);
        double worst = 0, spread = 0;
        for (index_t i = 0; i < 3; ++i) {
          double sum = 0;
          for (index_t u = 0; u < 40; ++u) sum += a.actual(i, u);
          const double delta = at(a.output, i) - at(a.reference, i);
          worst = std::max(worst, std::abs(sum - delta));
          spread = std::max(spread, std::abs(delta));
        }
        CHECK(spread > 1e-3);
        return worst / spread;
      };
      const double coarse = error(4), fine = error(512);
      CAPTURE(coarse);
      CHECK(fine < 5e-3);
      CHECK(fine < coarse);
    }
}
