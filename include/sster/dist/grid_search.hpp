#pragma once
// dist::grid_search: a GridSearch over the ranks of an MPI job.
//
// Rank 0 deals the combinations: a rank that finishes one reports its score
// and model file and gets the next, so long and short trainings balance.
// Rank 0 trains combinations too, and answers between its own batches.
// Only rank 0 keeps the GridRecord (scores, models, finished.tsv, each
// written atomically as a combination arrives), so a rank that dies loses
// only the combination it was training, and a rerun on the same folder
// trains what is missing. Every combination trains with the same seed on
// one rank, so the table and the chosen model are those of one process.
#include <chrono>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sster/dist/communicator.hpp"
#include "sster/model/serialize.hpp"
#include "sster/search/grid_search.hpp"

namespace sster::dist {

struct GridHooks {
  // Called on a rank as it starts a combination (the tests end a rank here).
  std::function<void(index_t combination)> on_start;
};

namespace detail {

constexpr int tag_report = 7401;  // worker -> rank 0: ready, or a finished combination
constexpr int tag_assign = 7402;  // rank 0 -> worker: the next combination, or none

// A worker's report: combination (-1: none yet), score, model file bytes.
inline std::string grid_report(std::int64_t combination, double score, std::string_view model_file) {
  std::string bytes(sizeof combination + sizeof score, '\0');
  std::memcpy(bytes.data(), &combination, sizeof combination);
  std::memcpy(bytes.data() + sizeof combination, &score, sizeof score);
  bytes += model_file;
  return bytes;
}

inline std::string model_bytes(const Model& model) { return model_file_bytes(model.to_file()); }

// Rank 0: the queue, the record, the best model of this run.
class GridDealer {
 public:
  GridDealer(Communicator& comm, const GridSearch& search, const GridOptions& o)
      : comm_(comm), record_(search, o) {
    for (index_t i : record_.pending()) queue_.push_back(i);
  }

  // Answers every report that waits: records its result, deals the next.
  void serve() {
    for (int from; (from = comm_.waiting(tag_report)) >= 0;) {
      const std::string report = comm_.receive(from, tag_report);
      std::int64_t i = 0;
      double score = 0;
      std::memcpy(&i, report.data(), sizeof i);
      std::memcpy(&score, report.data() + sizeof i, sizeof score);
      if (i >= 0) add(i, score, std::string_view(report).substr(sizeof i + sizeof score));
      const std::int64_t next = take();
      if (next < 0) ++released_;
      comm_.send(from, tag_assign, std::string_view(reinterpret_cast<const char*>(&next), sizeof next));
    }
  }

  // The next combination to train, -1 when none is left.
  std::int64_t take() {
    if (queue_.empty()) return -1;
    const index_t i = queue_.front();
    queue_.pop_front();
    return i;
  }
  bool all_released() const { return released_ == comm_.size() - 1; }

  void add(index_t i, double score, std::string_view model_file) {
    record_.add(i, score, model_file);
    if (!best_ || score > best_->second || (score == best_->second && i < best_->first)) {
      best_.emplace(i, score);
      best_file_ = model_file;
    }
  }

  std::pair<Model, std::vector<GridResult>> finish(GridMetric metric) {
    auto ranked = record_.ranked(metric);
    const index_t best = ranked.front().combination;
    Model model = best_ && best_->first == best
                      ? Model::from_file(parse_model_file(best_file_, "the best model"), "the best model")
                      : record_.load(best);
    return {std::move(model), std::move(ranked)};
  }

 private:
  Communicator& comm_;
  GridRecord record_;
  std::deque<index_t> queue_;
  int released_ = 0;
  std::optional<std::pair<index_t, double>> best_;  // of this run: combination, score
  std::string best_file_;
};

}  // namespace detail

// On rank 0: the best model and the ranking, as GridSearch::train returns
// them; on the other ranks: nothing. Every rank must call it.
inline std::optional<std::pair<Model, std::vector<GridResult>>> grid_search(const GridSearch& search,
                                                                            const Data& data, const GridOptions& o,
                                                                            Communicator& comm = Communicator::world(),
                                                                            const GridHooks& hooks = {}) {
  auto start = [&](index_t i) {
    if (hooks.on_start) hooks.on_start(i);
  };
  if (!comm.root()) {
    for (std::string report = detail::grid_report(-1, 0, {});;) {
      comm.send(0, detail::tag_report, report);
      std::int64_t i = 0;
      std::memcpy(&i, comm.receive(0, detail::tag_assign).data(), sizeof i);
      if (i < 0) return std::nullopt;
      start(i);
      const auto [model, score] = search.train_combination(i, data, o);
      report = detail::grid_report(i, score, detail::model_bytes(model));
    }
  }
  detail::GridDealer dealer(comm, search, o);
  TrainObserver observer;
  observer.stop_requested = [&] {
    dealer.serve();
    return false;
  };
  for (;;) {
    dealer.serve();
    if (const std::int64_t i = dealer.take(); i >= 0) {
      start(i);
      const auto [model, score] = search.train_combination(i, data, o, observer);
      dealer.add(i, score, detail::model_bytes(model));
    } else if (dealer.all_released()) {
      break;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));  // leave the core to the workers
    }
  }
  return dealer.finish(o.metric);
}

}  // namespace sster::dist
