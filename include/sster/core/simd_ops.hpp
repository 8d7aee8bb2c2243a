#pragma once
// Vector operations for the kernels of every kernel set (core/cpu.hpp): a
// struct of static functions over a raw vector type V and its mask type M.
//   XsimdOps<T>   the generic set: xsimd at the build's own flags, any T
//   Avx2Ops       8 floats, 16 registers (__m256, raw intrinsics)
//   Avx512Ops     16 floats, 32 registers (__m512)
//   Avx512EmulatedOps  Avx512Ops' lanes on pairs of __m256, for CPUs
//                 without AVX-512 (KernelSet::avx512_emulated)
// The AVX structs are defined between SSTER_TARGET_BEGIN and SSTER_TARGET_END
// (core/cpu.hpp: GCC's target pragmas or clang's), so they compile
// whatever -march the program uses; they may only be called from code
// between the same markers (nn/kernels/vector_kernels.hpp), and run only where
// kernel_set_supported() says so. (xsimd cannot serve there: its functions
// carry no target attribute, and the intrinsics they inline refuse to
// inline into them.)
#include <xsimd/xsimd.hpp>

#include <cstdint>

#include "sster/core/cpu.hpp"
#include "sster/core/index.hpp"

#if SSTER_KERNEL_DISPATCH
#include <immintrin.h>
#endif

namespace sster::simd {

template <class T>
struct XsimdOps {
  using V = xsimd::batch<T>;
  using M = xsimd::batch_bool<T>;
  static constexpr index_t width = V::size;
  static constexpr int registers = width * sizeof(T) >= 64 ? 32 : 16;  // AVX-512: 32, else 16

  static V set(T x) { return V(x); }
  static V load(const T* p) { return V::load_aligned(p); }
  static V loadu(const T* p) { return V::load_unaligned(p); }
  static void store(T* p, const V& v) { v.store_aligned(p); }
  static void storeu(T* p, const V& v) { v.store_unaligned(p); }
  static V add(const V& a, const V& b) { return a + b; }
  static V fma(const V& a, const V& b, const V& c) { return xsimd::fma(a, b, c); }  // a b + c
  static V max(const V& a, const V& b) { return xsimd::max(a, b); }
  static M gt(const V& a, const V& b) { return a > b; }
  static M eq(const V& a, const V& b) { return a == b; }
  static M both(const M& a, const M& b) { return a && b; }
  static V select(const M& m, const V& a, const V& b) { return xsimd::select(m, a, b); }
  // The pooling winners: a window offset held as T (exact) plus the window's
  // first row, as int32 rows; and back.
  static void store_rows(const V& offset, index_t first, std::int32_t* out) {
    alignas(64) T lane[width];
    offset.store_aligned(lane);
    for (index_t i = 0; i < width; ++i) out[i] = static_cast<std::int32_t>(first + static_cast<index_t>(lane[i]));
  }
  static V load_offsets(const std::int32_t* in, index_t first) {
    alignas(64) T lane[width];
    for (index_t i = 0; i < width; ++i) lane[i] = static_cast<T>(in[i] - first);
    return V::load_aligned(lane);
  }
};

#if SSTER_KERNEL_DISPATCH
SSTER_TARGET_BEGIN("avx2,fma")
struct Avx2Ops {
  using V = __m256;
  using M = __m256;
  static constexpr index_t width = 8;
  static constexpr int registers = 16;

  static V set(float x) { return _mm256_set1_ps(x); }
  static V load(const float* p) { return _mm256_load_ps(p); }
  static V loadu(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, V v) { _mm256_store_ps(p, v); }
  static void storeu(float* p, V v) { _mm256_storeu_ps(p, v); }
  static V add(V a, V b) { return _mm256_add_ps(a, b); }
  static V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static V max(V a, V b) { return _mm256_max_ps(a, b); }
  static M gt(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
  static M eq(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
  static M both(M a, M b) { return _mm256_and_ps(a, b); }
  static V select(M m, V a, V b) { return _mm256_blendv_ps(b, a, m); }
  static void store_rows(V offset, index_t first, std::int32_t* out) {
    const __m256i rows = _mm256_add_epi32(_mm256_cvttps_epi32(offset), _mm256_set1_epi32(static_cast<int>(first)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), rows);
  }
  static V load_offsets(const std::int32_t* in, index_t first) {
    const __m256i rows = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in));
    return _mm256_cvtepi32_ps(_mm256_sub_epi32(rows, _mm256_set1_epi32(static_cast<int>(first))));
  }
};

// The AVX-512 set's vectors (16 floats, 32 registers) as two AVX2 halves:
// lane for lane the same arithmetic, so the AVX-512 kernels' blocking, tiles
// and padding give the same results bit for bit on a CPU without AVX-512.
// This is how the tests run the AVX-512 set's code on every machine. Aligned
// loads and stores demand 64 bytes, as AVX-512's do (they fault otherwise).
struct Avx512EmulatedOps {
  struct V {
    __m256 lo, hi;
  };
  using M = V;
  static constexpr index_t width = 16;
  static constexpr int registers = 32;

  static void require_aligned(const float* p) {
    if (reinterpret_cast<std::uintptr_t>(p) % 64 != 0) __builtin_trap();
  }
  static V set(float x) { return {_mm256_set1_ps(x), _mm256_set1_ps(x)}; }
  static V load(const float* p) {
    require_aligned(p);
    return {_mm256_load_ps(p), _mm256_load_ps(p + 8)};
  }
  static V loadu(const float* p) { return {_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8)}; }
  static void store(float* p, V v) {
    require_aligned(p);
    _mm256_store_ps(p, v.lo);
    _mm256_store_ps(p + 8, v.hi);
  }
  static void storeu(float* p, V v) {
    _mm256_storeu_ps(p, v.lo);
    _mm256_storeu_ps(p + 8, v.hi);
  }
  static V add(V a, V b) { return {Avx2Ops::add(a.lo, b.lo), Avx2Ops::add(a.hi, b.hi)}; }
  static V fma(V a, V b, V c) { return {Avx2Ops::fma(a.lo, b.lo, c.lo), Avx2Ops::fma(a.hi, b.hi, c.hi)}; }
  static V max(V a, V b) { return {Avx2Ops::max(a.lo, b.lo), Avx2Ops::max(a.hi, b.hi)}; }
  static M gt(V a, V b) { return {Avx2Ops::gt(a.lo, b.lo), Avx2Ops::gt(a.hi, b.hi)}; }
  static M eq(V a, V b) { return {Avx2Ops::eq(a.lo, b.lo), Avx2Ops::eq(a.hi, b.hi)}; }
  static M both(M a, M b) { return {Avx2Ops::both(a.lo, b.lo), Avx2Ops::both(a.hi, b.hi)}; }
  static V select(M m, V a, V b) { return {Avx2Ops::select(m.lo, a.lo, b.lo), Avx2Ops::select(m.hi, a.hi, b.hi)}; }
  static void store_rows(V offset, index_t first, std::int32_t* out) {
    Avx2Ops::store_rows(offset.lo, first, out);
    Avx2Ops::store_rows(offset.hi, first, out + 8);
  }
  static V load_offsets(const std::int32_t* in, index_t first) {
    return {Avx2Ops::load_offsets(in, first), Avx2Ops::load_offsets(in + 8, first)};
  }
};
SSTER_TARGET_END

SSTER_TARGET_BEGIN("avx2,fma,avx512f")
struct Avx512Ops {
  using V = __m512;
  using M = __mmask16;
  static constexpr index_t width = 16;
  static constexpr int registers = 32;

  static V set(float x) { return _mm512_set1_ps(x); }
  static V load(const float* p) { return _mm512_load_ps(p); }
  static V loadu(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, V v) { _mm512_store_ps(p, v); }
  static void storeu(float* p, V v) { _mm512_storeu_ps(p, v); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V max(V a, V b) { return _mm512_max_ps(a, b); }
  static M gt(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
  static M eq(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
  static M both(M a, M b) { return static_cast<M>(a & b); }
  static V select(M m, V a, V b) { return _mm512_mask_blend_ps(m, b, a); }
  static void store_rows(V offset, index_t first, std::int32_t* out) {
    _mm512_storeu_si512(out, _mm512_add_epi32(_mm512_cvttps_epi32(offset), _mm512_set1_epi32(static_cast<int>(first))));
  }
  static V load_offsets(const std::int32_t* in, index_t first) {
    return _mm512_cvtepi32_ps(_mm512_sub_epi32(_mm512_loadu_si512(in), _mm512_set1_epi32(static_cast<int>(first))));
  }
};
SSTER_TARGET_END
#endif

}  // namespace sster::simd
