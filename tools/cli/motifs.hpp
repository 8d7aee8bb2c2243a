#pragma once
// sster motifs: what the first-layer kernels of a model learned, on labelled
// FASTA files: pysster's visualize_all_kernels (motif, position and
// activation plots per kernel, summary.html sorted by score) plus
// motifs.meme, the kernels' motifs in score order named kernel_<i>.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/common.hpp"
#include "sster/interpret/kernel_meme.hpp"
#include "sster/interpret/visualize_kernel.hpp"
#include "sster/model/model.hpp"

namespace sster::cli {

// Data options of the interpretation subcommands: the files, and which group
// of their records to explain. The alphabet, structure letters and class
// count default to the model's.
struct ExplainArgs {
  std::string model;
  DataArgs data;
  std::string group = "all";
  int threads = 0;

  void add_to(CLI::App* cmd) {
    cmd->add_option("model", model, "model file (.sster)")->required();
    data.add_to(cmd, false);
    cmd->add_option("--group", group,
                    "records to use: all, or train/val/test of the split (the one training used with the same "
                    "files, --val/--test files and --split-seed)")
        ->check(CLI::IsMember({"all", "train", "val", "test"}))
        ->capture_default_str();
    cmd->add_option("--split", data.split_file, "split file (one train/val/test per record)");
    data.add_held_out_options(cmd);
    cmd->add_option("--split-seed", data.split_seed, "seed of the random 70/15/15 split")->capture_default_str();
    add_threads_option(cmd, threads);
  }

  // The data, read with the model's alphabet and class names.
  Data load(const Model& m) {
    if (data.alphabet == "auto") data.alphabet = m.info().alphabet.sequence();
    if (data.structure.empty()) data.structure = m.info().alphabet.structure();
    if (data.classes == 0) data.classes = m.info().classes();
    Data d = data.load();
    require(d.classes() == m.info().classes(), "the model has " + std::to_string(m.info().classes()) +
                                                   " classes, but " + std::to_string(d.classes()) +
                                                   " class files were given");
    d.set_class_names(m.info().class_names);
    m.check_compatible(d);
    require(!d.indices(parse_group(group)).empty(), "the group '" + group + "' has no records");
    return d;
  }
};

inline void add_motifs(CLI::App& app) {
  struct Args {
    ExplainArgs in;
    std::string output;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("motifs", "motifs, positions and activations of every first-layer kernel");
  args->in.add_to(cmd);
  cmd->add_option("-o,--output", args->output,
                  "folder for summary.html, motif/position/activations_kernel_<i>.png and motifs.meme")
      ->required();
  cmd->callback([args] {
    apply_threads(args->in.threads);
    Model model = Model::load(args->in.model);
    const Data data = args->in.load(model);
    const std::filesystem::path out = args->output;
    const auto results = visualize_all_kernels(model, data, parse_group(args->in.group), out);
    save_kernel_meme(results, out / "motifs.meme");
    if (data.alphabet().has_structure()) save_kernel_meme(results, out / "motifs_structure.meme", true);
    // Which class a motif comes from matters: a kernel can just as well
    // learn what marks the other class.
    std::size_t width = 5;
    for (const auto& c : data.class_names()) width = std::max(width, c.size());
    const int w = static_cast<int>(width);
    std::printf("%-6s %7s  %-*s %6s  %s\n", "kernel", "score", w, "class", "sites", "consensus");
    for (index_t k : order_by_score(results)) {
      const auto& r = at(results, k);
      std::string consensus = r.motif.sequence.consensus();
      if (r.motif.structure) consensus += "  " + r.motif.structure->consensus();
      std::printf("%-6lld %7.3f  %-*s %6lld  %s\n", static_cast<long long>(k), r.score, w,
                  at(data.class_names(), r.top_class).c_str(), static_cast<long long>(r.sites),
                  consensus.c_str());
    }
    std::cerr << "open " << (out / "summary.html").string() << "\n";
  });
}

}  // namespace sster::cli
