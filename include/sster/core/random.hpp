#pragma once
// Counter-based randomness: every random number is a pure function of a key
// (seed, purpose, indices...). Dropout masks, shuffles and initial weights
// therefore do not depend on thread scheduling or on the order in which
// chunks of a batch are processed.
#include <cmath>
#include <cstdint>
#include <initializer_list>

namespace sster {

// What a random stream is used for; part of every key so streams never collide.
enum class Purpose : std::uint64_t {
  init = 1,
  dropout = 2,
  shuffle = 3,
  split = 4,
  unknown_symbol = 5,
  simulate = 6,
  optimize_input = 7,
  fold_sample = 8,
  dinucleotide_shuffle = 9,  // attribution references (interpret/shuffle.hpp)
  seqlet_null = 10,          // the seqlet caller's shuffled sequences
};

namespace detail {
// SplitMix64 finaliser (Steele, Lea, Flood 2014): a bijective 64-bit mixer
// whose outputs pass BigCrush when fed a counter. In place, for
// std::uint64_t or a vector of them (GCC's vector extensions; by reference,
// as a vector passed by value has an ABI that depends on the instruction set).
template <class U>
constexpr void mix64_in_place(U& z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
}
// lowbias32 (Wellons 2018, found by hash-prospector): a bijective 32-bit
// mixer with about the avalanche of the 64-bit one at a third of its cost
// where 64-bit multiplies are emulated (AVX2). In place, for std::uint32_t
// or a vector of them.
template <class U>
constexpr void mix32_in_place(U& z) {
  z ^= z >> 16;
  z *= 0x7feb352dU;
  z ^= z >> 15;
  z *= 0x846ca68bU;
  z ^= z >> 16;
}
constexpr std::uint64_t mix64(std::uint64_t z) {
  mix64_in_place(z);
  return z;
}
}  // namespace detail

// A key: fold in as many indices as needed, then draw numbers by counter.
class RandomKey {
 public:
  constexpr RandomKey(std::uint64_t seed, Purpose purpose)
      : state_(detail::mix64(detail::mix64(seed) ^ static_cast<std::uint64_t>(purpose))) {}
  constexpr RandomKey with(std::uint64_t index) const {
    RandomKey k = *this;
    k.state_ = detail::mix64(state_ ^ detail::mix64(index + 0x632be59bd9b4e019ULL));
    return k;
  }
  constexpr RandomKey with(std::initializer_list<std::uint64_t> indices) const {
    RandomKey k = *this;
    for (auto i : indices) k = k.with(i);
    return k;
  }
  // The counter-th 64-bit number of this key's stream.
  constexpr std::uint64_t bits(std::uint64_t counter) const {
    draw(counter);
    return counter;
  }
  // Replaces each counter of a vector (GCC's vector extensions) by its
  // number of the stream: the dropout kernels hash a vector's worth at a time.
  template <class U>
  constexpr void draw(U& counters) const {
    counters = state_ + counters * 0xd1b54a32d192ed03ULL;
    detail::mix64_in_place(counters);
  }
  // The counter-th number of this key's 32-bit stream: the per-value
  // dropout masks (a number per value of every training step) draw from it,
  // as it costs a fraction of bits() in vector lanes (no 64-bit multiply).
  constexpr std::uint32_t bits32(std::uint32_t counter) const {
    draw32(counter);
    return counter;
  }
  // Replaces each counter of a vector of std::uint32_t by its number of that stream.
  template <class U>
  constexpr void draw32(U& counters) const {
    counters += static_cast<std::uint32_t>(state_);
    detail::mix32_in_place(counters);
    counters ^= static_cast<std::uint32_t>(state_ >> 32);
    detail::mix32_in_place(counters);
  }
  // The counter-th number of this key's 24-bit stream, the top bits of the
  // 32-bit one: bits24 * 2^-24 is uniform in [0, 1), and is at least p
  // exactly when bits24 is at least threshold24(p), which the vector kernels
  // compare in integers.
  constexpr std::uint32_t bits24(std::uint32_t counter) const { return bits32(counter) >> 8; }
  template <class U>
  constexpr void draw24(U& counters) const {
    draw32(counters);
    counters >>= 8;
  }
  static std::uint32_t threshold24(float p) {
    return static_cast<std::uint32_t>(std::ceil(static_cast<double>(p) * 0x1.0p24));  // exact in double
  }
  // Uniform in [0, 1) with 53 random bits.
  constexpr double uniform(std::uint64_t counter) const { return static_cast<double>(bits(counter) >> 11) * 0x1.0p-53; }
  // Uniform float in [0, 1) with 24 random bits: cheap enough for dropout masks.
  constexpr float uniform_float(std::uint64_t counter) const {
    return static_cast<float>(bits(counter) >> 40) * 0x1.0p-24f;
  }
  // Uniform integer in [0, n) (Lemire's multiply-shift; bias < n / 2^64).
  constexpr std::uint64_t below(std::uint64_t counter, std::uint64_t n) const {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(bits(counter)) * n) >> 64);
  }

 private:
  std::uint64_t state_;
};

// A sequential stream over a key, for code that just wants "the next number".
class RandomStream {
 public:
  explicit constexpr RandomStream(RandomKey key) : key_(key) {}
  std::uint64_t next_bits() { return key_.bits(counter_++); }
  double uniform() { return key_.uniform(counter_++); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  std::uint64_t below(std::uint64_t n) { return key_.below(counter_++, n); }
  // Standard normal by Box-Muller (one value per call; simplicity over speed).
  double normal() {
    const double u1 = 1.0 - uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  RandomKey key_;
  std::uint64_t counter_ = 0;
};

// Fisher-Yates shuffle driven by a stream.
template <class It>
void shuffle(It first, It last, RandomStream& rng) {
  const auto n = last - first;
  for (auto i = n - 1; i > 0; --i) {
    const auto j = static_cast<decltype(i)>(rng.below(static_cast<std::uint64_t>(i) + 1));
    using std::swap;
    swap(first[i], first[j]);
  }
}

}  // namespace sster
