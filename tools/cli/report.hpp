#pragma once
// sster report: pysster's performance report of a model on labelled FASTA
// files: report.txt (the table), report.tsv, confusion.tsv (single-label).
#include <filesystem>
#include <iostream>

#include "cli/common.hpp"
#include "sster/metrics/report.hpp"
#include "sster/model/model.hpp"
#include "sster/core/atomic_file.hpp"

namespace sster::cli {

// Predictions and targets of every record of `data`, scored by `model`.
inline PerformanceReport evaluate(Model& model, const Data& data, Group group) {
  const auto p = model.predict(data, group);
  std::vector<float> targets;
  for (index_t i : data.indices(group)) {
    const auto t = data.targets(i);
    targets.insert(targets.end(), t.begin(), t.end());
  }
  ReportOptions opts;
  opts.mode = model.info().multilabel ? ReportMode::multi_label : ReportMode::single_label;
  return performance_report(std::span<const float>(p.data(), static_cast<std::size_t>(p.size())),
                            std::span<const float>(targets), model.info().class_names, opts);
}

inline void write_report(const PerformanceReport& r, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  write_file_atomic(dir / "report.txt", r.text());
  write_file_atomic(dir / "report.tsv", r.tsv());
  if (!r.multi_label) write_file_atomic(dir / "confusion.tsv", r.confusion_tsv());
}

inline void add_report(CLI::App& app) {
  struct Args {
    std::string model, output;
    DataArgs data;
    int threads = 0;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("report", "performance report of a model on labelled FASTA files");
  cmd->add_option("model", args->model, "model file (.sster)")->required();
  args->data.add_to(cmd, false);
  cmd->add_option("-o,--output", args->output, "folder for report.txt, report.tsv, confusion.tsv")->required();
  add_threads_option(cmd, args->threads);
  cmd->callback([args] {
    apply_threads(args->threads);
    Model model = Model::load(args->model);
    if (args->data.alphabet == "auto") args->data.alphabet = model.info().alphabet.sequence();
    if (args->data.structure.empty()) args->data.structure = model.info().alphabet.structure();
    if (args->data.classes == 0) args->data.classes = model.info().classes();
    Data data = args->data.load();
    data.set_class_names(model.info().class_names);
    const auto report = evaluate(model, data, Group::all);
    write_report(report, args->output);
    std::cout << report.text();
  });
}

}  // namespace sster::cli
