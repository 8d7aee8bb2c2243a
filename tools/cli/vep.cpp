// sster vep: variant effects. For every ALT allele of a VCF, the model's
// scores of the window around the REF and around the ALT, their difference
// and log2 fold change (genome/variant_effects.hpp), as TSV or as the VCF
// annotated with INFO fields; ALTs that cannot be scored go to OUT.na.tsv
// with the reason. Outputs appear only when complete. Under mpirun each rank
// scores a contiguous share of the records and rank 0 writes them all in
// file order: the same files as one process.
#include <CLI/CLI.hpp>
#include <htslib/hts_log.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cli/precision_option.hpp"
#include "cli/progress.hpp"
#include "cli/subcommands.hpp"
#include "sster/core/atomic_file.hpp"
#include "sster/core/binary_file.hpp"
#include "sster/dist/shards.hpp"
#include "sster/genome/variant_effects.hpp"

namespace sster::cli {

namespace {

struct VepArgs {
  std::string model, vcf, fasta, output, format, strand = "plus", merge = "mean", unknown = "zero";
  std::string precision = "float32";
  index_t centre = -1;
  bool logits = false, quiet = false;
};

bool names_vcf(const std::string& path) {
  return path.ends_with(".vcf") || path.ends_with(".vcf.gz") || path.ends_with(".bcf");
}

// OUT.na.tsv: OUT without its .tsv, .vcf, .vcf.gz or .bcf.
std::string na_path(const std::string& out) {
  std::string base = out;
  for (const char* ext : {".tsv", ".vcf.gz", ".vcf", ".bcf"})
    if (base.ends_with(ext)) {
      base.resize(base.size() - std::string(ext).size());
      break;
    }
  return base + ".na.tsv";
}

// A record's effects, without the record, as bytes: from a rank to rank 0,
// which reads the record itself (they never leave the job).
std::string effects_bytes(const RecordEffects& e) {
  std::string bytes;
  BinaryWriter w(bytes);
  w.put<std::int64_t>(e.record.number);
  w.put<std::uint8_t>(e.ref_match);
  for (const auto& allele : e.alleles) {
    w.string(allele.na_reason);
    w.put<std::uint8_t>(allele.contains_unknown);
    for (const auto* scores : {&allele.ref, &allele.alt_scores}) {
      w.put<std::uint64_t>(scores->size());
      w.array(scores->data(), scores->size());
    }
  }
  w.finish();
  return bytes;
}

// The effects of the next record of `vcf`, from a rank's bytes.
RecordEffects effects_from_bytes(std::string_view bytes, VcfReader& vcf) {
  BinaryReader r(bytes, "a rank's variant effects");
  RecordEffects e;
  const auto number = r.get<std::int64_t>();
  require(vcf.next(e.record) && e.record.number == number,
          vcf.path() + ": record " + std::to_string(number + 1) + " is not where it was when the ranks read it");
  e.ref_match = r.get<std::uint8_t>() != 0;
  for (const auto& alt : e.record.alts) {
    AlleleEffect& allele = e.alleles.emplace_back(AlleleEffect{.alt = alt});
    allele.na_reason = r.string();
    allele.contains_unknown = r.get<std::uint8_t>() != 0;
    for (auto* scores : {&allele.ref, &allele.alt_scores}) {
      scores->resize(r.get<std::uint64_t>());
      r.array(scores->data(), scores->size());
    }
  }
  return e;
}

index_t count_records(const std::string& path) {
  VcfReader vcf(path);
  VcfRecord r;
  while (vcf.next(r)) {
  }
  return vcf.records_read();
}

// Under mpirun every rank scores a contiguous share of the VCF's records,
// and rank 0 writes every record's rows in file order, reading the records
// of the other ranks' shares itself (dist::OrderedBlocks): the same files
// as one process.
void run_vep(VepArgs a) {
  hts_set_log_level(HTS_LOG_OFF);  // sster reports htslib's failures itself
  auto& world = dist::Communicator::world();
  a.quiet = a.quiet || !world.root();
  const bool vcf_out = a.format.empty() ? names_vcf(a.output) : a.format == "vcf";
  std::optional<Model> model;
  std::optional<GenomeFasta> genome;
  std::optional<VariantEffects> effects;
  std::optional<VcfReader> vcf;
  std::optional<AtomicFile> na;
  std::unique_ptr<AtomicFile> tsv;
  std::unique_ptr<VcfAnnotator> annotated;
  ChunkRange mine{0, -1};  // every record
  dist::run_together(world, [&] {
    model.emplace(Model::load(a.model));
    use_precision(*model, a.precision, a.model);
    const VepOptions options{.both_strands = a.strand == "both",
                             .merge = parse_rc_merge(a.merge),
                             .unknown = parse_unknown_bases(a.unknown),
                             .centre = a.centre,
                             .logits = a.logits};
    require(!vcf_out || !options.both_strands || options.merge != RcMerge::none,
            "-O vcf writes one score per ALT allele: with --strand both, merge the strands (--rc-merge mean or max)");
    genome.emplace(a.fasta);
    effects.emplace(*model, *genome, options);
    vcf.emplace(a.vcf);
    if (world.distributed()) mine = dist::share(count_records(a.vcf), world);
    if (!world.root()) return;
    na.emplace(na_path(a.output));
    na->write(VariantEffects::na_header());
    if (vcf_out) {
      std::vector<VcfAnnotator::Field> fields;
      for (const auto& c : model->info().class_names) {
        fields.push_back({info_key("SSTER_REF_", c), "sster: probability of class " + c + " with the REF allele"});
        fields.push_back({info_key("SSTER_ALT_", c), "sster: probability of class " + c + " with the ALT allele"});
        fields.push_back({info_key("SSTER_DIFF_", c), "sster: ALT minus REF probability of class " + c});
        fields.push_back({info_key("SSTER_LOG2FC_", c), "sster: log2 of ALT over REF probability of class " + c});
      }
      annotated = std::make_unique<VcfAnnotator>(a.output, *vcf, fields, "SSTER_REF_MISMATCH",
                                                 "sster: the REF allele differs from the genome (scored as given)");
    } else {
      tsv = std::make_unique<AtomicFile>(a.output);
      tsv->write(effects->tsv_header());
    }
  });

  CountProgress progress(a.quiet, "vep", "records", 0);
  index_t records = 0, alleles = 0, not_scored = 0, mismatches = 0;
  auto write = [&](const RecordEffects& e) {
    ++records;
    alleles += ssize(e.alleles);
    mismatches += !e.ref_match;
    for (const auto& allele : e.alleles) not_scored += !allele.na_reason.empty();
    na->write(effects->na_rows(e));
    if (tsv) tsv->write(effects->tsv_rows(e));
    else annotated->write(e.record, effects->info_values(e), !e.ref_match);
    progress.add(1);
  };
  dist::OrderedBlocks<RecordEffects> records_in_order(
      world, write, effects_bytes, [&](std::string_view bytes) { return effects_from_bytes(bytes, *vcf); });
  dist::run_together(world, [&] {
    effects->run(*vcf, mine.begin, mine.end, [&](const RecordEffects& e) { records_in_order.add(e); });
  });
  records_in_order.merge();
  if (!world.root()) return;
  progress.finish();
  if (tsv) tsv->commit();
  else annotated->commit();
  na->commit();
  if (!a.quiet)
    std::cerr << "scored " << alleles - not_scored << " of " << alleles << " ALT alleles in " << records
              << " records; " << not_scored << " listed in " << na_path(a.output) << " with the reason; " << mismatches
              << " records with a REF that differs from the genome (scored as given)\n";
}

}  // namespace

void add_vep(CLI::App& app) {
  auto a = std::make_shared<VepArgs>();
  auto* cmd = app.add_subcommand("vep", "variant effects: the model's scores around the REF and the ALT of every VCF variant");
  cmd->add_option("model", a->model, "model file (.sster) of a DNA or RNA model on plain sequences")->required();
  cmd->add_option("--vcf", a->vcf, "variants: VCF (plain, gzip or bgzip) or BCF")->required();
  cmd->add_option("--fasta", a->fasta,
                  "the reference genome: FASTA, plain, gzip or bgzip, with or without a faidx index")
      ->required();
  cmd->add_option("-o,--output", a->output,
                  "TSV (or VCF with -O vcf) to write; ALTs that cannot be scored go to OUT.na.tsv (OUT without "
                  "its .tsv/.vcf/.vcf.gz/.bcf) with the reason")
      ->required();
  cmd->add_option("-O,--output-format", a->format,
                  "tsv: chrom pos id ref alt strand ref_match contains_unk, then per class ref_C alt_C diff_C "
                  "log2fc_C; vcf: the input VCF with INFO fields SSTER_REF_C, SSTER_ALT_C, SSTER_DIFF_C, "
                  "SSTER_LOG2FC_C (one value per ALT) and the flag SSTER_REF_MISMATCH (.vcf.gz: bgzip, .bcf: "
                  "BCF). Default: vcf when OUT ends in .vcf, .vcf.gz or .bcf, else tsv")
      ->check(CLI::IsMember({"tsv", "vcf"}));
  cmd->add_option("--strand", a->strand, "plus, or both: also the reverse complements of the two windows")
      ->check(CLI::IsMember({"plus", "both"}))
      ->capture_default_str();
  cmd->add_option("--rc-merge", a->merge,
                  "with --strand both: the mean or max of the strands' scores, or none (a row per strand, TSV only)")
      ->check(CLI::IsMember({"mean", "max", "none"}))
      ->capture_default_str();
  add_precision_option(cmd, a->precision);
  cmd->add_option("--centre", a->centre,
                  "window index (0-based) of the variant's centre base (base |allele|/2 of the allele); default "
                  "(L-1)/2, index 499 of a 1000-base window as Selene")
      ->check(CLI::Range(index_t{0}, index_t{1} << 31));
  cmd->add_option("--unknown", a->unknown,
                  "windows with unknown bases (N, IUPAC codes): zero (scored with no letter there; contains_unk "
                  "says so), skip (to OUT.na.tsv) or random (pysster's random letter, fixed by position)")
      ->check(CLI::IsMember({"zero", "skip", "random"}))
      ->capture_default_str();
  cmd->add_flag("--logits", a->logits,
                "TSV: also logit_ref_C, logit_alt_C and logit_diff_C per class, Kipoi's logit ln(p/(1-p))");
  cmd->add_flag("-q,--quiet", a->quiet, "no progress or summary on stderr");
  cmd->footer(
      "Each ALT of a multi-allelic record has its own row. The REF window is the genome's around the variant with "
      "the VCF's REF in it; the ALT window puts the ALT's centre at the same index, with the genome's bases "
      "before the variant and after the REF around it (re-read as far as needed, so an indel's window keeps the "
      "model's length). A REF that differs from the genome is scored as given and reported (ref_match false). "
      "Contigs match the FASTA's names with or without 'chr'. diff = alt - ref; log2fc = log2(alt/ref) with "
      "probabilities below 1e-7 taken as 1e-7.\n\n" +
      cmd->get_footer());
  cmd->callback([a] { run_vep(*a); });
}

}  // namespace sster::cli
