// sster train: fit pysster's network to FASTA files and save a .sster model.
// A checkpoint is written after every epoch; Ctrl-C (or SIGTERM, as batch
// schedulers send before a kill) stops after the current batch and saves one
// too; --resume continues bit-identically. A checkpoint that cannot be
// written (disk full) is reported and training goes on: the previous
// checkpoint stays intact, since every file is replaced atomically.
#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>

#include "cli/common.hpp"
#include "cli/progress.hpp"
#include "cli/subcommands.hpp"
#include "sster/model/model.hpp"

namespace sster::cli {

namespace {
std::atomic<bool> interrupted{false};
extern "C" void on_sigint(int) { interrupted = true; }
}  // namespace

void add_train(CLI::App& app) {
  struct Args {
    DataArgs data;
    std::vector<std::string> params;
    std::uint64_t seed = 1;
    std::string output, checkpoint;
    bool quiet = false, resume = false, rc_augment = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("train", "train a model on one FASTA file per class");
  args->data.add_to(cmd, true);
  cmd->footer(std::string(DataArgs::split_help) + "\n\n" + cmd->get_footer());
  cmd->add_option("--param", args->params, "hyperparameter as key=value, e.g. kernel_num=(30,60); repeat");
  cmd->add_option("--seed", args->seed, "seed of the initial weights, dropout and shuffling")->capture_default_str();
  cmd->add_option("-o,--output", args->output, "model file to write (.sster)")->required();
  cmd->add_option("--checkpoint", args->checkpoint, "checkpoint written after every epoch (default: OUTPUT.checkpoint)");
  cmd->add_flag("--resume", args->resume, "continue the interrupted run saved in the checkpoint");
  cmd->add_flag("--rc-augment", args->rc_augment,
                "every epoch also trains on each training sequence's reverse complement (DNA and RNA)");
  cmd->add_flag("-q,--quiet", args->quiet, "no progress output");
  cmd->callback([args] {
    const std::string checkpoint = args->checkpoint.empty() ? args->output + ".checkpoint" : args->checkpoint;
    {  // fail now, not after hours of training, when the output cannot be written
      AtomicFile probe_output(args->output), probe_checkpoint(checkpoint);
    }
    std::error_code ec;
    if (!args->resume && std::filesystem::exists(checkpoint, ec))
      std::cerr << "sster: warning: " << checkpoint
                << " holds an unfinished run, which this new run will replace (add --resume to continue it)\n";
    Params params;
    for (const auto& p : args->params) params.set(p);
    params.validate();
    args->data.quiet = args->quiet;
    const Data data = args->data.load();
    if (!args->quiet) std::cerr << data.summary() << "\n";
    Model model = args->resume ? Model::load(checkpoint) : Model(params, data, args->seed);
    if (const auto fold = args->data.fold_spec(); fold && !args->resume) model.set_fold(fold->to_string());
    if (args->resume) {
      require(model.training_in_progress(), checkpoint + " holds no unfinished training run");
      require(args->params.empty() || model.params() == params,
              "--resume: the --param values differ from the checkpoint's; leave them out to continue as saved");
      require(!args->rc_augment || model.rc_augment(),
              "--resume: the checkpoint's run trains without --rc-augment; leave it out to continue as saved");
    } else {
      model.set_split_recipe(args->data.split_recipe(data));  // report finds the test group with it
      if (!args->quiet) model.print_summary(std::cerr);
    }
    if (!args->resume) model.set_rc_augment(args->rc_augment);
    const index_t strands = model.rc_augment() ? 2 : 1;
    Progress progress(args->quiet, strands * static_cast<index_t>(data.indices(Group::train).size()),
                      model.params().values().batch_size, model.params().values().epochs);
    TrainObserver observer = progress.observer();
    const auto show = observer.on_epoch;
    observer.on_epoch = [&](const EpochRecord& r, const Checkpoint& run) {
      if (show) show(r, run);
      try {
        run.save(checkpoint);
      } catch (const Error& e) {
        std::error_code kept;
        std::cerr << "sster: warning: checkpoint not saved (" << e.what() << "); training goes on"
                  << (std::filesystem::exists(checkpoint, kept) ? ", the previous checkpoint is kept" : "") << "\n";
      }
    };
    observer.stop_requested = [] { return interrupted.load(); };
    std::signal(SIGINT, on_sigint);
    std::signal(SIGTERM, on_sigint);
    const bool finished = model.train(data, observer);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (!finished) {
      model.save(checkpoint);
      throw Error("interrupted; the run is saved in " + checkpoint +
                  ". Continue it with the same command and --resume");
    }
    model.save(args->output);
    std::error_code ignored;  // a checkpoint left behind is harmless; the model is written
    std::filesystem::remove(checkpoint, ignored);
    if (!args->quiet) std::cerr << "model written to " << args->output << "\n";
  });
}

}  // namespace sster::cli
