#pragma once
// Runs a test body once under every kernel set this build and CPU support
// (core/cpu.hpp): the float kernels differ per set, and each must match the
// references and keep its own promises (thread-count independence).
#include <doctest.h>

#include <string>

#include "sster/core/cpu.hpp"

namespace sster::test {

template <class Body>
void for_each_kernel_set(Body&& body) {
  const KernelSet before = kernel_set();
  for (KernelSet k : supported_kernel_sets()) {
    INFO("kernel set " << std::string(kernel_set_name(k)));  // doctest prints a char* as a pointer
    use_kernel_set(k);
    body();
  }
  use_kernel_set(before);
}

}  // namespace sster::test
