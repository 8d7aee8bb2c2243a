#pragma once
// The hot loops of the convolutions and of small_gemm, once per kernel set
// (core/cpu.hpp), and the call that runs the set in use.
//
// sster is header-only, so there are no per-target translation units: the
// one body (kernels/vector_kernels.ipp) is included into three structs,
//   GenericKernels  xsimd at the build's own flags, float and double;
//   Avx2Kernels     under #pragma GCC target("avx2,fma"), float;
//   Avx512Kernels   under #pragma GCC target("avx2,fma,avx512f"), float;
// each with its own vector operations (core/simd_ops.hpp). GCC compiles the
// AVX structs for their instructions whatever -march says, so one binary
// built for x86-64-v2 runs at full speed on an AVX2 or AVX-512 CPU, and a
// project that includes sster with plain flags gets the same. Everything
// outside these structs (buffers, padding, the references) is plain C++.
// with_kernels<T>(f) calls f with the struct of the set in use: float goes
// to the set chosen at start-up, double (gradient checks) to the generic one.
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
#pragma GCC push_options
#pragma GCC target("avx2,fma")
struct Avx2Kernels {
  template <class T>
  using Ops = simd::Avx2Ops;
#include "sster/nn/kernels/vector_kernels.ipp"
};
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx2,fma,avx512f")
struct Avx512Kernels {
  template <class T>
  using Ops = simd::Avx512Ops;
#include "sster/nn/kernels/vector_kernels.ipp"
};
#pragma GCC pop_options
#endif

// f(the struct of set k), for a set kernel_set_supported() allows.
template <class T, class F>
decltype(auto) with_kernel_set(KernelSet k, F&& f) {
#if SSTER_KERNEL_DISPATCH
  if constexpr (std::is_same_v<T, float>) {
    switch (k) {
      case KernelSet::avx512: return f(Avx512Kernels{});
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

}  // namespace sster::kernels
