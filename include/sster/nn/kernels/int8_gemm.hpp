#pragma once
// The integer product behind int8 inference (nn/quantized_conv_pool1d.hpp):
//   S (rows, K) = A B,  A[r][q] = a[r * a_row + q] (unsigned 8-bit, 0..127),
//                       B[q][j] (signed 8-bit, -127..127), S in int32,
//   C[r][j] = fma(float(S[r][j]), scale[j], bias[j])   (back to float),
// and the rounding of float inputs to A's levels (int8_quantize).
// A is a convolution's strided view of its quantised input, as in
// small_gemm (kernels/gemm_shape.hpp); B is packed once per model
// (PackedInt8Weights) so that one 64-byte vector holds 16 columns times 4
// consecutive depths, the operand layout of the CPU's byte dot products:
//   AVX-512 VNNI  vpdpbusd: 16 columns x 4 depths into 16 int32 sums, one
//                 instruction (64 multiply-adds, 4x a float FMA's 16);
//   AVX2          vpmaddubsw + vpmaddwd + vpaddd: 8 columns x 4 depths in
//                 three (32 multiply-adds against an FMA's 8). vpmaddubsw
//                 saturates pairs at 16 bits, which 127 * 127 * 2 never reaches:
//                 the reason activations use 7 bits, not 8.
// Integer sums are exact and the one rounding after them is a fused
// multiply-add in every set, so every set gives the same C bit for bit;
// int8_gemm_ref and int8_quantize_ref are the specification they are
// tested against.
//
// Rows run in blocks of R (the set's row block, int8_row_block()); the
// caller pads the rows to a multiple of it and A so that the padded rows'
// windows, and every window's depth rounded up to 4, stay in its buffer.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <tuple>
#include <vector>

#include "sster/core/aligned.hpp"
#include "sster/core/cpu.hpp"
#include "sster/core/index.hpp"

#if SSTER_KERNEL_DISPATCH
#include <immintrin.h>
#endif

namespace sster::kernels {

// B of the integer product: (depth, K) signed bytes, packed as
// [depth / 4][Kp][4] with depth rounded up to 4 and K up to 16, zeros beyond.
struct PackedInt8Weights {
  index_t steps = 0;  // depth / 4, rounded up
  index_t Kp = 0;     // K rounded up to 16
  AlignedVector<std::int8_t> values;

  PackedInt8Weights() = default;
  // w: (depth, K) row-major, already quantised.
  PackedInt8Weights(const std::int8_t* w, index_t depth, index_t K) : steps((depth + 3) / 4), Kp((K + 15) / 16 * 16) {
    values.assign(to_size(steps * Kp * 4), 0);
    for (index_t q = 0; q < depth; ++q)
      for (index_t j = 0; j < K; ++j) at(values, (q / 4 * Kp + j) * 4 + q % 4) = w[q * K + j];
  }
  // Bytes of A each window reads: its depth rounded up to 4.
  index_t padded_depth() const { return steps * 4; }
};

// Plain loops: the specification. w: (depth, K) unpacked; c: (rows, K).
inline void int8_gemm_ref(const std::uint8_t* a, index_t a_row, index_t rows, const std::int8_t* w, index_t depth,
                          index_t K, const float* scale, const float* bias, float* c) {
  for (index_t r = 0; r < rows; ++r)
    for (index_t j = 0; j < K; ++j) {
      std::int32_t acc = 0;
      for (index_t q = 0; q < depth; ++q) acc += std::int32_t{a[r * a_row + q]} * std::int32_t{w[q * K + j]};
      c[r * K + j] = std::fma(static_cast<float>(acc), scale[j], bias[j]);
    }
}

// A's levels: x * to_levels clamped to [0, 127], rounded to nearest (ties
// to even, the CPU's conversion). Above the calibrated range it saturates.
inline std::uint8_t int8_level(float x, float to_levels) {
  // max(0, v) and min(127, v) in the order of the vector kernels' maxps and
  // minps: a NaN becomes 0 everywhere.
  return static_cast<std::uint8_t>(std::nearbyint(std::min(127.f, std::max(0.f, x * to_levels))));
}
inline void int8_quantize_ref(const float* x, index_t n, float to_levels, std::uint8_t* q) {
  for (index_t i = 0; i < n; ++i) q[i] = int8_level(x[i], to_levels);
}

namespace detail {

inline std::int32_t load_u32(const std::uint8_t* p) {
  std::int32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// The portable product, on the packed layout (what a compiler makes of it).
struct Int8Generic {
  static constexpr const char* name = "generic (plain loops)";
  static constexpr index_t rows = 1;
  static void gemm(const std::uint8_t* a, index_t a_row, index_t rows_, const PackedInt8Weights& b,
                   const float* scale, const float* bias, float* c) {
    std::vector<std::int32_t> sum(to_size(b.Kp));
    for (index_t r = 0; r < rows_; ++r) {
      std::fill(sum.begin(), sum.end(), 0);
      for (index_t s = 0; s < b.steps; ++s) {
        const std::uint8_t* ar = a + r * a_row + 4 * s;
        const std::int8_t* bs = b.values.data() + s * b.Kp * 4;
        for (index_t j = 0; j < b.Kp; ++j)
          for (index_t i = 0; i < 4; ++i) at(sum, j) += std::int32_t{ar[i]} * std::int32_t{bs[j * 4 + i]};
      }
      for (index_t j = 0; j < b.Kp; ++j) c[r * b.Kp + j] = std::fma(static_cast<float>(at(sum, j)), scale[j], bias[j]);
    }
  }
  static void quantize(const float* x, index_t n, float to_levels, std::uint8_t* q) {
    int8_quantize_ref(x, n, to_levels, q);
  }
};

#if SSTER_KERNEL_DISPATCH
SSTER_TARGET_BEGIN("avx2,fma")
// 16 registers: 4 rows x 2 vectors of 8 columns, B's 2 vectors, the
// broadcast, a product and the ones that vpmaddwd pairs with.
struct Int8Avx2 {
  static constexpr const char* name = "avx2 (vpmaddubsw)";
  static constexpr index_t rows = 4;
  static void tile(const std::uint8_t* a, index_t a_row, const std::int8_t* b, index_t Kp, index_t steps,
                   const float* scale, const float* bias, float* c) {
    constexpr int NV = 2;
    __m256i acc[rows][NV];
    for (auto& row : acc)
      for (auto& v : row) v = _mm256_setzero_si256();
    const __m256i ones = _mm256_set1_epi16(1);
    for (index_t s = 0; s < steps; ++s) {
      __m256i bv[NV];
#pragma GCC unroll 2
      for (int v = 0; v < NV; ++v)
        bv[v] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + (s * Kp + v * 8) * 4));
#pragma GCC unroll 4
      for (index_t r = 0; r < rows; ++r) {
        const __m256i av = _mm256_set1_epi32(load_u32(a + r * a_row + 4 * s));
#pragma GCC unroll 2
        for (int v = 0; v < NV; ++v)
          acc[r][v] = _mm256_add_epi32(acc[r][v], _mm256_madd_epi16(_mm256_maddubs_epi16(av, bv[v]), ones));
      }
    }
    for (index_t r = 0; r < rows; ++r)
      for (int v = 0; v < NV; ++v)
        _mm256_storeu_ps(c + r * Kp + v * 8, _mm256_fmadd_ps(_mm256_cvtepi32_ps(acc[r][v]), _mm256_loadu_ps(scale + v * 8),
                                                             _mm256_loadu_ps(bias + v * 8)));
  }
  static void gemm(const std::uint8_t* a, index_t a_row, index_t rows_, const PackedInt8Weights& b,
                   const float* scale, const float* bias, float* c) {
    assert(rows_ % rows == 0);
    for (index_t j = 0; j < b.Kp; j += 16)
      for (index_t r = 0; r < rows_; r += rows)
        tile(a + r * a_row, a_row, b.values.data() + j * 4, b.Kp, b.steps, scale + j, bias + j, c + r * b.Kp + j);
  }
  static void quantize(const float* x, index_t n, float to_levels, std::uint8_t* q) {
    const __m256 s = _mm256_set1_ps(to_levels), lo = _mm256_setzero_ps(), hi = _mm256_set1_ps(127.f);
    index_t i = 0;
    for (; i + 8 <= n; i += 8) {
      const __m256 v = _mm256_min_ps(_mm256_max_ps(_mm256_mul_ps(_mm256_loadu_ps(x + i), s), lo), hi);
      const __m256i k = _mm256_cvtps_epi32(v);  // to nearest, ties to even
      const __m128i w = _mm_packus_epi32(_mm256_castsi256_si128(k), _mm256_extracti128_si256(k, 1));
      _mm_storel_epi64(reinterpret_cast<__m128i*>(q + i), _mm_packus_epi16(w, w));
    }
    int8_quantize_ref(x + i, n - i, to_levels, q + i);
  }
};
SSTER_TARGET_END

SSTER_TARGET_BEGIN("avx2,fma,avx512f,avx512bw,avx512vnni")
// 32 registers: 6 rows x NV vectors of 16 columns, up to 6 x 4 (24 sums).
// Conversions go through their masked forms: the plain ones start from an
// undefined vector, which GCC 12 reports as uninitialised (GCC bug 105593).
struct Int8Avx512Vnni {
  static constexpr const char* name = "avx512-vnni (vpdpbusd)";
  static constexpr index_t rows = 6;
  static constexpr __mmask16 all = 0xFFFF;
  template <int NV>
  static void tile(const std::uint8_t* a, index_t a_row, const std::int8_t* b, index_t Kp, index_t steps,
                   const float* scale, const float* bias, float* c) {
    __m512i acc[rows][NV];
    for (auto& row : acc)
      for (auto& v : row) v = _mm512_setzero_si512();
    for (index_t s = 0; s < steps; ++s) {
      __m512i bv[NV];
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) bv[v] = _mm512_loadu_si512(b + (s * Kp + v * 16) * 4);
#pragma GCC unroll 6
      for (index_t r = 0; r < rows; ++r) {
        const __m512i av = _mm512_set1_epi32(load_u32(a + r * a_row + 4 * s));
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) acc[r][v] = _mm512_dpbusd_epi32(acc[r][v], av, bv[v]);
      }
    }
    const __m512 zero = _mm512_setzero_ps();
    for (index_t r = 0; r < rows; ++r)
      for (int v = 0; v < NV; ++v)
        _mm512_storeu_ps(c + r * Kp + v * 16, _mm512_fmadd_ps(_mm512_mask_cvtepi32_ps(zero, all, acc[r][v]),
                                                              _mm512_loadu_ps(scale + v * 16), _mm512_loadu_ps(bias + v * 16)));
  }
  static void gemm(const std::uint8_t* a, index_t a_row, index_t rows_, const PackedInt8Weights& b,
                   const float* scale, const float* bias, float* c) {
    assert(rows_ % rows == 0);
    for (index_t r = 0; r < rows_; r += rows)
      for (index_t v = 0; v < b.Kp / 16; v += 4) {
        const index_t n = std::min<index_t>(b.Kp / 16 - v, 4);
        const auto args = std::tuple(a + r * a_row, a_row, b.values.data() + v * 16 * 4, b.Kp, b.steps, scale + v * 16,
                                     bias + v * 16, c + r * b.Kp + v * 16);
        n == 4   ? std::apply(tile<4>, args)
        : n == 3 ? std::apply(tile<3>, args)
        : n == 2 ? std::apply(tile<2>, args)
                 : std::apply(tile<1>, args);
      }
  }
  static void quantize(const float* x, index_t n, float to_levels, std::uint8_t* q) {
    const __m512 s = _mm512_set1_ps(to_levels), lo = _mm512_setzero_ps(), hi = _mm512_set1_ps(127.f);
    index_t i = 0;
    for (; i + 16 <= n; i += 16) {
      const __m512 v = _mm512_min_ps(_mm512_max_ps(_mm512_mul_ps(_mm512_loadu_ps(x + i), s), lo), hi);
      _mm512_mask_cvtepi32_storeu_epi8(q + i, all, _mm512_mask_cvtps_epi32(_mm512_setzero_si512(), all, v));
    }
    int8_quantize_ref(x + i, n - i, to_levels, q + i);
  }
};
SSTER_TARGET_END
#endif

}  // namespace detail

// Whether this CPU has the AVX-512 byte dot product (VNNI).
inline bool cpu_has_avx512_vnni() {
#if SSTER_KERNEL_DISPATCH
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512bw");
#else
  return false;
#endif
}

// f(the integer kernels of the set in use): VNNI within the AVX-512 set
// where the CPU has it, the AVX2 instructions otherwise.
template <class F>
decltype(auto) with_int8_kernels(F&& f) {
#if SSTER_KERNEL_DISPATCH
  static const bool vnni = cpu_has_avx512_vnni();
  switch (kernel_set()) {
    case KernelSet::avx512:
      if (vnni) return f(detail::Int8Avx512Vnni{});
      return f(detail::Int8Avx2{});
    case KernelSet::avx512_emulated:
    case KernelSet::avx2: return f(detail::Int8Avx2{});
    case KernelSet::generic: break;
  }
#endif
  return f(detail::Int8Generic{});
}

// What the integer product runs on with the set in use (sster --version).
inline const char* int8_kernels_name() {
  return with_int8_kernels([](auto k) { return decltype(k)::name; });
}

// The row block the set in use needs the rows padded to.
inline index_t int8_row_block() {
  return with_int8_kernels([](auto k) { return decltype(k)::rows; });
}

// C (rows, b.Kp) = fma(A B, scale, bias), scale and bias (b.Kp); rows a
// multiple of int8_row_block().
inline void int8_gemm(const std::uint8_t* a, index_t a_row, index_t rows, const PackedInt8Weights& b,
                      const float* scale, const float* bias, float* c) {
  with_int8_kernels([&](auto k) { decltype(k)::gemm(a, a_row, rows, b, scale, bias, c); });
}

// q[i] = int8_level(x[i], to_levels), i < n.
inline void int8_quantize(const float* x, index_t n, float to_levels, std::uint8_t* q) {
  with_int8_kernels([&](auto k) { decltype(k)::quantize(x, n, to_levels, q); });
}

}  // namespace sster::kernels
