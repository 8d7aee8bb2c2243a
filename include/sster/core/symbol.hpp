#pragma once
// Sequences are stored as one uint8_t symbol index per position (a combined
// sequence x structure letter is one symbol). Index 255 is reserved.
#include <cstdint>

namespace sster {

// A position with no channel hot: padding of shorter sequences, or an input
// position removed by dropout. At most 255 real symbols (0..254).
inline constexpr std::uint8_t no_symbol = 255;
inline constexpr int max_symbols = 255;

}  // namespace sster
