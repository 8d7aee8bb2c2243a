#pragma once
// Work split statically over the ranks of an MPI job, and its output merged
// in input order: what `sster predict` does, and what any subcommand that
// scores records, windows or variants one by one can do in a few lines:
//
//   const ChunkRange mine = dist::share(record_count, comm);   // this rank's records
//   if (comm.root()) write_header(out);
//   dist::write_in_order(comm, out, [&](std::FILE* part) { score(mine, part); });
//
// Rank 0 writes its part (the first records) straight into the output; every
// other rank writes its part into a private temporary file (its shard, which
// vanishes with the process however it ends), and rank 0 appends the shards
// to the output in rank order. So the output is byte for byte what one
// process writes, and, written through AtomicFile, appears whole or not at
// all. Shards travel to rank 0 over MPI: the ranks need no shared folder.
//
// Results that rank 0 must read rather than copy (arrays for an npz file,
// say) go through OrderedBlocks: each rank computes its share of the blocks,
// and rank 0 handles every block's result in block order (the other ranks'
// travel as bytes).
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/parallel.hpp"
#include "sster/dist/communicator.hpp"
#include "sster/dist/job_error.hpp"

namespace sster::dist {

// The items [begin, end) of n that this rank handles: contiguous, in rank
// order, sizes differing by at most one.
inline ChunkRange share(index_t n, const Communicator& comm) { return chunk_range(n, comm.size(), comm.rank()); }

// Where each rank writes its part of an output; merge() puts the parts
// together on rank 0.
class OrderedOutput {
 public:
  static constexpr int tag = 7301;
  static constexpr std::size_t piece = std::size_t{1} << 24;  // bytes per message

  // out: the output on rank 0 (ignored on the other ranks).
  OrderedOutput(Communicator& comm, std::FILE* out) : comm_(comm), out_(out) {
    if (comm_.root()) return;
    shard_ = std::tmpfile();
    require(shard_ != nullptr, std::string("cannot create a temporary file for this rank's part of the output: ") +
                                   std::strerror(errno) + " (set TMPDIR to a writable folder)");
  }
  OrderedOutput(const OrderedOutput&) = delete;
  OrderedOutput& operator=(const OrderedOutput&) = delete;
  ~OrderedOutput() {
    if (shard_) std::fclose(shard_);
  }

  // Where this rank writes its part.
  std::FILE* stream() { return comm_.root() ? out_ : shard_; }

  // Every rank calls it once its part is written: rank 0 appends the other
  // ranks' parts to the output, in rank order.
  void merge() {
    if (!comm_.distributed()) return;
    if (comm_.root()) {
      for (int r = 1; r < comm_.size(); ++r)
        for (std::string part = comm_.receive(r, tag); !part.empty(); part = comm_.receive(r, tag))
          require(std::fwrite(part.data(), 1, part.size(), out_) == part.size(),
                  std::string("cannot write the output: ") + std::strerror(errno));
      return;
    }
    require(std::fflush(shard_) == 0 && !std::ferror(shard_),
            std::string("cannot write this rank's part of the output: ") + std::strerror(errno));
    std::rewind(shard_);
    std::vector<char> buffer(piece);
    for (std::size_t n; (n = std::fread(buffer.data(), 1, piece, shard_)) > 0;)
      comm_.send(0, tag, std::string_view(buffer.data(), n));
    comm_.send(0, tag, {});  // the end of this part
  }

 private:
  Communicator& comm_;
  std::FILE* out_;
  std::FILE* shard_ = nullptr;
};

// Results of blocks of work, handed to rank 0 in block order: rank 0's own
// at once, as they are; every other rank's encoded into its shard, and
// decoded on rank 0 after merge().
template <class Result>
class OrderedBlocks {
 public:
  static constexpr int tag = 7302;

  // consume(const Result&) runs on rank 0, once per block, in block order;
  // decode(encode(r)) must give r back.
  OrderedBlocks(Communicator& comm, std::function<void(const Result&)> consume,
                std::function<std::string(const Result&)> encode, std::function<Result(std::string_view)> decode)
      : comm_(comm), consume_(std::move(consume)), encode_(std::move(encode)), decode_(std::move(decode)) {
    if (comm_.root()) return;
    shard_ = std::tmpfile();
    require(shard_ != nullptr, std::string("cannot create a temporary file for this rank's results: ") +
                                   std::strerror(errno) + " (set TMPDIR to a writable folder)");
  }
  OrderedBlocks(const OrderedBlocks&) = delete;
  OrderedBlocks& operator=(const OrderedBlocks&) = delete;
  ~OrderedBlocks() {
    if (shard_) std::fclose(shard_);
  }

  // The result of this rank's next block.
  void add(const Result& result) {
    if (comm_.root()) {
      consume_(result);
      return;
    }
    const std::string bytes = encode_(result);
    const auto n = static_cast<std::uint64_t>(bytes.size());
    require(std::fwrite(&n, sizeof n, 1, shard_) == 1 && std::fwrite(bytes.data(), 1, bytes.size(), shard_) == bytes.size(),
            std::string("cannot write this rank's results: ") + std::strerror(errno));
  }

  // Every rank calls it after its last block: rank 0 consumes the other
  // ranks' blocks, in rank order.
  void merge() {
    if (!comm_.distributed()) return;
    if (comm_.root()) {
      for (int r = 1; r < comm_.size(); ++r)
        for (std::string block = comm_.receive(r, tag); !block.empty(); block = comm_.receive(r, tag))
          consume_(decode_(std::string_view(block).substr(1)));  // past the marker that tells a block from the end
      return;
    }
    require(std::fflush(shard_) == 0 && !std::ferror(shard_),
            std::string("cannot write this rank's results: ") + std::strerror(errno));
    std::rewind(shard_);
    std::string block;
    for (std::uint64_t n; std::fread(&n, sizeof n, 1, shard_) == 1;) {
      block.assign("+");
      block.resize(1 + n);
      require(std::fread(block.data() + 1, 1, n, shard_) == n, "this rank's results were cut short");
      comm_.send(0, tag, block);
    }
    comm_.send(0, tag, {});  // the end of this rank's blocks
  }

 private:
  Communicator& comm_;
  std::function<void(const Result&)> consume_;
  std::function<std::string(const Result&)> encode_;
  std::function<Result(std::string_view)> decode_;
  std::FILE* shard_ = nullptr;
};

// Runs write_part(stream) on every rank, then merges the parts into `out`
// (rank 0's). An sster::Error in any rank's part is thrown on every rank as
// a JobError (the lowest rank's, i.e. the first in input order) and nothing
// is merged.
template <class Fn>
void write_in_order(Communicator& comm, std::FILE* out, Fn&& write_part) {
  std::optional<OrderedOutput> output;
  run_together(comm, [&] {
    output.emplace(comm, out);
    write_part(output->stream());
  });
  output->merge();
}

}  // namespace sster::dist
