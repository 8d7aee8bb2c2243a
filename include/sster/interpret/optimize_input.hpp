#pragma once
// pysster's Model.visualize_optimized_inputs: for a node of any layer (a
// kernel of a convolution, a neuron of a dense layer, a class of the output),
// the input that maximises it, found by gradient ascent on the input and shown
// as a logo (pysster's _optimize_input / _get_optimized_input):
//   x ~ uniform(-bound, bound), shape (length, channels)
//   loss = max over positions of the node's output (the output layer's logits:
//          pysster swaps its softmax/sigmoid for a linear activation)
//   g = d loss / d x, L2-normalised over the length per channel (Keras
//       l2_normalize(grads, axis=1), epsilon 1e-12);  x += lr * g;  `steps` times
//   up to `attempts` fresh starts until the loss (evaluated before the last
//   step, as pysster's) exceeds 2; the last attempt is kept otherwise
//   pwm = softmax of x over the channels at each position -> logo(s)
// Start values come from RandomKey(seed, Purpose::optimize_input) keyed by
// (layer, node, attempt), and every node runs on its own (nodes in parallel),
// so a node's result depends neither on the other nodes nor on the thread
// count. On a tie for the maximum the first position gets the gradient
// (TensorFlow splits it among the tied positions).
//
// The PNG stacks one row per node (sequence logo over structure logo for
// structure alphabets), each logo the size of pysster's at scale 0.25:
// int((194 (length + 1) + 40) / 4) x 188 pixels, so length 40 gives 1998 x 188.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/parallel.hpp"
#include "sster/core/random.hpp"
#include "sster/interpret/kernel_motif.hpp"
#include "sster/model/model.hpp"
#include "sster/plot/canvas.hpp"
#include "sster/plot/font.hpp"
#include "sster/plot/logo.hpp"
#include "sster/plot/png.hpp"
#include "sster/plot/style.hpp"

namespace sster {

struct OptimizeOptions {
  double bound = 0.1;  // start values uniform in (-bound, bound)
  double lr = 0.02;    // step size of the gradient ascent
  int steps = 600;
  int attempts = 5;     // fresh starts until the loss exceeds min_loss
  double min_loss = 2;  // pysster's convergence criterion
  std::uint64_t seed = 1;
};

struct OptimizedInput {
  index_t node = 0;
  std::vector<float> input;  // (length, channels) row-major, as optimised
  std::vector<double> pwm;   // softmax of `input` over the channels at each position
  double loss = 0;           // the node's maximum output in the last step
  bool converged = false;    // loss > min_loss
  int attempts = 0;          // starts used
  KernelMotif motif;         // the logo(s) of pwm
};

namespace detail {

struct AscentResult {
  std::vector<float> input;
  double loss = 0;
  bool converged = false;
  int attempts = 0;
};

inline std::size_t find_layer(const Network<float>& net, const std::string& name) {
  std::string names;
  for (std::size_t i = 0; i < net.size(); ++i) {
    if (net.name(i) == name) return i;
    names += (i ? ", " : "") + net.name(i);
  }
  throw Error("optimised inputs: the model has no layer '" + name + "' (layers: " + names + ")");
}

// Gradient ascent for one node of layer `layer` on a copy of the network
// (its own buffers; the parameters are shared and only read).
inline AscentResult optimize_node(const Network<float>& proto, float* params, std::size_t layer, index_t node,
                                  const OptimizeOptions& o) {
  Network<float> net = proto;
  std::vector<float> grads(to_size(net.parameter_count()));
  net.bind(params, grads.data());  // parameter gradients are written but not used
  const index_t L = net.input().length, C = net.input().channels();
  Tensor<float> x({1, L, C}), grad_out, gx;
  Context ctx;  // inference: dropout is the identity
  AscentResult r;
  for (int attempt = 0; attempt < o.attempts && !r.converged; ++attempt) {
    const auto key = RandomKey(o.seed, Purpose::optimize_input)
                         .with({static_cast<std::uint64_t>(layer), static_cast<std::uint64_t>(node),
                                static_cast<std::uint64_t>(attempt)});
    for (index_t e = 0; e < L * C; ++e)
      x[e] = static_cast<float>(-o.bound + 2 * o.bound * key.uniform(static_cast<std::uint64_t>(e)));
    for (int step = 0; step < o.steps; ++step) {
      const Tensor<float>& y = net.forward_dense(x, ctx, layer);
      index_t best = 0;
      for (index_t t = 1; t < y.shape().L; ++t)
        if (y.at(0, t, node) > y.at(0, best, node)) best = t;
      r.loss = y.at(0, best, node);
      grad_out.resize(y.shape());
      grad_out.fill(0.0f);
      grad_out.at(0, best, node) = 1.0f;
      net.backward(grad_out, ctx, layer, &gx);
      for (index_t c = 0; c < C; ++c) {
        double norm = 0;
        for (index_t t = 0; t < L; ++t) norm += static_cast<double>(gx.at(0, t, c)) * gx.at(0, t, c);
        const auto scale = static_cast<float>(o.lr / std::sqrt(std::max(norm, 1e-12)));
        for (index_t t = 0; t < L; ++t) x.at(0, t, c) += scale * gx.at(0, t, c);
      }
    }
    r.converged = r.loss > o.min_loss;
    r.attempts = attempt + 1;
  }
  r.input.assign(x.data(), x.data() + L * C);
  return r;
}

}  // namespace detail

// The optimised input of every node in `nodes` of layer `layer_name` (all of
// its nodes when empty). Models with additional or position-wise inputs are
// refused, as pysster refuses them.
inline std::vector<OptimizedInput> optimize_inputs(Model& model, const std::string& layer_name,
                                                   std::vector<index_t> nodes = {}, const OptimizeOptions& o = {}) {
  const ModelInfo& info = model.info();
  require(info.extra == 0, "optimised inputs: not possible for a model with additional inputs (as in pysster)");
  require(info.dense_channels == 0,
          "optimised inputs: not possible for a model with position-wise inputs (as in pysster)");
  require(o.bound > 0 && std::isfinite(o.bound), "optimised inputs: bound must be > 0, got " + std::to_string(o.bound));
  require(o.lr > 0 && std::isfinite(o.lr), "optimised inputs: lr must be > 0, got " + std::to_string(o.lr));
  require(o.steps > 0, "optimised inputs: steps must be > 0, got " + std::to_string(o.steps));
  require(o.attempts > 0, "optimised inputs: attempts must be > 0, got " + std::to_string(o.attempts));
  Network<float>& net = model.engine().network();
  const std::size_t layer = detail::find_layer(net, layer_name);
  const index_t width = net.output_shape(layer).C;
  if (nodes.empty())
    for (index_t k = 0; k < width; ++k) nodes.push_back(k);
  for (index_t k : nodes)
    require(k >= 0 && k < width, "optimised inputs: layer " + layer_name + " has " + std::to_string(width) +
                                     " nodes (0 to " + std::to_string(width - 1) + "), not node " + std::to_string(k));
  std::vector<detail::AscentResult> runs(nodes.size());
  float* params = model.engine().parameters().data();
  parallel_for_each_index(static_cast<index_t>(nodes.size()), [&](index_t i) {
    at(runs, i) =
        detail::optimize_node(net, params, layer, at(nodes, i), o);
  });
  std::vector<OptimizedInput> results;
  const index_t L = info.length, C = info.alphabet.size();
  for (std::size_t i = 0; i < runs.size(); ++i) {
    auto& a = runs[i];
    std::vector<double> pwm(a.input.size());
    for (index_t t = 0; t < L; ++t) {  // utils.softmax over the channels
      const float* row = a.input.data() + t * C;
      const double top = *std::max_element(row, row + C);
      double sum = 0;
      for (index_t c = 0; c < C; ++c) sum += at(pwm, t * C + c) = std::exp(row[c] - top);
      for (index_t c = 0; c < C; ++c) at(pwm, t * C + c) /= sum;
    }
    KernelMotif motif = motif_from_symbol_matrix(info.alphabet, pwm);
    results.push_back(OptimizedInput{nodes[i], std::move(a.input), std::move(pwm), a.loss, a.converged, a.attempts,
                                     std::move(motif)});
  }
  return results;
}

// One logo at the pixel size pysster's Motif.plot(scale=0.25) has:
// int((194 (length + 1) + 40) * 0.25) x int(754 * 0.25) = 188.
inline Canvas render_logo_pysster_size(const LogoSpec& spec, const std::string& label = "", Style style = {}) {
  const index_t L = spec.length();
  const double w = std::floor((194.0 * static_cast<double>(L + 1) + 40.0) * 0.25), h = std::floor(754 * 0.25);
  style.scale = 1;  // layout units are pixels: the size is exact
  Canvas canvas(w, h, 1.0);
  draw_logo(canvas, canvas.bounds(), spec, style);
  if (!label.empty())
    draw_text(canvas, label, {w - style.margin, style.margin}, {style.font_tick, FontFace::regular, style.axis},
              HAlign::right, VAlign::top);
  return canvas;
}

// All nodes' logos, one row per node (sequence over structure logo), as one image.
inline Canvas render_optimized_inputs(const std::vector<OptimizedInput>& results, const std::string& layer_name,
                                      const std::map<char, Rgba>& colors_sequence = {},
                                      const std::map<char, Rgba>& colors_structure = {}, const Style& style = {}) {
  require(!results.empty(), "optimised inputs: no nodes to draw");
  std::vector<Canvas> rows;
  for (const auto& r : results) {
    const std::string label =
        layer_name + ", node " + std::to_string(r.node) + (r.converged ? "" : " (did not converge)");
    LogoSpec seq = r.motif.sequence.logo();
    seq.colors = colors_sequence;
    rows.push_back(render_logo_pysster_size(seq, label, style));
    if (r.motif.structure) {
      LogoSpec str = r.motif.structure->logo();
      str.colors = colors_structure;
      rows.push_back(render_logo_pysster_size(str, "", style));
    }
  }
  double w = 0, h = 0;
  for (const auto& c : rows) w = std::max(w, c.width()), h += c.height();
  Canvas out(w, h, 1.0);
  double y = 0;
  for (const auto& c : rows) {
    out.paste(c, {0, y});
    y += c.height();
  }
  return out;
}

// pysster's visualize_optimized_inputs: optimises the nodes (all when `nodes`
// is empty) and writes the logos to `file`. Returns the results.
inline std::vector<OptimizedInput> visualize_optimized_inputs(Model& model, const std::string& layer_name,
                                                              const std::filesystem::path& file,
                                                              std::vector<index_t> nodes = {},
                                                              const OptimizeOptions& o = {},
                                                              const std::map<char, Rgba>& colors_sequence = {},
                                                              const std::map<char, Rgba>& colors_structure = {}) {
  auto results = optimize_inputs(model, layer_name, std::move(nodes), o);
  write_png(render_optimized_inputs(results, layer_name, colors_sequence, colors_structure), file);
  return results;
}

}  // namespace sster
