// sster predict: class probabilities for every record of a FASTA file, as
// TSV (id, one column per class), in input order. Records are read, scored
// and written in blocks, so a file of millions of sequences never sits in
// memory; the output file appears only when complete. Under mpirun each
// rank scores a contiguous share of the records and rank 0 merges the
// shares in input order (dist/shards.hpp): the same bytes as one process.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/subcommands.hpp"
#include "sster/core/atomic_file.hpp"
#include "sster/data/encoding.hpp"
#include "sster/dist/shards.hpp"
#include "sster/model/model.hpp"

namespace sster::cli {

namespace {

FastaReader open_predict_input(const Model& model, const std::string& input) {
  const auto& info = model.info();
  require(info.dense_channels == 0 && info.extra == 0,
          "sster predict reads sequences only; this model also needs structure profiles or additional inputs "
          "(use the C++ API with a Data set)");
  return FastaReader(input, info.alphabet.has_structure() ? FastaFormat::sequence_structure : FastaFormat::sequence);
}

index_t count_predict_records(const Model& model, const std::string& input) {
  FastaReader reader = open_predict_input(model, input);
  FastaRecord rec;
  index_t n = 0;
  while (reader.next(rec)) ++n;
  return n;
}

void write_predict_header(const Model& model, std::FILE* out) {
  std::fprintf(out, "id");
  for (const auto& c : model.info().class_names) std::fprintf(out, "\t%s", c.c_str());
  std::fprintf(out, "\n");
}

// Scores the records [records.begin, records.end) of `input` (0-based; all
// when records is empty) with `model`, writing TSV rows to `out`.
void predict_stream(Model& model, const std::string& input, std::FILE* out, std::optional<ChunkRange> records = {}) {
  const auto& info = model.info();
  FastaReader reader = open_predict_input(model, input);
  const SequenceEncoder encoder(info.alphabet, model.seed());
  constexpr index_t block = 4096;
  const index_t L = info.length, K = info.classes();
  std::vector<std::uint8_t> symbols(to_size(block * L));
  std::vector<float> probs(to_size(block * K));
  std::vector<std::string> names;
  auto flush = [&] {
    const auto n = static_cast<index_t>(names.size());
    if (n == 0) return;
    model.predict(InputBatch<float>{.B = n, .symbols = symbols.data()}, probs.data());
    for (index_t i = 0; i < n; ++i) {
      std::fprintf(out, "%s", at(names, i).c_str());
      for (index_t k = 0; k < K; ++k) std::fprintf(out, "\t%.6g", at(probs, i * K + k));
      std::fprintf(out, "\n");
    }
    names.clear();
  };
  FastaRecord rec;
  while (reader.next(rec)) {
    if (records && rec.number <= records->begin) continue;  // numbers count from 1
    if (records && rec.number > records->end) break;
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

// predict over the ranks of an MPI job: each scores its share of the
// records (counted by every rank: reading is cheap next to scoring).
void predict_shared(dist::Communicator& world, const std::string& model_file, const std::string& input,
                    const std::string& output) {
  std::optional<Model> model;
  std::optional<AtomicFile> file;
  index_t records = 0;
  dist::run_together(world, [&] {
    model.emplace(Model::load(model_file));
    records = count_predict_records(*model, input);
    if (world.root() && !output.empty()) file.emplace(output);
  });
  std::FILE* out = file ? file->stream() : stdout;
  if (world.root()) write_predict_header(*model, out);
  dist::write_in_order(world, out, [&](std::FILE* part) {
    predict_stream(*model, input, part, dist::share(records, world));
  });
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
      predict_stream(model, args->input, stdout);
      std::fflush(stdout);
      return;
    }
    AtomicFile out(args->output);  // appears only when every record is scored
    write_predict_header(model, out.stream());
    predict_stream(model, args->input, out.stream());
    out.commit();
  });
}

}  // namespace sster::cli
