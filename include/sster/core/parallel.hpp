#pragma once
// Thread control on oneTBB. sster never reduces floating-point values across
// threads in scheduling order: work is cut into chunks whose boundaries do not
// depend on the thread count, each chunk writes its own output, and results
// are combined in chunk order. So 1 thread and N threads give identical bits.
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "sster/core/error.hpp"
#include "sster/core/tensor.hpp"

namespace sster {

namespace detail {
struct ThreadState {
  std::unique_ptr<tbb::global_control> control;
  int count = 0;
};
inline ThreadState& thread_state() {
  static ThreadState state;
  return state;
}
inline int default_threads() {
  if (const char* env = std::getenv("SSTER_THREADS"); env && *env) {
    char* end = nullptr;
    const long n = std::strtol(env, &end, 10);
    require(*end == '\0' && n >= 1 && n <= 4096,
            std::string("SSTER_THREADS='") + env + "': expected a whole number of threads from 1 to 4096");
    return static_cast<int>(n);
  }
  return tbb::info::default_concurrency();
}
}  // namespace detail

// Limits sster (and everything else using oneTBB in this process) to n threads.
inline void set_threads(int n) {
  require(n >= 1, "threads: expected at least 1, got " + std::to_string(n));
  auto& s = detail::thread_state();
  s.control = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                    to_size(n));
  s.count = n;
}

// The thread count in force: set_threads(n), else $SSTER_THREADS, else all cores.
inline int threads() {
  auto& s = detail::thread_state();
  if (s.count == 0) set_threads(detail::default_threads());
  return s.count;
}

// Runs fn(i) for every i in [0, n), each index a task of its own, in parallel.
template <class Fn>
void parallel_for_each_index(index_t n, Fn&& fn) {
  threads();  // applies $SSTER_THREADS on first use
  if (n == 1) {
    fn(index_t{0});
    return;
  }
  tbb::parallel_for(tbb::blocked_range<index_t>(0, n, 1), [&](const tbb::blocked_range<index_t>& r) {
    for (index_t i = r.begin(); i != r.end(); ++i) fn(i);
  });
}

// Range [begin, end) of chunk `i` when n items are cut into `chunks` near-equal parts.
struct ChunkRange {
  index_t begin, end;
};
inline ChunkRange chunk_range(index_t n, index_t chunks, index_t i) {
  const index_t base = n / chunks, extra = n % chunks;
  const index_t begin = i * base + std::min(i, extra);
  return {begin, begin + base + (i < extra ? 1 : 0)};
}

}  // namespace sster
