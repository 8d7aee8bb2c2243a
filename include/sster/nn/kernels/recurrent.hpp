#pragma once
// The element-wise cell updates of the recurrent layers (nn/lstm.hpp,
// nn/gru.hpp), written once for a scalar or an xsimd batch: for_lanes runs
// the body over whole vectors, then over a scalar tail with the same
// expression. Whether unit j is in a vector or in the tail depends only on H,
// so results stay independent of the batch split. The scalar instantiation is
// the reference. (Their matrix products run on kernels/small_gemm.hpp.)
#include <algorithm>
#include <cmath>
#include <type_traits>
#include <xsimd/xsimd.hpp>

#include "sster/core/simd.hpp"
#include "sster/core/tensor.hpp"

namespace sster::kernels {

namespace detail {
template <class V>
struct ScalarOf {
  using type = typename V::value_type;
};
template <class T>
requires std::is_floating_point_v<T>
struct ScalarOf<T> {
  using type = T;
};

template <class V>
struct Lane {
  using T = typename V::value_type;
  static V load(const T* p) { return V::load_unaligned(p); }
  static void store(T* p, const V& v) { v.store_unaligned(p); }
  static V tanh(const V& x) { return xsimd::tanh(x); }
  static V clamp01(const V& x) { return xsimd::min(xsimd::max(x, V(T{0})), V(T{1})); }
  static V where_open01(const V& y, const V& v) { return xsimd::select((y > V(T{0})) & (y < V(T{1})), v, V(T{0})); }
};
template <class T>
requires std::is_floating_point_v<T>
struct Lane<T> {
  static T load(const T* p) { return *p; }
  static void store(T* p, T v) { *p = v; }
  static T tanh(T x) { return std::tanh(x); }
  static T clamp01(T x) { return std::clamp(x, T{0}, T{1}); }
  static T where_open01(T y, T v) { return y > T{0} && y < T{1} ? v : T{0}; }
};

// Runs body.template operator()<V>(j) for j in [0, n): batches, then scalars.
template <class T, class Body>
void for_lanes(index_t n, Body&& body) {
  constexpr index_t w = static_cast<index_t>(simd::width<T>);
  index_t j = 0;
  for (; j + w <= n; j += w) body.template operator()<simd::batch<T>>(j);
  for (; j < n; ++j) body.template operator()<T>(j);
}
}  // namespace detail

// Keras' hard_sigmoid: clip(0.2 x + 0.5, 0, 1), for a scalar or a batch.
template <class V>
V hard_sigmoid(const V& x) {
  using S = typename detail::ScalarOf<V>::type;
  return detail::Lane<V>::clamp01(V(S(0.2)) * x + V(S(0.5)));
}
// Its derivative, read from the output y: 0.2 on the linear part, 0 where clipped.
template <class V>
V hard_sigmoid_grad(const V& y) {
  using S = typename detail::ScalarOf<V>::type;
  return detail::Lane<V>::where_open01(y, V(S(0.2)));
}

// LSTM step for one sample. a: (4H) pre-activations i, f, c, o, overwritten
// with the gate values i, f, g = tanh(a_c), o; cp: c_{t-1} (H) or null at the
// first step; writes c_t = f c_{t-1} + i g and h_t = o tanh(c_t).
template <class T>
void lstm_cell_forward(T* a, const T* cp, T* c, T* h, index_t H) {
  detail::for_lanes<T>(H, [&]<class V>(index_t j) {
    using L = detail::Lane<V>;
    const V i = hard_sigmoid(L::load(a + j)), f = hard_sigmoid(L::load(a + H + j));
    const V g = L::tanh(L::load(a + 2 * H + j)), o = hard_sigmoid(L::load(a + 3 * H + j));
    L::store(a + j, i);
    L::store(a + H + j, f);
    L::store(a + 2 * H + j, g);
    L::store(a + 3 * H + j, o);
    const V cj = (cp ? f * L::load(cp + j) : V(T{0})) + i * g;
    L::store(c + j, cj);
    L::store(h + j, o * L::tanh(cj));
  });
}

// Its backward. g: gate values (4H); c, cp: c_t and c_{t-1} (null at the
// first step); dh: loss gradient at h_t; dc: at c_t from step t+1 on entry,
// at c_{t-1} on return; d: (4H) gradient at the pre-activations.
template <class T>
void lstm_cell_backward(const T* g, const T* c, const T* cp, const T* dh, T* dc, T* d, index_t H) {
  detail::for_lanes<T>(H, [&]<class V>(index_t j) {
    using L = detail::Lane<V>;
    const V i = L::load(g + j), f = L::load(g + H + j), gc = L::load(g + 2 * H + j), o = L::load(g + 3 * H + j);
    const V one(T{1}), dhj = L::load(dh + j), tc = L::tanh(L::load(c + j));
    const V dcj = L::load(dc + j) + dhj * o * (one - tc * tc);
    L::store(d + j, dcj * gc * hard_sigmoid_grad(i));
    L::store(d + H + j, cp ? dcj * L::load(cp + j) * hard_sigmoid_grad(f) : V(T{0}));
    L::store(d + 2 * H + j, dcj * i * (one - gc * gc));
    L::store(d + 3 * H + j, dhj * tc * hard_sigmoid_grad(o));
    L::store(dc + j, dcj * f);
  });
}

// GRU step, first half. a: (3H) pre-activations; z and r (a[0, 2H)) become
// gate values; rh = r * hm, hm the masked h_{t-1}.
template <class T>
void gru_gates_forward(T* a, const T* hm, T* rh, index_t H) {
  detail::for_lanes<T>(H, [&]<class V>(index_t j) {
    using L = detail::Lane<V>;
    const V z = hard_sigmoid(L::load(a + j)), r = hard_sigmoid(L::load(a + H + j));
    L::store(a + j, z);
    L::store(a + H + j, r);
    L::store(rh + j, r * L::load(hm + j));
  });
}

// Second half: a[2H, 3H) (candidate pre-activation, U_h product added)
// becomes h~ = tanh(.); h_t = z h_{t-1} + (1 - z) h~, hp = h_{t-1} or null.
template <class T>
void gru_state_forward(T* a, const T* hp, T* h, index_t H) {
  detail::for_lanes<T>(H, [&]<class V>(index_t j) {
    using L = detail::Lane<V>;
    const V z = L::load(a + j), hc = L::tanh(L::load(a + 2 * H + j));
    L::store(a + 2 * H + j, hc);
    L::store(h + j, (hp ? z * L::load(hp + j) : V(T{0})) + (V(T{1}) - z) * hc);
  });
}

// Backward of gru_state_forward. dh: gradient at h_t on entry, its direct
// share z dh_t at h_{t-1} on return; writes d[0, H) (z) and d[2H, 3H) (h~).
template <class T>
void gru_state_backward(const T* g, const T* hp, T* dh, T* d, index_t H) {
  detail::for_lanes<T>(H, [&]<class V>(index_t j) {
    using L = detail::Lane<V>;
    const V z = L::load(g + j), hc = L::load(g + 2 * H + j), dhj = L::load(dh + j), one(T{1});
    L::store(d + j, dhj * ((hp ? L::load(hp + j) : V(T{0})) - hc) * hard_sigmoid_grad(z));
    L::store(d + 2 * H + j, dhj * (one - z) * (one - hc * hc));
    L::store(dh + j, dhj * z);
  });
}

// Backward through rh = r * hm. ds: gradient at rh; writes d[H, 2H) (r) and
// dhm = ds * r (gradient at hm through rh).
template <class T>
void gru_reset_backward(const T* g, const T* hm, const T* ds, T* d, T* dhm, index_t H) {
  detail::for_lanes<T>(H, [&]<class V>(index_t j) {
    using L = detail::Lane<V>;
    const V r = L::load(g + H + j), dsj = L::load(ds + j);
    L::store(d + H + j, dsj * L::load(hm + j) * hard_sigmoid_grad(r));
    L::store(dhm + j, dsj * r);
  });
}

}  // namespace sster::kernels
