#include <doctest.h>

#include "gradient_check.hpp"
#include "kernel_sets.hpp"
#include "sster/nn/dropout.hpp"

using namespace sster;

TEST_CASE("Dropout is the identity at inference") {
  Dropout<float> d{.rate = 0.5};
  auto x = sster::test::random_tensor<float>(Shape{2, 5, 3}, 1);
  Tensor<float> y(x.shape());
  Context ctx;  // training = false
  d.forward(x, y, ctx);
  for (index_t i = 0; i < x.size(); ++i) CHECK(y[i] == x[i]);
}

TEST_CASE("Dropout drops about `rate` and scales the rest by 1/(1-rate)") {
  Dropout<double> d{.rate = 0.3, .id = 4};
  Tensor<double> x(Shape{4, 100, 50}, 1.0), y(x.shape());
  Context ctx{.training = true, .seed = 7, .step = 3};
  d.forward(x, y, ctx);
  index_t dropped = 0;
  for (index_t i = 0; i < y.size(); ++i) {
    if (y[i] == 0) ++dropped;
    else CHECK(y[i] == doctest::Approx(1 / 0.7));
  }
  CHECK(static_cast<double>(dropped) / static_cast<double>(y.size()) == doctest::Approx(0.3).epsilon(0.05));
}

TEST_CASE("Dropout masks: neighbouring values, samples and steps drop independently") {
  // The mask's stream is a 32-bit hash of the value's number keyed by
  // (seed, layer, step, sample): a weak hash would show as correlation
  // between neighbours. With rate 0.5, both of a pair drop a quarter of the
  // time; over 64 x 4,096 pairs a standard deviation is ~0.001.
  Dropout<float> d{.rate = 0.5, .id = 1};
  const index_t B = 64, n = 4096;
  Tensor<float> x(Shape{B, n, 1}, 1.f), y(x.shape()), next_step(x.shape());
  Context ctx{.training = true, .seed = 21, .step = 5};
  d.forward(x, y, ctx);
  ctx.step = 6;
  d.forward(x, next_step, ctx);
  index_t dropped = 0, along = 0, across = 0, steps = 0;
  for (index_t b = 0; b < B; ++b)
    for (index_t e = 0; e < n; ++e) {
      const bool here = y.sample(b)[e] == 0;
      dropped += here;
      along += here && y.sample(b)[(e + 1) % n] == 0;
      across += here && y.sample((b + 1) % B)[e] == 0;
      steps += here && next_step.sample(b)[e] == 0;
    }
  const auto share = [&](index_t count) { return static_cast<double>(count) / static_cast<double>(B * n); };
  CHECK(share(dropped) == doctest::Approx(0.5).epsilon(0.01));
  CHECK(share(along) == doctest::Approx(0.25).epsilon(0.02));
  CHECK(share(across) == doctest::Approx(0.25).epsilon(0.02));
  CHECK(share(steps) == doctest::Approx(0.25).epsilon(0.02));
}

TEST_CASE("Dropout masks depend on (seed, step, sample), not on how the batch is split") {
  Dropout<double> d{.rate = 0.5, .id = 1};
  auto x = sster::test::random_tensor<double>(Shape{4, 6, 3}, 2);
  Tensor<double> whole(x.shape());
  Context ctx{.training = true, .seed = 1, .step = 9};
  d.forward(x, whole, ctx);
  // Second half on its own, told that it starts at sample 2.
  Tensor<double> half(Shape{2, 6, 3}), y(Shape{2, 6, 3});
  std::copy_n(x.sample(2), half.size(), half.data());
  Context ctx2 = ctx;
  ctx2.first_sample = 2;
  d.forward(half, y, ctx2);
  for (index_t i = 0; i < y.size(); ++i) CHECK(y[i] == whole.sample(2)[i]);
  // A new step draws a new mask.
  Tensor<double> next(x.shape());
  ctx.step = 10;
  d.forward(x, next, ctx);
  index_t differ = 0;
  for (index_t i = 0; i < x.size(); ++i) differ += (next[i] == 0) != (whole[i] == 0);
  CHECK(differ > 0);
}

TEST_CASE("Dropout gradients with a fixed mask") {
  Dropout<double> d{.rate = 0.4, .id = 2};
  sster::test::check_layer_gradients(d, Shape{3, 7, 4}, 11, 1e-6, Context{.training = true, .seed = 3, .step = 1});
}

TEST_CASE("Dropout: a sample's key gives the same mask as asking element by element") {
  Dropout<float> d{.rate = 0.3, .id = 5};
  const Context ctx{.training = true, .seed = 11, .step = 4, .first_sample = 64};
  for (index_t b = 0; b < 3; ++b) {
    const RandomKey key = d.sample_key(ctx, b);
    for (index_t e = 0; e < 200; ++e) CHECK(d.keep(key, e) == d.keep(ctx, b, e));
  }
}

TEST_CASE("Dropout: every kernel set applies the mask keep() gives, element by element, forward and backward") {
  // rates whose float times 2^24 is a whole number (the threshold itself) and ones that are not
  for (const double rate : {0.1, 0.2, 0.25, 0.5, 1.0 / 3, 0.9, 1.0 - 0x1.0p-24}) {
    CAPTURE(rate);
    Dropout<float> d{.rate = rate, .id = 7};
    Context ctx{.training = true, .seed = 5, .step = 3, .first_sample = 32};
    // 37 x 29 = 1073 values a sample: whole vectors of every set's width (4, 8, 16) and a tail
    auto x = sster::test::random_tensor<float>({4, 37, 29}, 2), g = sster::test::random_tensor<float>({4, 37, 29}, 3);
    test::for_each_kernel_set([&] {
      Tensor<float> y(x.shape()), g_in(x.shape());
      d.forward(x, y, ctx);
      d.backward(x, y, g, g_in, ctx);
      for (index_t b = 0; b < 4; ++b)
        for (index_t e = 0; e < 37 * 29; ++e) {
          const bool keep = d.keep(ctx, b, e);
          REQUIRE(y.sample(b)[e] == (keep ? x.sample(b)[e] * d.scale() : 0.f));
          REQUIRE(g_in.sample(b)[e] == (keep ? g.sample(b)[e] * d.scale() : 0.f));
        }
    });
  }
}

