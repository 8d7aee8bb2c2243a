#pragma once
// Progress on stderr, only when stderr is a terminal, never with --quiet:
//   Progress       training: a live bar (epoch, batch, loss, val loss,
//                  samples/s, ETA), and one plain line per epoch also in logs
//   CountProgress  a long count (scan windows, variants): done, rate, ETA
//   FoldProgress   folding: how much of the input is read, records, rate, ETA
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "sster/model/model.hpp"

namespace sster::cli {

class Progress {
 public:
  Progress(bool quiet, index_t train_records, index_t batch_size, index_t max_epochs)
      : quiet_(quiet), tty_(::isatty(2) == 1), records_(train_records), batch_(batch_size), max_epochs_(max_epochs) {}

  TrainObserver observer() {
    TrainObserver o;
    if (quiet_) return o;
    o.on_epoch = [this](const EpochRecord& r, const Checkpoint&) { epoch_done(r); };
    if (tty_) o.on_batch = [this](int epoch, index_t b, index_t n, double loss) { batch_done(epoch, b, n, loss); };
    return o;
  }

 private:
  using clock = std::chrono::steady_clock;

  void batch_done(int epoch, index_t batch, index_t batches, double loss) {
    if (batch == 1) epoch_start_ = clock::now();
    const double s = std::chrono::duration<double>(clock::now() - epoch_start_).count();
    if (batch != batches && s - last_draw_ < 0.1) return;  // ~10 redraws per second
    last_draw_ = s;
    const double rate = s > 0 ? static_cast<double>(std::min(batch * batch_, records_)) / s : 0;
    const int width = 24, done = static_cast<int>(width * batch / batches);
    const double eta = rate > 0 ? static_cast<double>(records_ - std::min(batch * batch_, records_)) / rate : 0;
    std::fprintf(stderr, "\r\033[Kepoch %d/%lld [%s%s] %lld/%lld  loss %.4f  %s  %.0f seq/s  eta %.0fs", epoch,
                 static_cast<long long>(max_epochs_), std::string(to_size(done), '#').c_str(),
                 std::string(to_size(width - done), '.').c_str(), static_cast<long long>(batch),
                 static_cast<long long>(batches), loss, last_val_.c_str(), rate, eta);
    std::fflush(stderr);
  }

  void epoch_done(const EpochRecord& r) {
    char val[64];
    std::snprintf(val, sizeof val, "val_loss %.4f", r.val_loss);
    last_val_ = val;
    last_draw_ = 0;
    if (tty_) std::fprintf(stderr, "\r\033[K");
    std::fprintf(stderr, "%s\n", Model::format_epoch(r).c_str());
    std::fflush(stderr);
  }

  bool quiet_, tty_;
  index_t records_, batch_, max_epochs_;
  clock::time_point epoch_start_ = clock::now();
  double last_draw_ = 0;
  std::string last_val_ = "val_loss -";
};

// "scan  45%  450000/1000000 windows  120000/s  eta 5s" (without a total:
// "vep  12000 records  5000/s"), redrawn at most ten times a second;
// finish() clears the line.
class CountProgress {
 public:
  CountProgress(bool quiet, std::string label, std::string what, index_t total)
      : show_(!quiet && ::isatty(2) == 1), label_(std::move(label)), what_(std::move(what)), total_(total) {}

  void add(index_t n) {
    done_ += n;
    if (!show_) return;
    const double s = std::chrono::duration<double>(clock::now() - start_).count();
    if (done_ < total_ && s - last_draw_ < 0.1) return;
    last_draw_ = s;
    const double rate = s > 0 ? static_cast<double>(done_) / s : 0;
    if (total_ <= 0) {  // the total is not known beforehand
      std::fprintf(stderr, "\r\033[K%s  %lld %s  %.0f/s", label_.c_str(), static_cast<long long>(done_), what_.c_str(),
                   rate);
      std::fflush(stderr);
      return;
    }
    const double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0;
    std::fprintf(stderr, "\r\033[K%s %3.0f%%  %lld/%lld %s  %.0f/s  eta %.0fs", label_.c_str(),
                 total_ > 0 ? 100.0 * static_cast<double>(done_) / static_cast<double>(total_) : 100.0,
                 static_cast<long long>(done_), static_cast<long long>(total_), what_.c_str(), rate, eta);
    std::fflush(stderr);
  }
  void finish() {
    if (show_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  using clock = std::chrono::steady_clock;
  bool show_;
  std::string label_, what_;
  index_t total_, done_ = 0;
  clock::time_point start_ = clock::now();
  double last_draw_ = -1;
};

// Folding progress on stderr while it is a terminal: how much of the input
// is read (its bytes on disk, so gzip input counts too), records, rate, ETA.
class FoldProgress {
 public:
  FoldProgress(bool quiet, std::string label, std::uint64_t file_bytes)
      : show_(!quiet && ::isatty(2) == 1), label_(std::move(label)), bytes_(file_bytes) {}
  FoldProgress(const FoldProgress&) = delete;
  FoldProgress& operator=(const FoldProgress&) = delete;
  ~FoldProgress() {
    if (drawn_) std::fprintf(stderr, "\r\033[K");
  }

  void update(std::uint64_t bytes_read, index_t records) {
    if (!show_) return;
    const double s = std::chrono::duration<double>(clock::now() - start_).count();
    if (s - last_draw_ < 0.1) return;  // ~10 redraws per second
    last_draw_ = s;
    const double share = bytes_ > 0 ? std::min(1.0, static_cast<double>(bytes_read) / static_cast<double>(bytes_)) : 0;
    const double eta = share > 0 ? s * (1 - share) / share : 0;
    std::fprintf(stderr, "\r\033[Kfolding %s  %3.0f%%  %lld records  %.0f/s  eta %.0fs", label_.c_str(), 100 * share,
                 static_cast<long long>(records), s > 0 ? static_cast<double>(records) / s : 0.0, eta);
    std::fflush(stderr);
    drawn_ = true;
  }

 private:
  using clock = std::chrono::steady_clock;
  bool show_, drawn_ = false;
  std::string label_;
  std::uint64_t bytes_;
  clock::time_point start_ = clock::now();
  double last_draw_ = 0;
};

}  // namespace sster::cli
