#pragma once
// Interior loops split into parts, as the fast kernels (fold/mfe_kernel.hpp,
// fold/partition_kernel.hpp) sum them: except for the loops looked up whole
// (stack, 1-nt bulge, 1x1, 1x2, 2x1, 2x2), interior_energy (fold/energy.hpp)
// is a part of the outer pair (i, j), a part of the inner pair (p, q) and a
// penalty of the sizes u1 = p - i - 1, u2 = j - q - 1 alone:
//   generic (both sides >= 2), 1xn, 2x3   mismatch(i, j) + penalty + mismatch(p, q)
//   bulge of 2 or more                    AU(i, j)       + penalty + AU(p, q)
// (each kind with its own mismatch table). The tests check that the parts add
// up to interior_energy for every loop.
#include <algorithm>
#include <cstdlib>
#include <type_traits>
#include <utility>
#include <array>
#include <vector>

#include "sster/fold/energy.hpp"

namespace sster::fold {

enum LoopKind { generic_loop, one_n_loop, two_three_loop, bulge_loop, loop_kinds };

// The kind of a loop of u1 x u2 unpaired bases; loop_kinds for those looked up whole.
constexpr LoopKind loop_kind(index_t u1, index_t u2) {
  const index_t small = std::min(u1, u2), large = std::max(u1, u2);
  if (tabulated_loop(u1, u2)) return loop_kinds;
  if (small == 0) return bulge_loop;
  if (small == 1) return one_n_loop;
  if (small == 2 && large == 3) return two_three_loop;
  return generic_loop;
}

// The loops looked up whole, as (u1, u2).
inline constexpr std::array<std::array<index_t, 2>, 7> tabulated_loops = {
    {{0, 0}, {0, 1}, {1, 0}, {1, 1}, {1, 2}, {2, 1}, {2, 2}}};

// fn(u1, u2) for each of them, the sizes as compile-time constants
// (std::integral_constant), so the tables each size reads are known where
// fn is compiled: no branch per loop in the kernels' inner loops.
template <class Fn>
constexpr void for_each_tabulated_loop(Fn&& fn) {
  [&]<std::size_t... k>(std::index_sequence<k...>) {
    (fn(std::integral_constant<index_t, tabulated_loops[k][0]>{},
        std::integral_constant<index_t, tabulated_loops[k][1]>{}),
     ...);
  }(std::make_index_sequence<tabulated_loops.size()>{});
}

// The tabulated loop of u1 x u2 closed by (i, j) of outer_type around (p, q)
// of inner_type; a type 0 (bases that cannot pair) costs inf or more, so the
// kernels may look it up without testing first.
template <index_t u1, index_t u2>
int tabulated_energy(const Rna& rna, int outer_type, int inner_type, index_t i, index_t j, index_t p, index_t q) {
  return tabulated_interior_energy<u1, u2>(outer_type, reversed_pair[inner_type], rna.code(i + 1), rna.code(j - 1),
                                           rna.code(p - 1), rna.code(q + 1));
}

// A loop's outer pair (i, j) of `type` with si = base i + 1, sj = base j - 1.
struct OuterPair {
  int type, si, sj;
};
// A loop's inner pair (p, q) of `type` (read from outside) with sp = base p - 1, sq = base q + 1.
struct InnerPair {
  int type, sp, sq;
};

inline int outer_part(LoopKind kind, OuterPair o) {
  switch (kind) {
    case generic_loop: return tp::mismatch_interior[o.type][o.si][o.sj];
    case one_n_loop: return tp::mismatch_interior_1n[o.type][o.si][o.sj];
    case two_three_loop: return tp::mismatch_interior_23[o.type][o.si][o.sj];
    default: return is_au_or_gu(o.type) ? tp::terminal_au : 0;
  }
}

inline int inner_part(LoopKind kind, InnerPair in) {
  const int reversed = reversed_pair[in.type];  // the inner pair as the loop sees it
  switch (kind) {
    case generic_loop: return tp::mismatch_interior[reversed][in.sq][in.sp];
    case one_n_loop: return tp::mismatch_interior_1n[reversed][in.sq][in.sp];
    case two_three_loop: return tp::mismatch_interior_23[reversed][in.sq][in.sp];
    default: return is_au_or_gu(in.type) ? tp::terminal_au : 0;
  }
}

// The asymmetry penalty of an interior loop (Ninio's, capped).
inline int asymmetry_penalty(index_t u1, index_t u2) {
  return static_cast<int>(std::min<index_t>(tp::max_ninio, std::abs(u1 - u2) * tp::ninio));
}

// The penalty of a loop of u1 x u2 that is not looked up whole.
inline int size_penalty(index_t u1, index_t u2) {
  const index_t small = std::min(u1, u2), large = std::max(u1, u2);
  const int asymmetry = asymmetry_penalty(u1, u2);
  switch (loop_kind(u1, u2)) {
    case bulge_loop: return loop_initiation(tp::bulge, large);
    case one_n_loop: return loop_initiation(tp::interior, large + 1) + asymmetry;
    case two_three_loop: return tp::interior[5] + tp::ninio;
    default: return loop_initiation(tp::interior, large + small) + asymmetry;
  }
}

// A loop size the kernels gather one (u1, u2) at a time.
struct SeparableLoop {
  index_t u1, u2;
  LoopKind kind;
  int penalty;
};

// Every 1xn, 2x3 and bulge loop size up to 30 unpaired bases (generic loops
// are gathered by total size, see fold/mfe_kernel.hpp).
inline const std::vector<SeparableLoop>& direct_loops() {
  static const std::vector<SeparableLoop> loops = [] {
    std::vector<SeparableLoop> out;
    for (index_t u1 = 0; u1 <= max_interior; ++u1)
      for (index_t u2 = 0; u1 + u2 <= max_interior; ++u2)
        if (const LoopKind kind = loop_kind(u1, u2); kind != generic_loop && kind != loop_kinds)
          out.push_back({u1, u2, kind, size_penalty(u1, u2)});
    return out;
  }();
  return loops;
}

// direct_loops() in groups of up to four of one kind, near shifts together:
// the kernels gather a group in one pass over a row.
struct LoopGroup {
  LoopKind kind;
  index_t count;                 // 1..4
  std::array<index_t, 4> loops;  // indices into direct_loops()
};

inline const std::vector<LoopGroup>& direct_loop_groups() {
  static const std::vector<LoopGroup> groups = [] {
    const auto& loops = direct_loops();
    std::vector<index_t> order(loops.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = static_cast<index_t>(k);
    auto key = [&](index_t k) { return std::pair(loops[to_size(k)].kind, loops[to_size(k)].u1 + loops[to_size(k)].u2); };
    std::stable_sort(order.begin(), order.end(), [&](index_t a, index_t b) { return key(a) < key(b); });
    std::vector<LoopGroup> out;
    for (index_t k : order) {
      if (out.empty() || out.back().count == 4 || out.back().kind != loops[to_size(k)].kind)
        out.push_back({loops[to_size(k)].kind, 0, {}});
      out.back().loops[to_size(out.back().count++)] = k;
    }
    return out;
  }();
  return groups;
}

}  // namespace sster::fold
