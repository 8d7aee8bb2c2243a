#pragma once
// The subcommands of the sster tool, one translation unit each
// (tools/cli/<name>.cpp): add_<name> registers the subcommand, its options
// and what it does on `app`.
#include <string>

namespace CLI {
class App;
}

namespace sster::cli {

void add_train(CLI::App& app);
void add_predict(CLI::App& app);
void add_report(CLI::App& app);
void add_summary(CLI::App& app);
void add_simulate(CLI::App& app);
void add_demo(CLI::App& app);
void add_grid_search(CLI::App& app);
void add_export_json(CLI::App& app);
void add_motifs(CLI::App& app);
void add_cluster(CLI::App& app);
void add_optimize(CLI::App& app);
void add_meme(CLI::App& app);
void add_scan(CLI::App& app);
void add_vep(CLI::App& app);
void add_fold(CLI::App& app);
void add_attribute(CLI::App& app);
void add_tomtom(CLI::App& app);

// The subcommands that share their work over the ranks of an MPI job (the
// others refuse to start on more than one rank).
inline bool runs_on_mpi(const std::string& name) {
  return name == "train" || name == "predict" || name == "grid-search" || name == "attribute" || name == "scan" ||
         name == "vep";
}

}  // namespace sster::cli
