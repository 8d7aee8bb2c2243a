// sster summary: a model file's architecture, inputs and training history.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "cli/subcommands.hpp"
#include "sster/model/model.hpp"

namespace sster::cli {

void add_summary(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("summary", "architecture and training history of a model file");
  cmd->add_option("model", *path, "model file (.sster)")->required();
  cmd->callback([path] {
    const Model model = Model::load(*path);
    const auto& info = model.info();
    std::cout << "input:   length " << info.length << ", alphabet " << info.alphabet.to_string();
    if (info.dense_channels) std::cout << ", " << info.dense_channels << " real-valued channels";
    if (info.extra) std::cout << ", " << info.extra << " additional values";
    if (!info.fold.empty()) std::cout << ", structures folded by sster (" << info.fold << ")";
    std::cout << "\nclasses:";
    for (const auto& c : info.class_names) std::cout << " " << c;
    std::cout << (info.multilabel ? " (multi-label)" : "") << "\nparameters:";
    for (const auto& p : model.params().to_strings()) std::cout << " " << p;
    std::cout << "\n\n" << model.summary() << "\n";
    if (model.history().empty()) {
      std::cout << "not trained\n";
      return;
    }
    for (const auto& r : model.history()) std::cout << Model::format_epoch(r) << "\n";
  });
}

}  // namespace sster::cli
