#include <doctest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "gradient_check.hpp"
#include "sster/nn/kernels/small_gemm.hpp"

using namespace sster;
using sster::test::random_tensor;

TEST_CASE_TEMPLATE("small_gemm equals its reference: init modes, strided A both ways, ragged rows, column tails",
                   T, float, double) {
  constexpr index_t w = simd::width<T>;
  const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-12;
  // Columns: whole vectors (the convolutions' padded K), vectors and a tail
  // (the recurrent layers' 4H), a tail alone.
  for (index_t rows : {1, 7, 8, 13, 50})
    for (index_t cols : {index_t{1}, w - 1, w, w + 3, 2 * w, 3 * w + 5, 4 * w, 5 * w, 7 * w + 1})
      for (index_t depth : {index_t{0}, index_t{1}, index_t{9}, index_t{40}, cols >= 4 * w ? index_t{2100} : index_t{-1}}) {
        if (depth < 0) continue;  // 2100: longer than a depth block (see small_gemm)
        CAPTURE(rows);
        CAPTURE(cols);
        CAPTURE(depth);
        for (bool transposed : {false, true}) {
          // A as windows (rows 3 apart, depth contiguous) or their transpose;
          // B and C with row strides off the vector width, and C one element
          // past an aligned address: nothing needs alignment.
          const index_t a_row = transposed ? 1 : 3, a_col = transposed ? 3 : 1;
          const kernels::GemmShape s{.rows = rows, .cols = cols, .depth = depth, .a_row = a_row, .a_col = a_col,
                                     .ldb = cols + 3, .ldc = cols + 1};
          auto a = random_tensor<T>({1, (rows - 1) * a_row + std::max<index_t>(depth - 1, 0) * a_col + 1, 1}, 1);
          auto b = random_tensor<T>({1, std::max<index_t>(depth, 1), s.ldb}, 2);
          auto bias = random_tensor<T>({1, 1, cols}, 3);
          for (auto mode : {kernels::GemmInit::zero, kernels::GemmInit::row, kernels::GemmInit::accumulate}) {
            auto c_ref = random_tensor<T>({1, 1, rows * s.ldc + 1}, 4);
            Tensor<T> c = c_ref;
            kernels::small_gemm_ref(a.data(), b.data(), c_ref.data() + 1, bias.data(), mode, s);
            kernels::small_gemm(a.data(), b.data(), c.data() + 1, bias.data(), mode, s);
            // Sums of `depth` terms of size ~1: the absolute error grows like sqrt(depth).
            const double scale = std::sqrt(static_cast<double>(std::max<index_t>(depth, 1)));
            for (index_t i = 0; i < c.size(); ++i) REQUIRE(c[i] == doctest::Approx(c_ref[i]).epsilon(tol).scale(scale));
          }
        }
      }
}

TEST_CASE_TEMPLATE("small_gemm: a row's result does not depend on the other rows", T, float, double) {
  // Blocks of rows, a last smaller block and single rows must round
  // identically, so a sample's output does not change with the batch split.
  const index_t K = 19, N = 37;
  for (auto mode : {kernels::GemmInit::zero, kernels::GemmInit::row, kernels::GemmInit::accumulate})
    for (index_t M = 1; M <= 13; ++M) {
      CAPTURE(M);
      const auto x = random_tensor<T>({1, M, K}, 4), w = random_tensor<T>({1, K, N}, 5), bias = random_tensor<T>({1, 1, N}, 7);
      Tensor<T> y = random_tensor<T>({1, M, N}, 6), one_by_one = y;
      kernels::small_gemm(x.data(), w.data(), y.data(), bias.data(), mode,
                          {.rows = M, .cols = N, .depth = K, .a_row = K, .a_col = 1, .ldb = N, .ldc = N});
      for (index_t m = 0; m < M; ++m)
        kernels::small_gemm(x.data() + m * K, w.data(), one_by_one.data() + m * N, bias.data(), mode,
                            {.rows = 1, .cols = N, .depth = K, .a_row = K, .a_col = 1, .ldb = N, .ldc = N});
      CHECK(std::memcmp(y.data(), one_by_one.data(), to_size(M * N) * sizeof(T)) == 0);
    }
}
