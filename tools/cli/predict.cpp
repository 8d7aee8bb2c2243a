// sster predict: class probabilities for every record of a FASTA file, as
// TSV (id, one column per class), in input order. Records are read, scored
// and written in blocks, so a file of millions of sequences never sits in
// memory; the output file appears only when complete. Plain RNA is folded
// on the way for a model trained with --fold. Under mpirun each rank scores
// (and folds) a contiguous share of the records and rank 0 merges the shares
// in input order (dist/shards.hpp): the same bytes as one process.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "cli/fold_input.hpp"
#include "cli/subcommands.hpp"
#include "sster/core/atomic_file.hpp"
#include "sster/data/encoding.hpp"
#include "sster/dist/shards.hpp"
#include "sster/model/model.hpp"

namespace sster::cli {

namespace {

// The reader of `input` for `model` (unfolded input).
FastaReader predict_reader(const Model& model, const std::string& input) {
  const auto& info = model.info();
  const index_t P = info.profile_channels;
  return FastaReader(input,
                     P                                ? FastaFormat::sequence_profile
                     : info.alphabet.has_structure() ? FastaFormat::sequence_structure
                                                     : FastaFormat::sequence,
                     P);
}

void write_predict_header(const Model& model, std::FILE* out) {
  std::fprintf(out, "id");
  for (const auto& c : model.info().class_names) std::fprintf(out, "\t%s", c.c_str());
  std::fprintf(out, "\n");
}

// Scores the records of `input` (only `records`, counted from 0, when
// given) with `model`, writing TSV rows to `out`. A model trained with
// --fold folds the input first, as its training data was; the fold's counts
// are returned.
FoldCounts predict_stream(Model& model, const std::string& model_file, const std::string& input, std::FILE* out,
                          std::optional<ChunkRange> records = {}) {
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
  FoldCounts counts;
  if (!info.fold.empty()) {
    counts = for_each_folded(input, FoldSpec::parse(info.fold, model_file), records.has_value(), score, records);
  } else {
    FastaReader reader = predict_reader(model, input);
    if (records) reader.restrict_to(records->begin, records->end);
    FastaRecord rec;
    while (reader.next(rec)) score(rec);
  }
  flush();
  return counts;
}

// predict over the ranks of an MPI job: each scores its share of the
// records, counted by every rank (reading is cheap next to scoring).
void predict_shared(dist::Communicator& world, const std::string& model_file, const std::string& input,
                    const std::string& output) {
  std::optional<Model> model;
  std::optional<AtomicFile> file;
  index_t records = 0;
  dist::run_together(world, [&] {
    model.emplace(Model::load(model_file));
    FastaReader reader = model->info().fold.empty() ? predict_reader(*model, input) : FastaReader(input);
    for (FastaRecord rec; reader.next(rec);) ++records;
    if (world.root() && !output.empty()) file.emplace(output);
  });
  std::FILE* out = file ? file->stream() : stdout;
  if (world.root()) write_predict_header(*model, out);
  FoldCounts counts;
  dist::write_in_order(world, out, [&](std::FILE* part) {
    const ChunkRange mine = dist::share(records, world);
    counts = predict_stream(*model, model_file, input, part, mine);
  });
  const auto with_unknown = world.all_gather_value(counts.with_unknown), unknown = world.all_gather_value(counts.unknown);
  counts.with_unknown = std::accumulate(with_unknown.begin(), with_unknown.end(), index_t{0});
  counts.unknown = std::accumulate(unknown.begin(), unknown.end(), index_t{0});
  if (world.root()) warn_unknown(input, counts);
  if (file) file->commit();
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
    if (auto& world = dist::Communicator::world(); world.distributed()) {
      predict_shared(world, args->model, args->input, args->output);
      return;
    }
    Model model = Model::load(args->model);
    if (args->output.empty()) {
      write_predict_header(model, stdout);
      warn_unknown(args->input, predict_stream(model, args->model, args->input, stdout));
      std::fflush(stdout);
      return;
    }
    AtomicFile out(args->output);  // appears only when every record is scored
    write_predict_header(model, out.stream());
    warn_unknown(args->input, predict_stream(model, args->model, args->input, out.stream()));
    out.commit();
  });
}

}  // namespace sster::cli
