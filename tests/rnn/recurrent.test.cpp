#include "sster/nn/kernels/recurrent.hpp"

#include <doctest.h>

#include <vector>

#include "gradient_check.hpp"
#include "rnn_tools.hpp"
#include "sster/nn/recurrent.hpp"

using namespace sster;

TEST_CASE("hard_sigmoid is Keras' clip(0.2 x + 0.5, 0, 1)") {
  using kernels::hard_sigmoid, kernels::hard_sigmoid_grad;
  CHECK(hard_sigmoid(0.0) == 0.5);
  CHECK(hard_sigmoid(1.0) == doctest::Approx(0.7));
  CHECK(hard_sigmoid(-2.0) == doctest::Approx(0.1));
  CHECK(hard_sigmoid(2.5) == 1.0);
  CHECK(hard_sigmoid(-3.0) == 0.0);
  CHECK(hard_sigmoid_grad(0.7) == doctest::Approx(0.2));
  CHECK(hard_sigmoid_grad(1.0) == 0.0);
  CHECK(hard_sigmoid_grad(0.0) == 0.0);
  // The batch version lane by lane equals the scalar one.
  using V = simd::batch<float>;
  constexpr std::size_t w = simd::width<float>;
  std::vector<float> x(w), y(w), dy(w);
  for (std::size_t i = 0; i < w; ++i) x[i] = -3.0f + 6.0f * static_cast<float>(i) / static_cast<float>(w);
  hard_sigmoid(V::load_unaligned(x.data())).store_unaligned(y.data());
  hard_sigmoid_grad(V::load_unaligned(y.data())).store_unaligned(dy.data());
  for (std::size_t i = 0; i < w; ++i) {
    CHECK(y[i] == doctest::Approx(hard_sigmoid(x[i]))
                      .epsilon(1e-6));  // the compiler may fuse 0.2 x + 0.5 in one and not the other
    CHECK(dy[i] == hard_sigmoid_grad(y[i]));
  }
}

TEST_CASE("recurrent dropout masks: keyed per sample, rate respected, streams distinct") {
  Context ctx{.training = true, .seed = 11, .step = 5, .first_sample = 0};
  std::vector<float> in, rec, rev, later;
  const index_t B = 64, n = 100;
  detail::draw_recurrent_mask(ctx, 3, 0, 0.25, B, n, in);
  detail::draw_recurrent_mask(ctx, 3, 1, 0.25, B, n, rec);
  detail::draw_recurrent_mask(ctx, 3, 2, 0.25, B, n, rev);
  CHECK(in != rec);
  CHECK(in != rev);
  index_t dropped = 0;
  for (float m : in) {
    CHECK((m == 0.0f || m == doctest::Approx(1 / 0.75)));
    dropped += m == 0.0f;
  }
  CHECK(static_cast<double>(dropped) / static_cast<double>(B * n) == doctest::Approx(0.25).epsilon(0.1));
  // Sample 10 drawn in a chunk starting at 10 gets the mask it got as row 10.
  ctx.first_sample = 10;
  detail::draw_recurrent_mask(ctx, 3, 0, 0.25, 1, n, later);
  CHECK(std::equal(later.begin(), later.end(), in.begin() + 10 * n));
  // The next step draws a new mask.
  ctx.first_sample = 0;
  ctx.step = 6;
  detail::draw_recurrent_mask(ctx, 3, 0, 0.25, B, n, later);
  CHECK(later != in);
}
