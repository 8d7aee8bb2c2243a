#pragma once
// sster simulate: write the planted-motif data set (data/simulate.hpp) as
// positives.fasta.gz and negatives.fasta.gz.
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/common.hpp"
#include "sster/data/simulate.hpp"
#include "sster/data/text_file.hpp"

namespace sster::cli {

inline std::string fasta_text(const std::vector<std::string>& seqs, const std::string& prefix) {
  std::string out;
  for (std::size_t i = 0; i < seqs.size(); ++i) out += ">" + prefix + "_" + std::to_string(i + 1) + "\n" + seqs[i] + "\n";
  return out;
}

// Writes the two files into `dir`; returns their paths (positives, negatives).
inline std::pair<std::string, std::string> write_simulation(const SimulationOptions& o, const std::filesystem::path& dir) {
  create_folders(dir);
  const auto set = simulate_planted(o);
  const auto pos = (dir / "positives.fasta.gz").string(), neg = (dir / "negatives.fasta.gz").string();
  write_text_file(pos, fasta_text(set.positives, "pos"));
  write_text_file(neg, fasta_text(set.negatives, "neg"));
  return {pos, neg};
}

// "CACGTG@10,TGACTCA@40": the motifs of one group, each at its 0-based start.
inline std::vector<PlantedMotif> parse_motif_group(const std::string& text) {
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

inline void add_simulate(CLI::App& app) {
  auto o = std::make_shared<SimulationOptions>();
  auto dir = std::make_shared<std::string>();
  auto motifs = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand("simulate", "write a planted-motif data set (positives carry known motifs)");
  cmd->add_option("-o,--output", *dir, "folder for positives.fasta.gz and negatives.fasta.gz")->required();
  cmd->add_option("-n,--sequences", o->sequences_per_class, "sequences per class")->capture_default_str();
  cmd->add_option("--length", o->length, "sequence length")->capture_default_str();
  cmd->add_option("--mutation-rate", o->mutation_rate, "chance that a motif letter is replaced")->capture_default_str();
  cmd->add_option("--seed", o->seed, "random seed")->capture_default_str();
  cmd->add_option("--motif", *motifs,
                  "motifs of one group of positives as MOTIF@POS[,MOTIF@POS...]; repeat for more groups "
                  "(default: pysster's tutorial, CCCCCCCCCC@20,GGGGGGGGGG@50 and AAAAAAAAAA@80,TTTTTTTTTT@110)");
  cmd->callback([o, dir, motifs] {
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
