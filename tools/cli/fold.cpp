// sster fold: RNA secondary structures of every record of a FASTA file, in
// RNAfold's default energy model (sster/fold/), printed as RNAfold prints
// them, or as the files sster's Data (and pysster) read: annotated
// structures (--annotate) and structure profiles (--profile, --plfold).
// Records fold in parallel and are written in input order, a block at a
// time, so memory stays flat whatever the file's size; -o appears only when
// complete.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include "cli/fold_input.hpp"
#include "cli/subcommands.hpp"
#include "sster/core/atomic_file.hpp"

namespace sster::cli {

namespace {

struct FoldArgs {
  std::string input, output, profile, plfold;
  index_t max_span = 0, max_length = fold::max_unspanned_length;
  bool annotate = false, partition = false, quiet = false;

  FoldWriting writing() const {
    FoldWriting how;
    how.format = annotate ? FoldFormat::annotated : profile.empty() ? FoldFormat::rnafold : FoldFormat::profile;
    how.ensemble = partition;
    how.gzip = output.size() > 3 && output.ends_with(".gz");
    how.quiet = quiet;
    return how;
  }

  fold::FoldRequest request() const {
    fold::FoldRequest r;
    r.fold.max_span = max_span;
    r.fold.max_length = max_length;
    r.partition = partition;
    r.profile_letters = profile;
    if (!plfold.empty()) {
      const auto comma = plfold.find(',');
      try {
        require(comma != std::string::npos, "");
        r.plfold = fold::WindowOptions{std::stoll(plfold.substr(0, comma)), std::stoll(plfold.substr(comma + 1))};
      } catch (const std::exception&) {
        throw Error("--plfold '" + plfold + "': expected W,L (window and largest base-pair span), e.g. 70,70");
      }
      r.fold.max_span = r.plfold->span;  // the MFE beside the windows only sets their scale
    }
    return r;
  }
};

}  // namespace

void add_fold(CLI::App& app) {
  auto args = std::make_shared<FoldArgs>();
  auto* cmd = app.add_subcommand("fold", "RNA secondary structures of FASTA records, printed as RNAfold prints them");
  cmd->add_option("input", args->input, "FASTA file, plain or gzip (T is read as U; N stays unpaired)");
  cmd->add_option("-o,--output", args->output, "file to write (gzip if it ends in .gz; default: standard output)");
  cmd->add_option("--max-span", args->max_span, "largest base-pair span j-i+1, as RNAfold --maxBPspan (local folding)");
  cmd->add_option("--max-length", args->max_length, "longest sequence folded without --max-span")->capture_default_str();
  auto* annotate = cmd->add_flag("--annotate", args->annotate,
                                 "write the MFE structure as pysster's contexts F/T/S/I/M/H instead (the files sster "
                                 "train --structure FHIMST reads)");
  auto* profile = cmd->add_option("--profile", args->profile,
                                  "write structure profiles instead: one line of probabilities per structure letter "
                                  "(pysster's structure_pwm files), from the partition function")
                      ->expected(0, 1)
                      ->default_str(FoldSpec::annotation_letters);
  auto* plfold = cmd->add_option("--plfold", args->plfold,
                                 "profiles averaged over windows as RNAplfold -W W -L L (pysster: 70,70)");
  auto* partition = cmd->add_flag("-p,--partition", args->partition,
                                  "also the ensemble free energy and the MFE's frequency, as RNAfold -p0 prints them");
  cmd->add_flag("-q,--quiet", args->quiet, "no progress bar");
  annotate->excludes(profile)->excludes(plfold)->excludes(partition);
  partition->excludes(profile)->excludes(plfold);
  plfold->excludes("--max-span");
  cmd->footer(
      "Energy model: RNAfold's defaults (Turner 2004, 37 degC, dangles d2). Output per record: '>name', the "
      "sequence, then the structure and its free energy in kcal/mol, e.g. '((...)). (-19.40)'. Sequences longer "
      "than --max-length need --max-span. Letters other than A, C, G, U, T, N are an error naming the file, "
      "record and letter.\n\n" +
      cmd->get_footer());
  cmd->callback([args] {
    std::error_code ec;  // "sster fold --profile in.fa": the letters are optional, the file is not
    if (args->input.empty() && std::filesystem::is_regular_file(args->profile, ec)) {
      args->input = args->profile;
      args->profile = FoldSpec::annotation_letters;
    }
    require(!args->input.empty(), "sster fold: give the FASTA file to fold");
    if (!args->plfold.empty() && args->profile.empty()) args->profile = FoldSpec::annotation_letters;
    FoldCounts counts;
    if (args->output.empty()) {
      counts = fold_to(args->input, args->request(), args->writing(), stdout);
    } else {
      AtomicFile out(args->output);  // appears only when every record is folded
      counts = fold_to(args->input, args->request(), args->writing(), out.stream());
      out.commit();
    }
    warn_unknown(args->input, counts);
  });
}

}  // namespace sster::cli
