// sster grid-search: pysster's Grid_Search from the command line, resumable.
#include <iostream>

#include "cli/common.hpp"
#include "cli/dir_option.hpp"
#include "cli/subcommands.hpp"
#include "sster/search/grid_search.hpp"

namespace sster::cli {

void add_grid_search(CLI::App& app) {
  struct Args {
    DataArgs data;
    std::vector<std::string> grid, params;
    std::string dir, output, metric = "roc";
    bool per_class = false;
    std::uint64_t seed = 1;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("grid-search", "train every combination of parameter values, keep the best (resumable)");
  args->data.add_to(cmd, true);
  cmd->footer(std::string(DataArgs::split_help) + "\n\n" + cmd->get_footer());
  cmd->add_option("--grid", args->grid, "values to try, e.g. kernel_num=20,50 or kernel_num=(20,40),(30,60); repeat")
      ->required();
  cmd->add_option("--param", args->params, "fixed hyperparameter as key=value; repeat");
  cmd->add_option("--metric", args->metric,
                  "roc or pr: weighted average ROC-AUC or PR-AUC on validation; with two classes class 0's, as "
                  "pysster's Grid_Search(pr_auc=True) ranks")
      ->check(CLI::IsMember({"roc", "pr"}))
      ->capture_default_str();
  cmd->add_flag("--per-class", args->per_class,
                "with two classes, score each class on its own probability column (sster's report rows) instead of "
                "class 0's for both");
  cmd->add_option("--seed", args->seed, "seed of every model")->capture_default_str();
  add_dir_option(cmd, args->dir, "folder for finished combinations and the results table (resume by rerunning)",
                 "--folder", true);
  cmd->add_option("-o,--output", args->output, "write the best model here (.sster)")->required();
  cmd->callback([args] {
    Params base;
    for (const auto& p : args->params) base.set(p);
    std::vector<std::pair<std::string, std::vector<std::string>>> grid;
    for (const auto& g : args->grid) grid.push_back(GridSearch::parse(g));
    GridSearch search(grid, base);
    const Data data = args->data.load();
    GridOptions o;
    o.metric = args->metric == "pr" ? GridMetric::pr_auc : GridMetric::roc_auc;
    o.per_class = args->per_class;
    o.seed = args->seed;
    o.folder = args->dir;
    o.verbose = true;
    auto [best, ranked] = search.train(data, o);
    best.set_split_recipe(args->data.split_recipe(data));
    if (const auto fold = args->data.fold_spec()) best.set_fold(fold->to_string());
    best.save(args->output);
    std::cout << search.table(ranked, o.metric);
  });
}

}  // namespace sster::cli
