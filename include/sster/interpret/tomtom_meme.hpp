#pragma once
// Tomtom on MEME files, as `tomtom query.meme target.meme...` runs it: the
// query file's motifs against the motifs of every target file (one
// database), the pseudocount spread by the query file's background and, for
// custom alphabets, the query file's complement pairs.
#include <filesystem>
#include <span>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/pwm.hpp"
#include "sster/interpret/tomtom.hpp"
#include "sster/io/meme_reader.hpp"

namespace sster {

inline std::vector<TomtomMatch> tomtom_files(const std::filesystem::path& query,
                                             std::span<const std::filesystem::path> targets,
                                             TomtomOptions options = {}) {
  const MemeFile q = read_meme(query);
  require(!q.motifs.empty(), query.string() + ": no motifs; expected at least one query motif");
  require(!targets.empty(), "tomtom: no target files");
  std::vector<Pwm> target_motifs;
  for (const auto& path : targets) {
    MemeFile t = read_meme(path);
    require(detail::dna_letters(t.alphabet) == detail::dna_letters(q.alphabet) || t.motifs.empty(),
            path.string() + ": motifs over '" + t.alphabet + "'; the query motifs in " + query.string() + " are over '" +
                q.alphabet + "'");
    target_motifs.insert(target_motifs.end(), std::make_move_iterator(t.motifs.begin()),
                         std::make_move_iterator(t.motifs.end()));
  }
  require(!target_motifs.empty(), "tomtom: the target files hold no motifs");
  if (options.background.empty()) options.background = q.background;
  if (options.complement.empty()) options.complement = q.complement;
  return tomtom(q.motifs, target_motifs, options);
}
inline std::vector<TomtomMatch> tomtom_files(const std::filesystem::path& query,
                                             const std::vector<std::filesystem::path>& targets,
                                             const TomtomOptions& options = {}) {
  return tomtom_files(query, std::span<const std::filesystem::path>(targets), options);
}

}  // namespace sster
