// sster train: fit pysster's network to FASTA files and save a .sster model.
// A checkpoint is written after every epoch; Ctrl-C (or SIGTERM, as batch
// schedulers send before a kill) stops after the current batch and saves one
// too; --resume continues bit-identically. A checkpoint that cannot be
// written (disk full) is reported and training goes on: the previous
// checkpoint stays intact, since every file is replaced atomically.
// Under mpirun the ranks train data-parallel (dist/data_parallel.hpp): the
// weights are those of one process, bit for bit; rank 0 alone writes files
// and progress.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/common.hpp"
#include "cli/progress.hpp"
#include "cli/subcommands.hpp"
#include "sster/dist/data_parallel.hpp"
#include "sster/dist/job_error.hpp"
#include "sster/model/model.hpp"

namespace sster::cli {

namespace {
std::atomic<bool> interrupted{false};
extern "C" void on_sigint(int) { interrupted = true; }

// What the ranks' gradient exchanges cost, per batch (rank 0's view).
void print_traffic(const dist::Traffic& t, int ranks) {
  if (t.steps == 0) return;
  const double steps = static_cast<double>(t.steps);
  std::fprintf(stderr,
               "data-parallel on %d ranks: %lld batches; per batch %.2f ms in gradient exchanges (waiting for the "
               "slowest rank included), %.2f MB sent by rank 0\n",
               ranks, static_cast<long long>(t.steps), 1e3 * t.seconds / steps,
               1e-6 * static_cast<double>(t.bytes_sent) / steps);
}

// Whether to stop after this batch. Every rank stops after the same one:
// every 16 batches (well under a second) they agree whether any rank saw a
// signal, which spares a collective per batch.
bool stop_agreed(dist::Communicator& world, index_t& batches) {
  if (!world.distributed()) return interrupted;
  return ++batches % 16 == 0 && world.any(interrupted);
}
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
    auto& world = dist::Communicator::world();
    const bool speak = world.root() && !args->quiet;  // rank 0 reports, the others train quietly
    const std::string checkpoint = args->checkpoint.empty() ? args->output + ".checkpoint" : args->checkpoint;
    Params params;
    std::optional<Data> loaded;
    std::optional<Model> trained;
    dist::run_together(world, [&] {
      if (world.root()) {  // fail now, not after hours of training, when the output cannot be written
        AtomicFile probe_output(args->output), probe_checkpoint(checkpoint);
      }
      std::error_code ec;
      if (world.root() && !args->resume && std::filesystem::exists(checkpoint, ec))
        std::cerr << "sster: warning: " << checkpoint
                  << " holds an unfinished run, which this new run will replace (add --resume to continue it)\n";
      for (const auto& p : args->params) params.set(p);
      params.validate();
    });
    loaded.emplace(load_on_ranks(world, args->data, !speak));
    const Data& data = *loaded;
    if (speak) std::cerr << data.summary() << "\n";
    dist::run_together(world, [&] {
      if (args->resume) {
        trained.emplace(Model::load(checkpoint));
        require(trained->training_in_progress(), checkpoint + " holds no unfinished training run");
        require(args->params.empty() || trained->params() == params,
                "--resume: the --param values differ from the checkpoint's; leave them out to continue as saved");
        require(!args->rc_augment || trained->rc_augment(),
                "--resume: the checkpoint's run trains without --rc-augment; leave it out to continue as saved");
      } else {
        trained.emplace(params, data, args->seed);
        if (const auto fold = args->data.fold_spec()) trained->set_fold(fold->to_string());
        trained->set_split_recipe(args->data.split_recipe(data));  // report finds the test group with it
        trained->set_rc_augment(args->rc_augment);
      }
    });
    Model& model = *trained;
    if (speak && !args->resume) model.print_summary(std::cerr);
    std::shared_ptr<dist::DataParallel<float>> sharing;
    if (world.distributed()) {
      sharing = std::make_shared<dist::DataParallel<float>>(world);
      model.engine().share_chunks(sharing);
    }
    const index_t strands = model.rc_augment() ? 2 : 1;
    Progress progress(!speak, strands * static_cast<index_t>(data.indices(Group::train).size()),
                      model.params().values().batch_size, model.params().values().epochs);
    TrainObserver observer = progress.observer();
    const auto show = observer.on_epoch;
    observer.on_epoch = [&](const EpochRecord& r, const Checkpoint& run) {
      if (show) show(r, run);
      if (!world.root()) return;
      try {
        run.save(checkpoint);
      } catch (const Error& e) {
        std::error_code kept;
        std::cerr << "sster: warning: checkpoint not saved (" << e.what() << "); training goes on"
                  << (std::filesystem::exists(checkpoint, kept) ? ", the previous checkpoint is kept" : "") << "\n";
      }
    };
    index_t batches = 0;
    observer.stop_requested = [&] { return stop_agreed(world, batches); };
    std::signal(SIGINT, on_sigint);
    std::signal(SIGTERM, on_sigint);
    const bool finished = model.train(data, observer);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (sharing && speak) print_traffic(sharing->traffic(), world.size());
    dist::run_together(world, [&] {
      if (!finished) {
        if (world.root()) model.save(checkpoint);
        throw Error("interrupted; the run is saved in " + checkpoint +
                    ". Continue it with the same command and --resume");
      }
      if (!world.root()) return;
      model.save(args->output);
      std::error_code ignored;  // a checkpoint left behind is harmless; the model is written
      std::filesystem::remove(checkpoint, ignored);
      if (speak) std::cerr << "model written to " << args->output << "\n";
    });
  });
}

}  // namespace sster::cli
