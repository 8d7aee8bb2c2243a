// sster demo: the embedded end-to-end run behind `tools/run demo`. Simulates
// a planted-motif set, trains pysster's default network on it, evaluates on
// the held-out test split, explains the first-layer kernels and writes
// everything, with an index.html, to the output folder.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/dir_option.hpp"
#include "cli/evaluation.hpp"
#include "cli/progress.hpp"
#include "cli/simulation.hpp"
#include "cli/subcommands.hpp"
#include "sster/interpret/kernel_meme.hpp"
#include "sster/interpret/plot_clustering.hpp"
#include "sster/interpret/visualize_kernel.hpp"
#include "sster/model/model.hpp"

namespace sster::cli {

namespace {

// The first of the `top` best-scoring kernels whose logo shows a piece of
// `motif` (its first min(5, length) letters), or -1.
index_t recovering_kernel(const std::string& motif, const std::vector<KernelResult>& results,
                                 const std::vector<index_t>& order, std::size_t top) {
  const std::string piece = motif.substr(0, std::min<std::size_t>(5, motif.size()));
  for (std::size_t r = 0; r < std::min(top, order.size()); ++r)
    if (at(results, order[r]).motif.sequence.shows(piece)) return order[r];
  return -1;
}

std::string demo_index_html(const SimulationOptions& sim, const std::vector<KernelResult>& results,
                                   const Evaluation& test, std::size_t* recovered) {
  const auto order = order_by_score(results);
  std::ostringstream rows;
  *recovered = 0;
  for (const auto& group : sim.groups)
    for (const auto& m : group) {
      const index_t k = recovering_kernel(m.motif, results, order, 8);
      *recovered += k >= 0;
      rows << "<tr><td><code>" << m.motif << "</code></td><td>" << m.position << "</td><td>";
      if (k < 0) {
        rows << "not among the 8 top-scoring kernels</td><td></td></tr>\n";
        continue;
      }
      const auto& r = at(results, k);
      rows << "kernel " << k << " (score " << r.score << ", consensus <code>" << r.motif.sequence.consensus()
           << "</code>)</td><td><img src=\"motifs/motif_kernel_" << k << ".png\" height=\"90\"></td></tr>\n";
    }
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>sster demo</title>\n"
       << "<style>body{font-family:sans-serif;max-width:70em;margin:2em auto}td{padding:.3em .8em}"
       << "img{vertical-align:middle}</style></head><body>\n<h1>sster demo</h1>\n"
       << "<p>A simulated set of " << 2 * sim.sequences_per_class << " DNA sequences of length " << sim.length
       << ": positives carry planted motifs, negatives do not. pysster's default network was trained on 70%, "
       << "validated on 15% and tested on the remaining 15%.</p>\n"
       << "<h2>Planted motifs: " << *recovered << " recovered</h2>\n<table>\n"
       << "<tr><th>motif</th><th>position</th><th>recovered by</th><th>logo</th></tr>\n"
       << rows.str() << "</table>\n"
       << "<h2>Test performance</h2>\n<p>ROC-AUC " << test.report.classes[0].roc_auc << ", PR-AUC "
       << test.report.classes[0].pr_auc << " (" << test.report.classes[0].name << ")</p>\n<pre>" << test.report.text()
       << "</pre>\n<p><img src=\"report/roc.png\" width=\"45%\"> <img src=\"report/precision_recall.png\" "
       << "width=\"45%\"></p>\n<p><img src=\"report/history.png\" width=\"60%\"></p>\n"
       << "<h2>What the network learned</h2>\n<ul>\n"
       << "<li><a href=\"motifs/summary.html\">every first-layer kernel</a>: motif, positions and activations, "
       << "sorted by importance</li>\n<li><a href=\"motifs/motifs.meme\">motifs.meme</a>: the kernels' motifs in "
       << "MEME format (for Tomtom)</li>\n<li><a href=\"clustering.png\">clustering.png</a>: test sequences and "
       << "kernels clustered by maximum activation</li>\n<li><a href=\"model.sster\">model.sster</a>, "
       << "<a href=\"report/report.tsv\">report.tsv</a>, <a href=\"data/\">the data</a></li>\n</ul>\n"
       << "<p><img src=\"clustering.png\" width=\"60%\"></p>\n</body></html>\n";
  return html.str();
}

void run_demo(const std::filesystem::path& out, const SimulationOptions& sim, const Params& params,
                     std::uint64_t seed, bool quiet) {
  const auto [pos, neg] = write_simulation(sim, out / "data");
  Data data = Data::from_fasta({pos, neg}, alphabet::dna());
  if (!quiet) std::cerr << data.summary() << "\n";
  Model model(params, data, seed);
  Progress progress(quiet, static_cast<index_t>(data.indices(Group::train).size()), params.values().batch_size,
                    params.values().epochs);
  model.train(data, progress.observer());
  model.save((out / "model.sster").string());

  const auto val = evaluate(model, data, Group::val);
  const auto test = evaluate(model, data, Group::test);
  write_report(test, model, out / "report");
  const auto results = visualize_all_kernels(model, data, Group::test, out / "motifs");
  save_kernel_meme(results, out / "motifs" / "motifs.meme");
  plot_clustering(model, data, Group::test, out / "clustering.png");
  std::size_t recovered = 0;
  write_file_atomic(out / "index.html", demo_index_html(sim, results, test, &recovered));

  std::size_t planted = 0;
  for (const auto& g : sim.groups) planted += g.size();
  std::cout << "validation ROC-AUC " << val.report.classes[0].roc_auc << ", test ROC-AUC "
            << test.report.classes[0].roc_auc << " (" << data.class_names()[0] << ")\n"
            << "planted motifs recovered by top-scoring kernels: " << recovered << " of " << planted << "\n\n"
            << test.report.text() << "\nopen " << (out / "index.html").string() << "\n";
}

}  // namespace

void add_demo(CLI::App& app) {
  struct Args {
    std::string dir = "demo-out";
    SimulationOptions sim;
    std::vector<std::string> params;
    std::uint64_t seed = 1;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("demo", "simulate planted motifs, train, evaluate, explain: the embedded demo");
  add_dir_option(cmd, args->dir, "output folder", "-o,--output", false);
  cmd->add_option("-n,--sequences", args->sim.sequences_per_class, "sequences per class")->capture_default_str();
  cmd->add_option("--param", args->params, "hyperparameter as key=value; repeat");
  cmd->add_option("--seed", args->seed, "seed")->capture_default_str();
  cmd->add_flag("-q,--quiet", args->quiet, "no progress output");
  cmd->callback([args] {
    Params params;
    for (const auto& p : args->params) params.set(p);
    params.validate();
    run_demo(args->dir, args->sim, params, args->seed, args->quiet);
  });
}

}  // namespace sster::cli
