#pragma once
// ChunkSharing<T>: how several processes share the chunks of every batch
// (data-parallel training; dist/data_parallel.hpp implements it on MPI).
//
// The engine cuts a batch into chunks whose boundaries depend only on the
// batch size and sums their gradients in chunk order, (((g0 + g1) + g2) + ...).
// Shared, each process computes the chunks own_chunks() names, and
// sum_in_chunk_order must hand every process exactly that sum, bit for bit,
// whatever the number of processes. Floating-point addition is not
// associative: a reduction in any other order (MPI_Allreduce's order is
// unspecified) gives other weights.
#include <span>

#include "sster/core/index.hpp"
#include "sster/core/parallel.hpp"

namespace sster {

template <class T>
class ChunkSharing {
 public:
  virtual ~ChunkSharing() = default;

  // The chunks [begin, end) of a batch of `chunks` that this process
  // computes. The processes' ranges follow each other in process order and
  // cover every chunk once (a range may be empty).
  virtual ChunkRange own_chunks(index_t chunks) const = 0;

  // own[i]: the gradient (n values) of chunk own_chunks(chunks).begin + i;
  // losses[c]: the loss of each of this process's chunks. On return, on
  // every process, `sum` holds every chunk's gradient summed in chunk order
  // and `losses` every chunk's loss (one exchange per training step).
  // `sum` must not overlap the gradients.
  virtual void sum_in_chunk_order(index_t chunks, std::span<const T* const> own, index_t n, T* sum,
                                  std::span<double> losses) = 0;

  // Only the losses, as above (a validation pass).
  virtual void share_losses(index_t chunks, std::span<double> losses) = 0;
};

}  // namespace sster
