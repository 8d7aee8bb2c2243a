#include "sster/nn/lstm.hpp"

#include <doctest.h>

#include <vector>

#include "gradient_check.hpp"
#include "rnn_tools.hpp"
#include "sster/nn/gru.hpp"

using namespace sster;

TEST_CASE("LSTM parameters: Keras shapes, gate order i f c o, unit forget bias") {
  auto l = test::make_rnn<LSTM<float>>(5, 3, false);
  const auto specs = l.param_specs();
  REQUIRE(specs.size() == 6);
  CHECK(specs[0].name == "kernel");
  CHECK(specs[0].shape == std::vector<index_t>{5, 12});
  CHECK(specs[0].init == Init::uniform);
  CHECK(specs[0].max_norm);
  CHECK(specs[1].name == "recurrent_kernel");
  CHECK(specs[1].shape == std::vector<index_t>{3, 12});
  CHECK(specs[1].init == Init::orthogonal);
  CHECK(!specs[1].max_norm);
  // bias_i, bias_f, bias_c, bias_o: adjacent, together Keras' (4H) bias
  const char* names[] = {"bias_i", "bias_f", "bias_c", "bias_o"};
  for (int g = 0; g < 4; ++g) {
    CHECK(at(specs, 2 + g).name == names[g]);
    CHECK(at(specs, 2 + g).shape == std::vector<index_t>{3});
    CHECK(at(specs, 2 + g).init == (g == 1 ? Init::ones : Init::zeros));
    CHECK(!at(specs, 2 + g).max_norm);
  }
  CHECK(l.output_shape({4, 9, 5}) == Shape{4, 1, 3});
  l.return_sequences = true;
  CHECK(l.output_shape({4, 9, 5}) == Shape{4, 9, 3});
  CHECK_THROWS_WITH_AS(l.output_shape({4, 9, 6}), "LSTM: expected 5 input channels, got 6", Error);
  l.dropout = 1.0;
  CHECK_THROWS_AS(l.output_shape({4, 9, 5}), Error);
}

TEST_CASE_TEMPLATE("LSTM: two steps computed by hand", T, float, double) {
  // C = 2, H = 1, one sample, x = [[1, 0], [-1, 2]], gate order i f c o.
  // clang-format off
  std::vector<T> p = {
      T(0.5), T(-0.5), T(1.0), T(2.0),   // kernel row 0
      T(0.25), T(0.5), T(-1.0), T(0.0),  // kernel row 1
      T(1.0), T(-1.0), T(0.5), T(0.25),  // recurrent kernel
      T(0), T(1), T(0), T(0)};           // bias (forget = 1)
  // clang-format on
  std::vector<T> grads(p.size());
  auto l = test::make_rnn<LSTM<T>>(2, 1, true);
  l.bind(p.data(), grads.data());
  Tensor<T> x({1, 2, 2});
  const T xv[] = {1, 0, -1, 2};
  std::copy_n(xv, 4, x.data());
  const auto y = test::run(l, x);
  // Step 0: a = [0.5, -0.5 + 1, 1, 2]: i = hs(0.5) = 0.6, f = 0.6, g = tanh(1),
  //   o = hs(2) = 0.9; c0 = 0.6 tanh(1) = 0.45695649; h0 = 0.9 tanh(c0) = 0.38484038.
  CHECK(y[0] == doctest::Approx(0.38484038361153566));
  // Step 1: x W + b = [0, 2.5, -3, -2]; + h0 U = [h0, 2.5 - h0, -3 + h0/2, -2 + h0/4]:
  //   i = 0.5 + 0.2 h0 = 0.57696808, f = 1 - 0.2 h0 = 0.92303192,
  //   g = tanh(-3 + h0/2) = -0.99274198, o = 0.1 + 0.05 h0 = 0.11924202;
  //   c1 = f c0 + i g = -0.15099500; h1 = o tanh(c1) = -0.01786935.
  CHECK(y[1] == doctest::Approx(-0.01786935052023419));
  // Without return_sequences the output is the last state.
  l.return_sequences = false;
  const auto last = test::run(l, x);
  CHECK(last.shape() == Shape{1, 1, 1});
  CHECK(last[0] == y[1]);
}

TEST_CASE("stacked recurrent gradients: LSTM (return_sequences) into GRU and into LSTM") {
  const Shape in{2, 5, 3};
  const Context ctx{.training = true, .seed = 8, .step = 1, .first_sample = 0};
  test::Stacked<LSTM<double>, GRU<double>> lg;
  lg.first = test::make_rnn<LSTM<double>>(3, 4, true, 0.2, 0.2);
  lg.second.inputs = 4;
  lg.second.units = 3;
  lg.second.id = 9;
  test::check_rnn_gradients(lg, in, 400);
  test::check_rnn_gradients(lg, in, 401, ctx);
  lg.second.dropout = 0.3;
  lg.second.recurrent_dropout = 0.3;
  test::check_rnn_gradients(lg, in, 402, ctx);

  test::Stacked<LSTM<double>, LSTM<double>> ll;
  ll.first = test::make_rnn<LSTM<double>>(3, 4, true);
  ll.second = test::make_rnn<LSTM<double>>(4, 2, true, 0, 0, true);
  test::check_rnn_gradients(ll, in, 403);
}

TEST_CASE("LSTM input dropout with shared masks: one mask per sample and feature, the same at every step") {
  const index_t B = 16, L = 7, C = 40, H = 3;
  auto l = test::make_rnn<LSTM<double>>(C, H, true, 0.5, 0.0, false, 7, false);
  auto p = test::bind_random<double>(l, 31);
  const auto x = test::random_tensor<double>({B, L, C}, 32);
  Context ctx{.training = true, .seed = 1, .step = 0, .first_sample = 0};
  Tensor<double> y(l.output_shape(x.shape()));
  l.forward(x, y, ctx);
  const auto g = test::random_tensor<double>(y.shape(), 33);
  Tensor<double> gin(x.shape());
  l.backward(x, y, g, gin, ctx);
  index_t dropped = 0;
  for (index_t b = 0; b < B; ++b)
    for (index_t c = 0; c < C; ++c) {
      const bool zero = gin.at(b, 0, c) == 0.0;
      dropped += zero;
      for (index_t t = 1; t < L; ++t) CHECK((gin.at(b, t, c) == 0.0) == zero);
    }
  CHECK(dropped > B * C / 4);
  CHECK(dropped < 3 * B * C / 4);
}

TEST_CASE("LSTM recurrent dropout with shared masks: one mask per sample and unit, the same at every step") {
  // With one sample, dU = sum_t mask * h_{t-1} dz_t^T: the rows of dropped units are zero.
  const index_t L = 6, C = 3, H = 48;
  auto l = test::make_rnn<LSTM<double>>(C, H, false, 0.0, 0.5, false, 7, false);
  auto p = test::bind_random<double>(l, 41);
  const auto x = test::random_tensor<double>({1, L, C}, 42);
  Context ctx{.training = true, .seed = 2, .step = 3, .first_sample = 0};
  Tensor<double> y(l.output_shape(x.shape())), gin(x.shape());
  l.forward(x, y, ctx);
  l.backward(x, y, test::random_tensor<double>(y.shape(), 43), gin, ctx);
  const double* du = p.grads.data() + C * 4 * H;
  index_t zero_rows = 0;
  for (index_t k = 0; k < H; ++k) {
    bool zero = true;
    for (index_t n = 0; n < 4 * H; ++n) zero = zero && du[k * 4 * H + n] == 0.0;
    zero_rows += zero;
  }
  CHECK(zero_rows > H / 4);
  CHECK(zero_rows < 3 * H / 4);
}

TEST_CASE("LSTM recurrent dropout with per-gate masks: each gate's block of U loses the rows its own mask drops") {
  // With one sample, dU[:, gate g] = sum_t (mask_g * h_{t-1}) dz_t,g^T: row k of
  // gate g's block is zero exactly where mask g drops unit k.
  const index_t L = 6, C = 3, H = 48, G = 4;
  auto l = test::make_rnn<LSTM<double>>(C, H, false, 0.0, 0.5);
  auto p = test::bind_random<double>(l, 41);
  const auto x = test::random_tensor<double>({1, L, C}, 42);
  Context ctx{.training = true, .seed = 2, .step = 3, .first_sample = 0};
  Tensor<double> y(l.output_shape(x.shape())), gin(x.shape());
  l.forward(x, y, ctx);
  l.backward(x, y, test::random_tensor<double>(y.shape(), 43), gin, ctx);
  std::vector<double> masks;
  detail::draw_recurrent_mask(ctx, l.id, 1, 0.5, 1, H, masks, G);
  const double* du = p.grads.data() + C * G * H;
  index_t differ = 0;  // units some gates drop and others keep
  for (index_t k = 0; k < H; ++k) {
    bool all_same = true;
    for (index_t g = 0; g < G; ++g) {
      bool zero = true;
      for (index_t j = 0; j < H; ++j) zero = zero && du[k * G * H + g * H + j] == 0.0;
      CHECK(zero == (at(masks, g * H + k) == 0.0));
      all_same = all_same && (at(masks, g * H + k) == 0.0) == (at(masks, k) == 0.0);
    }
    differ += !all_same;
  }
  CHECK(differ > H / 4);
}
