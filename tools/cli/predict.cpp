// sster predict: class probabilities as TSV (id, one column per class).
//   sster predict MODEL INPUT.fa [--additional F ...]  every record of a FASTA
//       file, in input order. Records are read, scored and written in blocks,
//       so a file of millions of sequences never sits in memory; extra
//       inputs are read line by line beside it, and plain RNA is folded on
//       the way for a model trained with --fold.
//   sster predict MODEL --class P --class N [--group G]  the records of a
//       group of labelled files, as report chooses them (the model's test
//       group on its training files).
// --rc-merge mean|max also scores each record's reverse complement (DNA and
// RNA models) and merges the two. The output file appears only when
// complete. --precision int8 runs the convolutions in 8-bit integers
// (cli/precision_option.hpp). Under mpirun each rank scores
// (and folds) a contiguous share of the records and rank 0 merges the shares
// in input order (dist/shards.hpp): the same bytes as one process.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "cli/common.hpp"
#include "cli/fold_input.hpp"
#include "cli/precision_option.hpp"
#include "cli/streamed_inputs.hpp"
#include "cli/subcommands.hpp"
#include "sster/core/atomic_file.hpp"
#include "sster/data/encoding.hpp"
#include "sster/dist/shards.hpp"
#include "sster/model/model.hpp"
#include "sster/model/strand_merge.hpp"

namespace sster::cli {

namespace {

// The reader of `input` for `model` (unfolded input).
FastaReader predict_reader(const ModelInfo& info, const std::string& input) {
  const index_t P = info.profile_channels;
  return FastaReader(input,
                     P                                ? FastaFormat::sequence_profile
                     : info.alphabet.has_structure() ? FastaFormat::sequence_structure
                                                     : FastaFormat::sequence,
                     P);
}

void predict_header(const ModelInfo& info, std::FILE* out) {
  std::fprintf(out, "id");
  for (const auto& c : info.class_names) std::fprintf(out, "\t%s", c.c_str());
  std::fprintf(out, "\n");
}

void predict_row(const std::string& id, const float* probs, index_t K, std::FILE* out) {
  std::fprintf(out, "%s", id.c_str());
  for (index_t k = 0; k < K; ++k) std::fprintf(out, "\t%.6g", probs[k]);
  std::fprintf(out, "\n");
}

// The records of a FASTA file that one rank scores: [begin, end), counted
// from 0; `last` when they run to the end of the file.
struct RecordShare {
  ChunkRange records;
  bool last = true;
};

// Scores the records of `input` (only `share`'s, when given) with `model`,
// writing TSV rows to `out`. A model trained with --fold folds the input
// first, as its training data was; the fold's counts are returned. With
// `strands`, each record's score is merged with its reverse complement's.
FoldCounts predict_stream(Model& model, const std::string& model_file, const std::string& input, const DataArgs& args,
                          std::optional<RcMerge> strands, std::FILE* out, std::optional<RecordShare> share = {}) {
  const auto& info = model.info();
  std::optional<ReverseComplement> rc;
  if (strands) {
    require(info.dense_channels == 0 && info.profile_channels == 0,
            "--rc-merge: position-wise values and structure profiles have no reverse complement");
    rc.emplace(info.alphabet, "--rc-merge");
  }
  const SequenceEncoder encoder(info.alphabet, model.seed(), true, args.unknown_structure == "random");
  StreamedInputs inputs(args.inputs, info, input);
  if (share) inputs.skip(share->records.begin);
  constexpr index_t block = 4096;
  const index_t L = info.length, K = info.classes(), P = info.profile_channels, D = info.dense_channels, E = info.extra;
  std::vector<std::uint8_t> symbols(to_size(block * L));
  std::vector<float> profiles(to_size(block * L * P)), dense(to_size(block * L * D)), extra(to_size(block * E));
  std::vector<float> probs(to_size(block * K)), minus(strands ? to_size(block * K) : 0);
  std::vector<std::string> names;
  auto flush = [&] {
    const auto n = static_cast<index_t>(names.size());
    if (n == 0) return;
    InputBatch<float> batch{.B = n,
                            .symbols = symbols.data(),
                            .dense = D ? dense.data() : nullptr,
                            .extra = E ? extra.data() : nullptr,
                            .profile = P ? profiles.data() : nullptr};
    model.predict(batch, probs.data());
    if (rc) {  // the same records reverse-complemented, their per-sequence values as they are
      for (index_t i = 0; i < n; ++i) rc->apply(symbols.data() + i * L, L, symbols.data() + i * L);
      model.predict(batch, minus.data());
      merge_strands(*strands, n * K, probs.data(), minus.data());
    }
    for (index_t i = 0; i < n; ++i) predict_row(at(names, i), probs.data() + i * K, K, out);
    names.clear();
  };
  index_t records = 0;  // the last record read, counted from 1 in the whole file
  auto score = [&](const FastaRecord& rec) {
    require(static_cast<index_t>(rec.sequence.size()) == L,
            fasta_location(input, rec.number, rec.line) + " has length " + std::to_string(rec.sequence.size()) +
                ", but the model was trained on length " + std::to_string(L) +
                " (sster, like pysster, needs the training length)");
    const index_t b = std::ssize(names);
    encoder.encode(rec, input, static_cast<std::uint64_t>(rec.number), symbols.data() + b * L);
    if (P) SequenceEncoder::transpose_profile(rec, profiles.data() + b * L * P);
    records = rec.number;
    inputs.read(records, extra.data() + b * E, dense.data() + b * L * D);
    names.push_back(rec.name.empty() ? "record_" + std::to_string(rec.number) : rec.name);
    if (static_cast<index_t>(names.size()) == block) flush();
  };
  FoldCounts counts;
  if (!info.fold.empty()) {
    const auto range = share ? std::optional(share->records) : std::nullopt;
    counts = for_each_folded(input, FoldSpec::parse(info.fold, model_file), share.has_value(), score, range);
  } else {
    FastaReader reader = predict_reader(info, input);
    if (share) reader.restrict_to(share->records.begin, share->records.end);
    FastaRecord rec;
    while (reader.next(rec)) score(rec);
  }
  if (!share || share->last) inputs.finish(share ? share->records.end : records);
  flush();
  return counts;
}

// Scores the chosen group of labelled files (only the records `mine` of
// the group, counted from 0, when given; on both strands with `strands`),
// without the header.
void predict_group(Model& model, const Data& data, Group group, std::optional<RcMerge> strands, std::FILE* out,
                   std::optional<ChunkRange> mine = {}) {
  auto idx = data.indices(group);
  if (mine) idx = idx.subspan(to_size(mine->begin), to_size(mine->end - mine->begin));
  const auto probs = strands ? predict_both_strands(model, data, idx, *strands) : model.predict(data, idx);
  for (index_t r = 0; r < std::ssize(idx); ++r)
    predict_row(data.name(at(idx, r)), probs.data() + r * probs.cols(), probs.cols(), out);
}

// predict over the ranks of an MPI job: each scores its share of the
// records (of the FASTA file, counted by every rank: reading is cheap next
// to scoring; or of the group, which every rank loads).
void predict_shared(dist::Communicator& world, ModelDataArgs& in, const std::string& input, bool labelled,
                    std::optional<RcMerge> strands, const std::string& precision, const std::string& output) {
  std::optional<Model> model;
  std::optional<Data> data;
  std::optional<AtomicFile> file;
  index_t records = 0;
  dist::run_together(world, [&] {
    model.emplace(in.load_model());
    use_precision(*model, precision, in.model_file);
    if (labelled) {
      in.data.quiet = !world.root();
      data.emplace(in.load_data(*model));
      records = std::ssize(data->indices(in.selected_group()));
    } else {
      FastaReader reader = model->info().fold.empty() ? predict_reader(model->info(), input) : FastaReader(input);
      for (FastaRecord rec; reader.next(rec);) ++records;
    }
    if (world.root() && !output.empty()) file.emplace(output);
  });
  std::FILE* out = file ? file->stream() : stdout;
  if (world.root()) predict_header(model->info(), out);
  FoldCounts counts;
  dist::write_in_order(world, out, [&](std::FILE* part) {
    const ChunkRange mine = dist::share(records, world);
    if (labelled)
      predict_group(*model, *data, in.selected_group(), strands, part, mine);
    else
      counts = predict_stream(*model, in.model_file, input, in.data, strands, part,
                              RecordShare{.records = mine, .last = world.rank() == world.size() - 1});
  });
  const auto with_unknown = world.all_gather_value(counts.with_unknown), unknown = world.all_gather_value(counts.unknown);
  counts.with_unknown = std::accumulate(with_unknown.begin(), with_unknown.end(), index_t{0});
  counts.unknown = std::accumulate(unknown.begin(), unknown.end(), index_t{0});
  if (world.root() && !labelled) warn_unknown(input, counts);
  if (file) file->commit();
}

}  // namespace

void add_predict(CLI::App& app) {
  struct Args {
    ModelDataArgs in;
    std::string input, output, strands, precision = "float32";
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("predict",
                                 "class probabilities (TSV) for every record of a FASTA file, or for a group of "
                                 "labelled files (--class, as report)");
  args->in.test_by_default = true;
  args->in.add_to(cmd);
  cmd->add_option("input", args->input, "FASTA file, plain or gzip (or give --class/--multilabel files)");
  cmd->add_option("-o,--output", args->output, "TSV file to write (default: standard output)");
  cmd->add_option("--rc-merge", args->strands,
                  "also score each record's reverse complement and merge the two: mean or max (DNA and RNA models)")
      ->check(CLI::IsMember({"mean", "max"}));
  add_precision_option(cmd, args->precision);
  cmd->callback([args] {
    auto& world = dist::Communicator::world();
    auto& data = args->in.data;
    const bool labelled = !data.class_files.empty() || !data.multilabel_file.empty();
    dist::run_together(world, [&] {
      require(args->input.empty() == labelled,
              "give a FASTA file to score, or labelled --class/--multilabel files, not both");
      require(labelled || args->in.group.empty(), "--group chooses records of --class/--multilabel files");
    });
    const auto strands = args->strands.empty() ? std::nullopt : std::optional(parse_rc_merge(args->strands));
    if (world.distributed()) {
      predict_shared(world, args->in, args->input, labelled, strands, args->precision, args->output);
      return;
    }
    Model model = args->in.load_model();
    use_precision(model, args->precision, args->in.model_file);
    auto run = [&](std::FILE* out) {
      if (labelled) {
        const Data d = args->in.load_data(model);
        predict_header(model.info(), out);
        predict_group(model, d, args->in.selected_group(), strands, out);
      } else {
        predict_header(model.info(), out);
        warn_unknown(args->input, predict_stream(model, args->in.model_file, args->input, data, strands, out));
      }
    };
    if (args->output.empty()) {
      run(stdout);
      std::fflush(stdout);
      return;
    }
    AtomicFile out(args->output);  // appears only when every record is scored
    run(out.stream());
    out.commit();
  });
}

}  // namespace sster::cli
