// sster: train convolutional networks on biological sequences, predict, and
// show the learned motifs. Each subcommand is a translation unit of its own
// in tools/cli/ (so they compile in parallel); main registers them, owns the
// options they share (--threads, --version) and turns errors into exit codes.
// Started by an MPI launcher (mpirun, srun), it is one rank of a job: the
// subcommands that run on MPI share their work (include/sster/dist/), the
// others run on every rank alike.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <new>
#include <thread>
#include <string>

#include "cli/subcommands.hpp"
#include "sster/core/cpu.hpp"
#include "sster/core/error.hpp"
#include "sster/core/parallel.hpp"
#include "sster/dist/communicator.hpp"
#include "sster/dist/job_error.hpp"
#include "sster/nn/kernels/int8_gemm.hpp"
#include "sster/version.hpp"

namespace {

// Exit codes, as the footer of every --help states them.
constexpr int exit_bad_input = 2;  // sster::Error or a command-line error
constexpr int exit_failure = 1;    // anything else

// Every subcommand inherits this footer (train and grid-search put the split
// rule above it).
constexpr const char* footer =
    "--threads N goes before or after the subcommand: threads to use (default: $SSTER_THREADS, else all cores).\n"
    "Exit codes: 0 done; 2 bad input: a file, record, option or value that is wrong, or an output that cannot be "
    "written (the message names it, and no partial output is left); 1 any other failure (e.g. out of memory).";

// Output on stdout (predict's TSV, tables) is buffered: a full disk or a
// closed file shows only now, and must not end with exit code 0.
int check_stdout() {
  std::cout.flush();
  const bool flushed = std::fflush(stdout) == 0;
  const int err = errno;
  if (std::cout && flushed && !std::ferror(stdout)) return 0;
  std::cerr << "sster: error: cannot write to standard output"
            << (flushed ? std::string() : std::string(" (") + std::strerror(err) + ")") << "\n";
  return exit_bad_input;
}

// An error in an MPI job. A JobError every rank has: rank 0 reports it and
// every rank ends normally. Any other error happened on this rank alone
// while the others may wait for it: the whole job ends here.
int job_error(const std::exception& e, bool bad_input) {
  auto& world = sster::dist::Communicator::world();
  const int code = bad_input ? exit_bad_input : exit_failure;
  if (dynamic_cast<const sster::dist::JobError*>(&e)) {
    if (world.root()) std::cerr << "sster: error: " << e.what() << "\n";
    return code;
  }
  std::cerr << "sster: error on rank " << world.rank() << " of " << world.size() << ": " << e.what() << "\n";
  world.abort(code);
}

// Each rank's threads when neither --threads nor $SSTER_THREADS says: the
// cores the launcher bound the rank to, or else this machine's cores shared
// among its ranks.
int threads_per_rank(const sster::dist::Communicator& world) {
  const int visible = sster::threads();  // oneTBB counts the cores of the rank's affinity mask
  const auto machine = static_cast<int>(std::thread::hardware_concurrency());
  return visible < machine ? visible : std::max(1, visible / world.local_size());
}

}  // namespace

int main(int argc, char** argv) try {
  sster::dist::Session mpi(argc, argv);
  auto& world = sster::dist::Communicator::world();
  if (world.distributed() && !std::getenv("SSTER_THREADS")) sster::set_threads(threads_per_rank(world));
  CLI::App app("sster: convolutional networks on DNA, RNA and protein sequences, and the motifs they learn");
  app.require_subcommand(1);
  // The kernel set too: one binary runs different kernels on different CPUs
  // (core/cpu.hpp), and a speed report should say which.
  app.set_version_flag("--version", std::function<std::string()>([] {
    return std::string("sster ") + sster::version + "\nkernels: " + sster::kernel_set_description() +
           "\nint8 product: " + sster::kernels::int8_kernels_name();
  }));
  app.add_option_function<int>(
      "--threads", [](int n) { if (n > 0) sster::set_threads(n); },
      "threads to use (default: $SSTER_THREADS or all cores)");
  app.fallthrough();  // a subcommand hands options it does not know (--threads) up to here
  app.footer(footer);
  sster::cli::add_train(app);
  sster::cli::add_predict(app);
  sster::cli::add_report(app);
  sster::cli::add_summary(app);
  sster::cli::add_simulate(app);
  sster::cli::add_demo(app);
  sster::cli::add_grid_search(app);
  sster::cli::add_export_json(app);
  sster::cli::add_motifs(app);
  sster::cli::add_cluster(app);
  sster::cli::add_optimize(app);
  sster::cli::add_meme(app);
  sster::cli::add_scan(app);
  sster::cli::add_vep(app);
  sster::cli::add_fold(app);
  sster::cli::add_attribute(app);
  sster::cli::add_tomtom(app);
  for (auto* sub : app.get_subcommands({}))
    if (!sster::cli::runs_on_mpi(sub->get_name()))
      sub->preparse_callback([&world, name = sub->get_name()](std::size_t) {
        if (world.distributed())
          throw sster::dist::JobError("sster " + name + " does not run on several MPI ranks: start it without mpirun");
      });
  try {
    app.parse(argc, argv);  // runs the chosen subcommand
  } catch (const CLI::ParseError& e) {
    // Every rank parses the same command line: rank 0 speaks for all.
    if (!world.root()) return e.get_exit_code() == 0 ? 0 : exit_bad_input;
    return app.exit(e) == 0 ? 0 : exit_bad_input;  // --help and --version exit 0
  } catch (const sster::Error& e) {
    if (world.distributed()) return job_error(e, true);
    std::cerr << "sster: error: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const std::bad_alloc& e) {
    if (world.distributed()) return job_error(e, false);
    std::cerr << "sster: error: out of memory\n";
    return exit_failure;
  } catch (const std::exception& e) {
    if (world.distributed()) return job_error(e, false);
    std::cerr << "sster: internal error: " << e.what() << "\n";
    return exit_failure;
  }
  return check_stdout();
} catch (const sster::Error& e) {  // MPI could not start
  std::cerr << "sster: error: " << e.what() << "\n";
  return exit_bad_input;
}
