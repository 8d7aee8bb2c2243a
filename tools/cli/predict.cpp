// sster predict: class probabilities for every record of a FASTA file, as
// TSV (id, one column per class), in input order. Records are read, scored
// and written in blocks, so a file of millions of sequences never sits in
// memory; the output file appears only when complete.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/subcommands.hpp"
#include "sster/data/encoding.hpp"
#include "sster/model/model.hpp"
#include "sster/model/strand_merge.hpp"
#include "sster/core/atomic_file.hpp"

namespace sster::cli {

namespace {

// Scores `input` with `model`, writing TSV rows to `out`; with `strands`,
// each record's score merged with its reverse complement's.
void predict_stream(Model& model, const std::string& input, std::FILE* out, const std::string& strands) {
  const auto& info = model.info();
  require(info.dense_channels == 0 && info.extra == 0,
          "sster predict reads sequences only; this model also needs structure profiles or additional inputs "
          "(use the C++ API with a Data set)");
  FastaReader reader(input, info.alphabet.has_structure() ? FastaFormat::sequence_structure : FastaFormat::sequence);
  const SequenceEncoder encoder(info.alphabet, model.seed());
  std::optional<ReverseComplement> rc;
  if (!strands.empty()) rc.emplace(info.alphabet, "--rc-merge");
  constexpr index_t block = 4096;
  const index_t L = info.length, K = info.classes();
  std::vector<std::uint8_t> symbols(to_size(block * L)), reversed;
  std::vector<float> probs(to_size(block * K)), minus;
  std::vector<std::string> names;
  std::fprintf(out, "id");
  for (const auto& c : info.class_names) std::fprintf(out, "\t%s", c.c_str());
  std::fprintf(out, "\n");
  auto flush = [&] {
    const auto n = static_cast<index_t>(names.size());
    if (n == 0) return;
    model.predict(InputBatch<float>{.B = n, .symbols = symbols.data()}, probs.data());
    if (rc) {
      reversed.resize(to_size(n * L));
      for (index_t i = 0; i < n; ++i) rc->apply(symbols.data() + i * L, L, reversed.data() + i * L);
      minus.resize(to_size(n * K));
      model.predict(InputBatch<float>{.B = n, .symbols = reversed.data()}, minus.data());
      merge_strands(parse_rc_merge(strands), n * K, probs.data(), minus.data());
    }
    for (index_t i = 0; i < n; ++i) {
      std::fprintf(out, "%s", at(names, i).c_str());
      for (index_t k = 0; k < K; ++k) std::fprintf(out, "\t%.6g", at(probs, i * K + k));
      std::fprintf(out, "\n");
    }
    names.clear();
  };
  FastaRecord rec;
  while (reader.next(rec)) {
    require(static_cast<index_t>(rec.sequence.size()) == L,
            fasta_location(input, rec.number, rec.line) + " has length " + std::to_string(rec.sequence.size()) +
                ", but the model was trained on length " + std::to_string(L) +
                " (sster, like pysster, needs the training length)");
    encoder.encode(rec, input, static_cast<std::uint64_t>(rec.number), symbols.data() + names.size() * L);
    names.push_back(rec.name.empty() ? "record_" + std::to_string(rec.number) : rec.name);
    if (static_cast<index_t>(names.size()) == block) flush();
  }
  flush();
}

}  // namespace

void add_predict(CLI::App& app) {
  struct Args {
    std::string model, input, output, strands;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("predict", "class probabilities for every record of a FASTA file (TSV)");
  cmd->add_option("model", args->model, "model file (.sster)")->required();
  cmd->add_option("input", args->input, "FASTA file, plain or gzip")->required();
  cmd->add_option("-o,--output", args->output, "TSV file to write (default: standard output)");
  cmd->add_option("--rc-merge", args->strands,
                  "also score each record's reverse complement and merge the two: mean or max (DNA and RNA models)")
      ->check(CLI::IsMember({"mean", "max"}));
  cmd->callback([args] {
    Model model = Model::load(args->model);
    if (args->output.empty()) {
      predict_stream(model, args->input, stdout, args->strands);
      std::fflush(stdout);
      return;
    }
    AtomicFile out(args->output);  // appears only when every record is scored
    predict_stream(model, args->input, out.stream(), args->strands);
    out.commit();
  });
}

}  // namespace sster::cli
