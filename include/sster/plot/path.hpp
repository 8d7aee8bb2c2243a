#pragma once
// sster::Path: closed outlines made of line and quadratic Bezier segments, in layout
// units (y down). The canvas flattens a path to polygons in device pixels and fills it
// with the non-zero winding rule. Point and Box are the plot layer's geometry.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <span>
#include <vector>

namespace sster {

struct Point {
  double x = 0, y = 0;
  friend Point operator+(Point a, Point b) { return {a.x + b.x, a.y + b.y}; }
  friend Point operator-(Point a, Point b) { return {a.x - b.x, a.y - b.y}; }
  friend Point operator*(Point a, double s) { return {a.x * s, a.y * s}; }
};

// An axis-aligned rectangle [x0, x1] x [y0, y1], y growing downwards.
struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
  Point center() const { return {(x0 + x1) / 2, (y0 + y1) / 2}; }
  bool contains(Point p) const { return p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1; }
  Box inset(double left, double top, double right, double bottom) const {
    return {x0 + left, y0 + top, x1 - right, y1 - bottom};
  }
  static Box of_size(double x, double y, double w, double h) { return {x, y, x + w, y + h}; }
};

// `n` points on a circle (for stroking rings).
inline std::vector<Point> circle_points(Point c, double r, int n = 48) {
  std::vector<Point> pts;
  for (int i = 0; i < n; ++i) {
    const double a = i * 2 * std::numbers::pi / n;
    pts.push_back({c.x + r * std::cos(a), c.y + r * std::sin(a)});
  }
  return pts;
}

class Path {
 public:
  enum class Op { move, line, quad };
  struct Segment {
    Op op;
    Point control;  // quad only
    Point to;
  };

  Path& move_to(Point p) {
    segments_.push_back({Op::move, {}, p});
    return *this;
  }
  Path& line_to(Point p) {
    segments_.push_back({Op::line, {}, p});
    return *this;
  }
  Path& quad_to(Point control, Point p) {
    segments_.push_back({Op::quad, control, p});
    return *this;
  }

  // Closed polygon through `points` (closing edge implied).
  Path& add_polygon(std::span<const Point> points) {
    if (points.empty()) return *this;
    move_to(points[0]);
    for (std::size_t i = 1; i < points.size(); ++i) line_to(points[i]);
    return *this;
  }
  Path& add_rect(Box b) {
    const Point pts[] = {{b.x0, b.y0}, {b.x1, b.y0}, {b.x1, b.y1}, {b.x0, b.y1}};
    return add_polygon(pts);
  }
  // A circle as 16 quadratic arcs (radial error below 2e-4 r), running in the same
  // direction as add_rect, so unions of both fill without holes.
  Path& add_circle(Point c, double r) {
    constexpr int n = 16;
    const double step = 2 * std::numbers::pi / n, k = r / std::cos(step / 2);
    move_to({c.x + r, c.y});
    for (int i = 1; i <= n; ++i) {
      const double a = i * step, m = a - step / 2;
      quad_to({c.x + k * std::cos(m), c.y + k * std::sin(m)}, {c.x + r * std::cos(a), c.y + r * std::sin(a)});
    }
    return *this;
  }
  Path& append(const Path& other) {
    segments_.insert(segments_.end(), other.segments_.begin(), other.segments_.end());
    return *this;
  }

  const std::vector<Segment>& segments() const { return segments_; }
  bool empty() const { return segments_.empty(); }

  // Contours as polygons after mapping every point through `map` (layout -> device)
  // and cutting curves into pieces within `tolerance` device pixels of the curve.
  template <class Map>
  std::vector<std::vector<Point>> flatten(Map map, double tolerance = 0.1) const {
    std::vector<std::vector<Point>> out;
    Point last{};
    for (const Segment& s : segments_) {
      const Point to = map(s.to);
      if (s.op == Op::move || out.empty()) {
        out.emplace_back();
        if (s.op != Op::move) out.back().push_back(last);
      }
      if (s.op == Op::quad) {
        const Point c = map(s.control);
        // Distance of the curve from its chord is |p0 - 2c + p1| / 4; n pieces cut it by n^2.
        const Point d = last - c * 2 + to;
        const double dist = std::hypot(d.x, d.y) / 4;
        const int n = std::clamp(static_cast<int>(std::ceil(std::sqrt(dist / tolerance))), 1, 100);
        for (int i = 1; i < n; ++i) {
          const double t = static_cast<double>(i) / n, u = 1 - t;
          out.back().push_back(last * (u * u) + c * (2 * u * t) + to * (t * t));
        }
      }
      out.back().push_back(to);
      last = to;
    }
    return out;
  }

 private:
  std::vector<Segment> segments_;
};

}  // namespace sster
