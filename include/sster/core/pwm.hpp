#pragma once
// sster::Pwm: a position weight matrix as motif files hold it — a name, the
// letters of its columns and one probability row per position. The plain
// type the MEME reader and writer (io/) and motif matching (interpret/
// tomtom.hpp) share, so that neither side needs the other's types.
#include <string>
#include <vector>

#include "sster/core/index.hpp"

namespace sster {

struct Pwm {
  std::string id{};        // MOTIF <id> <alt>
  std::string alt{};       // may be empty
  std::string alphabet{};  // the letter of each column, e.g. "ACGT"
  std::vector<double> p{};  // width x |alphabet| probabilities, row-major; each row sums to 1
  double nsites = 20;       // sites the motif was made from (MEME's default when a file gives none)
  std::string url{};        // may be empty

  index_t letters() const { return ssize(alphabet); }
  index_t width() const { return letters() == 0 ? 0 : ssize(p) / letters(); }
  double operator()(index_t row, index_t letter) const { return at(p, row * letters() + letter); }
  double& operator()(index_t row, index_t letter) { return at(p, row * letters() + letter); }
};

}  // namespace sster
