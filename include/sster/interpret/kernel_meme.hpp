#pragma once
// Motifs as MEME files for tomtom and friends, in pysster's save_as_meme
// format (io/meme.hpp):
//   meme_string / save_as_meme (Motifs)   pysster's utils.save_as_meme: the
//                                         motifs named motif_<i> in order
//   kernel_meme_string / save_kernel_meme kernel motifs, best score first,
//                                         named kernel_<i> after their kernel,
//                                         so a tomtom hit points straight at
//                                         motif_kernel_<i>.png
//   save_kernel_memes                     both into a folder, as `sster
//                                         motifs` and the Python package's
//                                         visualize_all_kernels write them
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "sster/core/atomic_file.hpp"
#include "sster/core/error.hpp"
#include "sster/core/pwm.hpp"
#include "sster/interpret/motif.hpp"
#include "sster/interpret/visualize_kernel.hpp"
#include "sster/io/meme.hpp"

namespace sster {

inline std::string meme_string(std::span<const Motif> motifs) {
  std::vector<Pwm> pwms;
  for (std::size_t i = 0; i < motifs.size(); ++i) {
    const std::string name = "motif_" + std::to_string(i);
    pwms.push_back(motifs[i].to_pwm(name, name));
  }
  return meme_string(pwms);
}
inline std::string meme_string(const std::vector<Motif>& motifs) { return meme_string(std::span<const Motif>(motifs)); }

inline void save_as_meme(std::span<const Motif> motifs, const std::filesystem::path& path) {
  write_file_atomic(path, meme_string(motifs));
}
inline void save_as_meme(const std::vector<Motif>& motifs, const std::filesystem::path& path) {
  save_as_meme(std::span<const Motif>(motifs), path);
}

// The kernels' motifs as Pwms named kernel_<i>, best score first.
// structure = true: the structure motifs (sequence+structure alphabets only).
inline std::vector<Pwm> kernel_pwms(std::span<const KernelResult> results, bool structure = false) {
  require(!results.empty(), "kernel MEME file: no kernels");
  std::vector<Pwm> pwms;
  for (index_t k : order_by_score(results))
    for (const auto& r : results)
      if (r.kernel == k) {
        require(!structure || r.motif.structure.has_value(),
                "kernel MEME file: kernel " + std::to_string(k) + " has no structure motif");
        const std::string name = "kernel_" + std::to_string(k);
        pwms.push_back((structure ? *r.motif.structure : r.motif.sequence).to_pwm(name, name));
      }
  return pwms;
}

inline std::string kernel_meme_string(std::span<const KernelResult> results, bool structure = false) {
  return meme_string(kernel_pwms(results, structure));
}

inline void save_kernel_meme(std::span<const KernelResult> results, const std::filesystem::path& path,
                             bool structure = false) {
  write_file_atomic(path, kernel_meme_string(results, structure));
}

// motifs.meme in `folder`, and motifs_structure.meme when the kernels have
// structure motifs (sequence+structure alphabets).
inline void save_kernel_memes(std::span<const KernelResult> results, const std::filesystem::path& folder) {
  save_kernel_meme(results, folder / "motifs.meme");
  if (!results.empty() && results.front().motif.structure) save_kernel_meme(results, folder / "motifs_structure.meme", true);
}

}  // namespace sster
