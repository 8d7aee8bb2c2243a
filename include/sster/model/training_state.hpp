#pragma once
// TrainingState: where an unfinished training run stands, so that it can be
// checkpointed and resumed bit-identically (with the optimiser state and the
// engine's step counter, which the model file stores next to it).
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "sster/core/aligned.hpp"
#include "sster/core/crc32.hpp"
#include "sster/core/json_fields.hpp"
#include "sster/data/dataset.hpp"
#include "sster/optim/schedule.hpp"

namespace sster {

struct TrainingState {
  int first_epoch = 1;      // of this run (history before it belongs to earlier runs)
  int epoch = 1;            // the epoch in progress
  index_t next_batch = 0;   // first batch of `epoch` not yet trained
  double loss_sum = 0;      // summed weighted loss of the epoch so far
  double seconds = 0;       // time spent in the epoch so far
  PlateauSchedule schedule{5, 15};
  AlignedVector<float> best;  // weights of the best validation loss so far
  std::uint32_t data_fingerprint = 0;
  bool rc_augment = false;  // every epoch also trains on the reverse complements

  // rc_augment only when on: a checkpoint of a run without it keeps the
  // bytes sster 0.1.0 wrote.
  nlohmann::json to_json() const {
    nlohmann::json j{{"first_epoch", first_epoch}, {"epoch", epoch},          {"next_batch", next_batch},
                     {"loss_sum", loss_sum},       {"seconds", seconds},      {"schedule", schedule.to_json()},
                     {"data_fingerprint", data_fingerprint}};
    if (rc_augment) j["rc_augment"] = true;
    return j;
  }
  // From a checkpoint file: ranges are checked, since next_batch indexes
  // into the epoch's order.
  static TrainingState from_json(const nlohmann::json& j) {
    TrainingState s;
    constexpr int max_epoch = 1 << 30;  // far beyond use, and epoch + epochs cannot overflow an int
    s.first_epoch = json_integer<int>(j, "first_epoch", 1, max_epoch);
    s.epoch = json_integer<int>(j, "epoch", s.first_epoch, max_epoch);
    s.next_batch = json_integer<index_t>(j, "next_batch", 0);
    s.loss_sum = j.at("loss_sum").get<double>();
    s.seconds = j.at("seconds").get<double>();
    require(std::isfinite(s.loss_sum) && std::isfinite(s.seconds), "the training state holds a non-finite loss or time");
    s.schedule = PlateauSchedule::from_json(j.at("schedule"));
    s.data_fingerprint = json_integer<std::uint32_t>(j, "data_fingerprint");
    if (j.contains("rc_augment")) s.rc_augment = j.at("rc_augment").get<bool>();  // absent before 0.2
    return s;
  }
};

// Identifies a data set and its split: a resumed run must see the same one.
inline std::uint32_t data_fingerprint(const Data& data) {
  std::uint32_t crc = 0;
  auto add = [&](const void* p, std::size_t n) { crc = crc32_update(crc, p, n); };
  const index_t shape[] = {data.size(), data.length(), data.classes()};
  add(shape, sizeof shape);
  for (auto g : {Group::train, Group::val}) {
    const auto idx = data.indices(g);
    add(idx.data(), idx.size() * sizeof(index_t));
  }
  for (index_t i = 0; i < data.size(); i += std::max<index_t>(1, data.size() / 1000)) {
    const auto s = data.symbols(i);
    add(s.data(), s.size());
  }
  return crc;
}

}  // namespace sster
