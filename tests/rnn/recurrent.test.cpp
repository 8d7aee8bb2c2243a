#include "sster/nn/kernels/recurrent.hpp"

#include <doctest.h>

#include <vector>

#include "gradient_check.hpp"
#include "rnn_tools.hpp"
#include "sster/nn/recurrent.hpp"

using namespace sster;

TEST_CASE_TEMPLATE("gemm_rows_acc matches its reference on awkward sizes", T, float, double) {
  // Odd sizes, column counts off the SIMD width, row strides wider than the rows.
  const kernels::RowGemmShape shapes[] = {{7, 5, 13, 9, 17, 15}, {1, 1, 1, 1, 1, 1}, {4, 32, 128, 32, 128, 128},
                                          {9, 3, 31, 3, 40, 33}, {5, 0, 6, 1, 6, 6}, {13, 7, 50, 7, 50, 50}};
  for (const auto& s : shapes) {
    CAPTURE(s.M);
    CAPTURE(s.N);
    std::vector<T> x(to_size(s.M * s.ldx + 1)),
        w(to_size(std::max<index_t>(s.K, 1) * s.ldw));
    std::vector<T> y(to_size(s.M * s.ldy));
    test::fill_uniform(x.data(), static_cast<index_t>(x.size()), 1);
    test::fill_uniform(w.data(), static_cast<index_t>(w.size()), 2);
    test::fill_uniform(y.data(), static_cast<index_t>(y.size()), 3);
    auto y_ref = y;
    kernels::gemm_rows_acc(x.data(), w.data(), y.data(), s);
    kernels::gemm_rows_acc_ref(x.data(), w.data(), y_ref.data(), s);
    for (std::size_t i = 0; i < y.size(); ++i) CHECK(y[i] == doctest::Approx(y_ref[i]).epsilon(1e-5));
  }
}

TEST_CASE_TEMPLATE("gemm_rows_acc: a row's result does not depend on the other rows", T, float, double) {
  // Blocks of 6 rows, a last block of 1-5 rows and single rows must round
  // identically, so a sample's output does not change with the batch split.
  const index_t K = 19, N = 37;
  for (index_t M = 1; M <= 13; ++M) {
    CAPTURE(M);
    std::vector<T> x(to_size(M * K)), w(to_size(K * N)),
        y(to_size(M * N));
    test::fill_uniform(x.data(), M * K, 4);
    test::fill_uniform(w.data(), K * N, 5);
    test::fill_uniform(y.data(), M * N, 6);
    auto one_by_one = y;
    kernels::gemm_rows_acc(x.data(), w.data(), y.data(), {M, K, N, K, N, N});
    for (index_t m = 0; m < M; ++m)
      kernels::gemm_rows_acc(x.data() + m * K, w.data(), one_by_one.data() + m * N, {1, K, N, K, N, N});
    CHECK(test::same_bits(y.data(), one_by_one.data(), M * N));
  }
}

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
