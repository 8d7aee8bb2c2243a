#include <doctest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "gradient_check.hpp"
#include "kernel_sets.hpp"
#include "sster/core/cpu.hpp"
#include "sster/nn/conv1d.hpp"
#include "sster/nn/kernels/gather_conv1d.hpp"
#include "sster/nn/kernels/vector_kernels.hpp"

using namespace sster;
using sster::test::check_layer_gradients;
using sster::test::random_tensor;

TEST_CASE("Conv1D hand-computed case: one channel, kernel [1, 2], bias 0.5") {
  // clang-format off
  // x = 1 2 3 4  ->  y[t] = x[t]*1 + x[t+1]*2 + 0.5 = 5.5 8.5 11.5
  // clang-format on
  Conv1D<double> conv{.in_channels = 1, .kernels = 1, .width = 2, .activation = Activation::linear};
  std::vector<double> p = {1, 2, 0.5}, g(3);
  conv.bind(p.data(), g.data());
  Tensor<double> x(Shape{1, 4, 1}), y(conv.output_shape(x.shape()));
  for (int i = 0; i < 4; ++i) x[i] = i + 1;
  Context ctx;
  conv.forward(x, y, ctx);
  CHECK(y.shape() == Shape{1, 3, 1});
  CHECK(y[0] == 5.5);
  CHECK(y[1] == 8.5);
  CHECK(y[2] == 11.5);
}

TEST_CASE("Conv1D gradients (double, central differences)") {
  for (auto [L, C, K, W] : {std::array<index_t, 4>{7, 3, 2, 3}, {9, 1, 4, 5}, {6, 5, 3, 6}, {11, 12, 5, 4}}) {
    CAPTURE(L);
    CAPTURE(C);
    for (auto act : {Activation::linear, Activation::relu}) {
      Conv1D<double> conv{.in_channels = C, .kernels = K, .width = W, .activation = act};
      check_layer_gradients(conv, Shape{3, L, C}, static_cast<std::uint64_t>(L * 100 + C));
    }
  }
}

TEST_CASE_TEMPLATE("conv1d kernels: fast equals reference on awkward sizes", T, float, double) {
  test::for_each_kernel_set([&] {
    const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-12;
    for (auto s : {kernels::ConvShape{2, 13, 3, 5, 4}, {3, 25, 17, 30, 7}, {1, 8, 1, 1, 8}, {4, 40, 30, 33, 25},
                   {2, 30, 30, 100, 5}, {1, 11, 2, 17, 1}, {3, 9, 5, 64, 9}}) {
      CAPTURE(s.C);
      auto x = random_tensor<T>({s.B, s.L, s.C}, 1);
      auto w = random_tensor<T>({s.W, s.C, s.K}, 2);
      auto b = random_tensor<T>({1, 1, s.K}, 3);
      auto g = random_tensor<T>({s.B, s.out_len(), s.K}, 4);
      Tensor<T> y_ref({s.B, s.out_len(), s.K}), y({s.B, s.out_len(), s.K});
      kernels::ConvScratch<T> scratch;
      kernels::conv1d_forward_ref(x.data(), w.data(), b.data(), y_ref.data(), s);
      kernels::conv1d_forward(x.data(), w.data(), b.data(), y.data(), s, scratch);
      for (index_t i = 0; i < y.size(); ++i) REQUIRE(y[i] == doctest::Approx(y_ref[i]).epsilon(tol));
      Tensor<T> dx_ref(x.shape()), dx(x.shape()), dw_ref(w.shape()), dw(w.shape()), db_ref({1, 1, s.K}), db({1, 1, s.K});
      kernels::conv1d_backward_ref(x.data(), w.data(), g.data(), dx_ref.data(), dw_ref.data(), db_ref.data(), s);
      kernels::conv1d_backward(x.data(), w.data(), g.data(), dx.data(), dw.data(), db.data(), s, scratch);
      for (index_t i = 0; i < dx.size(); ++i) REQUIRE(dx[i] == doctest::Approx(dx_ref[i]).epsilon(tol));
      for (index_t i = 0; i < dw.size(); ++i) REQUIRE(dw[i] == doctest::Approx(dw_ref[i]).epsilon(tol));
      for (index_t i = 0; i < db.size(); ++i) REQUIRE(db[i] == doctest::Approx(db_ref[i]).epsilon(tol));
    }
  });
}

TEST_CASE_TEMPLATE("gather conv1d kernels: fast equals reference", T, float, double) {
  test::for_each_kernel_set([&] {
    const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-12;
    for (auto s : {kernels::ConvShape{2, 13, 4, 5, 4}, {3, 30, 12, 30, 25}, {1, 7, 20, 3, 7}, {2, 40, 4, 100, 25},
                   {1, 9, 1, 17, 2}, {2, 20, 4, 64, 20}}) {
      std::vector<std::uint8_t> x(to_size(s.B * s.L));
      RandomStream rng(RandomKey(s.C, Purpose::init));
      for (auto& v : x) v = rng.below(10) == 0 ? no_symbol : static_cast<std::uint8_t>(rng.below(static_cast<std::uint64_t>(s.C)));
      auto scale = random_tensor<T>({s.B, s.L, 1}, 1, 0, 2);
      auto w = random_tensor<T>({s.W, s.C, s.K}, 2);
      auto b = random_tensor<T>({1, 1, s.K}, 3);
      auto g = random_tensor<T>({s.B, s.out_len(), s.K}, 4);
      for (const T* sc : {static_cast<const T*>(nullptr), static_cast<const T*>(scale.data())}) {
        Tensor<T> y_ref({s.B, s.out_len(), s.K}), y(y_ref.shape());
        kernels::ConvScratch<T> scratch;
        kernels::gather_conv1d_forward_ref(x.data(), sc, w.data(), b.data(), y_ref.data(), s);
        kernels::gather_conv1d_forward(x.data(), sc, w.data(), b.data(), y.data(), s, scratch);
        for (index_t i = 0; i < y.size(); ++i) REQUIRE(y[i] == doctest::Approx(y_ref[i]).epsilon(tol));
        Tensor<T> dw_ref(w.shape()), dw(w.shape()), db_ref({1, 1, s.K}), db({1, 1, s.K});
        kernels::gather_conv1d_backward_ref(x.data(), sc, g.data(), dw_ref.data(), db_ref.data(), s);
        kernels::gather_conv1d_backward(x.data(), sc, g.data(), dw.data(), db.data(), s, scratch);
        for (index_t i = 0; i < dw.size(); ++i) REQUIRE(dw[i] == doctest::Approx(dw_ref[i]).epsilon(tol));
        for (index_t i = 0; i < db.size(); ++i) REQUIRE(db[i] == doctest::Approx(db_ref[i]).epsilon(tol));
      }
    }
  });
}

TEST_CASE("Conv1D: a kernel longer than the input is an error naming both lengths") {
  Conv1D<float> conv{.in_channels = 4, .kernels = 2, .width = 30};
  CHECK_THROWS_WITH_AS(conv.output_shape(Shape{1, 20, 4}), doctest::Contains("kernel length 30 exceeds the input length 20"),
                       sster::Error);
}

namespace {
// Runs write(y, argmax) on buffers of n values followed by guard values and
// checks the guards: the fast epilogue stores whole vectors that spill into
// the following rows, never past the buffer.
template <class T, class Write>
void check_within_bounds(index_t n, Write&& write) {
  const T guard = T{-12345};
  std::vector<T> y(to_size(n + 64), guard);
  std::vector<std::int32_t> a(y.size(), -12345);
  write(y.data(), a.data());
  for (std::size_t i = to_size(n); i < y.size(); ++i) {
    REQUIRE(y[i] == guard);
    REQUIRE(a[i] == -12345);
  }
}

// Values on a coarse grid, so pooling windows see ties and ReLU sees exact zeros.
template <class T>
Tensor<T> grid_tensor(Shape s, std::uint64_t seed) {
  auto t = random_tensor<T>(s, seed);
  for (index_t i = 0; i < t.size(); ++i) t[i] = std::round(t[i] * 4) / 4;
  return t;
}
}  // namespace

TEST_CASE_TEMPLATE("conv1d + pool kernels: fast equals reference (ties, overlapping windows, no ReLU)", T, float, double) {
  test::for_each_kernel_set([&] {
    const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-12;
    // {5, 9, 3, 3, 6}, {4, 6, 2, 1, 3}: a sample's pooled output is shorter than one vector.
    for (auto s : {kernels::ConvShape{2, 13, 3, 5, 4}, {3, 25, 17, 30, 7}, {1, 8, 1, 1, 8}, {2, 40, 30, 30, 25},
                   {2, 31, 5, 100, 6}, {5, 9, 3, 3, 6}, {4, 6, 2, 1, 3}})
      for (auto p : {kernels::FusedPool{2, 2, true}, {3, 1, true}, {3, 2, false}, {1, 1, true}, {2, 3, true}}) {
        if (p.size > s.out_len()) continue;
        CAPTURE(s.L);
        CAPTURE(s.K);
        CAPTURE(p.size);
        CAPTURE(p.stride);
        const index_t lp = p.out_len(s.out_len());
        auto x = grid_tensor<T>({s.B, s.L, s.C}, 1);
        auto w = grid_tensor<T>({s.W, s.C, s.K}, 2);
        auto b = grid_tensor<T>({1, 1, s.K}, 3);
        auto gy = random_tensor<T>({s.B, lp, s.K}, 4);
        Tensor<T> y_ref({s.B, lp, s.K}), y(y_ref.shape());
        std::vector<std::int32_t> a_ref(to_size(y.size())), a(a_ref.size());
        kernels::ConvScratch<T> scratch;
        kernels::conv1d_pool_forward_ref(x.data(), w.data(), b.data(), y_ref.data(), a_ref.data(), s, p);
        check_within_bounds<T>(y.size(), [&](T* yg, std::int32_t* ag) {
          kernels::conv1d_pool_forward(x.data(), w.data(), b.data(), yg, ag, s, p, scratch);
        });
        kernels::conv1d_pool_forward(x.data(), w.data(), b.data(), y.data(), a.data(), s, p, scratch);
        for (index_t i = 0; i < y.size(); ++i) REQUIRE(y[i] == doctest::Approx(y_ref[i]).epsilon(tol));
        // Ties on the grid are exact in both, so the winners agree wherever the gradient flows.
        for (index_t i = 0; i < y.size(); ++i)
          if (!p.relu || y_ref[i] > 0) REQUIRE(at(a, i) == at(a_ref, i));
        Tensor<T> dx_ref(x.shape()), dx(x.shape()), dw_ref(w.shape()), dw(w.shape()), db_ref({1, 1, s.K}), db({1, 1, s.K});
        kernels::conv1d_pool_backward_ref(x.data(), w.data(), y_ref.data(), a_ref.data(), gy.data(), dx_ref.data(),
                                          dw_ref.data(), db_ref.data(), s, p);
        kernels::conv1d_pool_backward(x.data(), w.data(), y.data(), a.data(), gy.data(), dx.data(), dw.data(), db.data(),
                                      s, p, scratch);
        for (index_t i = 0; i < dx.size(); ++i) REQUIRE(dx[i] == doctest::Approx(dx_ref[i]).epsilon(tol));
        for (index_t i = 0; i < dw.size(); ++i) REQUIRE(dw[i] == doctest::Approx(dw_ref[i]).epsilon(tol));
        for (index_t i = 0; i < db.size(); ++i) REQUIRE(db[i] == doctest::Approx(db_ref[i]).epsilon(tol));
        // dx may be skipped.
        kernels::conv1d_pool_backward(x.data(), w.data(), y.data(), a.data(), gy.data(), static_cast<T*>(nullptr),
                                      dw.data(), db.data(), s, p, scratch);
        for (index_t i = 0; i < dw.size(); ++i) REQUIRE(dw[i] == doctest::Approx(dw_ref[i]).epsilon(tol));
      }
  });
}

TEST_CASE_TEMPLATE("conv1d kernels on weights larger than L2 (packed GEMM, samples batched) equal the references",
                   T, float, double) {
  // Wide layers (kernel_num 100-300) take another path once W*C*K outgrows
  // the L2 cache: sized from this machine's L2, so every machine runs it.
  test::for_each_kernel_set([&] {
    const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-12;
    const index_t C = 24, K = 37, Kp = kernels::simd_padded<T>(K);
    const index_t W = l2_cache_bytes() / (C * Kp * static_cast<index_t>(sizeof(T))) + 2;
    const kernels::ConvShape s{3, W + 8, C, K, W};
    REQUIRE(kernels::wide_product<T>(s.W * s.C, Kp));
    CAPTURE(W);
    const kernels::FusedPool p{2, 2, true};
    const index_t lp = p.out_len(s.out_len());
    // Grid values: exact ties and zeros, small sums; depth W*C is long, so
    // the tolerance scales with its square root.
    auto x = grid_tensor<T>({s.B, s.L, s.C}, 1);
    auto w = grid_tensor<T>({s.W, s.C, s.K}, 2);
    auto b = grid_tensor<T>({1, 1, s.K}, 3);
    auto gy = random_tensor<T>({s.B, lp, s.K}, 4);
    const double scale = std::sqrt(static_cast<double>(s.W * s.C));
    Tensor<T> y_ref({s.B, lp, s.K}), y(y_ref.shape());
    std::vector<std::int32_t> a_ref(to_size(y.size())), a(a_ref.size());
    kernels::ConvScratch<T> scratch;
    kernels::conv1d_pool_forward_ref(x.data(), w.data(), b.data(), y_ref.data(), a_ref.data(), s, p);
    kernels::conv1d_pool_forward(x.data(), w.data(), b.data(), y.data(), a.data(), s, p, scratch);
    for (index_t i = 0; i < y.size(); ++i) REQUIRE(y[i] == doctest::Approx(y_ref[i]).epsilon(tol).scale(scale));
    // A batch gives each sample the bits it gets alone.
    for (index_t n = 0; n < s.B; ++n) {
      kernels::ConvShape one = s;
      one.B = 1;
      Tensor<T> y_one({1, lp, s.K});
      std::vector<std::int32_t> a_one(to_size(y_one.size()));
      kernels::conv1d_pool_forward(x.data() + n * s.L * s.C, w.data(), b.data(), y_one.data(), a_one.data(), one, p,
                                   scratch);
      for (index_t i = 0; i < y_one.size(); ++i) REQUIRE(y_one[i] == y[n * lp * s.K + i]);
    }
    Tensor<T> dx_ref(x.shape()), dx(x.shape()), dw_ref(w.shape()), dw(w.shape()), db_ref({1, 1, s.K}), db({1, 1, s.K});
    kernels::conv1d_pool_backward_ref(x.data(), w.data(), y_ref.data(), a_ref.data(), gy.data(), dx_ref.data(),
                                      dw_ref.data(), db_ref.data(), s, p);
    kernels::conv1d_pool_backward(x.data(), w.data(), y.data(), a.data(), gy.data(), dx.data(), dw.data(), db.data(), s,
                                  p, scratch);
    for (index_t i = 0; i < dx.size(); ++i) REQUIRE(dx[i] == doctest::Approx(dx_ref[i]).epsilon(tol).scale(scale));
    for (index_t i = 0; i < dw.size(); ++i) REQUIRE(dw[i] == doctest::Approx(dw_ref[i]).epsilon(tol).scale(scale));
    for (index_t i = 0; i < db.size(); ++i) REQUIRE(db[i] == doctest::Approx(db_ref[i]).epsilon(tol).scale(scale));
  });
}

TEST_CASE_TEMPLATE("gather conv1d + pool kernels: fast equals reference", T, float, double) {
  test::for_each_kernel_set([&] {
    const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-12;
    for (auto s : {kernels::ConvShape{2, 13, 4, 5, 4}, {3, 30, 12, 30, 25}, {1, 7, 20, 3, 7}, {2, 41, 4, 100, 25},
                   {2, 12, 1, 17, 3}, {5, 8, 4, 3, 5}})
      for (auto p : {kernels::FusedPool{2, 2, true}, {3, 1, true}, {2, 2, false}, {1, 1, true}, {2, 3, true}}) {
        if (p.size > s.out_len()) continue;
        CAPTURE(s.L);
        CAPTURE(s.K);
        CAPTURE(p.size);
        const index_t lp = p.out_len(s.out_len());
        std::vector<std::uint8_t> x(to_size(s.B * s.L));
        RandomStream rng(RandomKey(s.C + 7, Purpose::init));
        for (auto& v : x)
          v = rng.below(10) == 0 ? no_symbol : static_cast<std::uint8_t>(rng.below(static_cast<std::uint64_t>(s.C)));
        auto scale = random_tensor<T>({s.B, s.L, 1}, 1, 0, 2);
        auto w = grid_tensor<T>({s.W, s.C, s.K}, 2);
        auto b = grid_tensor<T>({1, 1, s.K}, 3);
        auto gy = random_tensor<T>({s.B, lp, s.K}, 4);
        for (const T* sc : {static_cast<const T*>(nullptr), static_cast<const T*>(scale.data())}) {
          Tensor<T> y_ref({s.B, lp, s.K}), y(y_ref.shape());
          std::vector<std::int32_t> a_ref(to_size(y.size())), a(a_ref.size());
          kernels::ConvScratch<T> scratch;
          kernels::gather_conv1d_pool_forward_ref(x.data(), sc, w.data(), b.data(), y_ref.data(), a_ref.data(), s, p);
          check_within_bounds<T>(y.size(), [&](T* yg, std::int32_t* ag) {
            kernels::gather_conv1d_pool_forward(x.data(), sc, w.data(), b.data(), yg, ag, s, p, scratch);
          });
          kernels::gather_conv1d_pool_forward(x.data(), sc, w.data(), b.data(), y.data(), a.data(), s, p, scratch);
          for (index_t i = 0; i < y.size(); ++i) REQUIRE(y[i] == doctest::Approx(y_ref[i]).epsilon(tol));
          Tensor<T> dw_ref(w.shape()), dw(w.shape()), db_ref({1, 1, s.K}), db({1, 1, s.K});
          // Same winners on both sides (the scaled sums need not tie exactly).
          kernels::gather_conv1d_pool_backward_ref(x.data(), sc, y.data(), a.data(), gy.data(), dw_ref.data(),
                                                   db_ref.data(), s, p);
          kernels::gather_conv1d_pool_backward(x.data(), sc, y.data(), a.data(), gy.data(), dw.data(), db.data(), s, p,
                                               scratch);
          for (index_t i = 0; i < dw.size(); ++i) REQUIRE(dw[i] == doctest::Approx(dw_ref[i]).epsilon(tol));
          for (index_t i = 0; i < db.size(); ++i) REQUIRE(db[i] == doctest::Approx(db_ref[i]).epsilon(tol));
        }
      }
  });
}
