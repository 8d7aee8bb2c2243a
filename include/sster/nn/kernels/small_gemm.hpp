#pragma once
// Small GEMMs, the one register-blocked product behind the convolutions
// (kernels/conv1d.hpp) and the recurrent layers (nn/recurrent.hpp): what
// kernels/gemm_shape.hpp specifies, run by the kernel set in use (the blocks
// are in kernels/vector_kernels.ipp).
//
// Why not Eigen: the windows of a channels-last sample are rows C apart, so
// a convolution's A is a strided view; its transpose (rows 1 apart, depth C
// apart) is the weight gradient's A. Eigen packs A and B for every call, and
// with K = 30 (pysster's default kernel_num) its 48-column panels are a third
// empty. Here A is read in place by broadcasts, B rows are a few vectors
// wide, and the R x NV block of C stays in registers for the whole depth: an
// outer-product kernel of R broadcasts and R * NV FMAs per step of the depth.
// The recurrent layers' products (a chunk of 32 rows, H = 32, 4H columns)
// run at 170-210 GFLOP/s in float on an AVX-512 Xeon, as fast as the 6 x 2
// row kernel they had of their own, and about twice Eigen's GEMM.
//
// Every element of C is one chain of fused multiply-adds in depth order,
// starting from its initial value, whatever block it falls in: columns in
// panels of whole SIMD vectors, the last cols % width columns as one
// zero-padded vector. So a row of C is a function of that row of A alone,
// not of how many rows there are, of the pointer alignment or of the thread
// count: a sample's output does not change with the batch split. (Eigen does
// not promise this: its gebp kernel splits the depth sum over two
// accumulators in some panels, and products with M + N + K < 20 take a
// coefficient-wise path, so the same row can round differently in batches of
// 2 and 4.) The generic set runs on xsimd at the build's flags: without FMA
// instructions (x86-64-v2) its multiply-adds round twice, and xsimd 8.1's
// AVX-512 fma is x * y + z, which GCC fuses at -O2 and above but not at
// -O1; every row still goes through the same operations either way.
//
// Register blocking follows the set: 8 x 16..64 blocks with AVX-512's 32
// registers, 6 x 16 and 4 x 24 with AVX2's 16 (kernels/vector_kernels.ipp).
#include <cassert>

#include "sster/core/index.hpp"
#include "sster/nn/kernels/gemm_shape.hpp"
#include "sster/nn/kernels/vector_kernels.hpp"

namespace sster::kernels {

template <class T>
void small_gemm(const T* a, const T* b, T* c, const T* init, GemmInit mode, const GemmShape& s) {
  assert(s.rows >= 0 && s.cols >= 0 && s.depth >= 0);
  assert((s.b_packed || s.ldb >= s.cols) && s.ldc >= s.cols);
  assert(mode != GemmInit::row || init != nullptr);
  with_kernels<T>([&](auto k) { decltype(k)::template small_gemm<T>(a, b, c, init, mode, s); });
}

// B (s.depth x s.cols, row stride s.ldb; the columns whole vectors of the
// kernel set in use) packed for GemmShape::b_packed into `packed` (s.depth
// s.cols values): the layout of the set in use, which a product with
// b_packed must run under too. For a B that many products read, such as a
// wide layer's weights, which the packed path would otherwise copy into its
// panels on every call.
template <class T>
void pack_gemm_b(const T* b, const GemmShape& s, T* packed) {
  with_kernels<T>([&](auto k) { decltype(k)::template pack_gemm_b<T>(b, s, packed); });
}

// The instances (SSTER_COMPILED_RUNTIME, kernels/vector_kernels.hpp).
#define SSTER_SMALL_GEMM_INSTANCES_OF(EXTERN, T)                                                 \
  EXTERN template void small_gemm<T>(const T*, const T*, T*, const T*, GemmInit, const GemmShape&); \
  EXTERN template void pack_gemm_b<T>(const T*, const GemmShape&, T*);
#define SSTER_SMALL_GEMM_INSTANCES(EXTERN) \
  SSTER_SMALL_GEMM_INSTANCES_OF(EXTERN, float) SSTER_SMALL_GEMM_INSTANCES_OF(EXTERN, double)
SSTER_EXTERN_KERNELS(SSTER_SMALL_GEMM_INSTANCES)

}  // namespace sster::kernels
