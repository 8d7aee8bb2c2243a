#pragma once
// sster train: fit pysster's network to FASTA files and save a .sster model.
#include <iostream>

#include "cli/common.hpp"
#include "cli/progress.hpp"
#include "sster/model/model.hpp"

namespace sster::cli {

inline void add_train(CLI::App& app) {
  struct Args {
    DataArgs data;
    std::vector<std::string> params;
    std::uint64_t seed = 1;
    int threads = 0;
    std::string output;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("train", "train a model on one FASTA file per class");
  args->data.add_to(cmd, true);
  cmd->add_option("--param", args->params, "hyperparameter as key=value, e.g. kernel_num=(30,60); repeat");
  cmd->add_option("--seed", args->seed, "seed of the initial weights, dropout and shuffling")->capture_default_str();
  add_threads_option(cmd, args->threads);
  cmd->add_option("-o,--output", args->output, "model file to write (.sster)")->required();
  cmd->add_flag("-q,--quiet", args->quiet, "no progress output");
  cmd->callback([args] {
    apply_threads(args->threads);
    Params params;
    for (const auto& p : args->params) params.set(p);
    params.validate();
    const Data data = args->data.load();
    if (!args->quiet) std::cerr << data.summary() << "\n";
    Model model(params, data, args->seed);
    if (!args->quiet) model.print_summary(std::cerr);
    Progress progress(args->quiet, static_cast<index_t>(data.indices(Group::train).size()),
                      params.get_int("batch_size"), params.get_int("epochs"));
    model.train(data, progress.observer());
    model.save(args->output);
    if (!args->quiet) std::cerr << "model written to " << args->output << "\n";
  });
}

}  // namespace sster::cli
