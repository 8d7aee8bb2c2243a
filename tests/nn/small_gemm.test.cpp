#include <doctest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "gradient_check.hpp"
#include "kernel_sets.hpp"
#include "sster/nn/kernels/small_gemm.hpp"
#include "sster/nn/kernels/vector_kernels.hpp"

using namespace sster;
using sster::test::random_tensor;

TEST_CASE_TEMPLATE("small_gemm equals its reference: init modes, strided A both ways, ragged rows, column tails",
                   T, float, double) {
  test::for_each_kernel_set([&] {
    const index_t w = kernels::vector_width<T>();  // the set's: panels of 1-4 of its vectors
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
  });
}

TEST_CASE_TEMPLATE("small_gemm: a row's result does not depend on the other rows", T, float, double) {
  test::for_each_kernel_set([&] {
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
  });
}

TEST_CASE_TEMPLATE("small_gemm on batches of views (the packed path) equals its reference, and a batch equals its views",
                   T, float, double) {
  test::for_each_kernel_set([&] {
    const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-12;
    // Windows of 3 samples (rows grouped: 17 windows a sample, 5 channels,
    // samples 23 positions apart) and a weight gradient's transpose (depth
    // grouped: 17 positions a sample): with ragged column tails.
    for (index_t cols : {index_t{8}, index_t{37}, index_t{96}})
      for (bool by_depth : {false, true}) {
        CAPTURE(cols);
        CAPTURE(by_depth);
        const index_t samples = 3, per = 17, C = 5, L = 23, W = 7;
        kernels::GemmShape s{.rows = by_depth ? W * C : samples * per, .cols = cols,
                             .depth = by_depth ? samples * per : W * C, .a_row = by_depth ? 1 : C,
                             .a_col = by_depth ? C : 1, .ldb = cols + 2, .ldc = cols + 1};
        if (by_depth) {
          s.depth_group = per;
          s.a_depth_group = L * C;
        } else {
          s.row_group = per;
          s.a_row_group = L * C;
        }
        auto a = random_tensor<T>({samples, L, C}, 1);
        auto b = random_tensor<T>({1, s.depth, s.ldb}, 2);
        auto bias = random_tensor<T>({1, 1, cols}, 3);
        for (auto mode : {kernels::GemmInit::zero, kernels::GemmInit::row, kernels::GemmInit::accumulate}) {
          auto c_ref = random_tensor<T>({1, s.rows, s.ldc}, 4);
          Tensor<T> c = c_ref, c_views = c_ref;
          kernels::small_gemm_ref(a.data(), b.data(), c_ref.data(), bias.data(), mode, s);
          kernels::small_gemm(a.data(), b.data(), c.data(), bias.data(), mode, s);
          for (index_t i = 0; i < c.size(); ++i)
            REQUIRE(c[i] == doctest::Approx(c_ref[i]).epsilon(tol).scale(std::sqrt(double(s.depth))));
          // The same product as one plain view per sample: the same bits.
          kernels::GemmShape one = s;
          one.row_group = one.a_row_group = one.depth_group = one.a_depth_group = 0;
          for (index_t n = 0; n < samples; ++n) {
            if (by_depth) {
              one.depth = per;
              kernels::small_gemm(a.data() + n * L * C, b.data() + n * per * s.ldb, c_views.data(), bias.data(),
                                  n == 0 ? mode : kernels::GemmInit::accumulate, one);
            } else {
              one.rows = per;
              kernels::small_gemm(a.data() + n * L * C, b.data(), c_views.data() + n * per * s.ldc, bias.data(), mode,
                                  one);
            }
          }
          REQUIRE(std::memcmp(c.data(), c_views.data(), to_size(c.size()) * sizeof(T)) == 0);
        }
      }
  });
}

TEST_CASE_TEMPLATE("small_gemm on a B packed by pack_gemm_b: the bits of packing it on the call", T, float, double) {
  test::for_each_kernel_set([&] {
    // Columns over several column blocks of every set and a depth over
    // several depth blocks (see the packed path), rows batched and plain.
    const index_t cols = 304, depth = 600, samples = 3, per = 17, L = 30;
    for (bool batched : {true, false}) {
      CAPTURE(batched);
      kernels::GemmShape s{.rows = samples * per, .cols = cols, .depth = depth, .a_row = 1, .a_col = samples * L,
                           .ldb = cols + 3, .ldc = cols};
      if (batched) {
        s.row_group = per;
        s.a_row_group = L;
      }
      const auto a = random_tensor<T>({1, depth, samples * L}, 5);  // A read transposed: the rows 1 apart
      const auto b = random_tensor<T>({1, depth, s.ldb}, 6);
      const auto bias = random_tensor<T>({1, 1, cols}, 7);
      std::vector<T> packed(to_size(depth * cols));
      kernels::pack_gemm_b(b.data(), s, packed.data());
      kernels::GemmShape from_packed = s;
      from_packed.b_packed = true;
      for (auto mode : {kernels::GemmInit::zero, kernels::GemmInit::row, kernels::GemmInit::accumulate}) {
        auto c = random_tensor<T>({1, s.rows, cols}, 8);
        Tensor<T> c_packed = c, c_ref = c;
        kernels::small_gemm(a.data(), b.data(), c.data(), bias.data(), mode, s);
        kernels::small_gemm(a.data(), packed.data(), c_packed.data(), bias.data(), mode, from_packed);
        REQUIRE(std::memcmp(c.data(), c_packed.data(), to_size(c.size()) * sizeof(T)) == 0);
        kernels::small_gemm_ref(a.data(), b.data(), c_ref.data(), bias.data(), mode, s);
        for (index_t i = 0; i < c.size(); ++i)
          REQUIRE(c[i] == doctest::Approx(c_ref[i]).epsilon(std::is_same_v<T, float> ? 1e-5 : 1e-12).scale(25));
      }
    }
  });
}
