#pragma once
// dist::Communicator: the processes of an MPI job and the few operations
// sster needs between them. dist::Session starts and ends MPI.
//
// Built with MPI (SSTER_WITH_MPI, which the meson option `mpi` defines
// through the sster-mpi dependency) and started by an MPI launcher (mpirun,
// srun), a process is one rank of many. Otherwise it is the only rank and
// every operation is the identity, so the same code runs exactly as sster
// does without MPI, and every dist/ header compiles without MPI.
// Only the thread that created the Session calls MPI (MPI_THREAD_FUNNELED):
// oneTBB's workers never do.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"

#ifdef SSTER_WITH_MPI
#include <mpi.h>
#endif

namespace sster::dist {

// Whether an MPI launcher started this process: Open MPI's mpirun, Slurm's
// srun with PMIx or PMI-2, MPICH's Hydra. Only then is MPI initialised: a
// plain start never touches MPI (no singleton start-up).
inline bool launched_by_mpi() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(v)) return true;
  return false;
}

// The job size a launcher announces, 1 when none does.
inline long launcher_size() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_NTASKS"})
    if (const char* s = std::getenv(v)) return std::strtol(s, nullptr, 10);
  return 1;
}

// Whether this sster can run on several ranks.
inline constexpr bool built_with_mpi() {
#ifdef SSTER_WITH_MPI
  return true;
#else
  return false;
#endif
}

class Communicator {
 public:
  // The job this process belongs to (a single rank until a Session started MPI).
  static Communicator& world() {
    static Communicator c;
    return c;
  }

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool root() const { return rank_ == 0; }
  bool distributed() const { return size_ > 1; }
  // Ranks running on this machine (threads_per_rank divides the cores among them).
  int local_size() const { return local_size_; }

  void barrier() {
#ifdef SSTER_WITH_MPI
    if (distributed()) check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier");
#endif
  }

  // True on every rank when `flag` is true on any.
  bool any(bool flag) {
#ifdef SSTER_WITH_MPI
    if (distributed()) {
      int in = flag ? 1 : 0, out = 0;
      check(MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD), "MPI_Allreduce");
      return out != 0;
    }
#endif
    return flag;
  }

  // Every rank's `mine` (its length may differ from rank to rank),
  // concatenated in rank order, on every rank.
  template <class T>
  std::vector<T> all_gather(std::span<const T> mine) {
    const auto counts = all_gather_value(static_cast<std::int64_t>(mine.size()));
    std::vector<T> all(to_size(total(counts)));
    all_gather_into(mine, counts, all.data());
    return all;
  }

  // `mine` and every other rank's part, concatenated in rank order into
  // `all`; counts[r] is rank r's part size (every rank passes the same
  // counts). Values travel as their bytes: the ranks share one architecture.
  template <class T>
  void all_gather_into(std::span<const T> mine, std::span<const std::int64_t> counts, T* all) {
    static_assert(std::is_trivially_copyable_v<T>);
#ifdef SSTER_WITH_MPI
    if (distributed()) {
      const auto [c, displacements] = byte_counts(counts, sizeof(T));
      check(MPI_Allgatherv(mine.data(), as_int(std::ssize(mine) * static_cast<index_t>(sizeof(T))),
                           MPI_BYTE, all, c.data(), displacements.data(), MPI_BYTE, MPI_COMM_WORLD),
            "MPI_Allgatherv");
      return;
    }
#endif
    (void)counts;
    std::copy(mine.begin(), mine.end(), all);
  }

  // MPI_Alltoallv: send_counts[r] values of `send` (in rank order) go to
  // rank r; receive_counts[r] values from rank r land in `receive`, in rank order.
  template <class T>
  void all_to_all(const T* send, std::span<const std::int64_t> send_counts, T* receive,
                  std::span<const std::int64_t> receive_counts) {
    static_assert(std::is_trivially_copyable_v<T>);
#ifdef SSTER_WITH_MPI
    if (distributed()) {
      const auto [sc, sd] = byte_counts(send_counts, sizeof(T));
      const auto [rc, rd] = byte_counts(receive_counts, sizeof(T));
      check(MPI_Alltoallv(send, sc.data(), sd.data(), MPI_BYTE, receive, rc.data(), rd.data(), MPI_BYTE, MPI_COMM_WORLD),
            "MPI_Alltoallv");
      return;
    }
#endif
    (void)send_counts;
    std::copy_n(send, receive_counts[0], receive);
  }

  // One value from every rank, in rank order.
  std::vector<std::int64_t> all_gather_value(std::int64_t value) {
    std::vector<std::int64_t> all(to_size(size_), value);
#ifdef SSTER_WITH_MPI
    if (distributed())
      check(MPI_Allgather(&value, 1, MPI_INT64_T, all.data(), 1, MPI_INT64_T, MPI_COMM_WORLD), "MPI_Allgather");
#endif
    return all;
  }

  // Bytes from rank `from` to every rank.
  void broadcast(std::string& bytes, int from = 0) {
#ifdef SSTER_WITH_MPI
    if (!distributed()) return;
    auto n = static_cast<std::int64_t>(bytes.size());
    check(MPI_Bcast(&n, 1, MPI_INT64_T, from, MPI_COMM_WORLD), "MPI_Bcast");
    bytes.resize(to_size(n));
    for (std::int64_t done = 0; done < n;) {
      const int piece = piece_of(n - done);
      check(MPI_Bcast(bytes.data() + done, piece, MPI_BYTE, from, MPI_COMM_WORLD), "MPI_Bcast");
      done += piece;
    }
#else
    (void)bytes, (void)from;
#endif
  }

  // Point to point: a message of any length (sent in pieces MPI's int
  // counts can hold) to rank `to` with a tag.
  void send(int to, int tag, std::string_view bytes) {
#ifdef SSTER_WITH_MPI
    auto n = static_cast<std::int64_t>(bytes.size());
    check(MPI_Send(&n, 1, MPI_INT64_T, to, tag, MPI_COMM_WORLD), "MPI_Send");
    for (std::int64_t done = 0; done < n;) {
      const int piece = piece_of(n - done);
      check(MPI_Send(bytes.data() + done, piece, MPI_BYTE, to, tag, MPI_COMM_WORLD), "MPI_Send");
      done += piece;
    }
#else
    (void)to, (void)tag, (void)bytes;
    throw Error("dist::Communicator::send: this sster was built without MPI");
#endif
  }

  // The next message with `tag` from rank `from`.
  std::string receive(int from, int tag) {
    std::string bytes;
#ifdef SSTER_WITH_MPI
    std::int64_t n = 0;
    check(MPI_Recv(&n, 1, MPI_INT64_T, from, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "MPI_Recv");
    bytes.resize(to_size(n));
    for (std::int64_t done = 0; done < n;) {
      const int piece = piece_of(n - done);
      check(MPI_Recv(bytes.data() + done, piece, MPI_BYTE, from, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "MPI_Recv");
      done += piece;
    }
#else
    (void)from, (void)tag;
    throw Error("dist::Communicator::receive: this sster was built without MPI");
#endif
    return bytes;
  }

  // The rank a message with `tag` waits from, or -1 when none waits.
  int waiting(int tag) {
#ifdef SSTER_WITH_MPI
    if (distributed()) {
      int flag = 0;
      MPI_Status status;
      check(MPI_Iprobe(MPI_ANY_SOURCE, tag, MPI_COMM_WORLD, &flag, &status), "MPI_Iprobe");
      if (flag) return status.MPI_SOURCE;
    }
#endif
    (void)tag;
    return -1;
  }

  // Ends the whole job at once (a rank that cannot go on while the others
  // wait for it in a collective).
  [[noreturn]] void abort(int code) {
#ifdef SSTER_WITH_MPI
    if (distributed()) MPI_Abort(MPI_COMM_WORLD, code);
#endif
    std::_Exit(code);
  }

 private:
  friend class Session;
  Communicator() = default;

#ifdef SSTER_WITH_MPI
  static void check(int code, const char* call) {
    if (code != MPI_SUCCESS) throw Error(std::string(call) + " failed (MPI error " + std::to_string(code) + ")");
  }
  static int as_int(std::int64_t n) {
    require(n <= std::numeric_limits<int>::max(),
            "dist: a message of " + std::to_string(n) + " bytes, more than MPI's int counts hold");
    return static_cast<int>(n);
  }
  // MPI's int byte counts and displacements of parts of `counts` values
  // of `size` bytes, in rank order.
  static std::pair<std::vector<int>, std::vector<int>> byte_counts(std::span<const std::int64_t> counts,
                                                                   std::size_t size) {
    std::vector<int> c, d;
    std::int64_t offset = 0;
    for (const auto n : counts) {
      const auto bytes = n * static_cast<std::int64_t>(size);
      c.push_back(as_int(bytes));
      d.push_back(as_int(offset));
      offset += bytes;
    }
    return {std::move(c), std::move(d)};
  }
  static int piece_of(std::int64_t left) {
    constexpr std::int64_t max_piece = std::int64_t{1} << 30;
    return static_cast<int>(std::min(left, max_piece));
  }
#endif
  static std::int64_t total(std::span<const std::int64_t> counts) {
    std::int64_t t = 0;
    for (auto c : counts) t += c;
    return t;
  }

  int rank_ = 0, size_ = 1, local_size_ = 1;
};

// MPI from construction to destruction, when an MPI launcher started the
// process (else nothing: one rank). One Session per program, in main.
class Session {
 public:
  Session(int& argc, char**& argv) {
#ifdef SSTER_WITH_MPI
    if (!launched_by_mpi()) return;
    int provided = 0;
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
      throw Error("MPI_Init_thread failed");
    started_ = true;
    auto& c = Communicator::world();
    MPI_Comm_rank(MPI_COMM_WORLD, &c.rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &c.size_);
    MPI_Comm node;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, c.rank_, MPI_INFO_NULL, &node);
    MPI_Comm_size(node, &c.local_size_);
    MPI_Comm_free(&node);
#else
    (void)argc, (void)argv;
    require(!launched_by_mpi() || launcher_size() <= 1,
            "started as one of " + std::to_string(launcher_size()) +
                " MPI ranks, but this sster was built without MPI (install libopenmpi-dev and rebuild; meson "
                "option -Dmpi=enabled)");
#endif
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session() {
#ifdef SSTER_WITH_MPI
    if (started_) MPI_Finalize();
#endif
  }

#ifdef SSTER_WITH_MPI
 private:
  bool started_ = false;
#endif
};

}  // namespace sster::dist
