#pragma once
// PNG output of a Canvas through stb_image_write (implementation in libstb). Opaque
// canvases are stored as RGB (a quarter smaller), others as RGBA. Files are written
// atomically (plot/file.hpp).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <stb_image_write.h>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/plot/canvas.hpp"
#include "sster/core/atomic_file.hpp"

namespace sster {

inline std::string encode_png(const Canvas& canvas) {
  const std::vector<std::uint8_t>& rgba = canvas.rgba();
  bool opaque = true;
  for (std::size_t i = 3; i < rgba.size() && opaque; i += 4) opaque = rgba[i] == 255;
  std::vector<std::uint8_t> rgb;
  const std::uint8_t* data = rgba.data();
  int comp = 4;
  if (opaque) {
    rgb.resize(rgba.size() / 4 * 3);
    for (std::size_t i = 0, j = 0; i < rgba.size(); i += 4, j += 3) {
      rgb[j] = rgba[i];
      rgb[j + 1] = rgba[i + 1];
      rgb[j + 2] = rgba[i + 2];
    }
    data = rgb.data();
    comp = 3;
  }
  std::string out;
  auto sink = [](void* ctx, void* bytes, int size) {
    static_cast<std::string*>(ctx)->append(static_cast<const char*>(bytes), to_size(size));
  };
  const int w = canvas.pixel_width(), h = canvas.pixel_height();
  const int ok = stbi_write_png_to_func(sink, &out, w, h, comp, data, w * comp);
  require(ok != 0 && !out.empty(), "PNG encoding of a " + std::to_string(w) + " x " + std::to_string(h) +
                                       " image failed");
  return out;
}

inline void write_png(const Canvas& canvas, const std::filesystem::path& path) {
  write_file_atomic(path, encode_png(canvas));
}

}  // namespace sster
