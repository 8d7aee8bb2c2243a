#pragma once
// Runs a test body once under every kernel set this build and CPU support
// (core/cpu.hpp), and under the AVX-512 set's code emulated on AVX2 where
// the CPU has no AVX-512 of its own: the float kernels differ per set, and
// each must match the references and keep its own promises (thread-count
// independence) on every machine the tests run on.
#include <doctest.h>

#include <string>
#include <vector>

#include "sster/core/cpu.hpp"

namespace sster::test {

// Puts back the set in use when it was made, also when a REQUIRE throws:
// the test cases after a failure run on the default set, as they would alone.
struct KernelSetRestorer {
  KernelSet before = kernel_set();
  KernelSetRestorer() = default;
  KernelSetRestorer(const KernelSetRestorer&) = delete;
  KernelSetRestorer& operator=(const KernelSetRestorer&) = delete;
  ~KernelSetRestorer() { use_kernel_set(before); }
};

template <class Body>
void for_each_kernel_set(Body&& body) {
  const KernelSetRestorer restorer;
  std::vector<KernelSet> sets = supported_kernel_sets();
  if (!kernel_set_supported(KernelSet::avx512) && kernel_set_supported(KernelSet::avx512_emulated))
    sets.push_back(KernelSet::avx512_emulated);
  for (KernelSet k : sets) {
    INFO("kernel set " << std::string(kernel_set_name(k)));  // doctest prints a char* as a pointer
    use_kernel_set(k);
    body();
  }
}

}  // namespace sster::test
