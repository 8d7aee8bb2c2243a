// The kernels' entry points, compiled once for a program whose translation
// units define SSTER_COMPILED_KERNELS (kernels/vector_kernels.hpp says why).
// Compile this file into the program, with the same flags and macro as the
// rest of it: it defines every instance the other units declare extern.
#include "sster/nn/kernels/small_gemm.hpp"
#include "sster/nn/kernels/vector_kernels.hpp"

namespace sster::kernels {
SSTER_VECTOR_KERNEL_INSTANCES()
SSTER_SMALL_GEMM_INSTANCES()
}  // namespace sster::kernels
