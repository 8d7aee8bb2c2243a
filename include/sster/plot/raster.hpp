#pragma once
// sster::detail::rasterize: anti-aliased coverage of polygons in device pixels, exact
// non-zero winding rule.
//
// Each pixel row is sampled by 16 sub-scanlines. On a sub-scanline the edge crossings
// are sorted by x and walked with a running winding number; every stretch where it is
// non-zero is one span, whose ends cover their pixels fractionally (exact box filter
// in x). Spans go into a per-row difference array and a running sum gives coverage.
// Because the winding is evaluated before any coverage is summed, overlapping parts of
// one outline (a self-crossing star, the pieces of a thick polyline, round joins) merge
// exactly instead of adding up at their anti-aliased edges, and counter-wound holes
// (the inside of an 'O') stay empty. Work grows with the outline's height and edge
// count, not with the canvas.
#include <algorithm>
#include <cmath>
#include <vector>

#include "sster/core/index.hpp"
#include "sster/plot/path.hpp"

namespace sster::detail {

inline constexpr int sub_scanlines = 16;  // vertical samples per pixel row: 17 coverage levels

// Coverage values in [0, 1] for the pixels [x0, x0 + w) x [y0, y0 + h).
struct CoverageMask {
  int x0 = 0, y0 = 0, w = 0, h = 0;
  std::vector<float> cover;  // row-major, h x w
  float at(int x, int y) const { return cover[to_size(y - y0) * w + (x - x0)]; }
};

// Coverage of the polygons (each implicitly closed) clipped to [0, width) x [0, height).
inline CoverageMask rasterize(const std::vector<std::vector<Point>>& polygons, int width, int height) {
  double bx0 = INFINITY, by0 = INFINITY, bx1 = -INFINITY, by1 = -INFINITY;
  for (const auto& poly : polygons)
    for (Point p : poly) {
      if (!std::isfinite(p.x) || !std::isfinite(p.y)) return {};
      bx0 = std::min(bx0, p.x), by0 = std::min(by0, p.y);
      bx1 = std::max(bx1, p.x), by1 = std::max(by1, p.y);
    }
  CoverageMask mask;
  if (!(bx0 <= bx1)) return mask;
  mask.x0 = std::clamp(static_cast<int>(std::floor(bx0)), 0, width);
  mask.y0 = std::clamp(static_cast<int>(std::floor(by0)), 0, height);
  const int x1 = std::clamp(static_cast<int>(std::ceil(bx1)), 0, width);
  const int y1 = std::clamp(static_cast<int>(std::ceil(by1)), 0, height);
  mask.w = x1 - mask.x0;
  mask.h = y1 - mask.y0;
  if (mask.w <= 0 || mask.h <= 0) return {};

  // Crossings of edges with the sub-scanlines inside the mask: (line, x, direction).
  struct Crossing {
    int line;
    float x;
    int dir;
  };
  std::vector<Crossing> xs;
  const int lines = mask.h * sub_scanlines;
  const double ox = mask.x0, oy = mask.y0;
  for (const auto& poly : polygons) {
    for (std::size_t i = 0; i < poly.size(); ++i) {
      Point a = poly[i], b = poly[(i + 1) % poly.size()];
      if (a.y == b.y) continue;
      const int dir = a.y < b.y ? 1 : -1;
      if (a.y > b.y) std::swap(a, b);
      // Sub-scanline k samples y = oy + (k + 0.5) / S; the edge covers a.y <= y < b.y.
      const int k0 = std::max(0, static_cast<int>(std::ceil((a.y - oy) * sub_scanlines - 0.5)));
      const int k1 = std::min(lines, static_cast<int>(std::ceil((b.y - oy) * sub_scanlines - 0.5)));
      const double dxdy = (b.x - a.x) / (b.y - a.y);
      for (int k = k0; k < k1; ++k) {
        const double y = oy + (k + 0.5) / sub_scanlines;
        xs.push_back({k, static_cast<float>(a.x + (y - a.y) * dxdy - ox), dir});
      }
    }
  }
  std::sort(xs.begin(), xs.end(), [](const Crossing& p, const Crossing& q) {
    return p.line != q.line ? p.line < q.line : p.x < q.x;
  });

  // Difference array per row (w + 2 cells), summed into coverage afterwards.
  const int stride = mask.w + 2;
  std::vector<float> diff(to_size(stride) * mask.h, 0.0f);
  const float weight = 1.0f / sub_scanlines, fw = static_cast<float>(mask.w);
  auto add_edge = [&](float* row, float x, float v) {
    x = std::clamp(x, 0.0f, fw);
    const float fl = std::floor(x);
    const int i = static_cast<int>(fl);
    const float f = x - fl;
    row[i] += v * (1 - f);
    row[i + 1] += v * f;
  };
  for (std::size_t i = 0; i < xs.size();) {
    const int line = xs[i].line;
    float* row = &diff[to_size(line / sub_scanlines) * stride];
    int winding = 0;
    float start = 0;
    for (; i < xs.size() && xs[i].line == line; ++i) {
      const int before = winding;
      winding += xs[i].dir;
      if (before == 0 && winding != 0) start = xs[i].x;
      else if (before != 0 && winding == 0 && xs[i].x > start) {
        add_edge(row, start, weight);
        add_edge(row, xs[i].x, -weight);
      }
    }
  }
  mask.cover.resize(to_size(mask.w) * mask.h);
  for (int y = 0; y < mask.h; ++y) {
    const float* row = &diff[to_size(y) * stride];
    float* dst = &mask.cover[to_size(y) * mask.w];
    float sum = 0;
    for (int x = 0; x < mask.w; ++x) {
      sum += row[x];
      dst[x] = std::clamp(sum, 0.0f, 1.0f);
    }
  }
  return mask;
}

}  // namespace sster::detail
