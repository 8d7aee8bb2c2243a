#pragma once
// Helpers for plot tests: decode PNG bytes with stb_image and look at pixels.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <stb_image.h>

#include "sster/plot/canvas.hpp"
#include "sster/plot/color.hpp"

namespace sster::test {

struct Image {
  int w = 0, h = 0;
  std::vector<std::uint8_t> rgba;
  Rgba at(int x, int y) const {
    const std::uint8_t* p = &rgba[(to_size(y) * w + x) * 4];
    return {p[0], p[1], p[2], p[3]};
  }
};

inline Image decode_png(const std::string& bytes) {
  int w = 0, h = 0, n = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> data(
      stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()), static_cast<int>(bytes.size()), &w, &h, &n, 4),
      stbi_image_free);
  Image img;
  if (!data) return img;
  img.w = w;
  img.h = h;
  img.rgba.assign(data.get(), data.get() + to_size(w) * h * 4);
  return img;
}

inline Image from_canvas(const Canvas& c) { return {c.pixel_width(), c.pixel_height(), c.rgba()}; }

inline bool is_white(Rgba c, int tol = 8) { return c.r >= 255 - tol && c.g >= 255 - tol && c.b >= 255 - tol; }

// Colour distance (max over channels).
inline int dist(Rgba a, Rgba b) {
  return std::max({std::abs(a.r - b.r), std::abs(a.g - b.g), std::abs(a.b - b.b)});
}

// Pixels in [x0, x1) x [y0, y1) that are not white.
inline long ink(const Image& img, int x0 = 0, int y0 = 0, int x1 = -1, int y1 = -1) {
  if (x1 < 0) x1 = img.w;
  if (y1 < 0) y1 = img.h;
  long n = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) n += !is_white(img.at(x, y));
  return n;
}

// Pixels within `tol` of colour `c`.
inline long count_color(const Image& img, Rgba c, int tol = 6) {
  long n = 0;
  for (int y = 0; y < img.h; ++y)
    for (int x = 0; x < img.w; ++x) n += dist(img.at(x, y), c) <= tol;
  return n;
}

}  // namespace sster::test
