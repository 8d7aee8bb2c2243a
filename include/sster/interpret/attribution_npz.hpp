#pragma once
// Attributions as TF-MoDISco reads them: PREFIX_ohe.npz, the one-hot
// sequences, and PREFIX_attr.npz, the hypothetical contributions
// (interpret/attributions.hpp), each one float32 array arr_0 of shape
// (N, alphabet size, L), records in input order:
//   modisco motifs -s PREFIX_ohe.npz -a PREFIX_attr.npz -n 2000 -o modisco.h5
// (TF-MoDISco multiplies the two itself for the actual contributions.)
// AttributionNpz streams: add() blocks of records as they are attributed,
// commit() when all N are in; neither file appears before that
// (io/npz.hpp writes through AtomicFile).
#include <algorithm>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/interpret/attributions.hpp"
#include "sster/io/npz.hpp"

namespace sster {

class AttributionNpz {
 public:
  AttributionNpz(const std::string& prefix, index_t n, index_t letters, index_t length)
      : ohe_(prefix + "_ohe.npz"), attr_(prefix + "_attr.npz"), A_(letters), L_(length), remaining_(n) {
    ohe_.begin_array("arr_0", {n, letters, length});
    attr_.begin_array("arr_0", {n, letters, length});
  }

  // The next a.n records.
  void add(const Attributions& a) {
    require(a.letters == A_ && a.length == L_ && a.n <= remaining_,
            "attribution npz: a block of " + std::to_string(a.n) + " records does not fit the arrays begun");
    remaining_ -= a.n;
    std::vector<float> ohe(to_size(A_ * L_)), attr(to_size(A_ * L_));
    for (index_t i = 0; i < a.n; ++i) {
      std::fill(ohe.begin(), ohe.end(), 0.0f);
      for (index_t t = 0; t < L_; ++t) {
        at(ohe, at(a.symbols, i * L_ + t) * L_ + t) = 1.0f;
        for (index_t c = 0; c < A_; ++c) at(attr, c * L_ + t) = at(a.hypothetical, (i * L_ + t) * A_ + c);
      }
      ohe_.write(ohe);
      attr_.write(attr);
    }
  }

  void commit() {
    require(remaining_ == 0, "attribution npz: " + std::to_string(remaining_) + " records were never added");
    ohe_.end_array();
    attr_.end_array();
    ohe_.commit();
    attr_.commit();
  }

 private:
  NpzWriter ohe_, attr_;
  index_t A_, L_, remaining_;
};

// All of `a` at once.
inline void save_attribution_npz(const std::string& prefix, const Attributions& a) {
  AttributionNpz out(prefix, a.n, a.letters, a.length);
  out.add(a);
  out.commit();
}

}  // namespace sster
