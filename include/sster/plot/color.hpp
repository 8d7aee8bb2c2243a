#pragma once
// sster::Rgba: an 8-bit straight-alpha colour, parsed from "#RRGGBB" / "#RRGGBBAA",
// plus the few colour operations the plots need (mix, alpha, HLS desaturation as
// seaborn does it, a diverging colour map).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"

namespace sster {

struct Rgba {
  std::uint8_t r = 0, g = 0, b = 0, a = 255;

  friend bool operator==(const Rgba&, const Rgba&) = default;

  // "#RRGGBB" or "#RRGGBBAA"; anything else is an Error naming the text.
  static Rgba hex(std::string_view text) {
    auto nibble = [&](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    const bool ok_shape = (text.size() == 7 || text.size() == 9) && text[0] == '#';
    std::array<int, 4> v{0, 0, 0, 255};
    bool ok = ok_shape;
    for (std::size_t i = 0; ok && i + 1 < text.size(); i += 2) {
      const int hi = nibble(text[i + 1]), lo = nibble(text[i + 2]);
      ok = hi >= 0 && lo >= 0;
      v[i / 2] = hi * 16 + lo;
    }
    if (!ok) {
      std::string message(1, '\'');  // appended: GCC 12 misreports "'" + std::string (-Wrestrict)
      message.append(text).append("' is not a colour; expected #RRGGBB or #RRGGBBAA");
      throw Error(message);
    }
    return {static_cast<std::uint8_t>(v[0]), static_cast<std::uint8_t>(v[1]),
            static_cast<std::uint8_t>(v[2]), static_cast<std::uint8_t>(v[3])};
  }

  // From components in [0, 1] (clamped).
  static Rgba unit(double r, double g, double b, double a = 1.0) {
    auto q = [](double v) { return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255.0)); };
    return {q(r), q(g), q(b), q(a)};
  }

  Rgba with_alpha(double alpha) const {
    Rgba c = *this;
    c.a = static_cast<std::uint8_t>(std::lround(std::clamp(alpha, 0.0, 1.0) * 255.0));
    return c;
  }

  std::string to_hex() const {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s = "#";
    for (std::uint8_t v : {r, g, b}) {
      s += digits[v >> 4];
      s += digits[v & 15];
    }
    if (a != 255) {
      s += digits[a >> 4];
      s += digits[a & 15];
    }
    return s;
  }
};

namespace colors {
inline constexpr Rgba black{0, 0, 0, 255};
inline constexpr Rgba white{255, 255, 255, 255};
inline constexpr Rgba transparent{255, 255, 255, 0};
}  // namespace colors

// Linear mix in 8-bit sRGB: t = 0 gives a, t = 1 gives b.
inline Rgba mix(Rgba a, Rgba b, double t) {
  auto m = [t](std::uint8_t x, std::uint8_t y) {
    return static_cast<std::uint8_t>(std::lround(x + (static_cast<double>(y) - x) * t));
  };
  return {m(a.r, b.r), m(a.g, b.g), m(a.b, b.b), m(a.a, b.a)};
}

namespace detail {

struct Hls {
  double h, l, s;
};

// Python's colorsys.rgb_to_hls / hls_to_rgb, so palettes match seaborn's.
inline Hls rgb_to_hls(double r, double g, double b) {
  const double maxc = std::max({r, g, b}), minc = std::min({r, g, b});
  const double l = (minc + maxc) / 2.0;
  if (minc == maxc) return {0.0, l, 0.0};
  const double s = l <= 0.5 ? (maxc - minc) / (maxc + minc) : (maxc - minc) / (2.0 - maxc - minc);
  const double rc = (maxc - r) / (maxc - minc), gc = (maxc - g) / (maxc - minc),
               bc = (maxc - b) / (maxc - minc);
  double h = r == maxc ? bc - gc : g == maxc ? 2.0 + rc - bc : 4.0 + gc - rc;
  h = std::fmod(h / 6.0, 1.0);
  if (h < 0) h += 1.0;
  return {h, l, s};
}

inline double hls_value(double m1, double m2, double hue) {
  hue = std::fmod(hue, 1.0);
  if (hue < 0) hue += 1.0;
  if (hue < 1.0 / 6.0) return m1 + (m2 - m1) * hue * 6.0;
  if (hue < 0.5) return m2;
  if (hue < 2.0 / 3.0) return m1 + (m2 - m1) * (2.0 / 3.0 - hue) * 6.0;
  return m1;
}

inline Rgba hls_to_rgb(Hls c) {
  if (c.s == 0.0) return Rgba::unit(c.l, c.l, c.l);
  const double m2 = c.l <= 0.5 ? c.l * (1.0 + c.s) : c.l + c.s - c.l * c.s;
  const double m1 = 2.0 * c.l - m2;
  return Rgba::unit(hls_value(m1, m2, c.h + 1.0 / 3.0), hls_value(m1, m2, c.h),
                    hls_value(m1, m2, c.h - 1.0 / 3.0));
}

}  // namespace detail

// seaborn.desaturate: saturation in HLS space multiplied by `factor`.
inline Rgba desaturate(Rgba c, double factor) {
  detail::Hls hls = detail::rgb_to_hls(c.r / 255.0, c.g / 255.0, c.b / 255.0);
  hls.s *= factor;
  Rgba out = detail::hls_to_rgb(hls);
  out.a = c.a;
  return out;
}

// matplotlib's "RdBu_r" (ColorBrewer RdBu, reversed): t = 0 dark blue, 0.5 near white,
// 1 dark red; t is clamped to [0, 1].
inline Rgba rdbu_r(double t) {
  static constexpr std::array<std::uint32_t, 11> stops{0x053061, 0x2166ac, 0x4393c3, 0x92c5de,
                                                       0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xf4a582,
                                                       0xd6604d, 0xb2182b, 0x67001f};
  if (!(t >= 0.0)) t = 0.0;  // also catches NaN
  t = std::min(t, 1.0) * (stops.size() - 1);
  const std::size_t i = std::min<std::size_t>(to_size(t), stops.size() - 2);
  auto c = [](std::uint32_t v) {
    return Rgba{static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>((v >> 8) & 255),
                static_cast<std::uint8_t>(v & 255), 255};
  };
  return mix(c(stops[i]), c(stops[i + 1]), t - static_cast<double>(i));
}

}  // namespace sster
