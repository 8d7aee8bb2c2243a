#pragma once
// The training schedule pysster sets up with Keras callbacks, in their order:
//   ReduceLROnPlateau(val_loss, factor 0.5, patience_lr, min_delta 1e-4),
//   EarlyStopping(val_loss, patience_stopping, min_delta 0),
//   ModelCheckpoint(save_best_only): remember the best val_loss epoch.
// `observe` takes one epoch's validation loss and says what to do.
#include <limits>
#include <nlohmann/json.hpp>

#include "sster/core/json_fields.hpp"

namespace sster {

struct ScheduleDecision {
  bool improved = false;   // best val_loss so far: keep these weights
  bool halve_lr = false;   // plateau: multiply the learning rate by 0.5
  bool stop = false;       // early stopping
};

class PlateauSchedule {
 public:
  PlateauSchedule(int patience_lr, int patience_stopping) : patience_lr_(patience_lr), patience_stop_(patience_stopping) {}

  ScheduleDecision observe(double val_loss) {
    ScheduleDecision d;
    // Keras compares with `<`, so NaN never counts as an improvement.
    if (val_loss < lr_best_ - 1e-4) {
      lr_best_ = val_loss;
      lr_wait_ = 0;
    } else if (++lr_wait_ >= patience_lr_) {
      d.halve_lr = true;
      lr_wait_ = 0;
    }
    if (val_loss < stop_best_) {
      stop_best_ = val_loss;
      stop_wait_ = 0;
    } else {
      d.stop = ++stop_wait_ >= patience_stop_;
    }
    if (val_loss < best_) {
      best_ = val_loss;
      d.improved = true;
    }
    return d;
  }
  double best() const { return best_; }

  // The schedule's memory, so an interrupted run resumes exactly.
  nlohmann::json to_json() const {
    return {{"patience_lr", patience_lr_}, {"patience_stopping", patience_stop_}, {"lr_best", finite(lr_best_)},
            {"stop_best", finite(stop_best_)}, {"best", finite(best_)}, {"lr_wait", lr_wait_}, {"stop_wait", stop_wait_}};
  }
  static PlateauSchedule from_json(const nlohmann::json& j) {
    PlateauSchedule s(json_integer<int>(j, "patience_lr", 1), json_integer<int>(j, "patience_stopping", 1));
    s.lr_best_ = restore(j.at("lr_best"));
    s.stop_best_ = restore(j.at("stop_best"));
    s.best_ = restore(j.at("best"));
    s.lr_wait_ = json_integer<int>(j, "lr_wait", 0);
    s.stop_wait_ = json_integer<int>(j, "stop_wait", 0);
    return s;
  }

 private:
  // JSON has no infinity: "not seen yet" is stored as null.
  static nlohmann::json finite(double v) { return v == inf ? nlohmann::json(nullptr) : nlohmann::json(v); }
  static double restore(const nlohmann::json& j) { return j.is_null() ? inf : j.get<double>(); }
  static constexpr double inf = std::numeric_limits<double>::infinity();
  int patience_lr_, patience_stop_;
  double lr_best_ = inf, stop_best_ = inf, best_ = inf;
  int lr_wait_ = 0, stop_wait_ = 0;
};

}  // namespace sster
