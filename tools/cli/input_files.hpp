#pragma once
// Additional and position-wise inputs from the command line (pysster's
// load_additional_data and load_additional_positionwise_data). Each
// --additional, --categorical or --positionwise names one input by its files,
// separated by commas: one file per FASTA file read (in reading order:
// --class or --multilabel, then --val, then --test files) or any files whose
// lines together match the records, one line per record. Training fits the
// encodings (the categories found, and with --standardize pysster's z-score
// and robust scaling) on the records it reads; the model keeps them, and
// every later command encodes its inputs the same way.
#include <CLI/CLI.hpp>

#include <set>
#include <utility>
#include <string>
#include <vector>

#include "sster/data/dataset.hpp"
#include "sster/data/extra_inputs.hpp"
#include "sster/model/model.hpp"

namespace sster::cli {

struct InputFiles {
  std::vector<std::string> additional, categorical, positionwise;
  bool standardize = false;

  void add_to(CLI::App* cmd, bool training) {
    cmd->add_option("--additional", additional,
                    "numbers per sequence (pysster's load_additional_data): FILE[,FILE...], one number per line and "
                    "record; repeat for more inputs");
    cmd->add_option("--categorical", categorical,
                    "a category per sequence (one-hot over the categories training saw): FILE[,FILE...]; repeat");
    cmd->add_option("--positionwise", positionwise,
                    "numbers per position (load_additional_positionwise_data): [NAME=]FILE[,FILE...], one line of "
                    "length numbers per record; repeat");
    if (training)
      cmd->add_flag("--standardize", standardize,
                    "z-score --additional numbers and robust-scale --positionwise values (pysster's standardize=True), "
                    "fitted on the records read; the model keeps the scaling");
  }

  bool empty() const { return additional.empty() && categorical.empty() && positionwise.empty(); }

  // "a.txt,b.txt" -> its files.
  static std::vector<std::string> files_of(const std::string& list) {
    std::vector<std::string> files;
    for (std::size_t start = 0;;) {
      const auto comma = list.find(',', start);
      files.push_back(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      require(!files.back().empty(), "'" + list + "': an empty file name (expected FILE[,FILE...])");
      if (comma == std::string::npos) return files;
      start = comma + 1;
    }
  }
  // A position-wise input, "[NAME=]FILE[,FILE...]": its name (by default the
  // first file's name without extensions) and its files.
  static std::pair<std::string, std::vector<std::string>> named_files(const std::string& option) {
    const auto eq = option.find('=');
    auto files = files_of(eq == std::string::npos ? option : option.substr(eq + 1));
    std::string name = eq == std::string::npos ? sster::detail::class_name_from_file(files.front()) : option.substr(0, eq);
    return {std::move(name), std::move(files)};
  }

  // Training: the inputs fitted on d's records: numbers, then categories, then position-wise.
  void add_fitted(Data& d) const {
    for (const auto& a : additional) d.add_additional(files_of(a), standardize);
    for (const auto& c : categorical) {
      const auto files = files_of(c);
      std::set<std::string> found;
      for (const auto& f : files)
        for (auto& v : read_categories(f)) found.insert(std::move(v));
      d.add_categorical(files, {found.begin(), found.end()});
    }
    for (const auto& p : positionwise) {
      const auto [name, files] = named_files(p);
      d.add_positionwise(files, name, standardize);
    }
  }

  // Evaluating a model: its inputs, encoded as it was trained.
  void add_as(Data& d, const ModelInfo& m) const {
    const auto files = additional_files(m);
    for (std::size_t k = 0; k < m.additional.size(); ++k) d.add_additional(files[k], m.additional[k]);
    for (std::size_t k = 0; k < m.positionwise.size(); ++k)
      d.add_positionwise(named_files(positionwise[k]).second, m.positionwise[k]);
  }

  // The files of each of the model's additional inputs, in its order: its
  // numbers from the --additional options, its categories from the
  // --categorical ones, each in the order given.
  std::vector<std::vector<std::string>> additional_files(const ModelInfo& m) const {
    check_against(m);
    std::vector<std::vector<std::string>> files;
    std::size_t numbers = 0, categories = 0;
    for (const auto& a : m.additional)
      files.push_back(files_of(a.categorical() ? categorical.at(categories++) : additional.at(numbers++)));
    return files;
  }

  // The options must name as many inputs of each kind as the model takes.
  void check_against(const ModelInfo& m) const {
    std::size_t numbers = 0, categories = 0;
    for (const auto& a : m.additional) (a.categorical() ? categories : numbers) += 1;
    auto check = [&](std::size_t want, std::size_t given, const char* option, const char* kind) {
      require(given == want, "the model takes " + std::to_string(want) + " " + kind + " (" + option + "), " +
                                 std::to_string(given) + " given" + (want > 0 ? ": " + names(m, kind) : std::string()));
    };
    check(numbers, additional.size(), "--additional", "numeric additional inputs");
    check(categories, categorical.size(), "--categorical", "categorical additional inputs");
    check(m.positionwise.size(), positionwise.size(), "--positionwise", "position-wise inputs");
  }

 private:
  // The model's inputs of one kind, by name, in the order to give them.
  static std::string names(const ModelInfo& m, const std::string& kind) {
    std::string out;
    auto add = [&](const std::string& n) { out += (out.empty() ? "" : ", ") + n; };
    if (kind.starts_with("position"))
      for (const auto& p : m.positionwise) add(p.name);
    else
      for (const auto& a : m.additional)
        if (a.categorical() == kind.starts_with("categorical")) add(a.name);
    return "give them in the order " + out;
  }
};

}  // namespace sster::cli
