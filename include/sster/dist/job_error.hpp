#pragma once
// Bad input in an MPI job. Every rank reads the same input, so most errors
// happen on every rank alike; run_together turns them into one JobError that
// every rank throws, with the message of the lowest rank that failed (for
// work shared in input order: the first error in input order, as one process
// reports it). The tool then prints it once and every rank exits with code 2:
// no rank is left waiting in a collective, no output is half-written. An
// error outside run_together ends the whole job (Communicator::abort).
#include <cstdint>
#include <string>

#include "sster/core/error.hpp"
#include "sster/dist/communicator.hpp"

namespace sster::dist {

// An error that every rank of the job has thrown.
class JobError : public Error {
 public:
  using Error::Error;
};

// Runs fn() on every rank. fn must not itself wait for other ranks: a rank
// that fails early would otherwise meet the others in the wrong collective.
template <class Fn>
void run_together(Communicator& comm, Fn&& fn) {
  std::string message;
  bool failed = false;
  try {
    fn();
  } catch (const Error& e) {
    if (!comm.distributed()) throw;
    message = e.what();
    failed = true;
  }
  if (!comm.distributed()) return;
  const auto failures = comm.all_gather_value(failed ? 1 : 0);
  for (int r = 0; r < comm.size(); ++r)
    if (at(failures, r)) {
      comm.broadcast(message, r);
      throw JobError(message);
    }
}

}  // namespace sster::dist
