#pragma once
// The vector loops of exact fast ISM (interpret/ism.hpp), once per kernel set
// (core/cpu.hpp), as nn/kernels/vector_kernels.hpp does it: the one body
// (interpret/ism_kernels.ipp) is included into a struct per set, the AVX2
// and AVX-512 ones between SSTER_TARGET_BEGIN and SSTER_TARGET_END (core/
// cpu.hpp), so a portable build runs them at the CPU's full width.
// with_ism_kernels(f) calls f with the struct of the set in use.
//   conv_change   a convolution's changed output rows from its input changes
//   dense_change  a dense layer's changed pre-activations from its changed inputs
// Both read the changes collect_changes lists and weights padded to whole
// vectors of 16 floats (a multiple of every set's width).
#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "sster/core/cpu.hpp"
#include "sster/core/index.hpp"
#include "sster/core/simd_ops.hpp"

namespace sster::detail {

// One nonzero change of a stage's input: row r, channel (or feature) c.
struct InputChange {
  std::int32_t r, c;
  float d;
};

// Conv output rows per register block, at most; the weights carry
// max_block_rows - 1 zero taps on both sides of each channel's kernel.
inline constexpr int max_block_rows = 12;
// Weight rows are padded to a multiple of this many floats.
inline constexpr index_t ism_row_floats = 16;

constexpr index_t ism_padded(index_t n) { return (n + ism_row_floats - 1) / ism_row_floats * ism_row_floats; }

struct GenericIsmKernels {
  using O = simd::XsimdOps<float>;
#include "sster/interpret/ism_kernels.ipp"
};

#if SSTER_KERNEL_DISPATCH
SSTER_TARGET_BEGIN("avx2,fma")
struct Avx2IsmKernels {
  using O = simd::Avx2Ops;
#include "sster/interpret/ism_kernels.ipp"
};

struct Avx512EmulatedIsmKernels {
  using O = simd::Avx512EmulatedOps;
#include "sster/interpret/ism_kernels.ipp"
};
SSTER_TARGET_END

SSTER_TARGET_BEGIN("avx2,fma,avx512f")
struct Avx512IsmKernels {
  using O = simd::Avx512Ops;
#include "sster/interpret/ism_kernels.ipp"
};
SSTER_TARGET_END
#endif

template <class F>
decltype(auto) with_ism_kernels(F&& f) {
#if SSTER_KERNEL_DISPATCH
  switch (kernel_set()) {
    case KernelSet::avx512: return f(Avx512IsmKernels{});
    case KernelSet::avx512_emulated: return f(Avx512EmulatedIsmKernels{});
    case KernelSet::avx2: return f(Avx2IsmKernels{});
    case KernelSet::generic: break;
  }
#endif
  return f(GenericIsmKernels{});
}

}  // namespace sster::detail
