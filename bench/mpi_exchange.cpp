// The gradient exchange of one data-parallel training step on its own
// (dist::DataParallel::sum_in_chunk_order, no training around it), run by
// bench/mpi_run.sh under mpirun:
//   mpi_exchange [PARAMETERS] [CHUNKS] [REPEATS]
// (defaults: 121862, pysster's default network on PUM2; 4 chunks, a batch of
// 128; 500). Every repeat starts after a barrier, so the time is the exchange
// itself, not waiting for a slower rank; the fastest and the median repeat
// are printed (other work on the machine only ever slows a repeat down),
// with the bytes each rank sends per step and one small collective's time.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "sster/dist/communicator.hpp"
#include "sster/dist/data_parallel.hpp"

using namespace sster;
using clock_type = std::chrono::steady_clock;

namespace {

template <class Fn>
std::vector<double> times(dist::Communicator& world, int repeats, Fn&& fn) {
  std::vector<double> t;
  for (int r = 0; r < repeats; ++r) {
    world.barrier();
    const auto start = clock_type::now();
    fn();
    t.push_back(std::chrono::duration<double>(clock_type::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  dist::Session mpi(argc, argv);
  auto& world = dist::Communicator::world();
  const index_t n = argc > 1 ? std::atol(argv[1]) : 121862;
  const index_t chunks = argc > 2 ? std::atol(argv[2]) : 4;
  const int repeats = argc > 3 ? std::atoi(argv[3]) : 500;
  dist::DataParallel<float> sharing(world);
  const ChunkRange mine = sharing.own_chunks(chunks);
  std::vector<std::vector<float>> grads(to_size(mine.end - mine.begin), std::vector<float>(to_size(n), 0.5f));
  std::vector<const float*> own;
  for (const auto& g : grads) own.push_back(g.data());
  std::vector<float> sum(to_size(n));
  std::vector<double> losses(to_size(chunks));
  const auto step = times(world, repeats, [&] { sharing.sum_in_chunk_order(chunks, own, n, sum.data(), losses); });
  const auto flag = times(world, repeats, [&] { world.any(false); });
  if (world.root())
    std::printf("exchange of %lld parameters, %lld chunks on %d ranks: fastest %.3f ms, median %.3f ms; "
                "%.2f MB sent per rank; one small collective %.1f us\n",
                static_cast<long long>(n), static_cast<long long>(chunks), world.size(), 1e3 * step.front(),
                1e3 * step[step.size() / 2],
                1e-6 * static_cast<double>(sharing.traffic().bytes_sent) / repeats, 1e6 * flag.front());
}
