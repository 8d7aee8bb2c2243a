#include "sster/nn/gru.hpp"

#include <doctest.h>

#include <algorithm>
#include <vector>

#include "gradient_check.hpp"
#include "rnn_tools.hpp"

using namespace sster;

TEST_CASE("GRU parameters: Keras shapes, gate order z r h") {
  auto l = test::make_rnn<GRU<float>>(5, 3, true);
  const auto specs = l.param_specs();
  REQUIRE(specs.size() == 3);
  CHECK(specs[0].name == "kernel");
  CHECK(specs[0].shape == std::vector<index_t>{5, 9});
  CHECK(specs[0].init == Init::uniform);
  CHECK(specs[0].max_norm);
  CHECK(specs[1].name == "recurrent_kernel");
  CHECK(specs[1].shape == std::vector<index_t>{3, 9});
  CHECK(specs[1].init == Init::orthogonal);
  CHECK(!specs[1].max_norm);
  CHECK(specs[2].name == "bias");
  CHECK(specs[2].shape == std::vector<index_t>{9});
  CHECK(specs[2].init == Init::zeros);
  CHECK(l.output_shape({2, 7, 5}) == Shape{2, 7, 3});
  l.return_sequences = false;
  CHECK(l.output_shape({2, 7, 5}) == Shape{2, 1, 3});
  CHECK_THROWS_AS(l.output_shape({2, 7, 4}), Error);
  l.recurrent_dropout = -0.1;
  CHECK_THROWS_AS(l.output_shape({2, 7, 5}), Error);
}

TEST_CASE_TEMPLATE("GRU: two steps computed by hand", T, float, double) {
  // C = 2, H = 1, one sample, x = [[1, 0], [-1, 2]], gate order z r h.
  // clang-format off
  std::vector<T> p = {
      T(0.5), T(-0.5), T(1.0),    // kernel row 0
      T(0.25), T(1.0), T(-0.5),   // kernel row 1
      T(1.0), T(-1.0), T(2.0),    // recurrent kernel
      T(0.1), T(0.0), T(-0.1)};   // bias
  // clang-format on
  std::vector<T> grads(p.size());
  auto l = test::make_rnn<GRU<T>>(2, 1, true);
  l.bind(p.data(), grads.data());
  Tensor<T> x({1, 2, 2});
  const T xv[] = {1, 0, -1, 2};
  std::copy_n(xv, 4, x.data());
  const auto y = test::run(l, x);
  // Step 0 (h = 0): a = [0.6, -0.5, 0.9]: z = hs(0.6) = 0.62, r = 0.4,
  //   h~ = tanh(0.9 + (r * 0) U_h) = tanh(0.9); h0 = z * 0 + 0.38 tanh(0.9) = 0.27219319.
  CHECK(y[0] == doctest::Approx(0.2721931906756293));
  // Step 1: x W + b = [0.1, 2.5, -2.1]; z = hs(0.1 + h0) = 0.52 + 0.2 h0 = 0.57443864,
  //   r = hs(2.5 - h0) = 1 - 0.2 h0 = 0.94556136, h~ = tanh(-2.1 + 2 r h0) = -0.91941773,
  //   h1 = z h0 + (1 - z) h~ = -0.23491038 (z weights the old state, as in Keras).
  CHECK(y[1] == doctest::Approx(-0.2349103768718428));
  l.return_sequences = false;
  const auto last = test::run(l, x);
  CHECK(last.shape() == Shape{1, 1, 1});
  CHECK(last[0] == y[1]);
}

TEST_CASE("stacked GRUs: return_sequences into a reversed GRU") {
  test::Stacked<GRU<double>, GRU<double>> gg;
  gg.first = test::make_rnn<GRU<double>>(3, 4, true, 0.25, 0.25);
  gg.second = test::make_rnn<GRU<double>>(4, 2, false, 0.25, 0.25, true);
  gg.second.id = 5;
  test::check_rnn_gradients(gg, {2, 5, 3}, 800);
  test::check_rnn_gradients(gg, {2, 5, 3}, 801, Context{.training = true, .seed = 1, .step = 0, .first_sample = 0});
}

TEST_CASE("GRU recurrent dropout masks the state entering U, not the z-mix (shared masks)") {
  // One unit, one input, two steps, recurrent dropout on: whatever the mask,
  // h1 = z h0 + (1 - z) h~ uses the unmasked h0; only the U products see the mask.
  const index_t C = 1, H = 1, L = 2;
  auto l = test::make_rnn<GRU<double>>(C, H, true, 0.0, 0.5, false, 7, false);
  std::vector<double> p = {0.5, -0.5, 1.0, 1.0, -1.0, 2.0, 0.1, 0.0, -0.1}, g(p.size());
  l.bind(p.data(), g.data());
  Tensor<double> x({1, L, C});
  x[0] = 1;
  x[1] = -1;
  int dropped = 0, kept = 0;  // steps whose mask drops / keeps the unit
  for (std::uint64_t step = 0; step < 40; ++step) {
    const Context ctx{.training = true, .seed = 12, .step = step, .first_sample = 0};
    const auto y = test::run(l, x, ctx);
    const double h0 = y[0];
    std::vector<double> mask;
    detail::draw_recurrent_mask(ctx, l.id, 1, 0.5, 1, 1, mask);
    const double hm = h0 * mask[0];
    (mask[0] == 0 ? dropped : kept) += 1;
    const double z = test::ref_hs(-0.5 + 0.1 + hm * 1.0), r = test::ref_hs(0.5 + 0.0 - hm);
    const double hc = std::tanh(-1.0 - 0.1 + r * hm * 2.0);
    CHECK(y[1] == doctest::Approx(z * h0 + (1 - z) * hc).epsilon(1e-12));
  }
  CHECK(dropped > 0);
  CHECK(kept > 0);
}

TEST_CASE("GRU per-gate recurrent dropout: z, r and the candidate each see h0 under their own mask") {
  // As above with Keras' implementation=1: h_tm1_z, h_tm1_r, h_tm1_h are h0
  // times masks 0, 1, 2; the mix still uses the unmasked h0.
  const index_t C = 1, H = 1, L = 2;
  auto l = test::make_rnn<GRU<double>>(C, H, true, 0.0, 0.5);
  std::vector<double> p = {0.5, -0.5, 1.0, 1.0, -1.0, 2.0, 0.1, 0.0, -0.1}, g(p.size());
  l.bind(p.data(), g.data());
  Tensor<double> x({1, L, C});
  x[0] = 1;
  x[1] = -1;
  int mixed = 0;  // steps whose three masks are not all equal
  for (std::uint64_t step = 0; step < 40; ++step) {
    const Context ctx{.training = true, .seed = 12, .step = step, .first_sample = 0};
    const auto y = test::run(l, x, ctx);
    const double h0 = y[0];
    std::vector<double> m;
    detail::draw_recurrent_mask(ctx, l.id, 1, 0.5, 1, 1, m, 3);
    mixed += !(m[0] == m[1] && m[1] == m[2]);
    const double z = test::ref_hs(-0.5 + 0.1 + h0 * m[0] * 1.0), r = test::ref_hs(0.5 + 0.0 - h0 * m[1]);
    const double hc = std::tanh(-1.0 - 0.1 + r * h0 * m[2] * 2.0);
    CHECK(y[1] == doctest::Approx(z * h0 + (1 - z) * hc).epsilon(1e-12));
  }
  CHECK(mixed > 10);
}
