// sster tomtom: the MEME suite's `tomtom QUERY.meme TARGET.meme...` (Tomtom's
// motif comparison, computed by sster; docs/tomtom.md): every query motif
// against the motifs of the target files, as tomtom's TSV.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/subcommands.hpp"
#include "cli/tomtom_options.hpp"
#include "sster/core/atomic_file.hpp"
#include "sster/interpret/tomtom_meme.hpp"

namespace sster::cli {

void add_tomtom(CLI::App& app) {
  struct Args {
    std::string query, output;
    std::vector<std::string> targets;
    TomtomArgs tomtom;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("tomtom",
                                 "compare motifs with a motif database as the MEME suite's tomtom does (tomtom.tsv)");
  cmd->add_option("query", args->query, "MEME file of the query motifs (e.g. sster meme's)")->required();
  cmd->add_option("targets", args->targets, "MEME files of the target motifs, one database together (e.g. JASPAR)")
      ->required();
  cmd->add_option("-o,--output", args->output, "TSV file to write, tomtom's tomtom.tsv (default: standard output)");
  args->tomtom.add_to(cmd, "--");
  cmd->callback([args] {
    const std::vector<std::filesystem::path> targets(args->targets.begin(), args->targets.end());
    const auto rows = tomtom_files(args->query, targets, args->tomtom.options());
    const std::string tsv = tomtom_tsv(rows, args->tomtom.comments());
    if (args->output.empty()) std::cout << tsv;
    else write_file_atomic(args->output, tsv);
    std::cerr << rows.size() << " matches\n";
  });
}

}  // namespace sster::cli
