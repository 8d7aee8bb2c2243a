// sster motifs: what the first-layer kernels of a model learned, on labelled
// FASTA files: pysster's visualize_all_kernels (motif, position and
// activation plots per kernel, summary.html sorted by score) plus
// motifs.meme, the kernels' motifs in score order named kernel_<i>. With
// --tomtom DATABASE.meme each kernel is also matched against a motif
// database (what pysster's run_tomtom asks the MEME suite for): its best
// match goes into summary.html and the table, all matches into tomtom.tsv.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/common.hpp"
#include "cli/dir_option.hpp"
#include "cli/subcommands.hpp"
#include "cli/tomtom_options.hpp"
#include "sster/interpret/kernel_meme.hpp"
#include "sster/interpret/kernel_tomtom.hpp"
#include "sster/interpret/visualize_kernel.hpp"

namespace sster::cli {

namespace {

// One line per kernel, best score first. Which class a motif comes from
// matters: a kernel can just as well learn what marks the other class.
// `matches` (kernel order, may be empty): each kernel's best database match.
void print_kernel_table(const std::vector<KernelResult>& results, const Data& data, const std::vector<std::string>& matches) {
  std::size_t width = 5;
  for (const auto& c : data.class_names()) width = std::max(width, c.size());
  const int w = static_cast<int>(width);
  std::printf("%-6s %7s  %-*s %6s  %s%s\n", "kernel", "score", w, "class", "sites", "consensus",
              matches.empty() ? "" : "  best match");
  for (index_t k : order_by_score(results)) {
    const auto& r = at(results, k);
    std::string consensus = r.motif.sequence.consensus();
    if (r.motif.structure) consensus += "  " + r.motif.structure->consensus();
    if (!matches.empty()) consensus += "  " + (at(matches, k).empty() ? std::string("-") : at(matches, k));
    std::printf("%-6lld %7.3f  %-*s %6lld  %s\n", static_cast<long long>(k), r.score, w,
                at(data.class_names(), r.top_class).c_str(), static_cast<long long>(r.sites), consensus.c_str());
  }
}

// Each kernel's best match in `database` (kernel order; "" for none), and
// every match in <out>/tomtom.tsv.
std::vector<std::string> match_kernels(const std::vector<KernelResult>& results, const TomtomArgs& tomtom,
                                       const std::filesystem::path& out) {
  std::vector<std::string> best(results.size());
  std::vector<TomtomMatch> rows;
  for (auto& m : annotate_kernels(results, tomtom.database, tomtom.options())) {
    if (m.best)
      at(best, m.kernel) = m.best->target_id + " (" + m.best->orientation + ", p=" + tomtom_number(m.best->p_value) +
                           ", q=" + tomtom_number(m.best->q_value) + ")";
    rows.insert(rows.end(), m.matches.begin(), m.matches.end());
  }
  write_file_atomic(out / "tomtom.tsv", tomtom_tsv(rows, tomtom.comments()));
  return best;
}

}  // namespace

void add_motifs(CLI::App& app) {
  struct Args {
    ModelDataArgs in;
    std::string dir;
    TomtomArgs tomtom;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("motifs", "motifs, positions and activations of every first-layer kernel");
  args->in.add_to(cmd);
  add_dir_option(cmd, args->dir, "folder for summary.html, motif/position/activations_kernel_<i>.png and motifs.meme",
                 "-o,--output", true);
  cmd->add_option("--tomtom", args->tomtom.database,
                  "motif database (MEME format, e.g. JASPAR): each kernel's best Tomtom match in summary.html and the "
                  "table, every match in tomtom.tsv");
  args->tomtom.add_to(cmd, "--tomtom-");
  cmd->callback([args] {
    Model model = args->in.load_model();
    if (!args->tomtom.database.empty()) read_meme(args->tomtom.database);  // a bad database fails before the pictures
    const Data data = args->in.load_data(model);
    const std::filesystem::path out = args->dir;
    const auto results = visualize_all_kernels(model, data, args->in.selected_group(), out);
    save_kernel_meme(results, out / "motifs.meme");
    if (data.alphabet().has_structure()) save_kernel_meme(results, out / "motifs_structure.meme", true);
    std::vector<std::string> matches;
    if (!args->tomtom.database.empty()) {
      matches = match_kernels(results, args->tomtom, out);
      write_kernel_summary(out, results, data, matches);
    }
    print_kernel_table(results, data, matches);
    std::cerr << "open " << (out / "summary.html").string() << "\n";
  });
}

}  // namespace sster::cli
