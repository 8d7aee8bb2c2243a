#include "sster/nn/bidirectional.hpp"

#include <doctest.h>

#include <algorithm>
#include <vector>

#include "gradient_check.hpp"
#include "rnn_tools.hpp"

using namespace sster;

namespace {
// x with its positions reversed.
template <class T>
Tensor<T> reversed(const Tensor<T>& x) {
  Tensor<T> r(x.shape());
  const Shape s = x.shape();
  for (index_t b = 0; b < s.B; ++b)
    for (index_t t = 0; t < s.L; ++t) std::copy_n(&x.at(b, t, 0), s.C, &r.at(b, s.L - 1 - t, 0));
  return r;
}
}  // namespace

TEST_CASE("Bidirectional parameters: the forward copy's, then the backward copy's") {
  Bidirectional<LSTM<float>> bi(test::make_rnn<LSTM<float>>(5, 3, true));
  CHECK(!bi.forward_layer.reverse);
  CHECK(bi.backward_layer.reverse);
  const auto specs = bi.param_specs();
  REQUIRE(specs.size() == 12);
  CHECK(specs[0].name == "forward_kernel");
  CHECK(specs[3].name == "forward_bias_f");
  CHECK(specs[3].init == Init::ones);
  CHECK(specs[6].name == "backward_kernel");
  CHECK(specs[6].shape == std::vector<index_t>{5, 12});
  CHECK(specs[6].max_norm);
  CHECK(specs[7].name == "backward_recurrent_kernel");
  CHECK(specs[7].init == Init::orthogonal);
  CHECK(bi.output_shape({2, 8, 5}) == Shape{2, 8, 6});
  bi.set_id(42);
  CHECK(bi.forward_layer.id == 42);
  CHECK(bi.backward_layer.id == 42);
  Bidirectional<GRU<float>> bg(test::make_rnn<GRU<float>>(5, 3, false));
  CHECK(bg.param_specs().size() == 6);
  CHECK(bg.output_shape({2, 8, 5}) == Shape{2, 1, 6});
}

TEST_CASE_TEMPLATE("Bidirectional = [forward RNN, RNN over the reversed input, re-reversed]", Rnn, LSTM<double>,
                   GRU<double>, LSTM<float>, GRU<float>) {
  using T = typename Rnn::value_type;
  const index_t B = 3, L = 7, C = 4, H = 5;
  for (bool seq : {false, true}) {
    CAPTURE(seq);
    Bidirectional<Rnn> bi(test::make_rnn<Rnn>(C, H, seq));
    auto p = test::bind_random<T>(bi, 90);
    const auto x = test::random_tensor<T>({B, L, C}, 91);
    const auto y = test::run(bi, x);
    // The same two weight sets in plain (non-reversed) layers.
    Rnn fwd = test::make_rnn<Rnn>(C, H, seq), bwd = test::make_rnn<Rnn>(C, H, seq);
    index_t n = 0;
    for (const auto& s : fwd.param_specs()) n += s.size();
    fwd.bind(p.values.data(), p.grads.data());
    bwd.bind(p.values.data() + n, p.grads.data() + n);
    const auto yf = test::run(fwd, x);
    const auto yb = test::run(bwd, reversed(x));  // states in processing order, as Keras' go_backwards
    const index_t Lo = seq ? L : 1;
    REQUIRE(y.shape() == Shape{B, Lo, 2 * H});
    for (index_t b = 0; b < B; ++b)
      for (index_t t = 0; t < Lo; ++t) {
        CHECK(test::same_bits(&y.at(b, t, 0), &yf.at(b, t, 0), H));
        // With return_sequences Keras re-reverses the backward output; without, it takes its last state.
        const index_t tb = seq ? L - 1 - t : 0;
        CHECK(test::same_bits(&y.at(b, t, H), &yb.at(b, tb, 0), H));
      }
  }
}

TEST_CASE("Bidirectional gradients: LSTM and GRU, with and without dropout, stacked") {
  const Shape in{2, 4, 3};
  const Context drop{.training = true, .seed = 4, .step = 1, .first_sample = 2};
  for (bool seq : {false, true}) {
    CAPTURE(seq);
    Bidirectional<LSTM<double>> bl(test::make_rnn<LSTM<double>>(3, 3, seq));
    test::check_rnn_gradients(bl, in, 1000);
    Bidirectional<GRU<double>> bg(test::make_rnn<GRU<double>>(3, 3, seq));
    test::check_rnn_gradients(bg, in, 1001);
    Bidirectional<LSTM<double>> bld(test::make_rnn<LSTM<double>>(3, 3, seq, 0.3, 0.3));
    test::check_rnn_gradients(bld, in, 1002, drop);
    Bidirectional<GRU<double>> bgd(test::make_rnn<GRU<double>>(3, 3, seq, 0.3, 0.3));
    test::check_rnn_gradients(bgd, in, 1003, drop);
    Bidirectional<LSTM<double>> bls(test::make_rnn<LSTM<double>>(3, 3, seq, 0.3, 0.3, false, 7, false));
    test::check_rnn_gradients(bls, in, 1006, drop);
    Bidirectional<GRU<double>> bgs(test::make_rnn<GRU<double>>(3, 3, seq, 0.3, 0.3, false, 7, false));
    test::check_rnn_gradients(bgs, in, 1007, drop);
  }
  // pysster's stack: every RNN layer but the last returns sequences.
  test::Stacked<Bidirectional<LSTM<double>>, Bidirectional<LSTM<double>>> stack;
  stack.first = Bidirectional<LSTM<double>>(test::make_rnn<LSTM<double>>(3, 2, true, 0.2, 0.1));
  auto second = test::make_rnn<LSTM<double>>(4, 2, false, 0.2, 0.1);
  second.id = 14;
  stack.second = Bidirectional<LSTM<double>>(second);
  test::check_rnn_gradients(stack, {2, 5, 3}, 1004);
  test::check_rnn_gradients(stack, {2, 5, 3}, 1005, drop);
}

TEST_CASE("Bidirectional: the two directions draw different dropout masks") {
  // L = 1 and equal weights: both directions compute the same function of the
  // single position, so only their masks can make the halves differ.
  const index_t C = 16, H = 4;
  Bidirectional<GRU<double>> bi(test::make_rnn<GRU<double>>(C, H, false, 0.5, 0.0));
  auto p = test::bind_random<double>(bi, 95);
  const auto half = p.values.size() / 2;
  std::copy_n(p.values.begin(), half, p.values.begin() + static_cast<std::ptrdiff_t>(half));
  const auto x = test::random_tensor<double>({2, 1, C}, 96);
  const auto plain = test::run(bi, x);
  CHECK(test::same_bits(&plain.at(0, 0, 0), &plain.at(0, 0, H), H));
  const auto dropped = test::run(bi, x, Context{.training = true, .seed = 5, .step = 0, .first_sample = 0});
  CHECK(!test::same_bits(&dropped.at(0, 0, 0), &dropped.at(0, 0, H), H));
}

TEST_CASE_TEMPLATE("Bidirectional is independent of the batch split", T, float, double) {
  const index_t B = 4, L = 6, C = 3, H = 4;
  Bidirectional<LSTM<T>> bi(test::make_rnn<LSTM<T>>(C, H, true, 0.3, 0.3));
  auto p = test::bind_random<T>(bi, 97);
  const auto x = test::random_tensor<T>({B, L, C}, 98);
  test::check_batch_split(bi, x, Context{.training = true, .seed = 8, .step = 2, .first_sample = 0}, 2);
}
