#pragma once
// VariantEffects: a model's scores of the REF and ALT windows of every
// variant of a VCF (genome/variant_window.hpp), as Selene and Kipoi report
// them.
//
// A record with several ALT alleles gives one row per ALT. Its REF is
// compared with the genome (ref_match) and scored as the VCF gives it
// either way. Scores are probabilities; per class the row holds ref, alt,
// diff = alt - ref and log2fc = log2(alt / ref) (both clamped to at least
// 1e-7, where float probabilities run out), and with `logits` Kipoi's
// logit(p) = ln(p / (1 - p)) of ref and alt and their difference. On both
// strands the scores are merged class by class (RcMerge), or each strand
// has its row. An ALT that cannot be scored (a symbolic allele, a window
// past a sequence end, unknown bases under --unknown skip) goes to the NA
// table with its reason. What cannot be right (a contig the genome lacks,
// a position past its sequence, a REF or ALT of other letters) is an
// sster::Error naming the VCF line.
//
// Records are scored in batches (in parallel by the model's engine) and
// handed over in file order; run() takes a range of record numbers, so the
// records of a VCF can be shared out and the outputs concatenated.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/data/fasta.hpp"
#include "sster/data/reverse_complement.hpp"
#include "sster/genome/genome_fasta.hpp"
#include "sster/genome/genome_letters.hpp"
#include "sster/genome/variant_window.hpp"
#include "sster/genome/vcf.hpp"
#include "sster/model/model.hpp"
#include "sster/model/strand_merge.hpp"

namespace sster {

struct VepOptions {
  bool both_strands = false;
  RcMerge merge = RcMerge::mean;  // with both strands; none: a row per strand
  UnknownBases unknown = UnknownBases::zero;
  index_t centre = -1;  // window index of the variant's centre; -1: (L - 1) / 2
  bool logits = false;
};

// One ALT of a record: its scores (strands x classes), or why there are none.
struct AlleleEffect {
  std::string alt;
  std::string na_reason;  // empty when scored
  bool contains_unknown = false;
  std::vector<float> ref, alt_scores;  // (strands, classes) probabilities
};

struct RecordEffects {
  VcfRecord record;
  bool ref_match = true;
  std::vector<AlleleEffect> alleles;  // one per ALT
};

class VariantEffects {
 public:
  static constexpr index_t batch_alleles = 1024;
  static constexpr float floor = 1e-7f;  // probabilities in log2fc and logits

  VariantEffects(Model& model, const GenomeFasta& genome, VepOptions options)
      : model_(model),
        genome_(genome),
        options_(options),
        letters_(model.info().alphabet, options.unknown, model.seed()),
        L_(model.info().length),
        K_(model.info().classes()) {
    require(model.info().input_spec().symbols_only() && model.info().extra == 0,
            "variant effects read sequences only; this model also needs structure profiles, position-wise values or "
            "additional inputs");
    ReverseComplement supported(model.info().alphabet, "scoring variants");  // DNA and RNA only
    if (options_.both_strands) rc_ = supported;
    if (options_.centre < 0) options_.centre = (L_ - 1) / 2;
    require(options_.centre < L_, "--centre " + std::to_string(options_.centre) + ": the window has indices 0 to " +
                                      std::to_string(L_ - 1));
  }

  // Strands per allele in the scores: 2 when both are kept apart.
  index_t strands() const { return options_.both_strands && options_.merge == RcMerge::none ? 2 : 1; }
  const VepOptions& options() const { return options_; }

  std::string tsv_header() const {
    std::string h = "chrom\tpos\tid\tref\talt\tstrand\tref_match\tcontains_unk";
    for (const auto& c : model_.info().class_names) h += "\tref_" + c + "\talt_" + c + "\tdiff_" + c + "\tlog2fc_" + c;
    if (options_.logits)
      for (const auto& c : model_.info().class_names) h += "\tlogit_ref_" + c + "\tlogit_alt_" + c + "\tlogit_diff_" + c;
    return h + "\n";
  }
  static std::string na_header() { return "chrom\tpos\tid\tref\talt\treason\n"; }

  // The TSV rows of a record's scored ALTs.
  std::string tsv_rows(const RecordEffects& e) const {
    std::string out;
    const VcfRecord& r = e.record;
    for (const auto& a : e.alleles) {
      if (!a.na_reason.empty()) continue;
      for (index_t s = 0; s < strands(); ++s) {
        out += r.chrom + "\t" + std::to_string(r.pos) + "\t" + r.id + "\t" + r.ref + "\t" + a.alt + "\t" +
               strand_label(s) + "\t" + (e.ref_match ? "true" : "false") + "\t" +
               (a.contains_unknown ? "true" : "false");
        for (index_t c = 0; c < K_; ++c) {
          const float ref = at(a.ref, s * K_ + c), alt = at(a.alt_scores, s * K_ + c);
          append_numbers(out, {ref, alt, alt - ref, log2fc(ref, alt)});
        }
        if (options_.logits)
          for (index_t c = 0; c < K_; ++c) {
            const double lr = logit(at(a.ref, s * K_ + c)), la = logit(at(a.alt_scores, s * K_ + c));
            append_numbers(out, {lr, la, la - lr});
          }
        out += "\n";
      }
    }
    return out;
  }

  // The NA rows of a record's ALTs that could not be scored.
  std::string na_rows(const RecordEffects& e) const {
    std::string out;
    const VcfRecord& r = e.record;
    for (const auto& a : e.alleles)
      if (!a.na_reason.empty())
        out += r.chrom + "\t" + std::to_string(r.pos) + "\t" + r.id + "\t" + r.ref + "\t" + a.alt + "\t" +
               a.na_reason + "\n";
    return out;
  }

  // Per class: ref, alt, diff and log2fc of each ALT (NaN where not scored),
  // field after field: what VcfAnnotator writes. One strand (merged) only.
  std::vector<std::vector<float>> info_values(const RecordEffects& e) const {
    std::vector<std::vector<float>> out(to_size(4 * K_));
    for (const auto& a : e.alleles)
      for (index_t c = 0; c < K_; ++c) {
        const bool na = !a.na_reason.empty();
        const float ref = na ? NAN : at(a.ref, c), alt = na ? NAN : at(a.alt_scores, c);
        at(out, 4 * c).push_back(ref);
        at(out, 4 * c + 1).push_back(alt);
        at(out, 4 * c + 2).push_back(alt - ref);
        at(out, 4 * c + 3).push_back(na ? NAN : static_cast<float>(log2fc(ref, alt)));
      }
    return out;
  }

  // Scores records [first, last) of the VCF (last < 0: to its end), read
  // from where the reader stands, and calls sink(const RecordEffects&) for
  // each in file order. The reader stops after record last - 1, so the
  // records after it can be read on from there.
  template <class Sink>
  void run(VcfReader& vcf, index_t first, index_t last, Sink&& sink) {
    std::vector<RecordEffects> pending;
    VcfRecord r;
    while ((last < 0 || vcf.records_read() < last) && vcf.next(r)) {
      if (r.number < first) continue;
      prepare(vcf, std::move(r), pending);
      if (ssize(jobs_) >= batch_alleles) {
        score(pending);
        for (const auto& e : pending) sink(e);
        pending.clear();
      }
    }
    score(pending);
    for (const auto& e : pending) sink(e);
  }

 private:
  // A scored ALT: where it is in the pending records, and its windows.
  struct Job {
    index_t record, allele, sequence;
    VariantWindow ref, alt;
  };

  std::string strand_label(index_t s) const {
    if (!options_.both_strands) return "+";
    if (options_.merge != RcMerge::none) return ".";
    return s == 0 ? "+" : "-";
  }
  static double log2fc(float ref, float alt) {
    return std::log2(std::max(alt, floor)) - std::log2(std::max(ref, floor));
  }
  static double logit(float p) {
    const double q = std::clamp(static_cast<double>(p), static_cast<double>(floor), 1.0 - floor);
    return std::log(q / (1 - q));
  }
  static void append_numbers(std::string& out, std::initializer_list<double> values) {
    char num[32];
    for (double v : values) {
      std::snprintf(num, sizeof num, "\t%.6g", v);
      out += num;
    }
  }

  // The genome's sequence for a VCF contig, also across the 'chr' naming
  // conventions (chr1 and 1).
  index_t sequence_of(const VcfReader& vcf, const VcfRecord& r) const {
    index_t s = genome_.find(r.chrom);
    if (s < 0) s = genome_.find(r.chrom.starts_with("chr") ? r.chrom.substr(3) : "chr" + r.chrom);
    require(s >= 0, vcf.location(r) + ": the contig '" + r.chrom + "' is not in the genome " + genome_.path() +
                        " (with or without 'chr'): is it the genome the variants were called on?");
    return s;
  }

  // Checks the letters of an allele; false for a symbolic or missing one.
  bool check_allele(const VcfReader& vcf, const VcfRecord& r, const std::string& allele, const char* which) const {
    if (allele.empty() || allele == "*" || allele == "." || allele.front() == '<' ||
        allele.find_first_of("[]") != std::string::npos)
      return false;
    for (char c : allele)
      require(letters_.valid(c), vcf.location(r) + ": the " + which + " allele " + quote_excerpt(allele) + " holds " +
                                     quote_excerpt(std::string(1, c)) + ", which is not a base; expected " +
                                     letters_.expected());
    return true;
  }

  // Appends the record to `pending`, its windows (read here, in file order)
  // to jobs_ and the reasons of ALTs that cannot be scored to its alleles.
  void prepare(const VcfReader& vcf, VcfRecord r, std::vector<RecordEffects>& pending) {
    RecordEffects& e = pending.emplace_back();
    const index_t seq = sequence_of(vcf, r), pos = r.pos - 1, ref_length = ssize(r.ref);
    require(check_allele(vcf, r, r.ref, "REF"), vcf.location(r) + ": the REF allele " + quote_excerpt(r.ref) +
                                                     " is not a sequence of bases");
    require(pos >= 0 && pos + ref_length <= genome_.length(seq),
            vcf.location(r) + ": " + r.chrom + ":" + std::to_string(r.pos) + " with a REF of " +
                std::to_string(ref_length) + " bases lies outside '" + genome_.name(seq) + "' (" +
                std::to_string(genome_.length(seq)) + " bases) of " + genome_.path() +
                ": is it the genome the variants were called on?");
    const std::string genome_ref = genome_.fetch(seq, pos, pos + ref_length);
    e.ref_match = std::equal(genome_ref.begin(), genome_ref.end(), r.ref.begin(), r.ref.end(), [](char a, char b) {
      return std::toupper(static_cast<unsigned char>(a)) == std::toupper(static_cast<unsigned char>(b));
    });
    const auto ref_window = allele_window(genome_, seq, pos, ref_length, r.ref, L_, options_.centre);
    for (const auto& alt : r.alts) {
      AlleleEffect a{.alt = alt};
      std::optional<VariantWindow> alt_window;
      if (!check_allele(vcf, r, alt, "ALT")) a.na_reason = "symbolic or missing ALT allele";
      else alt_window = allele_window(genome_, seq, pos, ref_length, alt, L_, options_.centre);
      if (a.na_reason.empty() && (!ref_window || !alt_window))
        a.na_reason = "too close to an end of " + genome_.name(seq) + ": the window of " + std::to_string(L_) +
                      " bases does not fit";
      if (a.na_reason.empty())
        jobs_.push_back({ssize(pending) - 1, ssize(e.alleles), seq, *ref_window, *alt_window});
      e.alleles.push_back(std::move(a));
    }
    e.record = std::move(r);
  }

  // Encodes a window; returns its unknown bases.
  index_t encode(const VariantWindow& w, index_t seq, std::uint8_t* out) const {
    index_t unknown = 0;
    for (const auto& p : w.pieces) {
      const auto res = letters_.encode(p.text, seq, p.position, out);
      if (res.invalid >= 0)
        throw Error(genome_.location(seq, p.position + res.invalid) + ": " +
                    quote_excerpt(std::string_view(p.text).substr(to_size(res.invalid), 1)) +
                    " is not a base the model reads; expected " + letters_.expected());
      unknown += res.unknown;
      out += ssize(p.text);
    }
    return unknown;
  }

  // Scores the jobs of the pending records, in one batch.
  void score(std::vector<RecordEffects>& pending) {
    const index_t n = ssize(jobs_), per = options_.both_strands ? 4 : 2;  // windows per job: ref+, alt+, ref-, alt-
    if (n == 0) return;
    symbols_.resize(to_size(n * per * L_));
    for (index_t i = 0; i < n; ++i) {
      const Job& job = at(jobs_, i);
      AlleleEffect& a = at(at(pending, job.record).alleles, job.allele);
      std::uint8_t* x = symbols_.data() + i * per * L_;
      const index_t unknown = encode(job.ref, job.sequence, x) + encode(job.alt, job.sequence, x + L_);
      a.contains_unknown = unknown > 0;
      if (unknown > 0 && options_.unknown == UnknownBases::skip)
        a.na_reason = "unknown bases in the window (--unknown skip)";
      if (rc_) {
        rc_->apply(x, L_, x + 2 * L_);
        rc_->apply(x + L_, L_, x + 3 * L_);
      }
    }
    probs_.resize(to_size(n * per * K_));
    model_.predict(InputBatch<float>{.B = n * per, .symbols = symbols_.data()}, probs_.data());
    for (index_t i = 0; i < n; ++i) {
      const Job& job = at(jobs_, i);
      AlleleEffect& a = at(at(pending, job.record).alleles, job.allele);
      if (!a.na_reason.empty()) continue;
      const float* p = probs_.data() + i * per * K_;
      a.ref.assign(p, p + K_);
      a.alt_scores.assign(p + K_, p + 2 * K_);
      if (rc_ && strands() == 1) {
        merge_strands(options_.merge, K_, a.ref.data(), p + 2 * K_);
        merge_strands(options_.merge, K_, a.alt_scores.data(), p + 3 * K_);
      } else if (rc_) {
        a.ref.insert(a.ref.end(), p + 2 * K_, p + 3 * K_);
        a.alt_scores.insert(a.alt_scores.end(), p + 3 * K_, p + 4 * K_);
      }
    }
    jobs_.clear();
  }

  Model& model_;
  const GenomeFasta& genome_;
  VepOptions options_;
  GenomeLetters letters_;
  index_t L_, K_;
  std::optional<ReverseComplement> rc_;
  std::vector<Job> jobs_;  // the scored ALTs of the pending records, in order
  std::vector<std::uint8_t> symbols_;
  std::vector<float> probs_;
};

}  // namespace sster
