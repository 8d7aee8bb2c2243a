// sster: train convolutional networks on biological sequences, predict, and
// show the learned motifs. One subcommand per header in tools/cli/.
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "cli/cluster.hpp"
#include "cli/demo.hpp"
#include "cli/export_json.hpp"
#include "cli/grid_search.hpp"
#include "cli/meme.hpp"
#include "cli/motifs.hpp"
#include "cli/optimize.hpp"
#include "cli/predict.hpp"
#include "cli/report.hpp"
#include "cli/simulate.hpp"
#include "cli/summary.hpp"
#include "cli/train.hpp"

int main(int argc, char** argv) {
  CLI::App app("sster: convolutional networks on DNA, RNA and protein sequences, and the motifs they learn");
  app.require_subcommand(1);
  app.set_version_flag("--version", sster::library_version);
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
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; usage errors exit 2.
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const sster::Error& e) {
    std::cerr << "sster: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "sster: internal error: " << e.what() << "\n";
    return 3;
  }
  // Output on stdout (predict's TSV, tables) is buffered: a full disk or a
  // closed file shows only now, and must not end with exit code 0.
  std::cout.flush();
  const bool flushed = std::fflush(stdout) == 0;
  const int err = errno;
  if (!std::cout || !flushed || std::ferror(stdout)) {
    std::cerr << "sster: error: cannot write to standard output"
              << (flushed ? std::string() : std::string(" (") + std::strerror(err) + ")") << "\n";
    return 2;
  }
  return 0;
}
