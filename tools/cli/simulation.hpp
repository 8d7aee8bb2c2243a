#pragma once
// The planted-motif data set (data/simulate.hpp) written as
// positives.fasta.gz and negatives.fasta.gz: what `sster simulate` writes and
// the demo trains on.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

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

}  // namespace sster::cli
