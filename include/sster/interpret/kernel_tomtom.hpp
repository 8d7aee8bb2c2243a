#pragma once
// Kernel motifs named by their best Tomtom match in a motif database (JASPAR,
// HOCOMOCO, ... in MEME format): what `sster motifs --tomtom` reports. Each
// kernel's sequence motif is a query named kernel_<i>, as in sster's kernel
// MEME files, so these rows are the ones tomtom gives for that file.
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/pwm.hpp"
#include "sster/interpret/tomtom.hpp"
#include "sster/interpret/visualize_kernel.hpp"
#include "sster/io/meme_reader.hpp"

namespace sster {

struct KernelMatch {
  index_t kernel = 0;
  std::optional<TomtomMatch> best{};  // the match with the smallest p-value that passes the threshold
  std::vector<TomtomMatch> matches{};  // every match that passes it, best first (tomtom's rows of this query)
};

// One entry per kernel, in the order of `results`.
inline std::vector<KernelMatch> annotate_kernels(std::span<const KernelResult> results, std::span<const Pwm> targets,
                                                 const TomtomOptions& options = {}) {
  require(!results.empty(), "kernel annotation: no kernels");
  std::vector<Pwm> queries;
  std::vector<KernelMatch> out;
  for (const auto& r : results) {
    queries.push_back(r.motif.sequence.to_pwm("kernel_" + std::to_string(r.kernel)));
    out.push_back({r.kernel});
  }
  for (auto& row : tomtom(queries, targets, options)) {  // each query's rows come best first
    auto& m = at(out, row.query);
    if (!m.best) m.best = row;
    m.matches.push_back(std::move(row));
  }
  return out;
}

inline std::vector<KernelMatch> annotate_kernels(std::span<const KernelResult> results,
                                                 const std::filesystem::path& database,
                                                 const TomtomOptions& options = {}) {
  const MemeFile db = read_meme(database);
  require(!db.motifs.empty(), database.string() + ": no motifs; expected a motif database");
  require(!results.empty() && detail::dna_letters(db.alphabet) ==
                                  detail::dna_letters(results[0].motif.sequence.alphabet()),
          database.string() + ": motifs over '" + db.alphabet + "'; the kernels' motifs are over '" +
              (results.empty() ? std::string() : results[0].motif.sequence.alphabet()) + "'");
  return annotate_kernels(results, db.motifs, options);
}

}  // namespace sster
