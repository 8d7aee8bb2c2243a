#pragma once
// sster simulate: write the planted-motif data set (data/simulate.hpp) as
// positives.fasta.gz and negatives.fasta.gz.
#include <filesystem>
#include <iostream>

#include "cli/common.hpp"
#include "sster/data/binary_io.hpp"
#include "sster/data/simulate.hpp"

namespace sster::cli {

inline std::string fasta_text(const std::vector<std::string>& seqs, const std::string& prefix) {
  std::string out;
  for (std::size_t i = 0; i < seqs.size(); ++i) out += ">" + prefix + "_" + std::to_string(i + 1) + "\n" + seqs[i] + "\n";
  return out;
}

// Writes the two files into `dir`; returns their paths (positives, negatives).
inline std::pair<std::string, std::string> write_simulation(const SimulationOptions& o, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const auto set = simulate_planted(o);
  const auto pos = (dir / "positives.fasta.gz").string(), neg = (dir / "negatives.fasta.gz").string();
  write_text_file(pos, fasta_text(set.positives, "pos"));
  write_text_file(neg, fasta_text(set.negatives, "neg"));
  return {pos, neg};
}

inline void add_simulate(CLI::App& app) {
  auto o = std::make_shared<SimulationOptions>();
  auto dir = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("simulate", "write a planted-motif data set (positives carry known motifs)");
  cmd->add_option("-o,--output", *dir, "folder for positives.fasta.gz and negatives.fasta.gz")->required();
  cmd->add_option("-n,--sequences", o->sequences_per_class, "sequences per class")->capture_default_str();
  cmd->add_option("--length", o->length, "sequence length")->capture_default_str();
  cmd->add_option("--mutation-rate", o->mutation_rate, "chance that a motif letter is replaced")->capture_default_str();
  cmd->add_option("--seed", o->seed, "random seed")->capture_default_str();
  cmd->callback([o, dir] {
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
