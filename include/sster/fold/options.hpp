#pragma once
// FoldOptions: what RNAfold's defaults leave open. Everything else is fixed to
// RNAfold's defaults (Turner 2004, 37 degC, dangles d2, lonely pairs allowed,
// interior loops up to 30 bases).
#include <string>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"

namespace sster::fold {

// Sequences longer than this must be folded with a max_span (unless
// FoldOptions::max_length says otherwise): a full fold keeps n x n tables (the
// partition function eight of doubles, some 1.6 GB at 5,000 nt).
inline constexpr index_t max_unspanned_length = 5000;

struct FoldOptions {
  // Largest base-pair span j - i + 1 (RNAfold --maxBPspan, RNAplfold -L);
  // 0: no limit. Time and memory grow as n L^2 and n L instead of n^3, n^2.
  index_t max_span = 0;
  // The longest sequence folded without a max_span.
  index_t max_length = max_unspanned_length;
};

// The width of the folding tables for a sequence of length n; throws for a
// negative span and for a sequence too long to fold without one.
inline index_t band_width(index_t n, const FoldOptions& options, const std::string& where = "sequence") {
  require(options.max_span >= 0, "fold: max_span must be 0 (no limit) or positive, got " +
                                     std::to_string(options.max_span));
  if (options.max_span > 0) return std::min(n, options.max_span);
  require(n <= options.max_length,
          where + ": " + std::to_string(n) + " nt is longer than " + std::to_string(options.max_length) +
              " nt; fold long sequences with a maximum base-pair span (max_span; sster fold --max-span, e.g. 150)");
  return n;
}

}  // namespace sster::fold
