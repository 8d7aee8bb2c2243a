#pragma once
// Kernel motifs as a MEME file for tomtom and friends: pysster's save_as_meme
// format (io/meme.hpp), the motifs in descending score order and named
// kernel_<i> after their kernel instead of motif_<n>, so a tomtom hit points
// straight at motif_kernel_<i>.png.
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/interpret/visualize_kernel.hpp"
#include "sster/io/meme.hpp"
#include "sster/core/atomic_file.hpp"

namespace sster {

// structure = true: the structure motifs (sequence+structure alphabets only).
inline std::string kernel_meme_string(std::span<const KernelResult> results, bool structure = false) {
  require(!results.empty(), "kernel MEME file: no kernels");
  const auto order = order_by_score(results);
  std::vector<Motif> motifs;
  std::vector<index_t> kernels;
  for (index_t k : order)
    for (const auto& r : results)
      if (r.kernel == k) {
        require(!structure || r.motif.structure.has_value(),
                "kernel MEME file: kernel " + std::to_string(k) + " has no structure motif");
        motifs.push_back(structure ? *r.motif.structure : r.motif.sequence);
        kernels.push_back(k);
      }
  std::string text = meme_string(motifs);
  // meme_string numbers the motifs 0, 1, ... in order; name them by kernel.
  std::string out;
  std::size_t from = 0;
  for (std::size_t i = 0; i < kernels.size(); ++i) {
    const std::string old = "\nMOTIF motif_" + std::to_string(i) + " motif_" + std::to_string(i) + "\n";
    const std::size_t at = text.find(old, from);
    require(at != std::string::npos, "kernel MEME file: unexpected MEME text from meme_string");
    const std::string name = "kernel_" + std::to_string(kernels[i]);
    out.append(text, from, at - from);
    out += "\nMOTIF " + name + " " + name + "\n";
    from = at + old.size();
  }
  out.append(text, from, std::string::npos);
  return out;
}

inline void save_kernel_meme(std::span<const KernelResult> results, const std::filesystem::path& path,
                             bool structure = false) {
  write_file_atomic(path, kernel_meme_string(results, structure));
}

}  // namespace sster
