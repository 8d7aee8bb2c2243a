// sster: train convolutional networks on biological sequences, predict, and
// show the learned motifs. One subcommand per header in tools/cli/.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/demo.hpp"
#include "cli/grid_search.hpp"
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
  return 0;
}
