#pragma once
// The kernel set sster's hot loops run on, chosen once from the CPU.
//
// One build serves every x86-64 CPU: the vector kernels (nn/kernels/
// vector_kernels.hpp) exist for AVX2+FMA (8 floats, 16 registers) and
// AVX-512 (16 floats, 32 registers) whatever flags the program was compiled
// with, next to a generic set on xsimd at the build's own flags (SSE4.2 at
// -march=x86-64-v2, AVX-512 at -march=native on such a CPU). The first use
// picks the widest set the CPU (and the OS, which must save its registers)
// supports, or the one SSTER_KERNELS names (avx512, avx2, generic or
// avx512-emulated, below): a way to compare sets on one machine, and what
// the tests use to run every set.
// Results may differ between sets in the last bits (different summation
// blocks); within a set they do not depend on the thread count.
#include <unistd.h>
#include <xsimd/xsimd.hpp>

#include <atomic>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sster/core/error.hpp"

// The AVX2 and AVX-512 sets are compiled for their instructions whatever
// -march says: what lies between SSTER_TARGET_BEGIN("avx2,fma") and
// SSTER_TARGET_END is, through GCC's target pragmas or clang's attribute
// pragma (which gives every function declared there, member functions,
// templates and lambdas alike, the target attribute). Other compilers and
// targets get the generic set only. clang tunes the sets for Haswell: at
// -march=x86-64-v2 it tunes for Sandy Bridge, which splits every unaligned
// 32-byte load and store in two (the AVX2 set ran a quarter slower so);
// GCC's generic tuning does not split them.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(SSTER_NO_KERNEL_DISPATCH)
#define SSTER_KERNEL_DISPATCH 1
#define SSTER_PRAGMA(text) _Pragma(#text)
#if defined(__clang__)
#define SSTER_TARGET_BEGIN(features) \
  SSTER_PRAGMA(clang attribute push(__attribute__((target(features ",tune=haswell"))), apply_to = function))
#define SSTER_TARGET_END SSTER_PRAGMA(clang attribute pop)
#else
#define SSTER_TARGET_BEGIN(features) SSTER_PRAGMA(GCC push_options) SSTER_PRAGMA(GCC target(features))
#define SSTER_TARGET_END SSTER_PRAGMA(GCC pop_options)
#endif
#else
#define SSTER_KERNEL_DISPATCH 0
#endif

namespace sster {

// avx512_emulated is the AVX-512 set's code on AVX2 instructions (core/
// simd_ops.hpp, Avx512EmulatedOps): never chosen by itself, and slower than
// either, it lets the tests check the AVX-512 kernels on a CPU without
// AVX-512, and SSTER_KERNELS=avx512-emulated shows what such a CPU computes.
enum class KernelSet { generic, avx2, avx512, avx512_emulated };

inline const char* kernel_set_name(KernelSet k) {
  switch (k) {
    case KernelSet::avx512_emulated: return "avx512-emulated";
    case KernelSet::avx512: return "avx512";
    case KernelSet::avx2: return "avx2";
    case KernelSet::generic: break;
  }
  return "generic";
}

inline std::optional<KernelSet> parse_kernel_set(std::string_view name) {
  for (KernelSet k : {KernelSet::generic, KernelSet::avx2, KernelSet::avx512, KernelSet::avx512_emulated})
    if (name == kernel_set_name(k)) return k;
  return std::nullopt;
}

// Floats per vector in set k.
inline int kernel_set_width(KernelSet k) {
  switch (k) {
    case KernelSet::avx512:
    case KernelSet::avx512_emulated: return 16;
    case KernelSet::avx2: return 8;
    case KernelSet::generic: break;
  }
  return static_cast<int>(xsimd::batch<float>::size);
}

// Whether this build has the set and this CPU can run it.
inline bool kernel_set_supported(KernelSet k) {
  if (k == KernelSet::generic) return true;
#if SSTER_KERNEL_DISPATCH
  __builtin_cpu_init();
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (k == KernelSet::avx2 || k == KernelSet::avx512_emulated) return avx2;
  return avx2 && __builtin_cpu_supports("avx512f");
#else
  return false;
#endif
}

// Every set this build and CPU run natively, widest first: the first is the
// one in use unless SSTER_KERNELS says otherwise.
inline std::vector<KernelSet> supported_kernel_sets() {
  std::vector<KernelSet> sets;
  for (KernelSet k : {KernelSet::avx512, KernelSet::avx2, KernelSet::generic})
    if (kernel_set_supported(k)) sets.push_back(k);
  return sets;
}

namespace detail {
// SSTER_KERNELS when set (an unknown or unsupported name is an error: a
// benchmark must not silently measure another set), else the widest set.
inline KernelSet initial_kernel_set() {
  const char* env = std::getenv("SSTER_KERNELS");
  if (env == nullptr || *env == '\0') return supported_kernel_sets().front();
  const auto k = parse_kernel_set(env);
  require(k.has_value(), std::string("SSTER_KERNELS=") + env + ": expected avx512, avx2, generic or avx512-emulated");
  require(kernel_set_supported(*k), std::string("SSTER_KERNELS=") + env + ": this CPU or build cannot run it");
  return *k;
}
inline std::atomic<KernelSet>& kernel_set_slot() {
  static std::atomic<KernelSet> slot{initial_kernel_set()};
  return slot;
}
}  // namespace detail

// The set in use.
inline KernelSet kernel_set() { return detail::kernel_set_slot().load(std::memory_order_relaxed); }

// Switches sets (tests, benchmarks); not while kernels run on other threads.
inline void use_kernel_set(KernelSet k) {
  require(kernel_set_supported(k), std::string("kernel set ") + kernel_set_name(k) + " is not supported here");
  detail::kernel_set_slot().store(k, std::memory_order_relaxed);
}

// The per-core L2 cache in bytes (512 KB where the system does not say):
// the kernels switch to their cache-blocked paths above it.
inline long l2_cache_bytes() {
  static const long bytes = [] {
    const long b = sysconf(_SC_LEVEL2_CACHE_SIZE);
    return b > 0 ? b : 512L << 10;
  }();
  return bytes;
}

// "avx512 (16 floats; supported: avx512 avx2 generic; generic = xsimd sse4.2)".
inline std::string kernel_set_description() {
  const KernelSet k = kernel_set();
  std::string d = std::string(kernel_set_name(k)) + " (" + std::to_string(kernel_set_width(k)) + " floats; supported:";
  for (KernelSet s : supported_kernel_sets()) d += std::string(" ") + kernel_set_name(s);
  return d + "; generic = xsimd " + xsimd::default_arch::name() + ")";
}

}  // namespace sster
