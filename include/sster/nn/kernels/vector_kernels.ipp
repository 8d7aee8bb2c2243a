// The vector kernels of one kernel set: the body of a struct that
// nn/kernels/vector_kernels.hpp defines once per set (for that set's
// instructions, SSTER_TARGET_BEGIN), after `template <class T> using Ops =
// ...` (core/simd_ops.hpp). Not a header of its own: it has no include guard on
// purpose. Everything is a static member template, so the whole body
// compiles for the set's instructions and nothing in it is shared between
// sets.

// ---------------------------------------------------------------- GEMM
// (see kernels/small_gemm.hpp for what it computes and why this way)

// Vectors per column panel for `left` vectors of columns: with 32 registers
// up to 4 (8 x 4 blocks, 16 floats each: the AVX-512 kernels), with 16 up to
// 3 (the 6 x 16 and 4 x 24 tiles of 8-float AVX2). Leftovers become the
// widest panels that avoid a thin last one (AVX-512: 5 -> 3 + 2, 6 -> 3 + 3;
// AVX2: 4 -> 2 + 2).
template <class T>
static int panel_vectors(index_t left) {
  if (Ops<T>::registers >= 32) return left >= 4 && left != 5 && left != 6 ? 4 : left >= 3 ? 3 : static_cast<int>(left);
  return left >= 3 && left != 4 ? 3 : left >= 2 ? 2 : 1;
}

// Rows per block for NV vectors of columns: as many accumulators as the
// register file holds next to NV B vectors and a broadcast (measured on
// Zen 5: 8 x 2 runs at ~85% of the FMA peak, 12 x 2 no faster).
template <class T, int NV>
static constexpr int block_rows = std::min(8, (Ops<T>::registers - NV - 1) / NV);

// One R x NV*width block of C over the whole depth. Never inlined: inlined
// into the packed path's loops, GCC 12 ran out of general registers and kept
// the row offsets and the depth counter on the stack, a load per broadcast
// and a store-to-load chain per step (the AVX2 kernel_num 300 convolutions ran
// 40% faster on Zen 3 once it was compiled on its own).
template <class T, int R, int NV>
__attribute__((noinline)) static void gemm_block(const T* a, const T* b, T* c, const T* init, GemmInit mode,
                                                 const GemmShape& s) {
  using O = Ops<T>;
  using V = typename O::V;
  constexpr index_t w = O::width;
  V acc[R][NV];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v)
      acc[r][v] = mode == GemmInit::accumulate ? O::loadu(c + r * s.ldc + v * w)
                  : mode == GemmInit::row      ? O::loadu(init + v * w)
                                               : O::set(T{0});
  const index_t a_row = s.a_row, a_col = s.a_col, ldb = s.ldb;
  for (index_t q = 0; q < s.depth; ++q) {
    V bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) bv[v] = O::loadu(b + q * ldb + v * w);
    const T* aq = a + q * a_col;
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const V av = O::set(aq[r * a_row]);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) acc[r][v] = O::fma(av, bv[v], acc[r][v]);
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) O::storeu(c + r * s.ldc + v * w, acc[r][v]);
}

// One block of `height` rows, 1 <= height <= R, by its kernel.
template <class T, int NV, int R>
static void gemm_block_of(index_t height, const T* a, const T* b, T* c, const T* init, GemmInit mode,
                          const GemmShape& s) {
  if constexpr (R > 1) {
    if (height < R) return gemm_block_of<T, NV, R - 1>(height, a, b, c, init, mode, s);
  }
  gemm_block<T, R, NV>(a, b, c, init, mode, s);
}

// Rows [0, rows) in as few blocks of at most R as cover them, of heights as
// even as can be. The FMA latency needs about 8 independent accumulators:
// 13 rows as 6 + 6 + 1 leave the last block 2 chains (NV = 2), a quarter of
// the peak for a thirteenth of the rows (a fifth of a kernel_num 300
// prediction's time on AVX2), where 4 + 4 + 5 keep every block at full speed.
template <class T, int NV, int R = block_rows<T, NV>>
static void gemm_rows(index_t rows, const T* a, const T* b, T* c, const T* init, GemmInit mode, const GemmShape& s) {
  const index_t blocks = (rows + R - 1) / R;
  for (index_t i = 0, r0 = 0; i < blocks; ++i) {
    const index_t height = (rows - r0) / (blocks - i);
    gemm_block_of<T, NV, R>(height, a + r0 * s.a_row, b, c + r0 * s.ldc, init, mode, s);
    r0 += height;
  }
}

// Depth rows of a B panel kept in cache while every row block of A passes:
// 128 KB of B per panel (pysster's default conv, depth 750 x 32 columns,
// fits whole; kernel_num 300 would stream 9 MB per row block without it).
template <class T>
static constexpr index_t depth_block(index_t panel_cols) {
  return std::max<index_t>(64, (index_t{128} << 10) / (panel_cols * static_cast<index_t>(sizeof(T))));
}

template <class T, int NV>
static void gemm_panel(const T* a, const T* b, T* c, const T* init, GemmInit mode, const GemmShape& s) {
  constexpr index_t kc = depth_block<T>(NV * Ops<T>::width);
  if (s.depth <= kc) {
    gemm_rows<T, NV>(s.rows, a, b, c, init, mode, s);
    return;
  }
  for (index_t q = 0; q < s.depth; q += kc) {  // later depth blocks add to C
    GemmShape part = s;
    part.depth = std::min(kc, s.depth - q);
    gemm_rows<T, NV>(s.rows, a + q * s.a_col, b + q * s.ldb, c, init, q == 0 ? mode : GemmInit::accumulate, part);
  }
}

// The packed path for products too large to stay in cache (wide layers:
// kernel_num 100-300 makes B megabytes) and for batches of samples
// (GemmShape's groups): blocks of kc depth x nc columns of B are copied into
// panels of NV vectors, each kc deep (32 KB with 32 registers, 16 KB with
// 16: L1), and every block of rows passes each panel while it stays in L1.
// A is read in place as on the plain path (a convolution's windows are
// contiguous along the depth, its transpose along the rows, so the prefetcher
// streams them); a block of rows or of depth never crosses a sample of a
// batch. Each element of C still is one chain of FMAs in depth order (the
// depth blocks store and reload C, which rounds nothing), so both paths give
// the same bits. Panels of NV = 4 vectors x 6 rows with 32 registers
// (6 x 64 floats), 2 vectors x 6 rows with 16 (6 x 16).
template <class T>
static constexpr int packed_nv = Ops<T>::registers >= 32 ? 4 : 2;
template <class T>
static constexpr int packed_mr = block_rows<T, packed_nv<T>>;
template <class T>
static constexpr index_t packed_kc = (Ops<T>::registers >= 32 ? 32 << 10 : 16 << 10) /
                                     (packed_nv<T> * Ops<T>::width * static_cast<index_t>(sizeof(T)));
template <class T>  // rows per pass over the panels of a B block: A's rows stay in L2 meanwhile
static constexpr index_t packed_mc = 16 * packed_mr<T>;
template <class T>  // columns per B block: 200-260 KB (L2), most layers in one
static constexpr index_t packed_nc = (Ops<T>::registers >= 32 ? 6 : 16) * packed_nv<T> * Ops<T>::width;

template <class T>
static bool use_packed(const GemmShape& s) {
  // (With no depth, A is not read: the plain path sets C for batches too.)
  return s.depth > 0 && (s.batched() || (s.rows >= 4 * packed_mr<T> && wide_product<T>(s.depth, s.cols)));
}

// B (depth [q0, q0 + kc), columns [j0, j0 + nc), nc whole vectors) into
// panels of NV vectors (fewer for the last), each kc x its width.
template <class T>
static void pack_b(const T* b, const GemmShape& s, index_t q0, index_t kc, index_t j0, index_t nc, T* bp) {
  constexpr index_t nr_max = packed_nv<T> * Ops<T>::width;
  for (index_t j = 0; j < nc; j += nr_max) {
    const index_t nr = std::min(nr_max, nc - j);
    T* panel = bp + j * kc;
    for (index_t q = 0; q < kc; ++q) std::copy_n(b + (q0 + q) * s.ldb + j0 + j, nr, panel + q * nr);
  }
}

// Rows [r0, r0 + rows) (one sample of a batch) against every panel of the
// packed B block; `a` points at A[r0][q0].
template <class T>
static void packed_rows(const T* a, const T* bp, T* c, const T* init, GemmInit mode, const GemmShape& s,
                        index_t rows, index_t kc, index_t nc) {
  constexpr index_t w = Ops<T>::width, MR = packed_mr<T>, MC = packed_mc<T>;
  for (index_t m0 = 0; m0 < rows; m0 += MC) {
    const index_t mc = std::min(MC, rows - m0);
    for (index_t j = 0; j < nc; j += packed_nv<T> * w) {
      const index_t nr = std::min(packed_nv<T> * w, nc - j), nv = nr / w;
      const GemmShape m{.rows = mc, .cols = nr, .depth = kc, .a_row = s.a_row, .a_col = s.a_col, .ldb = nr, .ldc = s.ldc};
      const T* am = a + m0 * s.a_row;
      const T* bj = bp + j * kc;
      const T* ij = mode == GemmInit::row ? init + j : init;
      T* cm = c + m0 * s.ldc + j;
      if constexpr (packed_nv<T> >= 4) {
        if (nv == 4) gemm_rows<T, 4, MR>(mc, am, bj, cm, ij, mode, m);
        if (nv == 3) gemm_rows<T, 3, MR>(mc, am, bj, cm, ij, mode, m);
      }
      if (nv == 2) gemm_rows<T, 2, MR>(mc, am, bj, cm, ij, mode, m);
      if (nv == 1) gemm_rows<T, 1, MR>(mc, am, bj, cm, ij, mode, m);
    }
  }
}

// The blocks of B the packed path visits, in order: f(j0, nc, q0, kc) for
// the columns [j0, j0 + nc) (whole vectors) and the depth [q0, q0 + kc), a
// depth block never crossing a sample of a depth-batched A.
template <class T, class F>
static void for_each_b_block(const GemmShape& s, index_t vector_cols, F&& f) {
  constexpr index_t KC = packed_kc<T>, NC = packed_nc<T>;
  const index_t depth_run = s.depth_group > 0 ? s.depth_group : s.depth;
  for (index_t j0 = 0; j0 < vector_cols; j0 += NC) {
    const index_t nc = std::min(NC, vector_cols - j0);
    for (index_t q0 = 0; q0 < s.depth;) {
      const index_t kc = std::min({KC, s.depth - q0, depth_run - q0 % depth_run});
      f(j0, nc, q0, kc);
      q0 += kc;
    }
  }
}

// B (every column: whole vectors) packed whole, block (j0, q0) at
// j0 depth + q0 nc as the packed path visits them: for a B that many
// products read (GemmShape::b_packed), which then read its panels in place.
template <class T>
static void pack_gemm_b(const T* b, const GemmShape& s, T* packed) {
  assert(s.cols % Ops<T>::width == 0);
  for_each_b_block<T>(s, s.cols, [&](index_t j0, index_t nc, index_t q0, index_t kc) {
    pack_b(b, s, q0, kc, j0, nc, packed + j0 * s.depth + q0 * nc);
  });
}

template <class T>
static void packed_gemm(const T* a, const T* b, T* c, const T* init, GemmInit mode, const GemmShape& s,
                        index_t vector_cols) {
  static thread_local AlignedVector<T> bp;
  if (!s.b_packed) bp.resize(to_size(packed_kc<T> * packed_nc<T>));
  const index_t row_run = s.row_group > 0 ? s.row_group : s.rows;
  for_each_b_block<T>(s, vector_cols, [&](index_t j0, index_t nc, index_t q0, index_t kc) {
    const T* panels = s.b_packed ? b + j0 * s.depth + q0 * nc : bp.data();
    if (!s.b_packed) pack_b(b, s, q0, kc, j0, nc, bp.data());
    const GemmInit block_mode = q0 == 0 ? mode : GemmInit::accumulate;
    const T* init_j = block_mode == GemmInit::row ? init + j0 : init;
    for (index_t r0 = 0; r0 < s.rows; r0 += row_run)
      packed_rows(a + s.row_offset(r0) + s.depth_offset(q0), panels, c + r0 * s.ldc + j0, init_j, block_mode, s,
                  std::min(row_run, s.rows - r0), kc, nc);
  });
}

template <class T>
static void small_gemm(const T* a, const T* b, T* c, const T* init, GemmInit mode, const GemmShape& s) {
  constexpr index_t w = Ops<T>::width;
  const index_t vector_cols = s.cols - s.cols % w;
  assert(!s.b_packed || vector_cols == s.cols);
  if (s.b_packed || use_packed<T>(s)) {
    packed_gemm(a, b, c, init, mode, s, vector_cols);
  } else {
    // Column panels of whole vectors: B's row segment stays in registers
    // while A's broadcasts are reused across the panel.
    for (index_t j = 0; j < vector_cols;) {
      const int nv = panel_vectors<T>((vector_cols - j) / w);
      const T* bj = b + j;
      T* cj = c + j;
      const T* ij = mode == GemmInit::row ? init + j : init;
      if constexpr (Ops<T>::registers >= 32) {
        if (nv == 4) gemm_panel<T, 4>(a, bj, cj, ij, mode, s);
      }
      if (nv == 3) gemm_panel<T, 3>(a, bj, cj, ij, mode, s);
      else if (nv == 2) gemm_panel<T, 2>(a, bj, cj, ij, mode, s);
      else if (nv == 1) gemm_panel<T, 1>(a, bj, cj, ij, mode, s);
      j += nv * w;
    }
  }
  if (vector_cols < s.cols) gemm_tail(a, b, c, init, mode, s, vector_cols);
}

// Columns [j0, cols), fewer than a vector (a dense layer's 100 units, its 2
// classes, a recurrent layer's 4H), as one vector: B's and C's tail copied
// to buffers a vector wide and zero-padded (the padding lanes compute zeros
// nobody reads), run through small_gemm and copied back. Each element still
// is one chain of FMAs in depth order, so the bits equal small_gemm_ref's.
template <class T>
static void gemm_tail(const T* a, const T* b, T* c, const T* init, GemmInit mode, const GemmShape& s, index_t j0) {
  constexpr index_t w = Ops<T>::width;
  const index_t n = s.cols - j0;
  static thread_local AlignedVector<T> bt, ct, it;
  bt.assign(to_size(s.depth * w), T{0});
  for (index_t q = 0; q < s.depth; ++q) std::copy_n(b + q * s.ldb + j0, n, bt.data() + q * w);
  ct.assign(to_size(s.rows * w), T{0});
  if (mode == GemmInit::accumulate)
    for (index_t r = 0; r < s.rows; ++r) std::copy_n(c + r * s.ldc + j0, n, ct.data() + r * w);
  it.assign(to_size(w), T{0});
  if (mode == GemmInit::row) std::copy_n(init + j0, n, it.data());
  GemmShape padded = s;
  padded.cols = padded.ldb = padded.ldc = w;
  small_gemm(a, bt.data(), ct.data(), it.data(), mode, padded);
  for (index_t r = 0; r < s.rows; ++r) std::copy_n(ct.data() + r * w, n, c + r * s.ldc + j0);
}

// ------------------------------------------------- conv epilogues

// Pool the padded conv output of one sample (bias included) into y (Lp, K)
// and argmax (Lp, K), applying ReLU after the max. Whole vectors over the
// padded row (the first maximum wins: strict >, as in Keras), stored
// straight into the rows of K of y and argmax where a whole padded row fits
// in the `room` values from y's and argmax's start to their buffers' ends
// (see spill_rows), through tmp (Kp) and tmp_argmax (Kp) for the rest. The
// winner's offset i < size within its window rides along as a T (exact) and
// becomes the winner's row, an int32, on the way to memory.
template <class T>
static void pool_epilogue(const T* conv, index_t lo, index_t K, index_t Kp, const FusedPool& p, T* y,
                          std::int32_t* argmax, index_t room, T* tmp, std::int32_t* tmp_argmax) {
  using O = Ops<T>;
  using V = typename O::V;
  constexpr index_t w = O::width;
  assert(Kp % w == 0 && Kp >= K);
  assert(reinterpret_cast<std::uintptr_t>(conv) % (w * sizeof(T)) == 0);
  const index_t direct = spill_rows(p.out_len(lo), K, Kp, room);
  const V floor = O::set(p.relu ? T{0} : -std::numeric_limits<T>::infinity());
  for (index_t u = 0; u < p.out_len(lo); ++u) {
    const index_t first = u * p.stride;
    const bool spill = u < direct;
    assert(!spill || u * K + Kp <= room);
    T* yu = spill ? y + u * K : tmp;
    std::int32_t* au = spill ? argmax + u * K : tmp_argmax;
    for (index_t v = 0; v < Kp; v += w) {
      V m = O::load(conv + first * Kp + v), a = O::set(T{0});
      T offset = 0;  // a counter as T: no int-to-float conversion in the loop
      for (index_t i = 1; i < p.size; ++i) {
        const V r = O::load(conv + (first + i) * Kp + v);
        const auto win = O::gt(r, m);
        m = O::select(win, r, m);
        a = O::select(win, O::set(offset += T{1}), a);
      }
      O::storeu(yu + v, O::max(m, floor));
      O::store_rows(a, first, au + v);
    }
    if (!spill) {
      std::copy_n(tmp, K, y + u * K);
      std::copy_n(tmp_argmax, K, argmax + u * K);
    }
  }
}

// Backward of pool_epilogue: one sample's pre-activation gradient g (lo, Kp),
// zero except at the winners whose pooled output passed the ReLU; columns
// K..Kp zero too. gy, y, argmax are read as whole padded rows where those fit
// in the `room` values to their buffers' ends (see spill_rows), through
// tmp (2, Kp) and tmp_argmax (Kp) for the rest.
template <class T>
static void unpool_gradient(const T* gy, const T* y, const std::int32_t* argmax, index_t lo, index_t K, index_t Kp,
                            const FusedPool& p, T* g, index_t room, T* tmp, std::int32_t* tmp_argmax) {
  using O = Ops<T>;
  using V = typename O::V;
  constexpr index_t w = O::width;
  assert(Kp % w == 0 && Kp >= K);
  assert(reinterpret_cast<std::uintptr_t>(g) % (w * sizeof(T)) == 0);
  const index_t lp = p.out_len(lo), direct = spill_rows(lp, K, Kp, room);
  const T floor = p.relu ? T{0} : -std::numeric_limits<T>::infinity();
  if (p.size != p.stride) {  // windows overlap or leave gaps: scatter
    std::fill_n(g, lo * Kp, T{0});
    for (index_t u = 0; u < lp; ++u)
      for (index_t k = 0; k < K; ++k) {
        const index_t i = u * K + k;
        assert(argmax[i] >= u * p.stride && argmax[i] < u * p.stride + p.size);  // a row of the window
        if (y[i] > floor) g[argmax[i] * Kp + k] += gy[i];
      }
    return;
  }
  // Windows tile the rows: each row of g is one select per vector. Lanes
  // K..Kp read the next row's values (or tmp's padding) and are masked off.
  const V vfloor = O::set(floor), zero = O::set(T{0});
  // The columns < K of the last vector: lanes K..Kp read the next row.
  const auto tail = [&] {
    alignas(64) T lane[w];
    for (index_t i = 0; i < w; ++i) lane[i] = static_cast<T>(Kp - w + i);
    return O::gt(O::set(static_cast<T>(K)), O::load(lane));
  }();
  std::fill_n(tmp, 2 * Kp, T{0});
  std::fill_n(tmp_argmax, Kp, 0);
  for (index_t u = 0; u < lp; ++u) {
    const index_t first = u * p.stride;
    const bool spill = u < direct;
    assert(!spill || u * K + Kp <= room);
    const T* gu = gy + u * K;
    const T* yu = y + u * K;
    const std::int32_t* au = argmax + u * K;
    if (!spill) {
      std::copy_n(gu, K, tmp);
      std::copy_n(yu, K, tmp + Kp);
      std::copy_n(au, K, tmp_argmax);
      gu = tmp;
      yu = tmp + Kp;
      au = tmp_argmax;
    }
    for (index_t v = 0; v < Kp; v += w) {
      const V gv = O::loadu(gu + v), av = O::load_offsets(au + v, first);
      auto valid = O::gt(O::loadu(yu + v), vfloor);
      if (v + w == Kp) valid = O::both(valid, tail);
      const V pass = O::select(valid, gv, zero);
      T offset = 0;
      for (index_t i = 0; i < p.size; ++i, offset += T{1})
        O::store(g + (first + i) * Kp + v, O::select(O::eq(av, O::set(offset)), pass, zero));
    }
  }
  std::fill(g + lp * p.stride * Kp, g + lo * Kp, T{0});  // rows after the last window
}

// Inverted dropout of one sample's n values: y = x * scale where number e of
// key's 24-bit stream keeps value e (at least `threshold`, as Dropout::keep
// says), else 0; keep[e] = 1 or 0 says which, for the backward pass. A vector
// of the set's width at a time in GCC's vector extensions, which compile to
// the set's instructions. The key comes by value: through a reference it is
// reloaded for every vector, as the stores might change it.
template <class T, class E>
struct Lanes {  // GCC takes a dependent vector_size only in a typedef like this
  typedef E type __attribute__((vector_size(Ops<T>::width * sizeof(E))));
};
template <class T>
using LaneMask = typename Lanes<T, std::conditional_t<sizeof(T) == 4, std::int32_t, std::int64_t>>::type;
template <class T>
using LaneFlags = typename Lanes<T, std::uint8_t>::type;  // a byte per lane
template <class T>
struct MaskBytes {  // a LaneMask's bytes
  typedef std::uint8_t type __attribute__((vector_size(Ops<T>::width * sizeof(T))));
};
// A mask's lanes (all ones or zero) as a byte each (1 or 0), and back, by
// byte shuffles: GCC turns __builtin_convertvector between them into a
// scalar loop per lane. The masks pass by reference: a 64-byte vector passed
// by value has another ABI where AVX-512 is off (GCC's -Wpsabi note for the
// emulated set).
template <class T, std::size_t... I>
static LaneFlags<T> flags_of(const LaneMask<T>& mask, std::index_sequence<I...>) {
  const auto bytes = (typename MaskBytes<T>::type)mask;
  return __builtin_shufflevector(bytes, bytes, (I * sizeof(T))...) & 1;
}
// The flags of a vector's lanes (at most 16 bytes) read from memory as 64-bit
// integers into a 16-byte block, the block copied into every 16-byte lane
// and each mask byte taken from its own lane's copy (an in-lane byte
// shuffle). Read as a small vector instead, GCC went through the stack: a
// narrow store and a wide load of the same bytes, which stalls (60% of the
// loop's time).
template <class T, std::size_t... I>
static void mask_of(const std::uint8_t* flags, LaneMask<T>& mask, std::index_sequence<I...>) {
  constexpr std::size_t lanes = Ops<T>::width;
  static_assert(lanes <= 16);
  typedef std::uint64_t Halves __attribute__((vector_size(16)));
  typedef std::uint8_t Block __attribute__((vector_size(16)));
  std::uint64_t lo = 0, hi = 0;
  std::memcpy(&lo, flags, std::min<std::size_t>(lanes, 8));
  if constexpr (lanes > 8) std::memcpy(&hi, flags + 8, lanes - 8);
  const auto block = (Block)Halves{lo, hi};
  const auto copies = __builtin_shufflevector(block, block, (I % 16)...);
  mask = (LaneMask<T>)__builtin_shufflevector(copies, copies, (I / 16 * 16 + I / sizeof(T))...) != 0;
}

template <class T>
static void dropout(RandomKey key, std::uint32_t threshold, T scale, const T* x, T* y, std::uint8_t* keep,
                    index_t n) {
  constexpr index_t lanes = Ops<T>::width;
  using Counters = typename Lanes<T, std::uint32_t>::type;
  using Values = typename Lanes<T, T>::type;
  Counters counter{};
  for (index_t i = 0; i < lanes; ++i) counter[i] = static_cast<std::uint32_t>(i);
  index_t e = 0;
  for (; e + lanes <= n; e += lanes, counter += static_cast<std::uint32_t>(lanes)) {
    Counters bits = counter;
    key.draw24(bits);
    const auto signed_bits = (typename Lanes<T, std::int32_t>::type)bits;  // 24 bits fit a signed compare
    const LaneMask<T> kept = __builtin_convertvector(signed_bits >= static_cast<std::int32_t>(threshold), LaneMask<T>);
    Values v;
    std::memcpy(&v, x + e, sizeof v);
    v *= scale;
    const LaneMask<T> out = (LaneMask<T>)v & kept;  // 0.0 where dropped (a vector cast keeps the bits)
    std::memcpy(y + e, &out, sizeof out);
    const LaneFlags<T> flags = flags_of<T>(kept, std::make_index_sequence<lanes>{});
    std::memcpy(keep + e, &flags, sizeof flags);
  }
  for (; e < n; ++e) {
    keep[e] = key.bits24(static_cast<std::uint32_t>(e)) >= threshold;
    y[e] = keep[e] ? x[e] * scale : T{0};
  }
}

// The gradient through that dropout: g_in = g * scale where keep, else 0.
template <class T>
static void dropout_backward(const std::uint8_t* keep, T scale, const T* g, T* g_in, index_t n) {
  constexpr index_t lanes = Ops<T>::width;
  using Values = typename Lanes<T, T>::type;
  index_t e = 0;
  for (; e + lanes <= n; e += lanes) {
    Values v;
    std::memcpy(&v, g + e, sizeof v);
    v *= scale;
    LaneMask<T> kept;
    mask_of<T>(keep + e, kept, std::make_index_sequence<lanes * sizeof(T)>{});
    const LaneMask<T> out = (LaneMask<T>)v & kept;
    std::memcpy(g_in + e, &out, sizeof out);
  }
  for (; e < n; ++e) g_in[e] = keep[e] ? g[e] * scale : T{0};
}

// acc (Kp) += the sum of the rows of g (rows, Kp), in row order. The running
// sum stays in a register: through memory every add would wait for the
// previous one's store.
template <class T>
static void add_rows(const T* g, index_t rows, index_t Kp, T* acc) {
  using O = Ops<T>;
  assert(Kp % O::width == 0);
  for (index_t v = 0; v < Kp; v += O::width) {
    auto sum = O::load(acc + v);
    for (index_t r = 0; r < rows; ++r) sum = O::add(sum, O::load(g + r * Kp + v));
    O::store(acc + v, sum);
  }
}

// ------------------------------------------- gather convolution
// (see kernels/gather_conv1d.hpp)

// R output rows x NV vectors from the table, summed over the W taps. (A
// table of the summed weights of tap pairs, (W/2, (C+1)^2, Kp), halves the
// loads at inference, but at 41 KB next to the output block it misses L1:
// measured no faster at pysster's defaults, so not kept.)
template <class T, int R, int NV, bool Scaled>
static void gather_block(const std::int32_t* off, const T* scale, const T* table, index_t tap_stride, index_t W,
                         const T* bias, T* y, index_t ldy) {
  using O = Ops<T>;
  using V = typename O::V;
  constexpr index_t w = O::width;
  V acc[R][NV];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[r][v] = O::load(bias + v * w);
  for (index_t j = 0; j < W; ++j) {
    const T* tj = table + j * tap_stride;
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const T* row = tj + off[r + j];
      if constexpr (Scaled) {
        const V sv = O::set(scale[r + j]);
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) acc[r][v] = O::fma(sv, O::load(row + v * w), acc[r][v]);
      } else {
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) acc[r][v] = O::add(acc[r][v], O::load(row + v * w));
      }
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) O::store(y + r * ldy + v * w, acc[r][v]);
}

// The table rows come from memory (no B registers): a broadcast of the scale
// and the accumulators fill the register file.
template <class T, int NV>
static constexpr int gather_rows_per_block = std::min(8, (Ops<T>::registers - 2) / NV);

template <class T, int NV, bool Scaled, int R = gather_rows_per_block<T, NV>>
static void gather_rows(index_t rows, const std::int32_t* off, const T* scale, const T* table, index_t tap_stride,
                        index_t W, const T* bias, T* y, index_t ldy) {
  index_t r0 = 0;
  for (; r0 + R <= rows; r0 += R)
    gather_block<T, R, NV, Scaled>(off + r0, Scaled ? scale + r0 : scale, table, tap_stride, W, bias, y + r0 * ldy, ldy);
  if constexpr (R > 1) {
    if (rows - r0 > 0)
      gather_rows<T, NV, Scaled, R - 1>(rows - r0, off + r0, Scaled ? scale + r0 : scale, table, tap_stride, W, bias,
                                        y + r0 * ldy, ldy);
  }
}

// One sample's padded output (lo, Kp), bias included, from the (W, C+1, Kp)
// table and the per-position symbol row offsets.
template <class T, bool Scaled>
static void gather_sample(const std::int32_t* off, const T* scale, const T* table, index_t C, index_t W, index_t lo,
                          index_t Kp, const T* bias, T* y) {
  constexpr index_t w = Ops<T>::width;
  // Every row load and store is aligned: table, bias and y start on a vector, rows are Kp apart.
  assert(Kp % w == 0);
  assert(reinterpret_cast<std::uintptr_t>(table) % (w * sizeof(T)) == 0 &&
         reinterpret_cast<std::uintptr_t>(bias) % (w * sizeof(T)) == 0 &&
         reinterpret_cast<std::uintptr_t>(y) % (w * sizeof(T)) == 0);
  const index_t tap_stride = (C + 1) * Kp;
  for (index_t j = 0; j < Kp;) {
    const int nv = panel_vectors<T>((Kp - j) / w);
    if constexpr (Ops<T>::registers >= 32) {
      if (nv == 4) gather_rows<T, 4, Scaled>(lo, off, scale, table + j, tap_stride, W, bias + j, y + j, Kp);
    }
    if (nv == 3) gather_rows<T, 3, Scaled>(lo, off, scale, table + j, tap_stride, W, bias + j, y + j, Kp);
    else if (nv == 2) gather_rows<T, 2, Scaled>(lo, off, scale, table + j, tap_stride, W, bias + j, y + j, Kp);
    else if (nv == 1) gather_rows<T, 1, Scaled>(lo, off, scale, table + j, tap_stride, W, bias + j, y + j, Kp);
    j += nv * w;
  }
}

// Backward, per symbol: dW[j][c] = sum over positions p holding c of
// scale[p] * g[p - j]. For one symbol and a block of JB taps the JB rows of
// dW stay in registers while the positions of that symbol pass, each adding
// the JB gradient rows p - j0 - jj (a load and an FMA per vector, no store).
// A scatter of every gradient row into the W table rows it touched would
// store as often as it loads, and stores are the slower port: the whole
// backward of a chunk of 32 at pysster's defaults took 0.125 ms that way,
// 0.085 ms this way (Zen 5, one thread).
//   gb: the gradient with W-1 zero rows on both sides, (lo + 2(W-1), Kp),
//       offset by (W-1-j0) rows, so tap j0 + jj of position p reads row p - jj
//   dw: table row (j0, c), taps tap_stride apart; both at the panel's column
template <class T, int NV, int JB, bool Scaled>
static void symbol_taps(const std::int32_t* pos, index_t count, const T* scale, const T* gb, index_t Kp, T* dw,
                        index_t tap_stride) {
  using O = Ops<T>;
  using V = typename O::V;
  constexpr index_t w = O::width;
  V acc[JB][NV];
#pragma GCC unroll 16
  for (int jj = 0; jj < JB; ++jj)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[jj][v] = O::load(dw + jj * tap_stride + v * w);
  for (index_t i = 0; i < count; ++i) {
    const index_t p = pos[i];
    const T* row = gb + p * Kp;
    if constexpr (Scaled) {
      const V sv = O::set(scale[p]);
#pragma GCC unroll 16
      for (int jj = 0; jj < JB; ++jj)
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) acc[jj][v] = O::fma(sv, O::load(row - jj * Kp + v * w), acc[jj][v]);
    } else {
#pragma GCC unroll 16
      for (int jj = 0; jj < JB; ++jj)
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) acc[jj][v] = O::add(acc[jj][v], O::load(row - jj * Kp + v * w));
    }
  }
#pragma GCC unroll 16
  for (int jj = 0; jj < JB; ++jj)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) O::store(dw + jj * tap_stride + v * w, acc[jj][v]);
}

// Taps [0, W) of one symbol in blocks of JB, the remainder by one smaller block.
template <class T, int NV, bool Scaled, int JB>
static void symbol_tap_blocks(index_t W, const std::int32_t* pos, index_t count, const T* scale, const T* gb,
                              index_t Kp, T* dw, index_t tap_stride) {
  index_t j0 = 0;
  for (; j0 + JB <= W; j0 += JB)
    symbol_taps<T, NV, JB, Scaled>(pos, count, scale, gb - j0 * Kp, Kp, dw + j0 * tap_stride, tap_stride);
  if constexpr (JB > 1) {
    if (W - j0 > 0)
      symbol_tap_blocks<T, NV, Scaled, JB - 1>(W - j0, pos, count, scale, gb - j0 * Kp, Kp, dw + j0 * tap_stride,
                                               tap_stride);
  }
}

// The most taps a block holds in registers for NV vectors of columns.
template <class T, int NV>
static constexpr int max_tap_block = std::min(12, (Ops<T>::registers - 6) / NV);

// Blocks of equal size (25 taps: 9 + 9 + 7, not 12 + 12 + 1): every pass over
// the positions then carries as many taps as the others.
template <class T, int NV, bool Scaled, int JB = max_tap_block<T, NV>>
static void symbol_taps_balanced(index_t jb, index_t W, const std::int32_t* pos, index_t count, const T* scale,
                                 const T* gb, index_t Kp, T* dw, index_t tap_stride) {
  if constexpr (JB > 1) {
    if (jb < JB) {
      symbol_taps_balanced<T, NV, Scaled, JB - 1>(jb, W, pos, count, scale, gb, Kp, dw, tap_stride);
      return;
    }
  }
  symbol_tap_blocks<T, NV, Scaled, JB>(W, pos, count, scale, gb, Kp, dw, tap_stride);
}

// Adds one sample's gradient into the (W, C+1, Kp) table. gb: (lo + 2(W-1), Kp)
// with zero borders; order/starts: the sample's positions grouped by symbol.
template <class T, bool Scaled>
static void symbol_backward_sample(const std::int32_t* order, const std::int32_t* starts, const T* scale, const T* gb,
                                   index_t C, index_t W, index_t Kp, T* table) {
  constexpr index_t w = Ops<T>::width;
  assert(Kp % w == 0);
  assert(reinterpret_cast<std::uintptr_t>(gb) % (w * sizeof(T)) == 0 &&
         reinterpret_cast<std::uintptr_t>(table) % (w * sizeof(T)) == 0);
  const index_t tap_stride = (C + 1) * Kp;
  const T* gb0 = gb + (W - 1) * Kp;  // row of position p for tap 0
  constexpr index_t max_jb = max_tap_block<T, 2>;
  const index_t blocks = (W + max_jb - 1) / max_jb, jb = (W + blocks - 1) / blocks;
  for (index_t j = 0; j < Kp;) {
    const index_t left = (Kp - j) / w;
    const int nv = left >= 2 ? 2 : 1;
    for (index_t c = 0; c < C; ++c) {
      const std::int32_t* pos = order + starts[c];
      const index_t count = starts[c + 1] - starts[c];
      if (count == 0) continue;
      if (nv == 2)
        symbol_taps_balanced<T, 2, Scaled>(jb, W, pos, count, scale, gb0 + j, Kp, table + c * Kp + j, tap_stride);
      else
        symbol_taps_balanced<T, 1, Scaled>(jb, W, pos, count, scale, gb0 + j, Kp, table + c * Kp + j, tap_stride);
    }
    j += nv * w;
  }
}

// ------------------------------------------------ Winograd transforms
// (see kernels/winograd_conv1d.hpp; A = 2R - 1 points, bt (A, A), at (R, A))

// V[a][i] = sum_j bt[a][j] xp[R i + j] for input tiles [0, tiles): rows of
// Cp, V[a] alpha_stride apart. A vector of channels at a time, its A input
// rows in registers for the A outputs.
template <class T, int R>
static void winograd_input(const T* xp, index_t tiles, index_t Cp, const T* bt, T* v, index_t alpha_stride) {
  using O = Ops<T>;
  using V = typename O::V;
  constexpr int A = 2 * R - 1;
  constexpr index_t w = O::width;
  assert(Cp % w == 0);
  for (index_t i = 0; i < tiles; ++i)
    for (index_t c = 0; c < Cp; c += w) {
      V d[A];
#pragma GCC unroll 9
      for (int j = 0; j < A; ++j) d[j] = O::load(xp + (R * i + j) * Cp + c);
#pragma GCC unroll 9
      for (int a = 0; a < A; ++a) {
        V acc = O::set(T{0});
#pragma GCC unroll 9
        for (int j = 0; j < A; ++j) acc = O::fma(O::set(bt[a * A + j]), d[j], acc);
        O::store(v + a * alpha_stride + i * Cp + c, acc);
      }
    }
}

// gt[a][i] = sum_u g[a][u] src[R i + u] for tiles [0, tiles), rows from
// `rows` on read as zero: the filter transform, for the weight gradient's
// filter (the output gradient). Rows of Kp, gt[a] alpha_stride apart.
template <class T, int R>
static void winograd_filter(const T* src, index_t rows, index_t tiles, index_t Kp, const T* g, T* gt,
                            index_t alpha_stride) {
  using O = Ops<T>;
  using V = typename O::V;
  constexpr int A = 2 * R - 1;
  constexpr index_t w = O::width;
  assert(Kp % w == 0);
  for (index_t i = 0; i < tiles; ++i)
    for (index_t k = 0; k < Kp; k += w) {
      V d[R];
#pragma GCC unroll 9
      for (int u = 0; u < R; ++u) d[u] = R * i + u < rows ? O::load(src + (R * i + u) * Kp + k) : O::set(T{0});
#pragma GCC unroll 9
      for (int a = 0; a < A; ++a) {
        V acc = O::set(T{0});
#pragma GCC unroll 9
        for (int u = 0; u < R; ++u) acc = O::fma(O::set(g[a * R + u]), d[u], acc);
        O::store(gt + a * alpha_stride + i * Kp + k, acc);
      }
    }
}

// y[R i + u] = bias + sum_a at[u][a] m[a][i] for the output tiles [0, tiles)
// and rows below lo: rows of Kp, m[a] alpha_stride apart.
template <class T, int R>
static void winograd_output(const T* m, index_t alpha_stride, index_t tiles, index_t lo, index_t Kp, const T* at,
                            const T* bias, T* y) {
  using O = Ops<T>;
  using V = typename O::V;
  constexpr int A = 2 * R - 1;
  constexpr index_t w = O::width;
  assert(Kp % w == 0);
  for (index_t i = 0; i < tiles; ++i) {
    const index_t rows = std::min<index_t>(R, lo - R * i);
    for (index_t k = 0; k < Kp; k += w) {
      V p[A];
#pragma GCC unroll 9
      for (int a = 0; a < A; ++a) p[a] = O::load(m + a * alpha_stride + i * Kp + k);
      for (index_t u = 0; u < rows; ++u) {
        V acc = O::load(bias + k);
#pragma GCC unroll 9
        for (int a = 0; a < A; ++a) acc = O::fma(O::set(at[u * A + a]), p[a], acc);
        O::store(y + (R * i + u) * Kp + k, acc);
      }
    }
  }
}

// ------------------------------------------------------ FMA peak probe

// 12 independent chains of `iters` fused multiply-adds (enough to cover the
// FMA latency on two pipes), nothing else in the loop: the set's FMA peak,
// which the benchmarks (bench/) measure achieved GFLOP/s against.
template <class T>
static T fma_probe(long iters, T seed) {
  using O = Ops<T>;
  typename O::V acc[12];
  for (int i = 0; i < 12; ++i) acc[i] = O::set(seed + static_cast<T>(i));
  const auto m = O::set(T(0.999999)), c = O::set(T(1e-7));
  for (long k = 0; k < iters; ++k)
#pragma GCC unroll 12
    for (int i = 0; i < 12; ++i) acc[i] = O::fma(acc[i], m, c);
  alignas(64) T lane[O::width];
  T sum = 0;
  for (int i = 0; i < 12; ++i) {
    O::store(lane, acc[i]);
    for (index_t j = 0; j < O::width; ++j) sum += lane[j];
  }
  return sum;
}
