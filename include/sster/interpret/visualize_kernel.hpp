#pragma once
// pysster's Model.visualize_kernel and visualize_all_kernels: for a kernel of
// the first convolution, the motif under its strongest activations and an
// importance score, drawn as
//   motif_kernel_<i>.png        sequence logo (over the structure logo for
//                               sequence+structure alphabets), titled with the
//                               class the windows come from (sster's addition)
//   position_kernel_<i>.png     per class: where the maxima sit, and the mean
//                               +- sd activation at every position
//   activations_kernel_<i>.png  per class: violins of the maximum activations
//   additional_features_kernel_<i>.png  (position-wise inputs only) each
//                               input's mean +- sd under the motif windows
// visualize_all_kernels draws every kernel in parallel and writes summary.html
// with the kernels sorted by score. The numbers behind the plots are
// kernel_statistics() (interpret/kernel_activations.hpp).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/parallel.hpp"
#include "sster/data/dataset.hpp"
#include "sster/interpret/kernel_activations.hpp"
#include "sster/interpret/kernel_motif.hpp"
#include "sster/model/model.hpp"
#include "sster/plot/canvas.hpp"
#include "sster/plot/font.hpp"
#include "sster/plot/html_report.hpp"
#include "sster/plot/png.hpp"
#include "sster/plot/position.hpp"
#include "sster/plot/positionwise.hpp"
#include "sster/plot/style.hpp"
#include "sster/plot/violin.hpp"

namespace sster {

struct KernelResult {
  index_t kernel = 0;
  KernelMotif motif;
  double score = 0;       // max - min of the class means of the maximum activations
  index_t top_class = 0;  // the class the motif comes from (highest mean maximum activation)
  index_t sites = 0;      // windows the motif is made of
};

struct KernelPlotOptions {
  std::map<char, Rgba> colors_sequence{}, colors_structure{};  // per-letter logo colours
  Style style{};
};

namespace detail {

inline std::filesystem::path kernel_file(const std::filesystem::path& folder, const char* what, index_t kernel) {
  return folder / (std::string(what) + "_kernel_" + std::to_string(kernel) + ".png");
}

inline std::vector<std::string> class_labels(const Data& data) {
  std::vector<std::string> names = data.class_names();
  for (index_t c = static_cast<index_t>(names.size()); c < data.classes(); ++c)
    names.push_back("class_" + std::to_string(c));
  return names;
}

// Mean and sd (ddof 0) of every position-wise input under the motif windows.
inline std::vector<FeatureProfile> window_features(const Data& data, const KernelStatistics& s) {
  const index_t D = data.dense_channels(), W = s.width;
  const auto w = to_size(W);
  std::vector<FeatureProfile> features;
  for (const auto& name : data.dense_names())
    features.push_back({name, std::vector<double>(w, 0.0), std::vector<double>(w, 0.0)});
  const auto n = static_cast<double>(s.motif_records.size());
  for (int pass = 0; pass < 2; ++pass)  // means, then squared deviations
    for (std::size_t i = 0; i < s.motif_records.size(); ++i) {
      const auto v = data.dense_unscaled(s.motif_records[i]);
      for (index_t d = 0; d < D; ++d)
        for (std::size_t t = 0; t < w; ++t) {
          const double x = at(v, (s.motif_positions[i] + static_cast<index_t>(t)) * D + d);
          auto& f = at(features, d);
          if (pass == 0)
            f.mean[t] += x / n;
          else
            f.sd[t] += (x - f.mean[t]) * (x - f.mean[t]) / n;
        }
    }
  for (auto& f : features)
    for (double& v : f.sd) v = std::sqrt(v);
  return features;
}

}  // namespace detail

// The motif of one kernel's statistics.
inline KernelResult kernel_result(const Data& data, const KernelStatistics& s, const KernelPlotOptions& options = {}) {
  KernelResult r{s.kernel, motif_from_windows(data, s.motif_records, s.motif_positions, s.width), s.score, s.top_class,
                 static_cast<index_t>(s.motif_records.size())};
  r.motif.sequence.set_colors(options.colors_sequence);
  if (r.motif.structure) r.motif.structure->set_colors(options.colors_structure);
  return r;
}

// motif_kernel_<i>.png: the logo(s) under a one-line title naming the kernel,
// the class its windows come from and how many there are. pysster's image
// has no title; without one a motif of the other class (a kernel can learn
// what marks the background) reads like one of the class of interest.
inline Canvas render_kernel_motif(const KernelResult& r, const std::string& class_name, const Style& style = {}) {
  const Canvas logos = render_motifs(r.motif.logos(), style);
  const std::string title = "kernel " + std::to_string(r.kernel) + ": " + class_name + ", " + std::to_string(r.sites) +
                            (r.sites == 1 ? " site" : " sites");
  const TextStyle text{style.font_label, FontFace::regular, style.text};
  const double title_h = measure_text(title, text).height() + style.margin;
  Canvas canvas(std::max(logos.width(), measure_text(title, text).width + 2 * style.margin), logos.height() + title_h,
                style.scale);
  draw_text(canvas, title, {canvas.width() / 2, style.margin}, text, HAlign::center, VAlign::top);
  canvas.paste(logos, {0, title_h});
  return canvas;
}

// Draws the files of one kernel into `folder` (which must exist).
inline KernelResult plot_kernel(const Data& data, const KernelStatistics& s, const std::filesystem::path& folder,
                                const KernelPlotOptions& options = {}) {
  KernelResult r = kernel_result(data, s, options);
  const auto names = detail::class_labels(data);
  write_png(render_kernel_motif(r, at(names, s.top_class), options.style),
            detail::kernel_file(folder, "motif", s.kernel));
  plot_position_summary(PositionSummary{s.kernel, names, s.positions, s.mean, s.sd},
                        detail::kernel_file(folder, "position", s.kernel), options.style);
  plot_violins(s.max_per_class, names, "Activations, kernel " + std::to_string(s.kernel),
               detail::kernel_file(folder, "activations", s.kernel), "max activations", options.style);
  if (data.dense_channels() > 0)
    plot_positionwise(detail::window_features(data, s), detail::kernel_file(folder, "additional_features", s.kernel),
                      options.style);
  return r;
}

// pysster's visualize_kernel: the files of one kernel in `folder` (created if
// missing), its motif and its score. `acts` comes from
// model.get_max_activations(data, group).
inline KernelResult visualize_kernel(Model& model, const Data& data, const MaxActivations& acts, index_t kernel,
                                     const std::filesystem::path& folder, const KernelPlotOptions& options = {}) {
  const KernelStatistics s = kernel_statistics(model, data, acts, kernel);
  create_folders(folder);
  return plot_kernel(data, s, folder, options);
}
inline KernelResult visualize_kernel(Model& model, const Data& data, index_t kernel, Group group,
                                     const std::filesystem::path& folder, const KernelPlotOptions& options = {}) {
  return visualize_kernel(model, data, model.get_max_activations(data, group), kernel, folder, options);
}

// Kernels by descending score; equal scores keep kernel order (pysster's
// stable sort).
inline std::vector<index_t> order_by_score(std::span<const KernelResult> results) {
  std::vector<index_t> order(results.size());
  std::iota(order.begin(), order.end(), index_t{0});
  std::stable_sort(order.begin(), order.end(), [&](index_t a, index_t b) {
    return at(results, a).score > at(results, b).score;
  });
  for (auto& k : order) k = at(results, k).kernel;
  return order;
}

// summary.html for visualize_all_kernels' results (kernel order), best
// score first; `notes`, indexed by kernel, adds a line under each score.
inline void write_kernel_summary(const std::filesystem::path& folder, std::span<const KernelResult> results,
                                 const Data& data, std::span<const std::string> notes = {}) {
  std::vector<double> scores;
  for (const auto& r : results) scores.push_back(r.score);
  // pysster's page: 225 px of additional-feature plot per position-wise input.
  write_kernel_summary(folder, order_by_score(results), scores, data.classes(),
                       static_cast<int>(data.dense_channels() * 225), notes);
}

// Every kernel's motif and score without drawing anything (kernel order).
inline std::vector<KernelResult> kernel_motifs(Model& model, const Data& data, const MaxActivations& acts,
                                               const KernelPlotOptions& options = {}) {
  detail::check_activations(model, data, acts);
  std::vector<index_t> kernels(to_size(model.first_conv()->kernels));
  std::iota(kernels.begin(), kernels.end(), index_t{0});
  const auto stats = kernel_statistics(model, data, acts, kernels);
  std::vector<KernelResult> results;
  for (const auto& s : stats) results.push_back(kernel_result(data, s, options));
  return results;
}

// pysster's visualize_all_kernels: every kernel's files (drawn in parallel,
// one task per kernel) and summary.html, best score first. Returns the
// results in kernel order.
inline std::vector<KernelResult> visualize_all_kernels(Model& model, const Data& data, const MaxActivations& acts,
                                                       const std::filesystem::path& folder,
                                                       const KernelPlotOptions& options = {}) {
  detail::check_activations(model, data, acts);
  const index_t K = model.first_conv()->kernels;
  std::vector<index_t> kernels(to_size(K));
  std::iota(kernels.begin(), kernels.end(), index_t{0});
  const auto stats = kernel_statistics(model, data, acts, kernels);
  create_folders(folder);
  std::vector<std::optional<KernelResult>> drawn(to_size(K));
  parallel_for_each_index(K, [&](index_t k) {
    at(drawn, k) = plot_kernel(data, at(stats, k), folder, options);
  });
  std::vector<KernelResult> results;
  for (auto& r : drawn) results.push_back(std::move(*r));
  write_kernel_summary(folder, results, data);
  return results;
}
inline std::vector<KernelResult> visualize_all_kernels(Model& model, const Data& data, Group group,
                                                       const std::filesystem::path& folder,
                                                       const KernelPlotOptions& options = {}) {
  return visualize_all_kernels(model, data, model.get_max_activations(data, group), folder, options);
}

}  // namespace sster
