// sster attribute: why each sequence scored as it did, per position and
// letter (interpret/attribution.hpp), for the records of a FASTA file or a
// group of a split: TF-MoDISco's npz pair, attribution logos (and ISM heat
// maps) as PNG, and a seqlet TSV. Records go through in blocks, so the npz
// files of a large set never sit in memory; every output is written
// atomically, and none before every record has been attributed. Under
// mpirun each rank attributes a contiguous share of the blocks and rank 0
// writes every block's results in order (dist/shards.hpp): the same files
// as one process.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "cli/common.hpp"
#include "cli/subcommands.hpp"
#include "sster/core/atomic_file.hpp"
#include "sster/data/encoding.hpp"
#include "sster/dist/shards.hpp"
#include "sster/interpret/attribution.hpp"
#include "sster/interpret/attribution_npz.hpp"
#include "sster/interpret/attribution_plot.hpp"
#include "sster/interpret/seqlet_tsv.hpp"
#include "sster/interpret/seqlets.hpp"

namespace sster::cli {

namespace {

struct AttributeArgs {
  ModelDataArgs in;  // the model, and --data files with --group for a group of a split
  std::string fasta;
  std::string method;
  std::string class_name;
  std::string scale = "logit";
  index_t references = 20, steps = 50;
  std::uint64_t seed = 1;
  std::string npz, png_dir, seqlets;
  std::vector<std::string> records;
  index_t top = 0;
  SeqletOptions seqlet;
  index_t null_sequences = 1000;
};

// The records explained: names (the first word of each header) and symbols (n, L).
struct Records {
  std::vector<std::string> names;
  std::vector<std::uint8_t> symbols;
  index_t size() const { return ssize(names); }
};

std::string first_word(const std::string& header, index_t number) {
  const auto end = std::find_if(header.begin(), header.end(), [](unsigned char c) { return std::isspace(c); });
  return header.begin() == end ? "record_" + std::to_string(number) : std::string(header.begin(), end);
}

Records read_fasta_records(const Model& model, const std::string& path) {
  const auto& info = model.info();
  FastaReader reader(path, info.alphabet.has_structure() ? FastaFormat::sequence_structure : FastaFormat::sequence);
  const SequenceEncoder encoder(info.alphabet, model.seed());
  Records r;
  FastaRecord rec;
  while (reader.next(rec)) {
    require(ssize(rec.sequence) == info.length,
            fasta_location(path, rec.number, rec.line) + " has length " + std::to_string(rec.sequence.size()) +
                ", but the model was trained on length " + std::to_string(info.length));
    r.symbols.resize(r.symbols.size() + to_size(info.length));
    encoder.encode(rec, path, static_cast<std::uint64_t>(rec.number), r.symbols.data() + r.symbols.size() - info.length);
    r.names.push_back(first_word(rec.name, rec.number));
  }
  require(r.size() > 0, path + ": no records");
  return r;
}

Records group_records(AttributeArgs& a, const Model& model) {
  const Data data = a.in.load_data(model);
  Records r;
  for (index_t i : data.indices(a.in.selected_group())) {
    const auto s = data.symbols(i);
    require(data.record_length(i) == model.info().length,
            "record " + std::to_string(i + 1) + " (" + data.name(i) + ") is shorter than the model's length " +
                std::to_string(model.info().length) + " (padded); attributions need whole sequences");
    r.symbols.insert(r.symbols.end(), s.begin(), s.end());
    r.names.push_back(first_word(data.name(i), i + 1));
  }
  return r;
}

AttributionTarget parse_target(const AttributeArgs& a, const ModelInfo& info) {
  AttributionTarget t{.scale = a.scale == "prob" ? OutputScale::probability : OutputScale::logit,
                      .multilabel = info.multilabel};
  if (a.class_name.empty()) return t;
  const auto& names = info.class_names;
  const auto it = std::find(names.begin(), names.end(), a.class_name);
  if (it == names.end()) {
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    throw Error("--class " + a.class_name + ": the model's classes are " + known);
  }
  t.class_index = it - names.begin();
  return t;
}

// The records to draw, in input order: --records by name, or the --top N by
// explained output (5 when neither is given).
std::vector<index_t> records_to_plot(const AttributeArgs& a, Model& model, const Records& r,
                                     const AttributionTarget& target) {
  std::vector<index_t> chosen;
  if (!a.records.empty()) {
    for (const auto& id : a.records) {
      const auto it = std::find(r.names.begin(), r.names.end(), id);
      require(it != r.names.end(), "--records: no record named '" + id + "' among the " + std::to_string(r.size()) +
                                       " records");
      chosen.push_back(it - r.names.begin());
    }
  } else {
    const auto scores = explained_outputs(model, r.symbols, r.size(), target);
    std::vector<index_t> order(to_size(r.size()));
    std::iota(order.begin(), order.end(), index_t{0});
    std::stable_sort(order.begin(), order.end(), [&](index_t u, index_t v) { return at(scores, u) > at(scores, v); });
    order.resize(to_size(std::min(a.top > 0 ? a.top : 5, r.size())));
    chosen = order;
  }
  std::sort(chosen.begin(), chosen.end());
  chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
  return chosen;
}

// A file name from a record name: letters, digits, '.', '-' and '_' kept.
std::string file_stem(index_t i, const std::string& name) {
  std::string safe;
  for (char c : name) safe += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ? c : '_';
  return std::to_string(i) + "_" + safe;
}

// A block's attributions as bytes, to travel from one rank to rank 0, and
// back. The bytes never leave the job, so they are not checked.
std::string attribution_bytes(const Attributions& a) {
  std::string out;
  auto put = [&](const void* p, std::size_t n) { out.append(static_cast<const char*>(p), n); };
  const std::int64_t head[] = {static_cast<std::int64_t>(a.method), a.n, a.length, a.letters};
  put(head, sizeof head);
  auto put_vector = [&](const auto& v) {
    const auto n = static_cast<std::uint64_t>(v.size());
    put(&n, sizeof n);
    put(v.data(), v.size() * sizeof v[0]);
  };
  put_vector(a.symbols), put_vector(a.hypothetical), put_vector(a.output), put_vector(a.reference), put_vector(a.deltas);
  return out;
}

Attributions attributions_from_bytes(std::string_view bytes) {
  std::size_t offset = 0;
  auto get = [&](void* p, std::size_t n) {
    std::memcpy(p, bytes.data() + offset, n);
    offset += n;
  };
  std::int64_t head[4];
  get(head, sizeof head);
  Attributions a{.method = static_cast<AttributionMethod>(head[0]), .n = head[1], .length = head[2], .letters = head[3]};
  auto get_vector = [&](auto& v) {
    std::uint64_t n = 0;
    get(&n, sizeof n);
    v.resize(n);
    get(v.data(), n * sizeof v[0]);
  };
  get_vector(a.symbols), get_vector(a.hypothetical), get_vector(a.output), get_vector(a.reference), get_vector(a.deltas);
  return a;
}

void run_attribute(AttributeArgs& a) {
  auto& world = dist::Communicator::world();
  std::optional<Model> loaded;
  Records r;
  AttributionMethod method{};
  AttributionOptions o;
  // The output files open (as temporary files) before the work: a folder
  // that is not there fails now, not after the attributions. Rank 0 alone
  // writes them.
  std::optional<AttributionNpz> npz;
  std::optional<AtomicFile> seqlet_file;
  std::optional<double> threshold;
  std::vector<index_t> plotted;
  dist::run_together(world, [&] {
    require(!a.npz.empty() || !a.png_dir.empty() || !a.seqlets.empty(),
            "nothing to write: give --npz PREFIX, --png DIR and/or --seqlets FILE");
    require(a.records.empty() || a.top == 0, "give --records or --top, not both");
    loaded.emplace(a.in.load_model());
    const ModelInfo& info = loaded->info();
    require(info.extra == 0 && info.dense_channels == 0 && info.profile_channels == 0,
            "sster attribute explains sequences only; this model also needs structure profiles or additional inputs");
    const bool from_fasta = !a.fasta.empty();
    require(from_fasta != (!a.in.data.class_files.empty() || !a.in.data.multilabel_file.empty()),
            "give either a FASTA file or --data files (with --group), not both");
    r = from_fasta ? read_fasta_records(*loaded, a.fasta) : group_records(a, *loaded);
    method = parse_method(a.method);
    o = {.target = parse_target(a, info), .references = a.references, .steps = a.steps, .seed = a.seed};
    if (!world.root()) return;
    if (!a.npz.empty()) npz.emplace(a.npz, r.size(), info.alphabet.size(), info.length);
    if (!a.seqlets.empty()) {
      seqlet_file.emplace(a.seqlets);
      const auto null = seqlet_null_sequences(r.symbols, r.size(), info.length, a.null_sequences, a.seqlet.seed);
      threshold = seqlet_threshold(attribute(*loaded, null, ssize(null) / info.length, method, o), a.seqlet);
    }
    if (!a.png_dir.empty()) plotted = records_to_plot(a, *loaded, r, o.target);
  });
  Model& model = *loaded;
  const ModelInfo& info = model.info();
  const std::string class_label = at(info.class_names, o.target.class_index);
  const std::string target_label = class_label + (a.scale == "prob" ? " probability" : " logit");
  const index_t L = info.length, n = r.size();
  std::vector<Seqlet> seqlets;
  std::vector<std::pair<std::filesystem::path, std::string>> pictures;  // written at the end
  index_t first = 0;  // of the next block rank 0 handles
  auto handle = [&](const Attributions& attr) {
    if (npz) npz->add(attr);
    const std::span names(r.names.data() + first, to_size(attr.n));
    if (threshold) {
      const auto found = call_seqlets(attr, *threshold, info.alphabet, names, a.seqlet);
      seqlets.insert(seqlets.end(), found.begin(), found.end());
    }
    for (index_t i : plotted)
      if (i >= first && i < first + attr.n)
        pictures.emplace_back(std::filesystem::path(a.png_dir) / (file_stem(i, at(r.names, i)) + ".png"),
                              encode_png(render_attribution(attr, i - first, info.alphabet, at(r.names, i), target_label)));
    first += attr.n;
  };
  // Blocks of 512 records whatever the number of ranks, so each is
  // attributed as one process attributes it; each rank takes a contiguous
  // share of them and rank 0 handles them all, in order.
  constexpr index_t block = 512;
  dist::OrderedBlocks<Attributions> results(world, handle, attribution_bytes, attributions_from_bytes);
  const ChunkRange mine = dist::share((n + block - 1) / block, world);
  for (index_t b = mine.begin; b < mine.end; ++b) {
    const index_t count = std::min(block, n - b * block);
    results.add(
        attribute(model, std::span(r.symbols).subspan(to_size(b * block * L), to_size(count * L)), count, method, o));
  }
  results.merge();
  if (!world.root()) return;
  if (npz) npz->commit();
  if (!a.png_dir.empty()) create_folders(a.png_dir);
  for (const auto& [path, png] : pictures) write_file_atomic(path, png);
  if (threshold) {
    char about[256];
    std::snprintf(about, sizeof about, "alphabet=%s method=%s class=%s target=%s width=%lld threshold=%.6g",
                  info.alphabet.sequence().c_str(), method_name(method).c_str(), class_label.c_str(), a.scale.c_str(),
                  static_cast<long long>(a.seqlet.width), *threshold);
    seqlet_file->write(seqlet_tsv(seqlets, about));
    seqlet_file->commit();
  }
  std::cerr << "sster attribute: " << n << " records, " << method_name(method) << " on " << target_label;
  if (npz) std::cerr << "; " << a.npz << "_ohe.npz and " << a.npz << "_attr.npz";
  if (threshold) std::cerr << "; " << seqlets.size() << " seqlets in " << a.seqlets;
  if (!plotted.empty()) std::cerr << "; " << plotted.size() << " pictures in " << a.png_dir;
  std::cerr << "\n";
}

}  // namespace

void add_attribute(CLI::App& app) {
  auto a = std::make_shared<AttributeArgs>();
  auto* cmd = app.add_subcommand(
      "attribute", "why each sequence scored as it did: ISM, gradients, DeepLIFT-SHAP, integrated gradients");
  a->in.add_to(cmd, true, "--data");
  cmd->add_option("fasta", a->fasta, "FASTA file of the sequences to explain (plain or gzip); or --data with --group");
  cmd->add_option("--method", a->method,
                  "ism (exact, fast), saliency, gradxinput, deeplift (DeepLIFT-SHAP; also deepliftshap) or ig "
                  "(integrated gradients)")
      ->required();
  cmd->add_option("--class", a->class_name, "the class explained, by name (default: the first class)");
  cmd->add_option("--target", a->scale, "what is explained: the class's logit or its probability")
      ->check(CLI::IsMember({"logit", "prob"}))
      ->capture_default_str();
  cmd->add_option("--references", a->references, "DeepLIFT-SHAP: dinucleotide-shuffled references per sequence")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--steps", a->steps, "integrated gradients: points on the path from the all-zero input")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--seed", a->seed, "seeds DeepLIFT-SHAP's references and the seqlet null")->capture_default_str();
  cmd->add_option("--npz", a->npz,
                  "write PREFIX_ohe.npz and PREFIX_attr.npz (N, letters, L) for TF-MoDISco "
                  "(modisco motifs -s PREFIX_ohe.npz -a PREFIX_attr.npz)");
  cmd->add_option("--png", a->png_dir, "folder for attribution logos (and ISM heat maps) of chosen records");
  cmd->add_option("--records", a->records, "with --png: the records to draw, by name (comma-separated)")
      ->delimiter(',');
  cmd->add_option("--top", a->top, "with --png: draw the N records of highest explained output (default 5)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--seqlets", a->seqlets, "write the seqlets (stretches of high attribution) to this TSV");
  cmd->add_option("--seqlet-width", a->seqlet.width, "seqlets: positions per window")->capture_default_str();
  cmd->add_option("--seqlet-quantile", a->seqlet.null_quantile,
                  "seqlets: threshold = this quantile of |window score| on shuffled sequences")
      ->capture_default_str();
  cmd->add_option("--null-sequences", a->null_sequences,
                  "seqlets: how many records are shuffled (dinucleotides kept) and attributed for the threshold")
      ->check(CLI::Range(1, 100000000))
      ->capture_default_str();
  cmd->footer(
      "Records: a FASTA file, or a group of a split given as for sster report (--data files, one per class, "
      "--group, --split-seed, --val/--test); every record must have the model's length. Every output is written "
      "atomically once all records are attributed. See docs/attribution.md.");
  cmd->callback([a] {
    a->seqlet.seed = a->seed;
    run_attribute(*a);
  });
}

}  // namespace sster::cli
