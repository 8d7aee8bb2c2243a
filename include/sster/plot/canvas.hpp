#pragma once
// sster::Canvas: an RGBA raster with anti-aliased drawing. Callers work in layout
// units (about one CSS pixel); `scale` device pixels per unit give high-DPI output
// from the same layout code (scale 2 doubles the PNG's width and height).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/plot/color.hpp"
#include "sster/plot/path.hpp"
#include "sster/plot/raster.hpp"

namespace sster {

enum class LineCap { butt, round, square };

struct StrokeStyle {
  double width = 1.0;                // layout units
  LineCap cap = LineCap::butt;
  bool round_joins = true;           // round joins keep sharp turns (ROC steps) clean
  std::vector<double> dash{};        // on/off lengths in layout units; empty = solid
};

class Canvas {
 public:
  Canvas(double width, double height, double scale = 1.0, Rgba background = colors::white)
      : width_(width), height_(height), scale_(scale) {
    require(std::isfinite(width) && std::isfinite(height) && width > 0 && height > 0,
            "canvas size must be positive, got " + std::to_string(width) + " x " + std::to_string(height));
    require(std::isfinite(scale) && scale > 0, "canvas scale must be positive, got " + std::to_string(scale));
    const double pw = std::round(width * scale), ph = std::round(height * scale);
    require(pw >= 1 && ph >= 1 && pw * ph <= 400e6,
            "canvas of " + std::to_string(pw) + " x " + std::to_string(ph) + " pixels is out of range");
    pw_ = static_cast<int>(pw);
    ph_ = static_cast<int>(ph);
    pixels_.resize(to_size(pw_) * ph_ * 4);
    for (std::size_t i = 0; i < pixels_.size(); i += 4) {
      pixels_[i] = background.r;
      pixels_[i + 1] = background.g;
      pixels_[i + 2] = background.b;
      pixels_[i + 3] = background.a;
    }
  }

  double width() const { return width_; }
  double height() const { return height_; }
  double scale() const { return scale_; }
  Box bounds() const { return {0, 0, width_, height_}; }
  int pixel_width() const { return pw_; }
  int pixel_height() const { return ph_; }
  const std::vector<std::uint8_t>& rgba() const { return pixels_; }  // row-major, 4 bytes a pixel
  Rgba pixel(int px, int py) const {
    const std::uint8_t* p = &pixels_[(to_size(py) * pw_ + px) * 4];
    return {p[0], p[1], p[2], p[3]};
  }
  // Layout coordinate -> device pixel coordinate.
  Point to_device(Point p) const { return {p.x * scale_, p.y * scale_}; }

  // Restricts drawing to `box` (e.g. a plot area) until clear_clip(); pixels on its
  // border are weighted by how much of them lies inside.
  void set_clip(Box box) { clip_ = {box.x0 * scale_, box.y0 * scale_, box.x1 * scale_, box.y1 * scale_}; }
  void clear_clip() { clip_ = {-1e300, -1e300, 1e300, 1e300}; }

  // Fills `path` (non-zero winding) with `color`, its alpha times the pixel coverage.
  void fill(const Path& path, Rgba color) {
    if (path.empty() || color.a == 0) return;
    const double s = scale_;
    blend(detail::rasterize(path.flatten([s](Point p) { return p * s; }), pw_, ph_), color);
  }
  void fill_rect(Box b, Rgba color) { fill(Path().add_rect(b), color); }
  void fill_circle(Point c, double r, Rgba color) { fill(Path().add_circle(c, r), color); }
  void fill_polygon(std::span<const Point> points, Rgba color) { fill(Path().add_polygon(points), color); }

  // Strokes an open polyline (or a closed one when `closed`).
  void stroke(std::span<const Point> points, Rgba color, const StrokeStyle& style = {}, bool closed = false) {
    if (closed || points.size() < 3) {
      fill(stroke_outline(points, style, closed), color);
      return;
    }
    // Points closer than 0.1 device pixel to the simplified line change no pixel but
    // cost a join each: a 20 000-point ROC curve strokes as a few hundred segments.
    fill(stroke_outline(simplify(points, 0.1 / scale_), style, false), color);
  }

  // Douglas-Peucker: the subset of `points` within `tolerance` of the original line.
  static std::vector<Point> simplify(std::span<const Point> points, double tolerance) {
    const std::size_t n = points.size();
    if (n < 3) return {points.begin(), points.end()};
    std::vector<char> keep(n, 0);
    keep[0] = keep[n - 1] = 1;
    std::vector<std::pair<std::size_t, std::size_t>> todo{{0, n - 1}};
    while (!todo.empty()) {
      const auto [a, b] = todo.back();
      todo.pop_back();
      const Point d = points[b] - points[a];
      const double len2 = d.x * d.x + d.y * d.y;
      double worst = -1;
      std::size_t at = a;
      for (std::size_t i = a + 1; i < b; ++i) {
        // distance to the segment (not the infinite line: a spike doubling back counts)
        const Point v = points[i] - points[a];
        const double t = len2 > 0 ? std::clamp((v.x * d.x + v.y * d.y) / len2, 0.0, 1.0) : 0.0;
        const Point off = v - d * t;
        const double dist = std::hypot(off.x, off.y);
        if (dist > worst) worst = dist, at = i;
      }
      if (worst > tolerance) {
        keep[at] = 1;
        if (at - a > 1) todo.push_back({a, at});
        if (b - at > 1) todo.push_back({at, b});
      }
    }
    std::vector<Point> out;
    for (std::size_t i = 0; i < n; ++i)
      if (keep[i]) out.push_back(points[i]);
    return out;
  }
  void line(Point a, Point b, Rgba color, const StrokeStyle& style = {}) {
    const Point pts[] = {a, b};
    stroke(pts, color, style);
  }
  void stroke_rect(Box b, Rgba color, double width) {
    const Point pts[] = {{b.x0, b.y0}, {b.x1, b.y0}, {b.x1, b.y1}, {b.x0, b.y1}};
    stroke(pts, color, {.width = width, .cap = LineCap::butt, .round_joins = false}, true);
  }

  // Paints `box` from a cols x rows grid of colours (e.g. a heatmap). Each device pixel
  // gets the area-weighted mean of the cells under it, so thousands of columns shrink
  // to a few hundred pixels without aliasing; edge pixels are blended by coverage.
  void draw_grid(Box box, int cols, int rows, const std::function<Rgba(int col, int row)>& cell) {
    if (cols <= 0 || rows <= 0 || box.width() <= 0 || box.height() <= 0) return;
    const auto xs = grid_weights(box.x0 * scale_, box.x1 * scale_, cols, pw_);
    const auto ys = grid_weights(box.y0 * scale_, box.y1 * scale_, rows, ph_);
    for (const Span1D& ry : ys)
      for (const Span1D& rx : xs) {
        double acc[4] = {0, 0, 0, 0}, total = 0;
        for (const auto& [row, wy] : ry.cells)
          for (const auto& [col, wx] : rx.cells) {
            const Rgba c = cell(col, row);
            const double w = wx * wy * c.a / 255.0;
            acc[0] += w * c.r, acc[1] += w * c.g, acc[2] += w * c.b;
            acc[3] += wx * wy * c.a;
            total += wx * wy;
          }
        if (total <= 0) continue;
        const double alpha = acc[3] / total / 255.0;  // mean alpha over the covered part
        if (alpha <= 0) continue;
        const double cover = ry.cover * rx.cover;
        const Rgba c = Rgba::unit(acc[0] / (alpha * total * 255.0), acc[1] / (alpha * total * 255.0),
                                  acc[2] / (alpha * total * 255.0), alpha);
        blend_pixel(rx.pixel, ry.pixel, c, static_cast<float>(cover));
      }
  }

  // Copies `src` (same scale) with its top-left corner at `at`; src pixels replace ours.
  void paste(const Canvas& src, Point at) {
    require(src.scale_ == scale_, "paste needs canvases of the same scale");
    const int ox = static_cast<int>(std::lround(at.x * scale_)), oy = static_cast<int>(std::lround(at.y * scale_));
    for (int y = 0; y < src.ph_; ++y) {
      const int ty = y + oy;
      if (ty < 0 || ty >= ph_) continue;
      for (int x = 0; x < src.pw_; ++x) {
        const int tx = x + ox;
        if (tx < 0 || tx >= pw_) continue;
        std::copy_n(&src.pixels_[(to_size(y) * src.pw_ + x) * 4], 4,
                    &pixels_[(to_size(ty) * pw_ + tx) * 4]);
      }
    }
  }

  // Outline of a stroked polyline as one path of same-direction pieces (a quad per
  // segment, a disc per round join or cap): filled with the non-zero rule, overlaps
  // merge instead of darkening.
  static Path stroke_outline(std::span<const Point> points, const StrokeStyle& style, bool closed = false) {
    Path out;
    if (points.size() < 2 || !(style.width > 0)) return out;
    if (!style.dash.empty()) {
      for (const auto& piece : dash_pieces(points, style.dash, closed)) {
        StrokeStyle solid = style;
        solid.dash.clear();
        out.append(stroke_outline(piece, solid, false));
      }
      return out;
    }
    const double hw = style.width / 2;
    const std::size_t n = points.size(), segs = closed ? n : n - 1;
    for (std::size_t i = 0; i < segs; ++i) {
      Point a = points[i], b = points[(i + 1) % n];
      const Point d = b - a;
      const double len = std::hypot(d.x, d.y);
      if (len == 0) continue;
      const Point u = d * (1 / len), nrm{-u.y * hw, u.x * hw};
      if (!closed && style.cap == LineCap::square) {
        if (i == 0) a = a - u * hw;
        if (i + 1 == segs) b = b + u * hw;
      }
      const Point quad[] = {a - nrm, b - nrm, b + nrm, a + nrm};
      out.add_polygon(quad);
    }
    if (style.round_joins) {
      // A disc per vertex, except where the line runs on almost straight (turn < 3
      // degrees): the notch it would fill is under 0.06 line widths, and dense curves
      // (ROC from 10^4 thresholds) keep few outline pieces.
      const std::size_t first = closed ? 0 : 1, last = closed ? n : n - 1;
      for (std::size_t i = first; i < last; ++i) {
        const Point in = points[i] - points[(i + n - 1) % n], out_dir = points[(i + 1) % n] - points[i];
        const double li = std::hypot(in.x, in.y), lo = std::hypot(out_dir.x, out_dir.y);
        if (li > 0 && lo > 0 && (in.x * out_dir.x + in.y * out_dir.y) / (li * lo) > 0.9986) continue;
        out.add_circle(points[i], hw);
      }
    } else {
      // Square corners for closed outlines drawn without round joins (rectangles).
      for (std::size_t i = closed ? 0 : 1; i < (closed ? n : n - 1); ++i)
        out.add_rect({points[i].x - hw, points[i].y - hw, points[i].x + hw, points[i].y + hw});
    }
    if (!closed && style.cap == LineCap::round) {
      out.add_circle(points.front(), hw);
      out.add_circle(points.back(), hw);
    }
    return out;
  }

 private:
  struct Span1D {
    int pixel;
    double cover;                               // fraction of the pixel inside the box
    std::vector<std::pair<int, double>> cells;  // (cell index, overlap length)
  };

  // Device pixels of [a, b) and, per pixel, the cells of the n-cell grid over [a, b).
  static std::vector<Span1D> grid_weights(double a, double b, int n, int limit) {
    std::vector<Span1D> out;
    const int p0 = std::max(0, static_cast<int>(std::floor(a))), p1 = std::min(limit, static_cast<int>(std::ceil(b)));
    const double cell = (b - a) / n;
    for (int p = p0; p < p1; ++p) {
      const double lo = std::max<double>(p, a), hi = std::min<double>(p + 1, b);
      if (hi <= lo) continue;
      Span1D s{p, hi - lo, {}};
      const int c0 = std::clamp(static_cast<int>(std::floor((lo - a) / cell)), 0, n - 1);
      const int c1 = std::clamp(static_cast<int>(std::ceil((hi - a) / cell)), c0 + 1, n);
      for (int c = c0; c < c1; ++c) {
        const double w = std::min(hi, a + (c + 1) * cell) - std::max(lo, a + c * cell);
        if (w > 0) s.cells.emplace_back(c, w);
      }
      if (!s.cells.empty()) out.push_back(std::move(s));
    }
    return out;
  }

  static std::vector<std::vector<Point>> dash_pieces(std::span<const Point> points, const std::vector<double>& dash,
                                                     bool closed) {
    std::vector<std::vector<Point>> pieces;
    double total = 0;
    for (double d : dash) total += std::max(0.0, d);
    if (!(total > 0)) return {std::vector<Point>(points.begin(), points.end())};
    std::size_t k = 0;
    double left = dash[0];
    bool on = true;
    std::vector<Point> cur{points[0]};
    const std::size_t n = points.size(), segs = closed ? n : n - 1;
    for (std::size_t i = 0; i < segs; ++i) {
      Point a = points[i];
      const Point b = points[(i + 1) % n];
      double len = std::hypot(b.x - a.x, b.y - a.y);
      while (len > 0) {
        const double step = std::min(len, left);
        const Point p = a + (b - a) * (step / len);
        if (on) cur.push_back(p);
        a = p;
        len -= step;
        left -= step;
        if (left <= 1e-12) {
          if (on && cur.size() >= 2) pieces.push_back(cur);
          cur.clear();
          k = (k + 1) % dash.size();
          left = dash[k];
          on = !on;
          if (on) cur.push_back(a);
        }
      }
    }
    if (on && cur.size() >= 2) pieces.push_back(cur);
    return pieces;
  }

  void blend(const detail::CoverageMask& m, Rgba color) {
    for (int y = 0; y < m.h; ++y)
      for (int x = 0; x < m.w; ++x) {
        const float c = m.cover[to_size(y) * m.w + x];
        if (c > 0) blend_pixel(m.x0 + x, m.y0 + y, color, c);
      }
  }

  // Source-over with straight alpha.
  void blend_pixel(int x, int y, Rgba c, float cover) {
    if (x < clip_.x1 && x + 1 > clip_.x0 && y < clip_.y1 && y + 1 > clip_.y0) {
      if (x < clip_.x0 || x + 1 > clip_.x1 || y < clip_.y0 || y + 1 > clip_.y1) {
        const double fx = std::min<double>(x + 1, clip_.x1) - std::max<double>(x, clip_.x0);
        const double fy = std::min<double>(y + 1, clip_.y1) - std::max<double>(y, clip_.y0);
        cover *= static_cast<float>(fx * fy);
      }
    } else {
      return;
    }
    std::uint8_t* p = &pixels_[(to_size(y) * pw_ + x) * 4];
    const float sa = cover * c.a / 255.0f;
    if (sa <= 0) return;
    const float da = p[3] / 255.0f;
    const float oa = sa + da * (1 - sa);
    auto ch = [&](std::uint8_t s, std::uint8_t d) {
      const float v = (s * sa + d * da * (1 - sa)) / oa;
      return static_cast<std::uint8_t>(std::clamp(v + 0.5f, 0.0f, 255.0f));
    };
    p[0] = ch(c.r, p[0]);
    p[1] = ch(c.g, p[1]);
    p[2] = ch(c.b, p[2]);
    p[3] = static_cast<std::uint8_t>(std::clamp(oa * 255.0f + 0.5f, 0.0f, 255.0f));
  }

  double width_, height_, scale_;
  Box clip_{-1e300, -1e300, 1e300, 1e300};  // device pixels
  int pw_ = 0, ph_ = 0;
  std::vector<std::uint8_t> pixels_;
};

}  // namespace sster
