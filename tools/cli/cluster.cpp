// sster cluster: pysster's plot_clustering: the records' maximum kernel
// activations, standardised and Ward-clustered on both axes, as a heatmap
// with dendrograms and a class colour bar (single-label models).
#include <iostream>

#include "cli/common.hpp"
#include "cli/subcommands.hpp"
#include "sster/interpret/plot_clustering.hpp"

namespace sster::cli {

void add_cluster(CLI::App& app) {
  struct Args {
    ModelDataArgs in;
    std::string output;
    std::vector<index_t> subset;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("cluster", "heatmap of the records' kernel activations, clustered both ways");
  args->in.add_to(cmd);
  cmd->add_option("--subset", args->subset, "class index to include (repeat; default: every class)");
  cmd->add_option("-o,--output", args->output, "PNG file of the heatmap")->required();
  cmd->callback([args] {
    Model model = args->in.load_model();
    require(!model.info().multilabel,
            "cluster: the model is multi-label; clustering needs single-label data "
            "(as pysster's plot_clustering)");
    const Data data = args->in.load_data(model);
    const auto p = plot_clustering(model, data, args->in.selected_group(), args->output, args->subset);
    std::cerr << p.records.size() << " records x " << p.heatmap.rows << " kernels clustered into " << args->output
              << "\n";
  });
}

}  // namespace sster::cli
