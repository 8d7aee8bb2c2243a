// sster grid-search: pysster's Grid_Search from the command line, resumable.
// Under mpirun rank 0 deals the combinations to the ranks
// (dist/grid_search.hpp) and alone writes the folder, the table and the
// best model: the same as one process gives.
#include <cstdlib>
#include <iostream>
#include <optional>

#include "cli/common.hpp"
#include "cli/dir_option.hpp"
#include "cli/subcommands.hpp"
#include "sster/dist/grid_search.hpp"
#include "sster/dist/job_error.hpp"
#include "sster/search/grid_search.hpp"

namespace sster::cli {

namespace {

// The test hook SSTER_TEST_GRID_EXIT=K: the rank that starts combination K
// (counted from 1, as the progress lines count) dies there, exit code 99,
// without a word to MPI, as a rank does when its node fails.
dist::GridHooks grid_test_hooks() {
  const char* hook = std::getenv("SSTER_TEST_GRID_EXIT");
  if (!hook) return {};
  const long k = std::strtol(hook, nullptr, 10);
  return {.on_start = [k](index_t i) {
    if (i + 1 == k) std::_Exit(99);
  }};
}

}  // namespace

void add_grid_search(CLI::App& app) {
  struct Args {
    DataArgs data;
    std::vector<std::string> grid, params;
    std::string dir, output, metric = "roc";
    bool per_class = false;
    std::uint64_t seed = 1;
    bool resume = false;
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
  cmd->add_flag("--resume", args->resume,
                "continue the search recorded in the folder (a rerun without it continues too; with it, a folder "
                "that records nothing is an error)");
  cmd->add_option("-o,--output", args->output, "write the best model here (.sster)")->required();
  cmd->callback([args] {
    auto& world = dist::Communicator::world();
    std::optional<GridSearch> search;
    std::optional<Data> data;
    GridOptions o;
    dist::run_together(world, [&] {
      Params base;
      for (const auto& p : args->params) base.set(p);
      std::vector<std::pair<std::string, std::vector<std::string>>> grid;
      for (const auto& g : args->grid) grid.push_back(GridSearch::parse(g));
      search.emplace(grid, base);
      o.metric = args->metric == "pr" ? GridMetric::pr_auc : GridMetric::roc_auc;
      o.per_class = args->per_class;
      o.seed = args->seed;
      o.folder = args->dir;
      o.verbose = world.root();
      if (world.root()) {
        const index_t done = GridRecord(*search, o).finished_count();
        require(!args->resume || done > 0, "--resume: " + o.folder + " records no finished combination");
        if (done > 0)
          std::cerr << "resuming: " << done << " of " << search->combinations().size() << " combinations finished in "
                    << o.folder << "\n";
      }
    });
    data.emplace(load_on_ranks(world, args->data, !world.root()));
    auto result = world.distributed() ? dist::grid_search(*search, *data, o, world, grid_test_hooks())
                                      : std::optional(search->train(*data, o));
    if (!result) return;  // not rank 0
    auto& [best, ranked] = *result;
    best.set_split_recipe(args->data.split_recipe(*data));
    if (const auto fold = args->data.fold_spec()) best.set_fold(fold->to_string());
    best.save(args->output);
    std::cout << search->table(ranked, o.metric);
  });
}

}  // namespace sster::cli
