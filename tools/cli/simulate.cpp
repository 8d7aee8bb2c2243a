// sster simulate: write the planted-motif data set (data/simulate.hpp) as
// positives.fasta.gz and negatives.fasta.gz; with --structure the
// planted-structure set (fold/simulate.hpp) instead.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/dir_option.hpp"
#include "cli/simulation.hpp"
#include "cli/subcommands.hpp"
#include "sster/fold/simulate.hpp"

namespace sster::cli {

namespace {

// "CACGTG@10,TGACTCA@40": the motifs of one group, each at its 0-based start.
std::vector<PlantedMotif> parse_motif_group(const std::string& text) {
  std::vector<PlantedMotif> group;
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const auto at = item.find('@');
    require(at != std::string::npos && at > 0, "--motif '" + item + "': expected MOTIF@POSITION, e.g. CACGTG@10");
    try {
      group.push_back({item.substr(0, at), std::stol(item.substr(at + 1))});
    } catch (const std::exception&) {
      throw Error("--motif '" + item + "': the position after @ is not a number");
    }
  }
  return group;
}

// --structure: the loop motif in a hairpin (positives) or unpaired (negatives),
// checked by folding (fold/simulate.hpp). `motifs`: at most one MOTIF[@POS].
void run_structure_simulation(const SimulationOptions& planted, const std::vector<std::string>& motifs,
                              bool length_given, const std::string& dir) {
  fold::StructureSimulationOptions o;
  o.sequences_per_class = planted.sequences_per_class;
  o.mutation_rate = planted.mutation_rate;
  o.seed = planted.seed;
  if (length_given) o.length = planted.length;
  require(motifs.size() <= 1, "simulate --structure plants one loop motif; give --motif once, as MOTIF or MOTIF@POS");
  if (!motifs.empty() && motifs.front().find('@') == std::string::npos) {
    o.motif = motifs.front();  // in the middle
  } else if (!motifs.empty()) {
    const auto group = parse_motif_group(motifs.front());
    require(group.size() == 1 && group.front().position >= 0,
            "simulate --structure: --motif '" + motifs.front() + "': expected one MOTIF or MOTIF@POS (POS >= 0)");
    o.motif = group.front().motif;
    o.motif_position = group.front().position;
  }
  const auto set = fold::simulate_structure(o);
  create_folders(dir);
  const auto pos = (std::filesystem::path(dir) / "positives.fasta.gz").string();
  const auto neg = (std::filesystem::path(dir) / "negatives.fasta.gz").string();
  write_text_file(pos, fasta_text(set.positives, "pos"));
  write_text_file(neg, fasta_text(set.negatives, "neg"));
  const index_t at_ = o.motif_position >= 0 ? o.motif_position : (o.length - std::ssize(o.motif)) / 2;
  std::cout << "wrote " << pos << " and " << neg << "; both carry " << o.motif << "@" << at_
            << ", the positives in a hairpin loop (stem " << o.stem_min << "-" << o.stem_max
            << " bp), the negatives unpaired outside hairpins; checked by folding (" << set.rejected
            << " folds redrawn)\n";
}

}  // namespace

void add_simulate(CLI::App& app) {
  auto o = std::make_shared<SimulationOptions>();
  auto dir = std::make_shared<std::string>();
  auto motifs = std::make_shared<std::vector<std::string>>();
  auto structure = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("simulate", "write a planted-motif data set (positives carry known motifs)");
  add_dir_option(cmd, *dir, "folder for positives.fasta.gz and negatives.fasta.gz", "-o,--output", true);
  cmd->add_option("-n,--sequences", o->sequences_per_class, "sequences per class")->capture_default_str();
  cmd->add_option("--length", o->length, "sequence length")->capture_default_str();
  cmd->add_option("--mutation-rate", o->mutation_rate, "chance that a motif letter is replaced")->capture_default_str();
  cmd->add_option("--seed", o->seed, "random seed")->capture_default_str();
  cmd->add_option("--motif", *motifs,
                  "motifs of one group of positives as MOTIF@POS[,MOTIF@POS...]; repeat for more groups "
                  "(default: pysster's tutorial, CCCCCCCCCC@20,GGGGGGGGGG@50 and AAAAAAAAAA@80,TTTTTTTTTT@110)");
  cmd->add_flag("--structure", *structure,
                "RNA whose classes differ in structure only: both carry one loop motif (--motif MOTIF[@POS], default "
                "CACACCAA in the middle), the positives in a hairpin loop closed by a 6-8 bp stem, the negatives "
                "unpaired outside any hairpin; every record is folded to check it (length default 100)");
  cmd->callback([o, dir, motifs, structure, cmd] {
    if (*structure) return run_structure_simulation(*o, *motifs, cmd->count("--length") > 0, *dir);
    if (!motifs->empty()) {
      o->groups.clear();
      for (const auto& m : *motifs) o->groups.push_back(parse_motif_group(m));
    }
    const auto [pos, neg] = write_simulation(*o, *dir);
    std::cout << "wrote " << pos << " and " << neg << "; positives carry:";
    for (std::size_t g = 0; g < o->groups.size(); ++g) {
      std::cout << (g ? " or" : "");
      for (const auto& m : o->groups[g]) std::cout << " " << m.motif << "@" << m.position;
    }
    std::cout << "\n";
  });
}

}  // namespace sster::cli
