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
// in pieces (2^22 values unless asked otherwise, fewer for many chunks),
// which bounds the buffers; a step costs two collectives, the losses riding
// along with the sums.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <span>
#include <vector>

#include "sster/core/aligned.hpp"
#include "sster/core/index.hpp"
#include "sster/core/parallel.hpp"
#include "sster/core/simd.hpp"
#include "sster/dist/communicator.hpp"
#include "sster/model/chunk_sharing.hpp"

namespace sster::dist {

// What the exchanges of a training run cost one rank.
struct Traffic {
  std::int64_t steps = 0;         // training steps
  std::int64_t bytes_sent = 0;    // gradients and losses, this rank's own block included
  double seconds = 0;             // in the exchanges, waiting for the slowest rank included
};

template <class T>
class DataParallel final : public ChunkSharing<T> {
 public:
  static constexpr index_t default_piece = index_t{1} << 22;
  static constexpr index_t max_buffer = index_t{1} << 26;  // values in the receive buffer, however many chunks

  explicit DataParallel(Communicator& comm = Communicator::world(), index_t piece = default_piece)
      : comm_(comm), piece_(piece) {}

  ChunkRange own_chunks(index_t chunks) const override { return rank_chunks(chunks, comm_.rank()); }

  void sum_in_chunk_order(index_t chunks, std::span<const T* const> own, index_t n, T* sum,
                          std::span<double> losses) override {
    const auto start = clock::now();
    const index_t piece = std::max<index_t>(comm_.size(), std::min(piece_, max_buffer / chunks));
    for (index_t first = 0; first < n; first += piece) {
      const index_t m = std::min(piece, n - first);
      // the losses ride along with the last piece: two collectives per step
      exchange(chunks, own, first, m, sum, first + m == n ? losses : std::span<double>());
    }
    ++traffic_.steps;
    traffic_.seconds += seconds_since(start);
  }

  void share_losses(index_t chunks, std::span<double> losses) override {
    const auto start = clock::now();
    const ChunkRange mine = own_chunks(chunks);
    const std::vector<double> own(losses.begin() + mine.begin, losses.begin() + mine.end);
    std::vector<std::int64_t> counts;
    for (int r = 0; r < comm_.size(); ++r) counts.push_back(size(rank_chunks(chunks, r)));
    comm_.all_gather_into(std::span<const double>(own), counts, losses.data());
    traffic_.seconds += seconds_since(start);
  }

  const Traffic& traffic() const { return traffic_; }

 private:
  using clock = std::chrono::steady_clock;
  static double seconds_since(clock::time_point t) { return std::chrono::duration<double>(clock::now() - t).count(); }
  static index_t size(ChunkRange r) { return r.end - r.begin; }

  ChunkRange rank_chunks(index_t chunks, int r) const { return chunk_range(chunks, comm_.size(), r); }

  // Parameters [first, first + m): every chunk's slice of block r to rank r,
  // each rank's block summed in chunk order, the sums (and, when `losses`
  // is given, every rank's chunk losses) to every rank.
  void exchange(index_t chunks, std::span<const T* const> own, index_t first, index_t m, T* sum,
                std::span<double> losses) {
    const int ranks = comm_.size();
    const ChunkRange block = chunk_range(m, ranks, comm_.rank());
    std::vector<std::int64_t> send_counts, receive_counts, gather_bytes;
    send_.resize(own.size() * to_size(m));
    T* out = send_.data();
    for (int r = 0; r < ranks; ++r) {
      const ChunkRange theirs = chunk_range(m, ranks, r);
      for (const T* g : own) out = std::copy(g + first + theirs.begin, g + first + theirs.end, out);
      send_counts.push_back(std::ssize(own) * size(theirs));
      receive_counts.push_back(size(rank_chunks(chunks, r)) * size(block));
      gather_bytes.push_back(bytes_of<T>(size(theirs)) + (losses.empty() ? 0 : bytes_of<double>(size(rank_chunks(chunks, r)))));
    }
    receive_.resize(to_size(chunks * size(block)));
    comm_.all_to_all(send_.data(), send_counts, receive_.data(), receive_counts);
    // This rank's part of the gather: its block's sum, then its chunks' losses.
    part_.resize(to_size(at(gather_bytes, comm_.rank())));
    T* block_sum = reinterpret_cast<T*>(part_.data());  // part_ is aligned for any value
    std::copy_n(receive_.data(), size(block), block_sum);
    for (index_t c = 1; c < chunks; ++c) simd::add(size(block), receive_.data() + c * size(block), block_sum);
    const ChunkRange mine = own_chunks(chunks);
    if (!losses.empty())
      std::memcpy(part_.data() + bytes_of<T>(size(block)), losses.data() + mine.begin, to_size(bytes_of<double>(size(mine))));
    gathered_.resize(to_size(std::accumulate(gather_bytes.begin(), gather_bytes.end(), std::int64_t{0})));
    comm_.all_gather_into(std::span<const std::byte>(part_), gather_bytes, gathered_.data());
    const std::byte* in = gathered_.data();
    for (int r = 0; r < ranks; ++r) {
      const ChunkRange theirs = chunk_range(m, ranks, r);
      std::memcpy(sum + first + theirs.begin, in, to_size(bytes_of<T>(size(theirs))));
      in += bytes_of<T>(size(theirs));
      if (losses.empty()) continue;
      const ChunkRange their_chunks = rank_chunks(chunks, r);
      std::memcpy(losses.data() + their_chunks.begin, in, to_size(bytes_of<double>(size(their_chunks))));
      in += bytes_of<double>(size(their_chunks));
    }
    traffic_.bytes_sent += bytes_of<T>(std::ssize(send_)) + at(gather_bytes, comm_.rank()) * (ranks - 1);
  }
  template <class V>
  static std::int64_t bytes_of(index_t n) {
    return n * static_cast<std::int64_t>(sizeof(V));
  }

  Communicator& comm_;
  index_t piece_;
  std::vector<T> send_, receive_;
  AlignedVector<std::byte> part_;  // block sum (T values) then losses (doubles)
  std::vector<std::byte> gathered_;
  Traffic traffic_;
};

}  // namespace sster::dist
