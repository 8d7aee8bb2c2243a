// sster meme: the first-layer kernels' motifs of a model as a MEME file
// (kernel_<i>, best score first), without drawing anything.
#include <iostream>

#include "cli/common.hpp"
#include "cli/subcommands.hpp"
#include "sster/interpret/kernel_meme.hpp"
#include "sster/interpret/visualize_kernel.hpp"

namespace sster::cli {

void add_meme(CLI::App& app) {
  struct Args {
    ModelDataArgs in;
    std::string output, structure_output;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("meme", "the kernels' motifs as a MEME file (for tomtom), best score first");
  args->in.add_to(cmd);
  cmd->add_option("-o,--output", args->output, "MEME file of the sequence motifs")->required();
  cmd->add_option("--structure-output", args->structure_output,
                  "MEME file of the structure motifs (sequence+structure models)");
  cmd->callback([args] {
    Model model = args->in.load_model();
    const Data data = args->in.load_data(model);
    require(args->structure_output.empty() || data.alphabet().has_structure(),
            "--structure-output: the model has no structure alphabet");
    const auto results = kernel_motifs(model, data, model.get_max_activations(data, args->in.selected_group()));
    save_kernel_meme(results, args->output);
    if (!args->structure_output.empty()) save_kernel_meme(results, args->structure_output, true);
    std::cerr << results.size() << " motifs written to " << args->output << "\n";
  });
}

}  // namespace sster::cli
