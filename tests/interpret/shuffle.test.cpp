#include <doctest.h>

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <vector>

#include "sster/interpret/shuffle.hpp"

using namespace sster;

namespace {

std::vector<std::uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }
std::string text(const std::vector<std::uint8_t>& v) { return {v.begin(), v.end()}; }

std::map<std::pair<int, int>, int> dinucleotides(const std::vector<std::uint8_t>& s) {
  std::map<std::pair<int, int>, int> counts;
  for (std::size_t i = 0; i + 1 < s.size(); ++i) ++counts[{s[i], s[i + 1]}];
  return counts;
}

RandomKey key(std::uint64_t i) { return RandomKey(7, Purpose::dinucleotide_shuffle).with(i); }

}  // namespace

TEST_CASE("dinucleotide shuffles keep every dinucleotide count, hence the letters and both ends") {
  RandomStream rng(RandomKey(3, Purpose::simulate));
  for (int trial = 0; trial < 300; ++trial) {
    const auto L = static_cast<std::size_t>(1 + rng.below(300));
    const auto A = 1 + rng.below(trial % 3 == 0 ? 20 : 4);
    std::vector<std::uint8_t> s(L);
    for (auto& c : s) c = static_cast<std::uint8_t>(rng.below(A));
    const auto out = dinucleotide_shuffle(s, key(static_cast<std::uint64_t>(trial)));
    CAPTURE(trial);
    REQUIRE(out.size() == L);
    CHECK(dinucleotides(out) == dinucleotides(s));
    CHECK(out.front() == s.front());
    CHECK(out.back() == s.back());
  }
}

TEST_CASE("dinucleotide shuffles: the same key gives the same shuffle, other keys other ones") {
  const auto s = bytes("ACGTTGCAAGGCTTACGATCGATCGGATCCTAGGCATGCATTACG");
  CHECK(dinucleotide_shuffle(s, key(1)) == dinucleotide_shuffle(s, key(1)));
  int differ = 0;
  for (std::uint64_t k = 0; k < 20; ++k) differ += dinucleotide_shuffle(s, key(k)) != s;
  CHECK(differ >= 18);
  CHECK(dinucleotide_shuffle(s, key(2)) != dinucleotide_shuffle(s, key(3)));
}

TEST_CASE("dinucleotide shuffles are uniform over the sequences with the input's dinucleotide counts") {
  // Every arrangement of the letters of s with its dinucleotide counts,
  // found by brute force; each must come up about equally often.
  const std::string s = "ACAGCATGCAG";
  const auto counts = dinucleotides(bytes(s));
  std::string letters = s;
  std::sort(letters.begin(), letters.end());
  std::map<std::string, int> seen;
  do {
    if (letters.front() == s.front() && dinucleotides(bytes(letters)) == counts) seen[letters] = 0;
  } while (std::next_permutation(letters.begin(), letters.end()));
  REQUIRE(seen.size() >= 5);
  const int draws = 20000;
  for (int i = 0; i < draws; ++i) {
    const std::string out = text(dinucleotide_shuffle(bytes(s), key(static_cast<std::uint64_t>(i))));
    REQUIRE(seen.count(out) == 1);
    ++seen[out];
  }
  const double expected = static_cast<double>(draws) / static_cast<double>(seen.size());
  for (const auto& [seq, n] : seen) {
    CAPTURE(seq);
    CHECK(n > 0.85 * expected);
    CHECK(n < 1.15 * expected);
  }
}

TEST_CASE("dinucleotide shuffles of short and one-letter sequences") {
  CHECK(dinucleotide_shuffle(bytes(""), key(0)).empty());
  CHECK(text(dinucleotide_shuffle(bytes("A"), key(0))) == "A");
  CHECK(text(dinucleotide_shuffle(bytes("AC"), key(0))) == "AC");
  CHECK(text(dinucleotide_shuffle(bytes("AAAAAA"), key(0))) == "AAAAAA");
  CHECK(text(dinucleotide_shuffle(bytes("ACACAC"), key(0))) == "ACACAC");  // the only order
}
