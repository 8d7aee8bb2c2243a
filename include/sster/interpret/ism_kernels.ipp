// The vector loops of exact fast ISM for one kernel set: the body of a
// struct interpret/ism_kernels.hpp defines once per set, after `using O =`
// the set's operations (core/simd_ops.hpp). Not a header of its own: no
// include guard on purpose; everything is a static member so that the whole
// body compiles for the set's instructions.

// Vectors per column panel: with 32 registers up to 4, with 16 up to 2, so
// that a block of rows fits next to them.
static constexpr int most_vectors = O::registers >= 32 ? 4 : 2;

// Rows per block for NV vectors of columns: the accumulators, the weight
// vectors and a broadcast fill the register file.
template <int NV>
static constexpr int block_rows = std::min(max_block_rows, (O::registers - NV - 2) / NV);

// Calls fn(std::integral_constant<int, nv>, column) for panels of up to
// `most` vectors covering n padded columns.
template <int most, class Fn>
static void for_each_panel(index_t n, Fn&& fn) {
  for (index_t col = 0; col < n;) {
    const index_t nv = std::min<index_t>(most, (n - col) / O::width);
    [&]<int... v>(std::integer_sequence<int, v...>) {
      ((nv == v + 1 ? (fn(std::integral_constant<int, v + 1>{}, col), 0) : 0), ...);
    }(std::make_integer_sequence<int, most>{});
    col += nv * O::width;
  }
}

// The change of a convolution's output rows tb..tb+R-1 (kept in registers,
// NV vectors of columns each) from the input changes e..end:
// out[t] += d * w[r - t, c] for every change whose row r reaches the block.
// w and out point at the panel's first column; tap j of channel c starts
// at w + c * channel + j * ld (taps -(R-1)..W+R-2 exist, zero outside
// 0..W-1), row tb + i of out at out + i * ld; rows from `rows` on are
// computed and dropped. A change costs one broadcast and R x NV weight
// loads and FMAs, whichever rows it reaches: no branch per row, though
// about 1.4x the FMAs of the rows it reaches (with the branch-free
// collect_changes: 1.6x the sequences/s of testing every row and entry,
// on the default network at length 200), and the rows stay in registers
// for all changes (2-3x the throughput of adding every change to rows in
// memory).
template <int NV, int R>
static void conv_change_rows(const InputChange* e, const InputChange* end, index_t tb, index_t rows, index_t W,
                             const float* w, index_t channel, index_t ld, float* out) {
  using V = typename O::V;
  constexpr index_t width = O::width;
  V acc[R][NV];
#pragma GCC unroll 32
  for (int i = 0; i < R; ++i)
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v) acc[i][v] = i < rows ? O::load(out + i * ld + v * width) : O::set(0.0f);
  for (; e != end; ++e) {
    const index_t j0 = e->r - tb;  // the tap that reaches row tb
    if (j0 < 0 || j0 >= R + W - 1) continue;
    const float* wc = w + e->c * channel + j0 * ld;
    const V d = O::set(e->d);
#pragma GCC unroll 32
    for (int i = 0; i < R; ++i)
#pragma GCC unroll 8
      for (int v = 0; v < NV; ++v) acc[i][v] = O::fma(d, O::load(wc - i * ld + v * width), acc[i][v]);
  }
#pragma GCC unroll 32
  for (int i = 0; i < R; ++i)
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v)
      if (i < rows) O::store(out + i * ld + v * width, acc[i][v]);
}

// Conv output rows t0..t1 (out: row t0, rows kp apart) from `count`
// changes: column panels, and in each blocks of R rows going through every
// change (those out of a block's reach are skipped at once). w: tap 0 of
// channel 0, channels `channel` floats apart.
static void conv_change(const InputChange* changes, index_t count, index_t t0, index_t t1, index_t W, const float* w,
                        index_t channel, index_t kp, float* out) {
  for_each_panel<most_vectors>(kp, [&]<int NV>(std::integral_constant<int, NV>, index_t col) {
    constexpr int R = block_rows<NV>;
    for (index_t tb = t0; tb <= t1; tb += R)
      conv_change_rows<NV, R>(changes, changes + count, tb, std::min<index_t>(R, t1 - tb + 1), W, w + col, channel,
                              kp, out + (tb - t0) * kp + col);
  });
}

// out[0, NV vectors) += sum over changes of d * rows[c] (rows `ld` apart):
// a dense layer's pre-activations from its changed inputs, in registers.
template <int NV>
static void dense_change_panel(const InputChange* changes, index_t count, const float* rows, index_t ld, float* out) {
  using V = typename O::V;
  constexpr index_t width = O::width;
  V acc[NV];
#pragma GCC unroll 8
  for (int v = 0; v < NV; ++v) acc[v] = O::load(out + v * width);
  for (const InputChange* e = changes; e != changes + count; ++e) {
    const V d = O::set(e->d);
    const float* row = rows + e->c * ld;
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v) acc[v] = O::fma(d, O::load(row + v * width), acc[v]);
  }
#pragma GCC unroll 8
  for (int v = 0; v < NV; ++v) O::store(out + v * width, acc[v]);
}

// out[0, up) += the dense rows (up floats each) of the changed features.
static void dense_change(const InputChange* changes, index_t count, const float* rows, index_t up, float* out) {
  for_each_panel<8>(up, [&]<int NV>(std::integral_constant<int, NV>, index_t col) {
    dense_change_panel<NV>(changes, count, rows + col, up, out + col);
  });
}
