#pragma once
// The shapes of a convolution and of the pooling fused into its epilogue
// (kernels/conv1d.hpp, kernels/gather_conv1d.hpp).
#include <algorithm>

#include "sster/core/index.hpp"

namespace sster::kernels {

struct ConvShape {
  index_t B, L, C, K, W;
  index_t out_len() const { return L - W + 1; }
};

// The max-pooling (window `size`, step `stride`) and activation fused into a
// convolution's epilogue.
struct FusedPool {
  index_t size = 2, stride = 2;
  bool relu = true;
  index_t out_len(index_t conv_len) const { return (conv_len - size) / stride + 1; }
};

// How many of a sample's `rows` rows of K values (row stride K) can be
// moved as whole padded vectors of Kp: a row's last vector then spills into
// the rows after it, which is harmless as they are handled afterwards, but
// must stay within the buffer: `room` values from the sample's start to its end.
inline index_t spill_rows(index_t rows, index_t K, index_t Kp, index_t room) {
  return room >= Kp ? std::min(rows, (room - Kp) / K + 1) : 0;
}

}  // namespace sster::kernels
