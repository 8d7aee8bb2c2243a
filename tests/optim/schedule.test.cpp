#include <doctest.h>

#include <vector>

#include "sster/optim/schedule.hpp"

using namespace sster;

TEST_CASE("plateau schedule on a scripted validation loss sequence") {
  // patience_lr 2, patience_stopping 4
  PlateauSchedule s(2, 4);
  const std::vector<double> losses = {1.0, 0.9, 0.89995, 0.95, 0.91, 0.92, 0.93};
  // epoch:   1     2     3 (better by < 1e-4)  4     5     6     7
  std::vector<ScheduleDecision> d;
  for (double l : losses) d.push_back(s.observe(l));
  CHECK(d[0].improved);
  CHECK(d[1].improved);
  CHECK(d[2].improved);      // best for the checkpoint (strictly lower)...
  CHECK(!d[2].halve_lr);     // ...but not by min_delta for the LR schedule: wait 1
  CHECK(d[3].halve_lr);      // wait 2 -> halve, wait reset
  CHECK(!d[4].halve_lr);
  CHECK(d[5].halve_lr);
  CHECK(!d[5].stop);         // early-stopping waits: epochs 4,5,6 -> 3
  CHECK(d[6].stop);          // 4th epoch without improvement
  CHECK(s.best() == 0.89995);
}
