// sster report: pysster's performance report of a model on labelled FASTA
// files (see evaluation.hpp for the files it writes). On the files it was
// trained on, the model's test group by default (common.hpp).
#include <iostream>
#include <optional>

#include "cli/common.hpp"
#include "cli/dir_option.hpp"
#include "cli/evaluation.hpp"
#include "cli/subcommands.hpp"

namespace sster::cli {

void add_report(CLI::App& app) {
  struct Args {
    ModelDataArgs in;
    std::string dir, strands;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("report", "performance report of a model on labelled FASTA files");
  args->in.test_by_default = true;
  args->in.add_to(cmd);
  add_dir_option(cmd, args->dir, "folder for report.txt/.tsv, confusion.tsv, roc.png, precision_recall.png, history.png",
                 "-o,--output", true);
  cmd->add_option("--rc-merge", args->strands,
                  "score each record and its reverse complement, merged: mean or max (DNA and RNA models)")
      ->check(CLI::IsMember({"mean", "max"}));
  cmd->callback([args] {
    Model model = args->in.load_model();
    const Data data = args->in.load_data(model);
    const auto strands = args->strands.empty() ? std::nullopt : std::optional(parse_rc_merge(args->strands));
    const auto e = evaluate(model, data, args->in.selected_group(), strands);
    write_report(e, model, args->dir);
    std::cout << e.report.text() << e.report.pysster_binary_note();
  });
}

}  // namespace sster::cli
