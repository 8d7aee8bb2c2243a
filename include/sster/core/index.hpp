#pragma once
// index_t: sster's one integer type for positions, counts and sizes. It is
// signed, like Eigen's Index and the shapes, so that `t - W + 1` and reverse
// loops need no care. The standard containers count in size_t; the two meet
// only through these helpers, which check the sign in debug builds.
#include <cassert>
#include <cstddef>
#include <iterator>
#include <utility>

namespace sster {

using index_t = std::ptrdiff_t;

// A count or position as the standard library takes it (resize, subspan, ...).
constexpr std::size_t to_size(index_t n) {
  assert(n >= 0);
  return static_cast<std::size_t>(n);
}

// Element i of a container indexed by size_t: at(v, i) for v[i].
template <class Container>
constexpr decltype(auto) at(Container&& c, index_t i) {
  assert(i >= 0);
  return std::forward<Container>(c)[static_cast<std::size_t>(i)];
}

// Sizes come back signed with std::ssize.
using std::ssize;

}  // namespace sster
