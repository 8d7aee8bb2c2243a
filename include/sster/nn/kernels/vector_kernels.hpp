#pragma once
// The hot loops of the convolutions and of small_gemm, once per kernel set
// (core/cpu.hpp), and the call that runs the set in use.
//
// sster is header-only, so there are no per-target translation units: the
// one body (kernels/vector_kernels.ipp) is included into four structs,
//   GenericKernels  xsimd at the build's own flags, float and double;
//   Avx2Kernels     under SSTER_TARGET_BEGIN("avx2,fma"), float;
//   Avx512Kernels   under SSTER_TARGET_BEGIN("avx2,fma,avx512f"), float;
//   Avx512EmulatedKernels  the AVX-512 kernels on AVX2 (core/cpu.hpp), float;
// each with its own vector operations (core/simd_ops.hpp). GCC and clang
// compile the AVX structs for their instructions whatever -march says, so one
// binary built for x86-64-v2 runs at full speed on an AVX2 or AVX-512 CPU,
// and a project that includes sster with plain flags gets the same. Everything
// outside these structs (buffers, padding, the references) is plain C++.
// with_kernels<T>(f) calls f with the struct of the set in use: float goes
// to the set chosen at start-up, double (gradient checks) to the generic one.
// The layers call the kernels through the entry points at the end (and
// small_gemm, pack_gemm_b in kernels/small_gemm.hpp), each of which runs its
// loop on the set in use.
//
// The entry points are templates that are not inline, so that a program of
// many units can compile them once (SSTER_COMPILED_RUNTIME,
// sster/model/compiled_runtime.cpp says how and why): GCC compiles an extern
// template again wherever it is inline, and the structs' members all are.
#include <algorithm>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

#include "sster/core/aligned.hpp"
#include "sster/core/cpu.hpp"
#include "sster/core/index.hpp"
#include "sster/core/random.hpp"
#include "sster/core/simd_ops.hpp"
#include "sster/nn/kernels/conv_shape.hpp"
#include "sster/nn/kernels/gemm_shape.hpp"

namespace sster::kernels {

// Whether a (depth, cols) B operand is too large to stay in L2 while the
// rows of A pass (kernel_num 100-300, depending on the CPU): the packed GEMM
// path, and the convolutions' batches of samples (kernels/conv1d.hpp), take
// over. Measured: at kernel_num 100 (1.1 MB of weights) the plain path
// stays ahead where they fit (2 MB L2), the packed one where they do not.
template <class T>
bool wide_product(index_t depth, index_t cols) {
  return depth * cols * static_cast<index_t>(sizeof(T)) > l2_cache_bytes();
}

// Samples per GEMM on a wide layer (kernels/conv1d.hpp,
// kernels/winograd_conv1d.hpp): as many as keep `per_sample` values of each
// within 4 MB, the B samples dealt into groups of equal size (a last group
// of two would stream all the weights for a sliver of the work).
template <class T>
index_t wide_group(index_t per_sample, index_t B) {
  if (B <= 1) return 1;
  const index_t most = std::clamp<index_t>(
      (index_t{4} << 20) / std::max<index_t>(1, per_sample * static_cast<index_t>(sizeof(T))), 1, B);
  const index_t groups = (B + most - 1) / most;
  return (B + groups - 1) / groups;
}

struct GenericKernels {
  template <class T>
  using Ops = simd::XsimdOps<T>;
#include "sster/nn/kernels/vector_kernels.ipp"
};

#if SSTER_KERNEL_DISPATCH
SSTER_TARGET_BEGIN("avx2,fma")
struct Avx2Kernels {
  template <class T>
  using Ops = simd::Avx2Ops;
#include "sster/nn/kernels/vector_kernels.ipp"
};

struct Avx512EmulatedKernels {
  template <class T>
  using Ops = simd::Avx512EmulatedOps;
#include "sster/nn/kernels/vector_kernels.ipp"
};
SSTER_TARGET_END

SSTER_TARGET_BEGIN("avx2,fma,avx512f")
struct Avx512Kernels {
  template <class T>
  using Ops = simd::Avx512Ops;
#include "sster/nn/kernels/vector_kernels.ipp"
};
SSTER_TARGET_END
#endif

// f(the struct of set k), for a set kernel_set_supported() allows.
template <class T, class F>
decltype(auto) with_kernel_set(KernelSet k, F&& f) {
#if SSTER_KERNEL_DISPATCH
  if constexpr (std::is_same_v<T, float>) {
    switch (k) {
      case KernelSet::avx512: return f(Avx512Kernels{});
      case KernelSet::avx512_emulated: return f(Avx512EmulatedKernels{});
      case KernelSet::avx2: return f(Avx2Kernels{});
      case KernelSet::generic: break;
    }
  }
#endif
  (void)k;
  return f(GenericKernels{});
}

template <class T, class F>
decltype(auto) with_kernels(F&& f) {
  return with_kernel_set<T>(kernel_set(), std::forward<F>(f));
}

// Floats per vector in the set in use: the kernels pad the columns they
// vectorise (a convolution's K) to it.
template <class T>
index_t vector_width() {
  return with_kernels<T>([](auto k) { return decltype(k)::template Ops<T>::width; });
}

// n rounded up to a multiple of the vector width: the padded column count.
template <class T>
index_t simd_padded(index_t n) {
  const index_t w = vector_width<T>();
  return (n + w - 1) / w * w;
}

// ------------------------------------------------------------ entry points
// The loops of kernels/vector_kernels.ipp on the set in use; what each
// computes is said there.

// A convolution's padded output rows pooled and activated (FusedPool).
template <class T>
void pool_epilogue(const T* conv, index_t lo, index_t K, index_t Kp, const FusedPool& p, T* y, std::int32_t* argmax,
                   index_t room, T* tmp, std::int32_t* tmp_argmax) {
  with_kernels<T>([&](auto k) { decltype(k)::pool_epilogue(conv, lo, K, Kp, p, y, argmax, room, tmp, tmp_argmax); });
}

// pool_epilogue's gradient: the pooled gradient back on the padded conv rows.
template <class T>
void unpool_gradient(const T* gy, const T* y, const std::int32_t* argmax, index_t lo, index_t K, index_t Kp,
                     const FusedPool& p, T* g, index_t room, T* tmp, std::int32_t* tmp_argmax) {
  with_kernels<T>([&](auto k) { decltype(k)::unpool_gradient(gy, y, argmax, lo, K, Kp, p, g, room, tmp, tmp_argmax); });
}

// acc (Kp) += the sum of g's rows (rows x Kp): a bias gradient.
template <class T>
void add_rows(const T* g, index_t rows, index_t Kp, T* acc) {
  with_kernels<T>([&](auto k) { decltype(k)::add_rows(g, rows, Kp, acc); });
}

template <class T>
void dropout(RandomKey key, std::uint32_t threshold, T scale, const T* x, T* y, std::uint8_t* keep, index_t n) {
  with_kernels<T>([&](auto k) { decltype(k)::dropout(key, threshold, scale, x, y, keep, n); });
}

template <class T>
void dropout_backward(const std::uint8_t* keep, T scale, const T* g, T* g_in, index_t n) {
  with_kernels<T>([&](auto k) { decltype(k)::dropout_backward(keep, scale, g, g_in, n); });
}

// The one-hot convolution of a sample by table lookups (kernels/gather_conv1d.hpp);
// `scale` per position, or null for ones.
template <class T>
void gather_sample(const std::int32_t* off, const T* scale, const T* table, index_t C, index_t W, index_t lo,
                   index_t Kp, const T* bias, T* y) {
  with_kernels<T>([&](auto k) {
    if (scale)
      decltype(k)::template gather_sample<T, true>(off, scale, table, C, W, lo, Kp, bias, y);
    else
      decltype(k)::template gather_sample<T, false>(off, scale, table, C, W, lo, Kp, bias, y);
  });
}

// gather_sample's weight gradient.
template <class T>
void symbol_backward_sample(const std::int32_t* order, const std::int32_t* starts, const T* scale, const T* gb,
                            index_t C, index_t W, index_t Kp, T* table) {
  with_kernels<T>([&](auto k) {
    if (scale)
      decltype(k)::template symbol_backward_sample<T, true>(order, starts, scale, gb, C, W, Kp, table);
    else
      decltype(k)::template symbol_backward_sample<T, false>(order, starts, scale, gb, C, W, Kp, table);
  });
}

// The tile size sster runs Winograd's convolutions with (kernels/
// winograd_conv1d.hpp): r = 5, 9 multiply-adds per output and channel pair
// at pysster's 25 taps, where F(4, 4) needs 12.25; its rounding is 4-6 times
// F(4, 4)'s, still far below what float training notices.
inline constexpr index_t winograd_r = 5;

// Winograd's transforms of a sample's input tiles, of its output gradient
// (for the weight gradient) and of its products back to output rows.
template <class T>
void winograd_input(const T* xp, index_t tiles, index_t Cp, const T* bt, T* v, index_t alpha_stride) {
  with_kernels<T>([&](auto k) {
    decltype(k)::template winograd_input<T, winograd_r>(xp, tiles, Cp, bt, v, alpha_stride);
  });
}

template <class T>
void winograd_filter(const T* src, index_t rows, index_t tiles, index_t Kp, const T* g, T* gt, index_t alpha_stride) {
  with_kernels<T>([&](auto k) {
    decltype(k)::template winograd_filter<T, winograd_r>(src, rows, tiles, Kp, g, gt, alpha_stride);
  });
}

template <class T>
void winograd_output(const T* m, index_t alpha_stride, index_t tiles, index_t lo, index_t Kp, const T* at,
                     const T* bias, T* y) {
  with_kernels<T>([&](auto k) {
    decltype(k)::template winograd_output<T, winograd_r>(m, alpha_stride, tiles, lo, Kp, at, bias, y);
  });
}

// The entry points' instances: declared extern where SSTER_COMPILED_RUNTIME
// is defined, defined by model/compiled_runtime.cpp. Winograd runs in float only.
#if defined(SSTER_COMPILED_RUNTIME)
#define SSTER_EXTERN_KERNELS(INSTANCES) INSTANCES(extern)
#else
#define SSTER_EXTERN_KERNELS(INSTANCES)
#endif

#define SSTER_VECTOR_KERNEL_INSTANCES_OF(EXTERN, T)                                                                 \
  EXTERN template void pool_epilogue<T>(const T*, index_t, index_t, index_t, const FusedPool&, T*, std::int32_t*,   \
                                        index_t, T*, std::int32_t*);                                                \
  EXTERN template void unpool_gradient<T>(const T*, const T*, const std::int32_t*, index_t, index_t, index_t,       \
                                          const FusedPool&, T*, index_t, T*, std::int32_t*);                        \
  EXTERN template void add_rows<T>(const T*, index_t, index_t, T*);                                                 \
  EXTERN template void dropout<T>(RandomKey, std::uint32_t, T, const T*, T*, std::uint8_t*, index_t);               \
  EXTERN template void dropout_backward<T>(const std::uint8_t*, T, const T*, T*, index_t);                          \
  EXTERN template void gather_sample<T>(const std::int32_t*, const T*, const T*, index_t, index_t, index_t,         \
                                        index_t, const T*, T*);                                                     \
  EXTERN template void symbol_backward_sample<T>(const std::int32_t*, const std::int32_t*, const T*, const T*,      \
                                                 index_t, index_t, index_t, T*);
#define SSTER_VECTOR_KERNEL_INSTANCES(EXTERN)                                                                       \
  SSTER_VECTOR_KERNEL_INSTANCES_OF(EXTERN, float)                                                                   \
  SSTER_VECTOR_KERNEL_INSTANCES_OF(EXTERN, double)                                                                  \
  EXTERN template void winograd_input<float>(const float*, index_t, index_t, const float*, float*, index_t);         \
  EXTERN template void winograd_filter<float>(const float*, index_t, index_t, index_t, const float*, float*,        \
                                              index_t);                                                             \
  EXTERN template void winograd_output<float>(const float*, index_t, index_t, index_t, index_t, const float*,       \
                                              const float*, float*);
SSTER_EXTERN_KERNELS(SSTER_VECTOR_KERNEL_INSTANCES)

}  // namespace sster::kernels
