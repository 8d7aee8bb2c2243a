// sster predict: class probabilities for every record of a FASTA file, as
// TSV (id, one column per class), in input order. Records are read, scored
// and written in blocks, so a file of millions of sequences never sits in
// memory; the output file appears only when complete. Plain RNA is folded
// on the way for a model trained with --fold.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "cli/fold_input.hpp"
#include "cli/subcommands.hpp"
#include "sster/data/encoding.hpp"
#include "sster/model/model.hpp"
#include "sster/core/atomic_file.hpp"

namespace sster::cli {

namespace {

// Scores `input` with `model`, writing TSV rows to `out`. A model trained
// with --fold folds the input first, as its training data was.
void predict_stream(Model& model, const std::string& model_file, const std::string& input, std::FILE* out) {
  const auto& info = model.info();
  require(info.dense_channels == 0 && info.extra == 0,
          "sster predict reads sequences (with structures or structure profiles) only; this model also needs "
          "additional inputs (use the C++ API with a Data set)");
  const SequenceEncoder encoder(info.alphabet, model.seed());
  constexpr index_t block = 4096;
  const index_t L = info.length, K = info.classes(), P = info.profile_channels;
  std::vector<std::uint8_t> symbols(to_size(block * L));
  std::vector<float> profiles(to_size(block * L * P));
  std::vector<float> probs(to_size(block * K));
  std::vector<std::string> names;
  std::fprintf(out, "id");
  for (const auto& c : info.class_names) std::fprintf(out, "\t%s", c.c_str());
  std::fprintf(out, "\n");
  auto flush = [&] {
    const auto n = static_cast<index_t>(names.size());
    if (n == 0) return;
    model.predict(InputBatch<float>{.B = n, .symbols = symbols.data(), .profile = P ? profiles.data() : nullptr},
                  probs.data());
    for (index_t i = 0; i < n; ++i) {
      std::fprintf(out, "%s", at(names, i).c_str());
      for (index_t k = 0; k < K; ++k) std::fprintf(out, "\t%.6g", at(probs, i * K + k));
      std::fprintf(out, "\n");
    }
    names.clear();
  };
  auto score = [&](const FastaRecord& rec) {
    require(static_cast<index_t>(rec.sequence.size()) == L,
            fasta_location(input, rec.number, rec.line) + " has length " + std::to_string(rec.sequence.size()) +
                ", but the model was trained on length " + std::to_string(L) +
                " (sster, like pysster, needs the training length)");
    encoder.encode(rec, input, static_cast<std::uint64_t>(rec.number), symbols.data() + names.size() * L);
    if (P) SequenceEncoder::transpose_profile(rec, profiles.data() + names.size() * L * P);
    names.push_back(rec.name.empty() ? "record_" + std::to_string(rec.number) : rec.name);
    if (static_cast<index_t>(names.size()) == block) flush();
  };
  if (!info.fold.empty()) {
    warn_unknown(input, for_each_folded(input, FoldSpec::parse(info.fold, model_file), false, score));
  } else {
    FastaReader reader(input,
                       P                                ? FastaFormat::sequence_profile
                       : info.alphabet.has_structure() ? FastaFormat::sequence_structure
                                                       : FastaFormat::sequence,
                       P);
    FastaRecord rec;
    while (reader.next(rec)) score(rec);
  }
  flush();
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
      predict_stream(model, args->model, args->input, stdout);
      std::fflush(stdout);
      return;
    }
    AtomicFile out(args->output);  // appears only when every record is scored
    predict_stream(model, args->model, args->input, out.stream());
    out.commit();
  });
}

}  // namespace sster::cli
