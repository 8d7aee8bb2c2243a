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
// RNA models) and merges the two. The output file appears only when complete.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/common.hpp"
#include "cli/fold_input.hpp"
#include "cli/streamed_inputs.hpp"
#include "cli/subcommands.hpp"
#include "sster/core/atomic_file.hpp"
#include "sster/data/encoding.hpp"
#include "sster/model/model.hpp"
#include "sster/model/strand_merge.hpp"

namespace sster::cli {

namespace {

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

// Scores `input` with `model`, writing TSV rows to `out`. A model trained
// with --fold folds the input first, as its training data was. With
// `strands`, each record's score is merged with its reverse complement's.
void predict_stream(Model& model, const std::string& model_file, const std::string& input, const DataArgs& args,
                    std::optional<RcMerge> strands, std::FILE* out) {
  const auto& info = model.info();
  std::optional<ReverseComplement> rc;
  if (strands) {
    require(info.dense_channels == 0 && info.profile_channels == 0,
            "--rc-merge: position-wise values and structure profiles have no reverse complement");
    rc.emplace(info.alphabet, "--rc-merge");
  }
  const SequenceEncoder encoder(info.alphabet, model.seed(), true, args.unknown_structure == "random");
  StreamedInputs inputs(args.inputs, info, input);
  constexpr index_t block = 4096;
  const index_t L = info.length, K = info.classes(), P = info.profile_channels, D = info.dense_channels, E = info.extra;
  std::vector<std::uint8_t> symbols(to_size(block * L));
  std::vector<float> profiles(to_size(block * L * P)), dense(to_size(block * L * D)), extra(to_size(block * E));
  std::vector<float> probs(to_size(block * K)), minus(strands ? to_size(block * K) : 0);
  std::vector<std::string> names;
  predict_header(info, out);
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
  index_t records = 0;
  auto score = [&](const FastaRecord& rec) {
    require(static_cast<index_t>(rec.sequence.size()) == L,
            fasta_location(input, rec.number, rec.line) + " has length " + std::to_string(rec.sequence.size()) +
                ", but the model was trained on length " + std::to_string(L) +
                " (sster, like pysster, needs the training length)");
    const index_t b = std::ssize(names);
    encoder.encode(rec, input, static_cast<std::uint64_t>(rec.number), symbols.data() + b * L);
    if (P) SequenceEncoder::transpose_profile(rec, profiles.data() + b * L * P);
    inputs.read(++records, extra.data() + b * E, dense.data() + b * L * D);
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
  inputs.finish(records);
  flush();
}

// Scores the chosen group of labelled files (on both strands with `strands`).
void predict_group(Model& model, ModelDataArgs& in, std::optional<RcMerge> strands, std::FILE* out) {
  const Data data = in.load_data(model);
  const auto probs = strands ? predict_both_strands(model, data, in.selected_group(), *strands)
                             : model.predict(data, in.selected_group());
  predict_header(model.info(), out);
  const auto idx = data.indices(in.selected_group());
  for (index_t r = 0; r < std::ssize(idx); ++r)
    predict_row(data.name(at(idx, r)), probs.data() + r * probs.cols(), probs.cols(), out);
}

}  // namespace

void add_predict(CLI::App& app) {
  struct Args {
    ModelDataArgs in;
    std::string input, output, strands;
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
  cmd->callback([args] {
    auto& data = args->in.data;
    const bool labelled = !data.class_files.empty() || !data.multilabel_file.empty();
    require(args->input.empty() == labelled, "give a FASTA file to score, or labelled --class/--multilabel files, not both");
    require(labelled || args->in.group.empty(), "--group chooses records of --class/--multilabel files");
    Model model = args->in.load_model();
    const auto strands = args->strands.empty() ? std::nullopt : std::optional(parse_rc_merge(args->strands));
    auto run = [&](std::FILE* out) {
      if (labelled) predict_group(model, args->in, strands, out);
      else predict_stream(model, args->in.model_file, args->input, data, strands, out);
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
