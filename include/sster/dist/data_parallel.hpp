#pragma once
// dist::DataParallel<T>: data-parallel training over the ranks of an MPI job
// (the engine's ChunkSharing, model/chunk_sharing.hpp). Each rank computes a
// contiguous share of every batch's chunks; every rank then holds the sum of
// all chunk gradients formed in chunk order, as one process forms it, and
// applies the same Adam step: 1, 2, 3 or N ranks give bit-identical weights.
//
// The sum without MPI_Allreduce (whose order is unspecified): the parameters
// are cut into one block per rank, and every chunk gradient's slice of
// block r goes to rank r (MPI_Alltoallv). Rank r then holds every chunk's
// slice of its block in chunk order and adds them up as one process does,
// (((g0 + g1) + g2) + ...); MPI_Allgatherv hands every rank every block's sum.
// Per step a rank sends its chunks' gradients less its own block, and
// receives the other chunks' slices of its block plus the other blocks' sums:
// for C chunks of P parameters on N ranks, about (C/N + 1) P (N - 1)/N values
// each way, against 2 P (N - 1)/N for a ring MPI_Allreduce. The parameters go
// in pieces (2^22 values unless asked otherwise), which bounds the buffers.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

#include "sster/core/index.hpp"
#include "sster/core/parallel.hpp"
#include "sster/core/simd.hpp"
#include "sster/dist/communicator.hpp"
#include "sster/model/chunk_sharing.hpp"

namespace sster::dist {

// What the exchanges of a training run cost one rank.
struct Traffic {
  std::int64_t steps = 0;            // sum_in_chunk_order calls
  std::int64_t values_sent = 0;      // gradient values, this rank's own block included
  double waiting_seconds = 0;        // for the slowest rank to finish its chunks
  double exchanging_seconds = 0;     // moving and adding gradients, sharing losses
};

template <class T>
class DataParallel final : public ChunkSharing<T> {
 public:
  static constexpr index_t default_piece = index_t{1} << 22;

  explicit DataParallel(Communicator& comm = Communicator::world(), index_t piece = default_piece)
      : comm_(comm), piece_(piece) {}

  ChunkRange own_chunks(index_t chunks) const override { return rank_chunks(chunks, comm_.rank()); }

  void sum_in_chunk_order(index_t chunks, std::span<const T* const> own, index_t n, T* sum) override {
    const auto start = clock::now();
    comm_.barrier();  // so that the figures tell waiting from exchanging
    const auto arrived = clock::now();
    const int ranks = comm_.size();
    std::vector<std::int64_t> send_counts(to_size(ranks)), receive_counts(to_size(ranks)), block_sizes(to_size(ranks));
    for (index_t first = 0; first < n; first += piece_) {
      const index_t m = std::min(piece_, n - first);
      send_.resize(own.size() * to_size(m));
      T* out = send_.data();
      for (int r = 0; r < ranks; ++r) {
        const ChunkRange block = chunk_range(m, ranks, r);
        for (const T* g : own) out = std::copy(g + first + block.begin, g + first + block.end, out);
        at(send_counts, r) = std::ssize(own) * (block.end - block.begin);
        at(block_sizes, r) = block.end - block.begin;
        const ChunkRange theirs = rank_chunks(chunks, r);
        at(receive_counts, r) = (theirs.end - theirs.begin) * (own_block(m).end - own_block(m).begin);
      }
      const index_t len = own_block(m).end - own_block(m).begin;
      receive_.resize(to_size(chunks * len));
      comm_.all_to_all(send_.data(), send_counts, receive_.data(), receive_counts);
      block_sum_.assign(receive_.begin(), receive_.begin() + len);
      for (index_t c = 1; c < chunks; ++c) simd::add(len, receive_.data() + c * len, block_sum_.data());
      comm_.all_gather_into(std::span<const T>(block_sum_), block_sizes, sum + first);
      traffic_.values_sent += std::ssize(send_) + len * (ranks - 1);
    }
    ++traffic_.steps;
    traffic_.waiting_seconds += seconds(start, arrived);
    traffic_.exchanging_seconds += seconds(arrived, clock::now());
  }

  void share_losses(index_t chunks, std::span<double> losses) override {
    const auto start = clock::now();
    const ChunkRange mine = own_chunks(chunks);
    const std::vector<double> own(losses.begin() + mine.begin, losses.begin() + mine.end);
    std::vector<std::int64_t> counts;
    for (int r = 0; r < comm_.size(); ++r) {
      const ChunkRange theirs = rank_chunks(chunks, r);
      counts.push_back(theirs.end - theirs.begin);
    }
    comm_.all_gather_into(std::span<const double>(own), counts, losses.data());
    traffic_.exchanging_seconds += seconds(start, clock::now());
  }

  const Traffic& traffic() const { return traffic_; }

 private:
  using clock = std::chrono::steady_clock;
  static double seconds(clock::time_point a, clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

  ChunkRange rank_chunks(index_t chunks, int r) const { return chunk_range(chunks, comm_.size(), r); }
  ChunkRange own_block(index_t m) const { return chunk_range(m, comm_.size(), comm_.rank()); }

  Communicator& comm_;
  index_t piece_;
  std::vector<T> send_, receive_, block_sum_;
  Traffic traffic_;
};

}  // namespace sster::dist
