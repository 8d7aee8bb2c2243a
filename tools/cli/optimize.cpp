// sster optimize: pysster's visualize_optimized_inputs: for nodes of a layer,
// the input that maximises each (gradient ascent from a random start), as
// logos, one row per node. Needs only the model.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "cli/subcommands.hpp"
#include "sster/interpret/optimize_input.hpp"
#include "sster/model/model.hpp"

namespace sster::cli {

void add_optimize(CLI::App& app) {
  struct Args {
    std::string model, layer, output;
    std::vector<index_t> nodes;
    OptimizeOptions options;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("optimize", "the input that maximises each node of a layer, as logos");
  cmd->add_option("model", args->model, "model file (.sster)")->required();
  cmd->add_option("--layer", args->layer, "layer name as in 'sster summary' (e.g. conv1d_1, dense_2)")->required();
  cmd->add_option("--node", args->nodes, "node of the layer (repeat; default: every node)");
  cmd->add_option("-o,--output", args->output, "PNG file, one row of logos per node")->required();
  cmd->add_option("--bound", args->options.bound, "start values uniform in (-bound, bound)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--lr", args->options.lr, "step size of the gradient ascent")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--steps", args->options.steps, "gradient steps per start")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--seed", args->options.seed, "seed of the random starts")->capture_default_str();
  cmd->callback([args] {
    Model model = Model::load(args->model);
    const auto results = visualize_optimized_inputs(model, args->layer, args->output, args->nodes, args->options);
    std::printf("%-6s %10s  %s\n", "node", "loss", "converged");
    for (const auto& r : results)
      std::printf("%-6lld %10.3f  %s\n", static_cast<long long>(r.node), r.loss,
                  r.converged ? "yes" : ("no, after " + std::to_string(r.attempts) + " starts").c_str());
    std::cerr << "written to " << args->output << "\n";
  });
}

}  // namespace sster::cli
