// What every recurrent cell (LSTM, GRU) must satisfy: Keras' equations,
// gradients, dropout masks fixed by the context, determinism.
#include <doctest.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "gradient_check.hpp"
#include "rnn_tools.hpp"
#include "sster/nn/gru.hpp"
#include "sster/nn/lstm.hpp"

using namespace sster;

namespace {
// Keras 2.2's equations for the cell, written out (rnn_tools.hpp).
std::vector<double> keras_reference(const LSTM<double>&, const std::vector<double>& p, index_t C, index_t H,
                                    const std::vector<double>& x, index_t L, bool go_backwards,
                                    const test::GateMasks& m = {}) {
  return test::keras_lstm(p, C, H, x, L, go_backwards, m);
}
std::vector<double> keras_reference(const GRU<double>&, const std::vector<double>& p, index_t C, index_t H,
                                    const std::vector<double>& x, index_t L, bool go_backwards,
                                    const test::GateMasks& m = {}) {
  return test::keras_gru(p, C, H, x, L, go_backwards, m);
}

// The masks layer `l` draws for sample b of a training batch, one per gate:
// drawn per gate, or one drawn and repeated for every gate.
template <class Rnn>
test::GateMasks drawn_masks(const Rnn& l, const Context& ctx, index_t b) {
  Context one = ctx;
  one.first_sample += b;
  const index_t drawn = l.per_gate_masks ? Rnn::gates : 1, repeat = Rnn::gates / drawn;
  const std::uint64_t stream = l.reverse ? 2 : 0;
  test::GateMasks m;
  std::vector<double> in, rec;
  detail::draw_recurrent_mask(one, l.id, stream, l.dropout, 1, l.inputs, in, drawn);
  detail::draw_recurrent_mask(one, l.id, stream + 1, l.recurrent_dropout, 1, l.units, rec, drawn);
  for (index_t r = 0; r < repeat; ++r) {
    m.input.insert(m.input.end(), in.begin(), in.end());
    m.recurrent.insert(m.recurrent.end(), rec.begin(), rec.end());
  }
  return m;
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

TEST_CASE_TEMPLATE("recurrent cell with dropout equals Keras' implementation=1 with the masks it drew, per gate or shared",
                   Rnn, LSTM<double>, GRU<double>) {
  const index_t B = 3, L = 5, C = 6, H = 19;
  const Context ctx{.training = true, .seed = 9, .step = 3, .first_sample = 4};
  for (bool per_gate : {true, false})
    for (bool reverse : {false, true}) {
      CAPTURE(per_gate);
      CAPTURE(reverse);
      auto l = test::make_rnn<Rnn>(C, H, true, 0.4, 0.5, reverse, 7, per_gate);
      auto p = test::bind_random<double>(l, 23);
      const auto x = test::random_tensor<double>({B, L, C}, 24);
      const auto y = test::run(l, x, ctx);
      for (index_t b = 0; b < B; ++b) {
        const auto masks = drawn_masks(l, ctx, b);
        if (per_gate) {  // the gates' masks differ: each drops other inputs
          CHECK(!std::equal(masks.input.begin(), masks.input.begin() + C, masks.input.begin() + C));
          CHECK(!std::equal(masks.recurrent.begin(), masks.recurrent.begin() + H, masks.recurrent.begin() + H));
        }
        const std::vector<double> xb(x.sample(b), x.sample(b) + L * C);
        const auto ref = keras_reference(l, p.values, C, H, xb, L, reverse, masks);
        for (index_t s = 0; s < L; ++s)
          for (index_t j = 0; j < H; ++j)
            CHECK(y.at(b, reverse ? L - 1 - s : s, j) == doctest::Approx(at(ref, s * H + j)).epsilon(1e-12));
      }
    }
}

TEST_CASE_TEMPLATE("recurrent cell gradients with input and recurrent dropout (fixed masks), per gate and shared", Rnn,
                   LSTM<double>, GRU<double>) {
  const Shape in{3, 5, 4};
  const Context ctx{.training = true, .seed = 5, .step = 2, .first_sample = 1};
  for (bool per_gate : {true, false})
    for (bool seq : {false, true})
      for (bool reverse : {false, true}) {
        CAPTURE(per_gate);
        CAPTURE(seq);
        CAPTURE(reverse);
        auto l = test::make_rnn<Rnn>(4, 3, seq, 0.3, 0.4, reverse, 7, per_gate);
        test::check_rnn_gradients(l, in, 200, ctx);
        auto input_only = test::make_rnn<Rnn>(4, 3, seq, 0.3, 0.0, reverse, 7, per_gate);
        test::check_rnn_gradients(input_only, in, 201, ctx);
        auto recurrent_only = test::make_rnn<Rnn>(4, 3, seq, 0.0, 0.4, reverse, 7, per_gate);
        test::check_rnn_gradients(recurrent_only, in, 202, ctx);
      }
  // More units than a SIMD vector holds, per-gate masks.
  auto wide = test::make_rnn<Rnn>(3, 17, true, 0.3, 0.3);
  test::check_rnn_gradients(wide, {2, 3, 3}, 203, ctx);
}

TEST_CASE_TEMPLATE("recurrent cell is deterministic and independent of the batch split", Rnn, LSTM<float>,
                   LSTM<double>, GRU<float>, GRU<double>) {
  using T = typename Rnn::value_type;
  const index_t B = 4, L = 9, C = 6, H = 5;
  for (auto [seq, per_gate] : {std::pair{false, true}, {true, true}, {false, false}, {true, false}}) {
    CAPTURE(seq);
    CAPTURE(per_gate);
    auto l = test::make_rnn<Rnn>(C, H, seq, 0.3, 0.3, false, 7, per_gate);
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
