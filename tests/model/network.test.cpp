#include <doctest.h>

#include <cmath>
#include <vector>

#include "gradient_check.hpp"
#include "sster/model/architecture.hpp"
#include "sster/nn/loss.hpp"

using namespace sster;

namespace {

std::vector<std::uint8_t> random_symbols(index_t n, index_t alphabet, std::uint64_t seed) {
  std::vector<std::uint8_t> s(to_size(n));
  RandomStream r(RandomKey(seed, Purpose::simulate));
  for (auto& x : s) x = static_cast<std::uint8_t>(r.below(static_cast<std::uint64_t>(alphabet)));
  return s;
}

Params two_conv_params() {
  return Params{}.conv_num(2).kernel_num({3, 4}).kernel_len({4, 3}).neuron_num(5).dropout_input(0.2).dropout_conv(0.3).dropout_dense(0.4);
}

}  // namespace

TEST_CASE("default architecture: pysster's layers, shapes and parameter count") {
  // length 200, RNA: conv 25x4x30 -> 176, pool -> 88, conv 25x30x30 -> 64,
  // pool -> 32, flatten 960, dense 100, dense 2
  auto net = build_network<float>(Params{}, InputSpec{.length = 200, .symbols = 4}, 2);
  std::vector<std::string> names;
  for (std::size_t i = 0; i < net.size(); ++i) names.push_back(net.name(i));
  CHECK(names == std::vector<std::string>{"dropout_1", "conv1d_1", "max_pooling1d_1", "dropout_2", "conv1d_2",
                                          "max_pooling1d_2", "dropout_3", "flatten_1", "dense_1", "dropout_4",
                                          "dense_2"});
  CHECK(net.output_shape(1) == Shape{1, 176, 30});
  CHECK(net.output_shape(5) == Shape{1, 32, 30});
  CHECK(net.output_shape(7) == Shape{1, 1, 960});
  CHECK(net.parameter_count() == (25 * 4 * 30 + 30) + (25 * 30 * 30 + 30) + (960 * 100 + 100) + (100 * 2 + 2));
  CHECK(net.reads_symbols());
}

TEST_CASE("a conv/pool stack that shrinks the sequence to nothing is an error naming the layer") {
  CHECK_THROWS_WITH_AS(build_network<float>(Params{}, InputSpec{.length = 20, .symbols = 4}, 2),
                       doctest::Contains("conv1d_1: kernel_len 25 exceeds its input length 20"), sster::Error);
  CHECK_THROWS_WITH_AS(build_network<float>(Params{}.conv_num(3), InputSpec{.length = 100, .symbols = 4}, 2),
                       doctest::Contains("conv1d_3"), sster::Error);
}

TEST_CASE("symbol path and one-hot float path compute the same function, dropout included") {
  const index_t B = 5, L = 23;
  auto net = build_network<double>(two_conv_params(), InputSpec{.length = L, .symbols = 4}, 3);
  REQUIRE(net.reads_symbols());
  std::vector<double> params(to_size(net.parameter_count())), grads(params.size());
  sster::test::fill_uniform(params.data(), net.parameter_count(), 1, -0.3, 0.3);
  net.bind(params.data(), grads.data());
  auto sym = random_symbols(B * L, 4, 2);
  sym[7] = no_symbol;
  Tensor<double> onehot(Shape{B, L, 4}, 0.0);
  for (index_t i = 0; i < B * L; ++i)
    if (at(sym, i) != no_symbol) onehot[i * 4 + at(sym, i)] = 1;
  for (bool training : {false, true}) {
    Context ctx{.training = training, .seed = 3, .step = 2};
    const Tensor<double> a = net.forward(InputBatch<double>{.B = B, .symbols = sym.data()}, ctx);
    const Tensor<double>& b = net.forward_dense(onehot, ctx);
    REQUIRE(a.size() == b.size());
    for (index_t i = 0; i < a.size(); ++i) CHECK(a[i] == doctest::Approx(b[i]).epsilon(1e-12));
    // The same up to every Keras layer, those inside the fused first layer included.
    for (std::size_t last = 0; last < net.size(); ++last) {
      CAPTURE(net.name(last));
      const Tensor<double> part = net.forward(InputBatch<double>{.B = B, .symbols = sym.data()}, ctx, last);
      const Tensor<double>& dense = net.forward_dense(onehot, ctx, last);
      REQUIRE(part.shape() == Shape{B, net.output_shape(last).L, net.output_shape(last).C});
      REQUIRE(dense.shape() == part.shape());
      for (index_t i = 0; i < part.size(); ++i) REQUIRE(part[i] == doctest::Approx(dense[i]).epsilon(1e-12));
    }
  }
}

TEST_CASE("the architecture runs each conv block as one layer and reads symbols only from plain sequences") {
  auto kinds = [](const Network<float>& net) {
    std::vector<std::size_t> k;
    for (const auto& l : net.layers()) k.push_back(l.index());
    return k;
  };
  using Any = AnyLayer<float>;
  const auto symbol_block = Any(SymbolConvPool1D<float>{}).index(), block = Any(ConvPool1D<float>{}).index(),
             dropout = Any(Dropout<float>{}).index(), flatten = Any(Flatten<float>{}).index(),
             dense = Any(Dense<float>{}).index();
  // Plain sequences: the first block takes the input dropout and the symbols.
  auto plain = build_network<float>(Params{}, InputSpec{.length = 200, .symbols = 4}, 2);
  CHECK(kinds(plain) == std::vector<std::size_t>{symbol_block, dropout, block, dropout, flatten, dense, dropout, dense});
  CHECK(plain.size() == 11);  // the Keras layers
  CHECK(plain.reads_symbols());
  REQUIRE(plain.first_conv() != nullptr);
  CHECK(plain.first_conv()->kernels == 30);
  CHECK(plain.first_conv()->width == 25);
  // Position-wise values (or profiles): floats, the input dropout a layer of its own.
  auto floats = build_network<float>(Params{}, InputSpec{.length = 200, .symbols = 4, .dense_channels = 1}, 2);
  CHECK(kinds(floats) == std::vector<std::size_t>{dropout, block, dropout, block, dropout, flatten, dense, dropout, dense});
  CHECK(floats.size() == 11);
  CHECK(!floats.reads_symbols());
  CHECK(floats.first_conv()->in_channels == 5);
  // No convolution: no symbol layer, no first convolution.
  auto no_conv = build_network<float>(Params{}.conv_num(0), InputSpec{.length = 20, .symbols = 4}, 2);
  CHECK(!no_conv.reads_symbols());
  CHECK(no_conv.first_conv() == nullptr);
  InputBatch<float> none{.B = 1};
  Context ctx;
  CHECK_THROWS_WITH_AS(no_conv.first_conv_activations(none, ctx), doctest::Contains("no convolution"), sster::Error);
}

TEST_CASE("whole-network gradient check with the loss (double, dropout masks fixed)") {
  const index_t B = 4, L = 21, S = 4, K = 3;
  for (index_t dense : {index_t{0}, index_t{2}}) {  // symbol path, float path with profile channels
    CAPTURE(dense);
    for (auto loss_kind : {LossKind::softmax_cross_entropy, LossKind::sigmoid_cross_entropy}) {
      const InputSpec spec{.length = L, .symbols = S, .dense_channels = dense, .extra = 2};
      auto net = build_network<double>(two_conv_params(), spec, K);
      CHECK(net.reads_symbols() == (dense == 0));
      std::vector<double> params(to_size(net.parameter_count())),
          grads(params.size(), std::nan(""));
      sster::test::fill_uniform(params.data(), net.parameter_count(), 5, -0.4, 0.4);
      net.bind(params.data(), grads.data());
      auto sym = random_symbols(B * L, S, 6);
      auto dense_values = sster::test::random_tensor<double>(Shape{B, L, std::max<index_t>(dense, 1)}, 7, 0, 1);
      auto extra = sster::test::random_tensor<double>(Shape{B, 1, 2}, 8);
      std::vector<double> targets(to_size(B * K), 0.0), weights = {1, 2, 0.5, 1.5};
      for (index_t b = 0; b < B; ++b) at(targets, b * K + b % K) = 1;
      const InputBatch<double> in{.B = B, .symbols = sym.data(), .dense = dense ? dense_values.data() : nullptr,
                                  .extra = extra.data()};
      Context ctx{.training = true, .seed = 11, .step = 4};
      std::vector<double> probs(targets.size());
      Tensor<double> g(Shape{B, 1, K});
      auto loss = [&] {
        const auto& logits = net.forward(in, ctx);
        return loss_forward_backward(loss_kind, B, K, logits.data(), targets.data(), weights.data(), probs.data(),
                                     static_cast<double*>(nullptr), B) / B;
      };
      const auto& logits = net.forward(in, ctx);
      loss_forward_backward(loss_kind, B, K, logits.data(), targets.data(), weights.data(), probs.data(), g.data(), B);
      net.backward(g, ctx);
      for (double x : grads) REQUIRE(std::isfinite(x));
      const std::vector<double> analytic = grads;
      CHECK(sster::test::max_gradient_error(params.data(), net.parameter_count(), analytic, loss) < 1e-6);
    }
  }
}
