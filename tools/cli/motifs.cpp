// sster motifs: what the first-layer kernels of a model learned, on labelled
// FASTA files: pysster's visualize_all_kernels (motif, position and
// activation plots per kernel, summary.html sorted by score) plus
// motifs.meme, the kernels' motifs in score order named kernel_<i>.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/common.hpp"
#include "cli/dir_option.hpp"
#include "cli/subcommands.hpp"
#include "sster/interpret/kernel_meme.hpp"
#include "sster/interpret/visualize_kernel.hpp"

namespace sster::cli {

namespace {

// One line per kernel, best score first. Which class a motif comes from
// matters: a kernel can just as well learn what marks the other class.
void print_kernel_table(const std::vector<KernelResult>& results, const Data& data) {
  std::size_t width = 5;
  for (const auto& c : data.class_names()) width = std::max(width, c.size());
  const int w = static_cast<int>(width);
  std::printf("%-6s %7s  %-*s %6s  %s\n", "kernel", "score", w, "class", "sites", "consensus");
  for (index_t k : order_by_score(results)) {
    const auto& r = at(results, k);
    std::string consensus = r.motif.sequence.consensus();
    if (r.motif.structure) consensus += "  " + r.motif.structure->consensus();
    std::printf("%-6lld %7.3f  %-*s %6lld  %s\n", static_cast<long long>(k), r.score, w,
                at(data.class_names(), r.top_class).c_str(), static_cast<long long>(r.sites), consensus.c_str());
  }
}

}  // namespace

void add_motifs(CLI::App& app) {
  struct Args {
    ModelDataArgs in;
    std::string dir;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("motifs", "motifs, positions and activations of every first-layer kernel");
  args->in.add_to(cmd);
  add_dir_option(cmd, args->dir, "folder for summary.html, motif/position/activations_kernel_<i>.png and motifs.meme",
                 "-o,--output", true);
  cmd->callback([args] {
    Model model = args->in.load_model();
    const Data data = args->in.load_data(model);
    const std::filesystem::path out = args->dir;
    const auto results = visualize_all_kernels(model, data, args->in.selected_group(), out);
    save_kernel_memes(results, out);
    print_kernel_table(results, data);
    std::cerr << "open " << (out / "summary.html").string() << "\n";
  });
}

}  // namespace sster::cli
