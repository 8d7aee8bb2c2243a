// sster's network runtime compiled once, for a program of many translation
// units. sster is header-only: every unit that trains or runs a network
// compiles the kernel sets, the layers, Network<float> and Engine<float> for
// itself, a fifth to a half of its compile time. A program can instead define
// SSTER_COMPILED_RUNTIME in every unit and compile this file into the program
// with the same flags: the units then see these instances as explicit
// instantiation declarations and only call them, and this file defines them:
//   the kernels' entry points      nn/kernels/vector_kernels.hpp, small_gemm.hpp
//   Network<float>                 model/network.hpp, with the passes of the
//                                  layers it runs
//   Engine<float>                  model/engine.hpp
//   build_network<float>           model/architecture.hpp
// This works because the members behind these names are not inline: the
// classes declare them and define them after the class. GCC compiles an
// extern template again wherever it is inline, since it wants the body for
// inlining. Everything else (Model, interpretation, input and output) stays
// in each unit, as do double networks (the gradient checks).
// sster's meson build compiles its tool, tests, examples, benchmarks and
// Python module this way (meson.build says what it saves).
#include "sster/model/architecture.hpp"
#include "sster/model/engine.hpp"
#include "sster/model/network.hpp"
#include "sster/nn/kernels/small_gemm.hpp"
#include "sster/nn/kernels/vector_kernels.hpp"

namespace sster {
namespace kernels {
SSTER_VECTOR_KERNEL_INSTANCES()
SSTER_SMALL_GEMM_INSTANCES()
}  // namespace kernels

template class Network<float>;
template class Engine<float>;
template Network<float> build_network<float>(const Params&, const InputSpec&, index_t);
}  // namespace sster
