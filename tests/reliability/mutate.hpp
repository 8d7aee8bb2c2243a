#pragma once
// Deterministic input mutations for the corpus mutation test: the classic
// fuzzing moves (bit flips, truncation, inserted and overwritten bytes,
// duplicated/removed/swapped lines, random bytes, splices, integers set to
// edge values) driven by a seeded SplitMix64, so every run sees the same
// inputs and a failure names the one to replay.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sster::test {

class Mutator {
 public:
  explicit Mutator(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
  bool one_in(std::size_t n) { return below(n) == 0; }

  static constexpr int kinds = 14;
  static const char* kind_name(int k) {
    static constexpr std::array<const char*, kinds> names = {
        "bit flips",     "truncation",    "random bytes inserted", "token inserted", "range deleted",
        "line duplicated", "line removed", "lines swapped",        "range overwritten", "random input",
        "chunk repeated", "integer set",  "splice",                "bytes shuffled"};
    return names[static_cast<std::size_t>(k)];
  }

  // One mutation of `in` of the given kind; `other` is a second input of the
  // same format for splices.
  std::string mutate(std::string in, int kind, std::string_view other) {
    switch (kind) {
      case 0: {  // 1 to 4 bit flips
        if (in.empty()) break;
        for (std::size_t k = 1 + below(4); k-- > 0;) in[below(in.size())] ^= static_cast<char>(1u << below(8));
        break;
      }
      case 1: in.resize(below(in.size() + 1)); break;
      case 2: {
        std::string bytes(1 + below(16), '\0');
        for (char& c : bytes) c = static_cast<char>(next());
        in.insert(below(in.size() + 1), bytes);
        break;
      }
      case 3: {
        static const std::vector<std::string> tokens = {
            ">", "\n", "\r\n", ">\n", std::string(1, '\0'), " ", "\t", "nan", "NaN", "inf", "-inf", "1e999",
            "-1", "0", "(", ")", ".", "((((", "))))", "N", "U", "99999999999999999999", ",", ">0,1", ">name 5",
            ">7", "train", "val", "test", "\xff", "\x1f\x8b", "+", "e", "0x1p3", "1e-45", "-0", ",,", "\n\n\n",
            std::string(300, 'A'), std::string(70000, 'C'), "[", "]", "{", "}", "<", ">x\nA\n", "\"", "\\u0000"};
        in.insert(below(in.size() + 1), tokens[below(tokens.size())]);
        break;
      }
      case 4: {
        if (in.empty()) break;
        const std::size_t at = below(in.size()), n = 1 + below(std::min<std::size_t>(in.size() - at, 64));
        in.erase(at, n);
        break;
      }
      case 5: case 6: case 7: {
        auto lines = split_lines(in);
        if (lines.empty()) break;
        const std::size_t a = below(lines.size()), b = below(lines.size());
        if (kind == 5) lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(a), lines[a]);
        else if (kind == 6) lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(a));
        else std::swap(lines[a], lines[b]);
        in.clear();
        for (const auto& l : lines) in += l;
        break;
      }
      case 8: {
        if (in.empty()) break;
        const std::size_t at = below(in.size()), n = 1 + below(std::min<std::size_t>(in.size() - at, 32));
        for (std::size_t i = 0; i < n; ++i) in[at + i] = static_cast<char>(next());
        break;
      }
      case 9: {
        in.assign(below(600), '\0');
        for (char& c : in) c = static_cast<char>(one_in(2) ? "ACGTU>\n ().0123456789,.-e"[below(25)] : next());
        break;
      }
      case 10: {
        if (in.empty()) break;
        const std::size_t at = below(in.size()), n = 1 + below(std::min<std::size_t>(in.size() - at, 200));
        const std::string chunk = in.substr(at, n);
        for (std::size_t k = 1 + below(50); k-- > 0;) in.insert(at, chunk);
        break;
      }
      case 11: {  // a little-endian integer of 1, 2, 4 or 8 bytes set to an edge value
        static constexpr std::uint64_t values[] = {0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffff,
                                                   0x80000000ull, 0xffffffffull, 0x7fffffffffffffffull,
                                                   0x8000000000000000ull, ~0ull, 1ull << 40};
        const std::size_t width = std::size_t{1} << below(4);
        if (in.size() < width) break;
        std::uint64_t v = values[below(std::size(values))];
        if (one_in(4)) v = static_cast<std::uint64_t>(in.size()) + below(9) - 4;
        const std::size_t at = below(in.size() - width + 1);
        for (std::size_t b = 0; b < width; ++b) in[at + b] = static_cast<char>(v >> (8 * b));
        break;
      }
      case 12: {
        const std::size_t cut = below(in.size() + 1), from = below(other.size() + 1);
        in = in.substr(0, cut) + std::string(other.substr(from));
        break;
      }
      case 13: {
        if (in.size() < 2) break;
        const std::size_t at = below(in.size() - 1), n = 2 + below(std::min<std::size_t>(in.size() - at - 1, 15));
        for (std::size_t i = n - 1; i > 0; --i) std::swap(in[at + i], in[at + below(i + 1)]);
        break;
      }
      default: break;
    }
    return in;
  }

 private:
  // Lines with their line breaks, so joining them gives the input back.
  static std::vector<std::string> split_lines(const std::string& s) {
    std::vector<std::string> lines;
    std::size_t at = 0;
    while (at < s.size()) {
      const auto nl = s.find('\n', at);
      const std::size_t end = nl == std::string::npos ? s.size() : nl + 1;
      lines.push_back(s.substr(at, end - at));
      at = end;
    }
    return lines;
  }

  std::uint64_t state_;
};

}  // namespace sster::test
