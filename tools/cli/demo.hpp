#pragma once
// sster demo: the embedded end-to-end run behind `tools/run demo`. Simulates
// a planted-motif set, trains pysster's default network on it, evaluates on
// the held-out test split and writes everything to the output folder.
#include <filesystem>
#include <iostream>

#include "cli/common.hpp"
#include "cli/progress.hpp"
#include "cli/report.hpp"
#include "cli/simulate.hpp"
#include "sster/model/model.hpp"

namespace sster::cli {

inline void run_demo(const std::filesystem::path& out, const SimulationOptions& sim, const Params& params,
                     std::uint64_t seed, bool quiet) {
  const auto [pos, neg] = write_simulation(sim, out / "data");
  Data data = Data::from_fasta({pos, neg}, alphabet::dna());
  if (!quiet) std::cerr << data.summary() << "\n";
  Model model(params, data, seed);
  Progress progress(quiet, static_cast<index_t>(data.indices(Group::train).size()), params.get_int("batch_size"),
                    params.get_int("epochs"));
  model.train(data, progress.observer());
  model.save((out / "model.sster").string());
  const auto val = evaluate(model, data, Group::val);
  const auto test = evaluate(model, data, Group::test);
  write_report(test, out / "report");
  std::cout << "validation ROC-AUC " << val.classes[0].roc_auc << ", test ROC-AUC " << test.classes[0].roc_auc
            << " (" << data.class_names()[0] << ")\n\n"
            << test.text() << "\nwritten to " << out.string() << "/\n";
}

inline void add_demo(CLI::App& app) {
  struct Args {
    std::string output = "demo-out";
    SimulationOptions sim;
    std::vector<std::string> params;
    std::uint64_t seed = 1;
    int threads = 0;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("demo", "simulate planted motifs, train, evaluate: the embedded demo");
  cmd->add_option("-o,--output", args->output, "output folder")->capture_default_str();
  cmd->add_option("-n,--sequences", args->sim.sequences_per_class, "sequences per class")->capture_default_str();
  cmd->add_option("--param", args->params, "hyperparameter as key=value; repeat");
  cmd->add_option("--seed", args->seed, "seed")->capture_default_str();
  add_threads_option(cmd, args->threads);
  cmd->add_flag("-q,--quiet", args->quiet, "no progress output");
  cmd->callback([args] {
    apply_threads(args->threads);
    Params params;
    for (const auto& p : args->params) params.set(p);
    params.validate();
    run_demo(args->output, args->sim, params, args->seed, args->quiet);
  });
}

}  // namespace sster::cli
