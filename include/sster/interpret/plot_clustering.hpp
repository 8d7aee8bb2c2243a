#pragma once
// pysster's Model.plot_clustering: the maximum activations of every
// first-layer kernel per record, standardised per kernel, clustered with Ward
// linkage (Euclidean) over records and over kernels, drawn as a heatmap
// (kernels as rows, records as columns) with both dendrograms and a colour bar
// of each record's class. Single-label data only, as pysster; a subset of
// classes can be chosen (pysster's `classes`), and the legend then names
// those classes.
#include <filesystem>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/interpret/clustering.hpp"
#include "sster/model/model.hpp"
#include "sster/plot/heatmap.hpp"
#include "sster/plot/style.hpp"

namespace sster {

struct ClusteringPlot {
  HeatmapClustering clustering;  // rows = the records drawn, columns = kernels
  std::vector<index_t> records;  // Data index of each row of clustering.values
  std::vector<index_t> classes;  // position in the chosen classes of each record
  HeatmapSpec heatmap;           // what was drawn
};

// The clustering and heatmap of `acts` (Model::get_max_activations) without
// writing a file. `classes`: class indices to keep (default: all).
inline ClusteringPlot cluster_activations(const MaxActivations& acts, const std::vector<std::string>& class_names,
                                          std::vector<index_t> classes = {}) {
  const index_t n = acts.activations.rows(), C = acts.labels.cols(), K = acts.activations.cols();
  require(n > 0, "plot_clustering: the group has no records");
  require(static_cast<index_t>(class_names.size()) == C, "plot_clustering: " + std::to_string(class_names.size()) +
                                                             " class names for " + std::to_string(C) + " classes");
  if (classes.empty())
    for (index_t c = 0; c < C; ++c) classes.push_back(c);
  for (std::size_t i = 0; i < classes.size(); ++i) {
    require(classes[i] >= 0 && classes[i] < C, "plot_clustering: class " + std::to_string(classes[i]) +
                                                   " does not exist (" + std::to_string(C) + " classes: 0 to " +
                                                   std::to_string(C - 1) + ")");
    for (std::size_t j = 0; j < i; ++j)
      require(classes[j] != classes[i], "plot_clustering: class " + std::to_string(classes[i]) + " given twice");
  }
  ClusteringPlot out;
  std::vector<index_t> rows;
  for (index_t r = 0; r < n; ++r) {
    index_t labels = 0, first = -1;
    for (index_t c = 0; c < C; ++c)
      if (acts.labels(r, c) != 0) ++labels, first = first < 0 ? c : first;
    require(labels <= 1, "plot_clustering: record " + std::to_string(at(acts.indices, r) + 1) +
                             " belongs to " + std::to_string(labels) +
                             " classes: clustering needs single-label data (pysster's rule); the data set is "
                             "multi-label");
    for (std::size_t k = 0; k < classes.size(); ++k)
      if (classes[k] == first) {
        rows.push_back(r);
        out.records.push_back(at(acts.indices, r));
        out.classes.push_back(static_cast<index_t>(k));
      }
  }
  require(rows.size() >= 2, "plot_clustering: " + std::to_string(rows.size()) +
                                " record(s) of the chosen classes in the group; at least 2 are needed");
  RowMatrix<double> x(static_cast<index_t>(rows.size()), K);
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (index_t k = 0; k < K; ++k) x(static_cast<index_t>(i), k) = acts.activations(rows[i], k);
  out.clustering = cluster_heatmap(x);
  const auto& h = out.clustering;
  const index_t R = x.rows();

  // Kernels are the heatmap's rows, records its columns (pysster draws data.T).
  HeatmapSpec& spec = out.heatmap;
  spec.rows = K;
  spec.cols = R;
  spec.values.resize(to_size(K * R));
  for (index_t k = 0; k < K; ++k)
    for (index_t r = 0; r < R; ++r) at(spec.values, k * R + r) = h.values(r, k);
  for (index_t k = 0; k < K; ++k) spec.row_labels.push_back("kernel " + std::to_string(k));
  auto tree = [](const Linkage& z) {
    std::vector<Merge> t;
    for (const auto& m : z) t.push_back({m.left, m.right, m.distance});
    return t;
  };
  if (K >= 2) {
    spec.row_tree = tree(h.col_linkage);
    spec.row_order = h.col_order;
  }
  spec.col_tree = tree(h.row_linkage);
  spec.col_order = h.row_order;
  spec.col_classes = out.classes;
  for (index_t c : classes) spec.class_names.push_back(at(class_names, c));
  spec.colorbar_label = "standardised max activation";
  return out;
}

// pysster's plot_clustering on precomputed maximum activations.
inline ClusteringPlot plot_clustering(const MaxActivations& acts, const std::vector<std::string>& class_names,
                                      const std::filesystem::path& file, std::vector<index_t> classes = {},
                                      const Style& style = {}) {
  ClusteringPlot p = cluster_activations(acts, class_names, std::move(classes));
  plot_heatmap(p.heatmap, file, style);
  return p;
}

// The maximum activations of `group`, clustered and drawn to `file`.
inline ClusteringPlot plot_clustering(Model& model, const Data& data, Group group, const std::filesystem::path& file,
                                      std::vector<index_t> classes = {}, const Style& style = {}) {
  std::vector<std::string> names = data.class_names();
  for (index_t c = static_cast<index_t>(names.size()); c < data.classes(); ++c)
    names.push_back("class_" + std::to_string(c));
  return plot_clustering(model.get_max_activations(data, group), names, file, std::move(classes), style);
}

}  // namespace sster
