// sster scan: a model's scores over a genome or BED regions, as bedGraph or
// bigWig tracks, and optionally the best windows as TSV. Every window of the
// model's length, `--stride` apart, is scored (sharing the convolutions of
// overlapping windows, genome/sliding_network.hpp), unit by unit, so memory
// stays bounded by a unit whatever the sequence's length. Outputs appear
// only when complete. Under mpirun each rank scans a contiguous share of
// the units and rank 0 writes them all in order: the same files as one
// process.
#include <CLI/CLI.hpp>
#include <htslib/hts_log.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/precision_option.hpp"
#include "cli/progress.hpp"
#include "cli/subcommands.hpp"
#include "sster/core/binary_file.hpp"
#include "sster/dist/shards.hpp"
#include "sster/genome/regions.hpp"
#include "sster/genome/scanner.hpp"
#include "sster/genome/scan_output.hpp"

namespace sster::cli {

namespace {

// What the zoom levels of one bigWig track may take: about 3.7 million windows.
constexpr double zoom_memory = 64e6;

struct ScanArgs {
  std::string model, genome, regions, output, strand = "plus", merge = "mean", anchor = "centre", unknown = "skip";
  std::string precision = "float32";
  std::vector<std::string> classes;
  index_t stride = 1, top = 0;
  bool quiet = false;
};

// The classes to write: the named ones ("all": every class), by default the
// first for bedGraph and every class for bigWig.
std::vector<index_t> chosen_classes(const ScanArgs& a, const ModelInfo& info) {
  std::vector<index_t> out;
  const bool all = a.classes.empty() ? track_format_of(a.output) == TrackFormat::bigwig
                                     : std::find(a.classes.begin(), a.classes.end(), "all") != a.classes.end();
  if (all) {
    for (index_t c = 0; c < info.classes(); ++c) out.push_back(c);
    return out;
  }
  if (a.classes.empty()) return {0};
  for (const auto& name : a.classes) {
    const auto it = std::find(info.class_names.begin(), info.class_names.end(), name);
    if (it == info.class_names.end()) {
      std::string known;
      for (const auto& c : info.class_names) known += (known.empty() ? "" : ", ") + c;
      throw Error("--class " + name + ": the model has no such class (its classes: " + known + ", or all)");
    }
    out.push_back(it - info.class_names.begin());
  }
  return out;
}

// OUT with ".<part>" put before its extension: track.bw -> track.site.bw.
std::string with_part(const std::string& out, const std::string& part) {
  std::filesystem::path p(out);
  std::string name = part;
  for (char& c : name)
    if (c == '/' || c == '\\') c = '_';
  return (p.parent_path() / (p.stem().string() + "." + name + p.extension().string())).string();
}

// A unit's scores as bytes, to travel from a rank to rank 0 (they never
// leave the job).
std::string unit_bytes(const UnitScores& s) {
  std::string bytes;
  BinaryWriter w(bytes);
  w.put<std::int64_t>(s.unit.number);
  w.put<std::int64_t>(s.strands);
  w.put<std::int64_t>(s.classes);
  w.put<std::uint64_t>(s.values.size());
  w.array(s.values.data(), s.values.size());
  w.put<std::uint64_t>(s.scored.size());
  w.array(s.scored.data(), s.scored.size());
  w.finish();
  return bytes;
}

UnitScores unit_from_bytes(std::string_view bytes, const ScanPlan& plan) {
  BinaryReader r(bytes, "a rank's scores");
  UnitScores s;
  s.unit = plan.unit(r.get<std::int64_t>());
  s.strands = r.get<std::int64_t>();
  s.classes = r.get<std::int64_t>();
  s.values.resize(r.get<std::uint64_t>());
  r.array(s.values.data(), s.values.size());
  s.scored.resize(r.get<std::uint64_t>());
  r.array(s.scored.data(), s.scored.size());
  return s;
}

// What rank 0 writes: the tracks and the best windows, fed unit by unit in
// plan order.
struct ScanOutputs {
  std::vector<std::unique_ptr<TrackWriter>> tracks;
  std::optional<TopWindows> top;
  std::unique_ptr<AtomicFile> top_file;
};

ScanOutputs open_outputs(const ScanArgs& a, const ModelInfo& info, const GenomeFasta& genome, const ScanPlan& plan,
                         const std::vector<index_t>& classes, index_t strands) {
  const TrackGeometry geometry{info.length, a.stride, parse_anchor(a.anchor)};
  // bigWig zoom levels sit in memory until the file closes: only while they stay small
  const bool zoom = BigWigWriter::zoom_bytes(plan.windows()) <= zoom_memory;
  if (!zoom && track_format_of(a.output) == TrackFormat::bigwig && !a.quiet)
    std::cerr << "sster: note: the bigWig tracks get no zoom levels: for " << plan.windows()
              << " windows libBigWig would hold " << static_cast<long long>(BigWigWriter::zoom_bytes(plan.windows()) / 1e6)
              << " MB of them in memory per track (a larger --stride, or bedGraph and bedGraphToBigWig, give them)\n";
  ScanOutputs o;
  for (index_t c : classes)
    for (index_t s = 0; s < strands; ++s) {
      std::string path = a.output;
      if (classes.size() > 1) path = with_part(path, at(info.class_names, c));
      if (strands > 1) path = with_part(path, s == 0 ? "plus" : "minus");
      o.tracks.push_back(std::make_unique<TrackWriter>(path, genome, geometry, TrackChoice{c, s}, zoom));
    }
  o.top.emplace(a.top, classes.front());
  if (a.top > 0) {
    std::filesystem::path p(a.output);
    o.top_file = std::make_unique<AtomicFile>((p.parent_path() / (p.stem().string() + ".top.tsv")).string());
  }
  return o;
}

// Under mpirun every rank scans a contiguous share of the plan's units (a
// unit's scores do not depend on the others), and rank 0 writes every
// unit's scores in plan order (dist::OrderedBlocks): the same files as one
// process.
void run_scan(ScanArgs a) {
  hts_set_log_level(HTS_LOG_OFF);  // sster reports htslib's failures itself
  auto& world = dist::Communicator::world();
  a.quiet = a.quiet || !world.root();
  std::optional<Model> model;
  std::optional<GenomeFasta> genome;
  std::optional<Scanner> scanner;
  std::optional<ScanPlan> plan;
  std::vector<index_t> classes;
  ScanOptions options;
  ScanOutputs out;
  dist::run_together(world, [&] {
    model.emplace(Model::load(a.model));
    use_precision(*model, a.precision, a.model);
    classes = chosen_classes(a, model->info());
    options = {.both_strands = a.strand == "both", .merge = parse_rc_merge(a.merge), .unknown = parse_unknown_bases(a.unknown)};
    genome.emplace(a.genome);
    require(genome->size() > 0, a.genome + ": no sequences");
    scanner.emplace(*model, *genome, options);
    plan.emplace(*genome, a.regions.empty() ? whole_sequences(*genome) : read_bed(a.regions, *genome),
                 model->info().length, a.stride);
    require(plan->windows() > 0, "no window to score: every " + std::string(a.regions.empty() ? "sequence" : "region") +
                                     " is shorter than the model's " + std::to_string(model->info().length) + " bases");
    if (world.root()) out = open_outputs(a, model->info(), *genome, *plan, classes, scanner->strands());
  });
  const ModelInfo& info = model->info();
  const index_t strands = scanner->strands();

  CountProgress progress(a.quiet, "scan", "windows", plan->windows());
  index_t skipped = 0;
  auto write = [&](const UnitScores& s) {
    for (auto& t : out.tracks) t->add(s);
    out.top->add(s, a.stride);
    skipped += std::count(s.scored.begin(), s.scored.end(), std::uint8_t{0});
    progress.add(s.unit.windows);
  };
  dist::OrderedBlocks<UnitScores> units(world, write, unit_bytes,
                                         [&](std::string_view bytes) { return unit_from_bytes(bytes, *plan); });
  const ChunkRange mine = dist::share(plan->size(), world);
  dist::run_together(world, [&] { scanner->run(*plan, mine.begin, mine.end, [&](const UnitScores& s) { units.add(s); }); });
  units.merge();
  if (!world.root()) return;
  progress.finish();
  if (skipped == plan->windows()) throw Error("every window holds an unknown base (N): nothing to write (see --unknown)");
  if (out.top_file) {
    out.top_file->write(
        out.top->tsv(*genome, info.class_names, info.length, strands > 1 ? "+-" : options.both_strands ? "." : "+"));
    out.top_file->commit();
  }
  for (auto& t : out.tracks) t->commit();
  if (!a.quiet) {
    std::cerr << "scanned " << plan->windows() << " windows of " << info.length << " bases in "
              << plan->regions().size() - to_size(plan->regions_too_short()) << " "
              << (a.regions.empty() ? "sequences" : "regions");
    if (skipped > 0) std::cerr << "; " << skipped << " windows with unknown bases left out";
    if (plan->regions_too_short() > 0)
      std::cerr << "; " << plan->regions_too_short() << (a.regions.empty() ? " sequences" : " regions")
                << " shorter than the model skipped";
    std::cerr << "\n";
  }
}

}  // namespace

void add_scan(CLI::App& app) {
  auto a = std::make_shared<ScanArgs>();
  auto* cmd = app.add_subcommand("scan", "score every window of a genome or of BED regions into a bedGraph or bigWig track");
  cmd->add_option("model", a->model, "model file (.sster) of a DNA or RNA (or protein) model on plain sequences")->required();
  cmd->add_option("genome", a->genome,
                  "FASTA file: plain, gzip or bgzip, with or without a faidx index (without one it is indexed, or "
                  "copied and indexed, in $TMPDIR)")
      ->required();
  cmd->add_option("-o,--output", a->output,
                  "track to write: bigWig if it ends in .bw or .bigwig, else bedGraph (chrom, start, end, value). "
                  "Several tracks (classes, strands) go to OUT with .CLASS and/or .plus/.minus before the extension")
      ->required();
  cmd->add_option("--regions", a->regions,
                  "BED file of the regions to scan (chrom, start, end; sorted as sort -k1,1 -k2,2n leaves it; "
                  "overlapping regions are merged); default: every sequence whole");
  cmd->add_option("--stride", a->stride, "bases from one window's start to the next")
      ->check(CLI::Range(index_t{1}, index_t{1} << 30))
      ->capture_default_str();
  cmd->add_option("--strand", a->strand, "plus, or both: also the reverse complement (DNA and RNA models)")
      ->check(CLI::IsMember({"plus", "both"}))
      ->capture_default_str();
  cmd->add_option("--rc-merge", a->merge,
                  "with --strand both: the mean or max of the two strands' scores, or none (a track per strand)")
      ->check(CLI::IsMember({"mean", "max", "none"}))
      ->capture_default_str();
  add_precision_option(cmd, a->precision);
  cmd->add_option("--class", a->classes,
                  "class to write (repeat, or all); default: the first class for bedGraph, every class for bigWig");
  cmd->add_option("--anchor", a->anchor,
                  "where a window's value lies: centre (min(stride, L) bases around the window's centre; with "
                  "stride 1 base (L-1)/2, as Selene) or start")
      ->check(CLI::IsMember({"centre", "center", "start"}))
      ->capture_default_str();
  cmd->add_option("--unknown", a->unknown,
                  "windows with unknown bases (N, IUPAC codes): skip (no value), zero (scored with no letter there) "
                  "or random (pysster's random letter, fixed by position and the model's seed)")
      ->check(CLI::IsMember({"skip", "zero", "random"}))
      ->capture_default_str();
  cmd->add_option("--top", a->top,
                  "also write the N best windows by the (first) class to OUT.top.tsv (chrom, start, end, strand, "
                  "every class's score)")
      ->check(CLI::Range(index_t{0}, index_t{1} << 24));
  cmd->add_flag("-q,--quiet", a->quiet, "no progress or summary on stderr");
  cmd->footer(
      "Windows start at each region's start and every --stride bases after, while they fit; sequences or regions "
      "shorter than the model are skipped (and counted). Tracks list sequences sorted by name, as bigWig and "
      "bedGraphToBigWig want. Positions are 0-based, half-open.\n\n" +
      cmd->get_footer());
  cmd->callback([a] { run_scan(*a); });
}

}  // namespace sster::cli
