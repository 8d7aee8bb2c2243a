#pragma once
// Output folders: -d/--dir in every subcommand that writes one, as -o names
// a file in every subcommand that writes one.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <string>

namespace sster::cli {

// The output folder of a subcommand: -d/--dir (-o names a file everywhere).
// `old_names` (e.g. "-o,--output") keep working for one release, with a
// warning on stderr. `required`: the folder has no default.
inline void add_dir_option(CLI::App* cmd, std::string& dir, const std::string& description, const std::string& old_names,
                           bool required) {
  // The old spelling is declared first, so its callback runs first and hands
  // the folder on to -d/--dir: "required" holds with either spelling.
  auto* old_option = cmd->add_option(old_names)->group("");  // hidden from --help
  auto* dir_option = cmd->add_option("-d,--dir", dir, description);
  if (required) dir_option->required();
  else dir_option->capture_default_str();
  std::string old_shown = old_names;
  std::replace(old_shown.begin(), old_shown.end(), ',', '/');
  old_option->each([cmd, dir_option, old_shown](const std::string& folder) {
    if (dir_option->count() > 0) throw CLI::ExcludesError(old_shown, "--dir");
    std::cerr << "sster: warning: " << cmd->get_name() << " " << old_shown
              << " is deprecated: a folder is -d/--dir now (-o names a file); the old spelling goes in the next "
                 "release\n";
    dir_option->add_result(folder);
  });
}

}  // namespace sster::cli
