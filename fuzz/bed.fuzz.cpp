// libFuzzer target: BED regions against a fixed genome through read_bed, then a scan.
// Any input must load or throw sster::Error (fuzz/targets.hpp); anything else
// escapes and libFuzzer reports it. Built and run by fuzz/run.sh.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sster/core/parallel.hpp"
#include "targets.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  sster::set_threads(1);  // one input at a time: threads would only add noise
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)sster::fuzz::bed(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
