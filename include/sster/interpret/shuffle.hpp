#pragma once
// Dinucleotide shuffles (Altschul and Erickson, Mol. Biol. Evol. 2:526, 1985):
// a random sequence with exactly the dinucleotide counts of the input, hence
// also its letter counts and its first and last letter, drawn uniformly among
// all such sequences. DeepLIFT-SHAP's references and the seqlet caller's null
// sequences are such shuffles.
//
// A sequence is an Eulerian path through the multigraph with one edge a -> b
// per dinucleotide ab. A uniform one ending in the last letter is drawn in
// three steps:
//   1. every letter but the last gets a random last edge out of it, such that
//      the last edges form a tree towards the last letter: Wilson's algorithm
//      (loop-erased random walks) draws such trees uniformly, every edge
//      counted with its multiplicity;
//   2. each letter's other edges are put in random order before its last edge;
//   3. the walk from the first letter takes each letter's edges in that order.
// Symbols are plain bytes: any alphabet, no_symbol included.
#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/random.hpp"

namespace sster {

// A dinucleotide shuffle of `in` into `out` (same size), drawn from `key`:
// the same key gives the same shuffle.
inline void dinucleotide_shuffle(std::span<const std::uint8_t> in, std::span<std::uint8_t> out, RandomKey key) {
  require(in.size() == out.size(), "dinucleotide_shuffle: input and output sizes differ");
  const index_t L = ssize(in);
  std::copy(in.begin(), in.end(), out.begin());
  if (L < 3) return;  // one order only
  // Out-edges of every letter, as the letters they lead to.
  std::array<std::vector<std::uint8_t>, 256> edges;
  for (index_t i = 0; i + 1 < L; ++i) at(edges, in[to_size(i)]).push_back(in[to_size(i + 1)]);
  RandomStream rng(key);
  const std::uint8_t last = in.back();
  // 1. Wilson's algorithm: a random walk from each letter not yet in the tree
  // until it meets the tree, remembering the last exit from every letter; the
  // walk's loop-erased path then joins the tree along those exits.
  std::array<bool, 256> in_tree{};
  std::array<index_t, 256> exit{};
  at(in_tree, last) = true;
  for (int v = 0; v < 256; ++v) {
    if (at(edges, v).empty()) continue;
    for (int u = v; !at(in_tree, u); u = at(at(edges, u), at(exit, u)))
      at(exit, u) = static_cast<index_t>(rng.below(at(edges, u).size()));
    for (int u = v; !at(in_tree, u); u = at(at(edges, u), at(exit, u))) at(in_tree, u) = true;
  }
  // 2. Each letter's last edge at the end, the others shuffled before it.
  for (int v = 0; v < 256; ++v) {
    auto& e = at(edges, v);
    if (e.empty()) continue;
    if (v == last) {
      shuffle(e.begin(), e.end(), rng);
      continue;
    }
    std::swap(at(e, at(exit, v)), e.back());
    shuffle(e.begin(), e.end() - 1, rng);
  }
  // 3. The walk.
  std::array<std::size_t, 256> next{};
  std::uint8_t u = in.front();
  for (index_t i = 1; i < L; ++i) {
    u = at(edges, u)[at(next, u)++];
    out[to_size(i)] = u;
  }
}

// The shuffle as a new vector.
inline std::vector<std::uint8_t> dinucleotide_shuffle(std::span<const std::uint8_t> in, RandomKey key) {
  std::vector<std::uint8_t> out(in.size());
  dinucleotide_shuffle(in, out, key);
  return out;
}

}  // namespace sster
