#pragma once
// The folding kernels' row operations, vectorised over j: whole SIMD batches
// (xsimd, the widest the compiler flags allow), with no scalar tail. Rows
// therefore carry spare values: PaddedRows keeps `pad` values on either side
// of every row, filled like the row at reset and never written, so a batch
// may start up to `pad` values before a row and end up to `pad` values after
// it; Band keeps spare values past its last row. Values computed past a
// row's end are never read back as results.
#include <xsimd/xsimd.hpp>

#include <array>
#include <vector>

#include "sster/core/index.hpp"

namespace sster::fold {

template <class T>
class PaddedRows {
 public:
  static constexpr index_t pad = 64;
  void reset(index_t count, index_t width, T fill) {
    stride_ = width + 2 * pad;
    values_.assign(to_size(count * stride_), fill);
  }
  // Row r's value 0; values -pad .. width + pad - 1 may be read.
  T* row(index_t r) { return values_.data() + r * stride_ + pad; }

 private:
  index_t stride_ = 0;
  std::vector<T> values_;
};

// Values per SIMD batch of T.
template <class T>
inline constexpr index_t lanes = static_cast<index_t>(xsimd::batch<T>::size);

// v[k] = min(v[k], x[k] + add) for k < count, rounded up to whole batches.
inline void min_plus(int* v, const int* x, int add, index_t count) {
  using V = xsimd::batch<int>;
  const V a(add);
  for (index_t k = 0; k < count; k += lanes<int>) {
    const V m = xsimd::min(V::load_unaligned(v + k), V::load_unaligned(x + k) + a);
    m.store_unaligned(v + k);
  }
}

// v[k] = min(v[k], x[0][k] + add[0], ..., x[3][k] + add[3]): four gathers in one pass.
inline void min_plus4(int* v, const std::array<const int*, 4>& x, const std::array<int, 4>& add, index_t count) {
  using V = xsimd::batch<int>;
  const V a0(add[0]), a1(add[1]), a2(add[2]), a3(add[3]);
  for (index_t k = 0; k < count; k += lanes<int>) {
    const V m = xsimd::min(xsimd::min(V::load_unaligned(x[0] + k) + a0, V::load_unaligned(x[1] + k) + a1),
                           xsimd::min(V::load_unaligned(x[2] + k) + a2, V::load_unaligned(x[3] + k) + a3));
    xsimd::min(V::load_unaligned(v + k), m).store_unaligned(v + k);
  }
}

// g[k] = min(prev[k], x[k] + a, y[k] + b), then best[k] = min(best[k], g[k] + c):
// one step of the generic loops grown by size (fold/mfe_kernel.hpp).
inline void grow_min(int* g, const int* prev, const int* x, int a, const int* y, int b, int* best, int c, index_t count) {
  using V = xsimd::batch<int>;
  const V va(a), vb(b), vc(c);
  for (index_t k = 0; k < count; k += lanes<int>) {
    const V m = xsimd::min(V::load_unaligned(prev + k),
                           xsimd::min(V::load_unaligned(x + k) + va, V::load_unaligned(y + k) + vb));
    m.store_unaligned(g + k);
    xsimd::min(V::load_unaligned(best + k), m + vc).store_unaligned(best + k);
  }
}

// v[k] += a x[k] for k < count, rounded up to whole batches.
inline void axpy(double* v, const double* x, double a, index_t count) {
  using V = xsimd::batch<double>;
  const V va(a);
  for (index_t k = 0; k < count; k += lanes<double>) xsimd::fma(va, V::load_unaligned(x + k), V::load_unaligned(v + k)).store_unaligned(v + k);
}

// v[k] += a x[k] + b y[k] for k < count, rounded up to whole batches.
inline void axpy2(double* v, const double* x, double a, const double* y, double b, index_t count) {
  using V = xsimd::batch<double>;
  const V va(a), vb(b);
  for (index_t k = 0; k < count; k += lanes<double>) {
    const V r = xsimd::fma(vb, V::load_unaligned(y + k), xsimd::fma(va, V::load_unaligned(x + k), V::load_unaligned(v + k)));
    r.store_unaligned(v + k);
  }
}

// v[k] += a[0] x[0][k] + ... + a[3] x[3][k]: four gathers in one pass.
inline void axpy4(double* v, const std::array<const double*, 4>& x, const std::array<double, 4>& a, index_t count) {
  using V = xsimd::batch<double>;
  const V a0(a[0]), a1(a[1]), a2(a[2]), a3(a[3]);
  for (index_t k = 0; k < count; k += lanes<double>) {
    const V s = xsimd::fma(a1, V::load_unaligned(x[1] + k), a0 * V::load_unaligned(x[0] + k)) +
                xsimd::fma(a3, V::load_unaligned(x[3] + k), a2 * V::load_unaligned(x[2] + k));
    (V::load_unaligned(v + k) + s).store_unaligned(v + k);
  }
}

// g[k] = prev[k] + a x[k] + b y[k], then best[k] += c g[k]: one step of the
// generic loops grown by size (fold/partition_kernel.hpp).
inline void grow_sum(double* g, const double* prev, const double* x, double a, const double* y, double b,
                     double* best, double c, index_t count) {
  using V = xsimd::batch<double>;
  const V va(a), vb(b), vc(c);
  for (index_t k = 0; k < count; k += lanes<double>) {
    const V m = xsimd::fma(vb, V::load_unaligned(y + k), xsimd::fma(va, V::load_unaligned(x + k), V::load_unaligned(prev + k)));
    m.store_unaligned(g + k);
    xsimd::fma(vc, m, V::load_unaligned(best + k)).store_unaligned(best + k);
  }
}

// The sum of x[k] y[k] for k < count, rounded up to whole batches (so x or y
// must be 0 past count), added batch-wise in order, then across the batch.
inline double dot(const double* x, const double* y, index_t count) {
  using V = xsimd::batch<double>;
  V sum(0.0);
  for (index_t k = 0; k < count; k += lanes<double>) sum = xsimd::fma(V::load_unaligned(x + k), V::load_unaligned(y + k), sum);
  return xsimd::hadd(sum);
}

}  // namespace sster::fold
