#pragma once
// Tomtom's options on the command line, for `sster tomtom` (as tomtom spells
// them, with two dashes) and `sster motifs --tomtom` (prefixed --tomtom-):
// the column score, the overlap, the threshold and what it applies to, the
// strands, the pseudocount (docs/tomtom.md).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "sster/interpret/tomtom.hpp"
#include "sster/version.hpp"

namespace sster::cli {

// A p-, E- or q-value as tomtom prints it: %g of the float value.
inline std::string tomtom_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", static_cast<double>(static_cast<float>(v)));
  return buf;
}

struct TomtomArgs {
  std::string database;  // motifs --tomtom
  std::string dist = "pearson";
  index_t min_overlap = 1;
  double thresh = 0.5;
  bool evalue = false, norc = false, incomplete_scores = false;
  double motif_pseudo = 0.1;

  void add_to(CLI::App* cmd, const std::string& prefix) {
    const std::string group = prefix == "--" ? "Tomtom" : "Tomtom (with --tomtom)";
    cmd->add_option(prefix + "dist", dist, "column score: pearson (correlation) or ed (Euclidean distance; tomtom 5's default)")
        ->check(CLI::IsMember({"pearson", "ed"}))
        ->capture_default_str()
        ->group(group);
    cmd->add_option(prefix + "min-overlap", min_overlap, "least number of overlapping columns")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str()
        ->group(group);
    cmd->add_option(prefix + "thresh", thresh, "report matches with q-value (or E-value with --evalue) at most this")
        ->capture_default_str()
        ->group(group);
    cmd->add_flag(prefix + "evalue", evalue, "the threshold is on the E-value")->group(group);
    cmd->add_flag(prefix + "norc", norc, "do not match reverse complements")->group(group);
    cmd->add_flag(prefix + "incomplete-scores", incomplete_scores,
                  "score only the aligned columns (the paper's method; tomtom's -incomplete-scores)")
        ->group(group);
    cmd->add_option(prefix + "motif-pseudo", motif_pseudo, "pseudocount added to each motif column")
        ->capture_default_str()
        ->group(group);
  }

  TomtomOptions options() const {
    TomtomOptions o;
    o.distance = dist == "ed" ? ColumnScore::euclidean : ColumnScore::pearson;
    o.min_overlap = min_overlap;
    o.complete_scores = !incomplete_scores;
    o.both_strands = !norc;
    o.motif_pseudocount = motif_pseudo;
    o.threshold = thresh;
    o.evalue_threshold = evalue;
    return o;
  }

  // The "#" lines that end the TSV, as tomtom ends its own: who wrote it, the
  // format, and the options as tomtom's command line would give them.
  std::vector<std::string> comments() const {
    char line[256];
    std::snprintf(line, sizeof line, "tomtom -dist %s -min-overlap %lld -motif-pseudo %g%s%s%s -thresh %g",
                  dist.c_str(), static_cast<long long>(min_overlap), motif_pseudo, incomplete_scores ? " -incomplete-scores" : "",
                  norc ? " -norc" : "", evalue ? " -evalue" : "", thresh);
    return {std::string("sster ") + version + ": Tomtom's method (Gupta et al., Genome Biology 8:R24, 2007), computed by sster",
            "The format of this file is tomtom's, described at https://meme-suite.org/meme/doc/tomtom-output-format.html",
            line};
  }
};

}  // namespace sster::cli
