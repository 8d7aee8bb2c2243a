// What every recurrent cell (LSTM, GRU) must satisfy: Keras' equations,
// gradients, dropout masks fixed by the context, determinism.
#include <doctest.h>

#include <vector>

#include "gradient_check.hpp"
#include "rnn_tools.hpp"
#include "sster/nn/gru.hpp"
#include "sster/nn/lstm.hpp"

using namespace sster;

namespace {
// Keras 2.2's equations for the cell, written out (rnn_tools.hpp).
std::vector<double> keras_reference(const LSTM<double>&, const std::vector<double>& p, index_t C, index_t H,
                                    const std::vector<double>& x, index_t L, bool go_backwards) {
  return test::keras_lstm(p, C, H, x, L, go_backwards);
}
std::vector<double> keras_reference(const GRU<double>&, const std::vector<double>& p, index_t C, index_t H,
                                    const std::vector<double>& x, index_t L, bool go_backwards) {
  return test::keras_gru(p, C, H, x, L, go_backwards);
}
}  // namespace

TEST_CASE_TEMPLATE("recurrent cell equals Keras' equations written out, forwards and go_backwards", Rnn,
                   LSTM<double>, GRU<double>) {
  // H = 19: whole SIMD vectors and a scalar tail in the cell updates.
  const index_t B = 3, L = 6, C = 4, H = 19;
  for (bool reverse : {false, true}) {
    CAPTURE(reverse);
    auto l = test::make_rnn<Rnn>(C, H, true, 0, 0, reverse);
    auto p = test::bind_random<double>(l, 21);
    const auto x = test::random_tensor<double>({B, L, C}, 22);
    const auto y = test::run(l, x);
    for (index_t b = 0; b < B; ++b) {
      const std::vector<double> xb(x.sample(b), x.sample(b) + L * C);
      const auto ref = keras_reference(l, p.values, C, H, xb, L, reverse);
      for (index_t s = 0; s < L; ++s) {
        const index_t t = reverse ? L - 1 - s : s;  // Keras' go_backwards output, re-reversed
        for (index_t j = 0; j < H; ++j)
          CHECK(y.at(b, t, j) == doctest::Approx(at(ref, s * H + j)).epsilon(1e-12));
      }
    }
  }
}

TEST_CASE_TEMPLATE("recurrent cell gradients (double, central differences)", Rnn, LSTM<double>, GRU<double>) {
  const Shape in{2, 4, 3};
  for (bool seq : {false, true})
    for (bool reverse : {false, true}) {
      CAPTURE(seq);
      CAPTURE(reverse);
      auto l = test::make_rnn<Rnn>(3, 3, seq, 0, 0, reverse);
      test::check_rnn_gradients(l, in, 100);
    }
  // More units than a SIMD vector holds: the vector lanes of the cell kernels.
  auto wide = test::make_rnn<Rnn>(2, 17, true);
  test::check_rnn_gradients(wide, {2, 3, 2}, 1009);
}

TEST_CASE_TEMPLATE("recurrent cell gradients with input and recurrent dropout (fixed masks)", Rnn, LSTM<double>,
                   GRU<double>) {
  const Shape in{3, 5, 4};
  const Context ctx{.training = true, .seed = 5, .step = 2, .first_sample = 1};
  for (bool seq : {false, true})
    for (bool reverse : {false, true}) {
      CAPTURE(seq);
      CAPTURE(reverse);
      auto l = test::make_rnn<Rnn>(4, 3, seq, 0.3, 0.4, reverse);
      test::check_rnn_gradients(l, in, 200, ctx);
    }
}

TEST_CASE_TEMPLATE("recurrent cell is deterministic and independent of the batch split", Rnn, LSTM<float>,
                   LSTM<double>, GRU<float>, GRU<double>) {
  using T = typename Rnn::value_type;
  const index_t B = 4, L = 9, C = 6, H = 5;
  for (bool seq : {false, true}) {
    CAPTURE(seq);
    auto l = test::make_rnn<Rnn>(C, H, seq, 0.3, 0.3);
    auto p = test::bind_random<T>(l, 51, -0.6, 0.6);
    const auto x = test::random_tensor<T>({B, L, C}, 52);
    const Context ctx{.training = true, .seed = 3, .step = 4, .first_sample = 0};
    const auto all = test::check_batch_split(l, x, ctx, 2);
    const auto again = test::run(l, x, ctx);
    CHECK(test::same_bits(all.data(), again.data(), all.size()));
    // Dropout is on in training and off at inference (identity, not rescaled).
    const auto inference = test::run(l, x);
    auto plain = test::make_rnn<Rnn>(C, H, seq);
    plain.bind(p.values.data(), p.grads.data());
    const auto reference = test::run(plain, x);
    CHECK(!test::same_bits(all.data(), inference.data(), all.size()));
    CHECK(test::same_bits(inference.data(), reference.data(), all.size()));
  }
}
