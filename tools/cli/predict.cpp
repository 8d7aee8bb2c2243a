// sster predict: class probabilities for every record of a FASTA file, as
// TSV (id, one column per class), in input order. Records are read, scored
// and written in blocks, so a file of millions of sequences never sits in
// memory; the output file appears only when complete.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "cli/subcommands.hpp"
#include "sster/model/fasta_predictor.hpp"
#include "sster/model/model.hpp"
#include "sster/core/atomic_file.hpp"

namespace sster::cli {

namespace {

// Scores `input` with `model`, writing TSV rows to `out`.
void predict_stream(Model& model, const std::string& input, std::FILE* out) {
  FastaPredictor predictor(model, input);
  std::fprintf(out, "id");
  for (const auto& c : predictor.class_names()) std::fprintf(out, "\t%s", c.c_str());
  std::fprintf(out, "\n");
  const auto K = std::ssize(predictor.class_names());
  PredictedBlock block;
  while (predictor.next(block))
    for (index_t i = 0; i < std::ssize(block.names); ++i) {
      std::fprintf(out, "%s", at(block.names, i).c_str());
      for (index_t k = 0; k < K; ++k) std::fprintf(out, "\t%.6g", at(block.probs, i * K + k));
      std::fprintf(out, "\n");
    }
}

}  // namespace

void add_predict(CLI::App& app) {
  struct Args {
    std::string model, input, output;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("predict", "class probabilities for every record of a FASTA file (TSV)");
  cmd->add_option("model", args->model, "model file (.sster)")->required();
  cmd->add_option("input", args->input, "FASTA file, plain or gzip")->required();
  cmd->add_option("-o,--output", args->output, "TSV file to write (default: standard output)");
  cmd->callback([args] {
    Model model = Model::load(args->model);
    if (args->output.empty()) {
      predict_stream(model, args->input, stdout);
      std::fflush(stdout);
      return;
    }
    AtomicFile out(args->output);  // appears only when every record is scored
    predict_stream(model, args->input, out.stream());
    out.commit();
  });
}

}  // namespace sster::cli
