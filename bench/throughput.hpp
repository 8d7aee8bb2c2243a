#pragma once
// Training and inference throughput of a pysster network on encoded symbol
// data (shared by the benchmark programs), and the process's resident memory.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "sster/model/architecture.hpp"
#include "sster/model/engine.hpp"

namespace sster::bench {

struct Throughput {
  double train_samples_per_s = 0, infer_samples_per_s = 0;
  double train_flops_per_sample = 0, infer_flops_per_sample = 0;
  std::vector<double> epoch_seconds;
  double infer_seconds = 0;
  double train_cpu_seconds = 0;  // CPU time of all threads over the timed epochs
};

// CPU time used so far by all threads of this process.
inline double process_cpu_seconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// FLOPs (2 x multiply-accumulates) of conv, recurrent and dense layers per
// sample, as the PyTorch references count them: training = 3 x forward minus
// the first layer's input gradient. Read from the Keras layers' weight
// shapes: a kernel's weights are used once per output position of a conv,
// once per time step of a recurrent layer (kernel and recurrent kernel, of
// both directions when bidirectional), once per dense layer.
inline Throughput count_flops(const Network<float>& net) {
  double fwd = 0, first = 0;
  for (std::size_t i = 0; i < net.size(); ++i) {
    double weights = 0;
    for (const auto& p : net.param_specs(i))
      if (p.name.ends_with("kernel")) weights += static_cast<double>(p.size());
    const std::string& type = net.type(i);
    const index_t steps = type == "conv1d"  ? net.output_shape(i).L
                          : type == "dense" ? 1
                          : i == 0          ? net.input().length
                                            : net.output_shape(i - 1).L;
    const double macs = double(steps) * weights;
    if (macs > 0 && first == 0) first = macs;
    fwd += macs;
  }
  Throughput t;
  t.train_flops_per_sample = 2 * (3 * fwd - first);
  t.infer_flops_per_sample = 2 * fwd;
  return t;
}

// Runs `epochs` timed epochs of training over symbols (n, L) with targets
// (n, classes) in batches of `batch` (forward, backward, Adam, max-norm,
// dropout on), after an untimed warm-up of `warm_batches` batches; then one untimed and
// one timed inference pass over all n. Like the PyTorch reference: data in
// memory, timers around compute only.
inline Throughput measure(Engine<float>& engine, const std::vector<std::uint8_t>& symbols,
                          const std::vector<float>& targets, index_t n, index_t batch, int epochs,
                          index_t warm_batches = 8) {
  const index_t L = engine.network().input().length, K = engine.classes();
  std::vector<float> weights(to_size(batch), 1.f), probs(to_size(n * K));
  auto one_epoch = [&](index_t limit) {
    for (index_t first = 0; first < limit; first += batch) {
      const index_t B = std::min(batch, limit - first);
      const Batch<float> b{.input = {.B = B, .symbols = symbols.data() + first * L},
                           .targets = targets.data() + first * K,
                           .weights = weights.data()};
      engine.train_step(b, B, Adam{}, 3.0);
    }
  };
  using clock = std::chrono::steady_clock;
  Throughput t = count_flops(engine.network());
  const index_t warm = std::min<index_t>(n, warm_batches * batch);
  one_epoch(warm);  // warm-up: buffers planned, caches warm
  double train_s = 0;
  const double cpu0 = process_cpu_seconds();
  for (int e = 0; e < epochs; ++e) {
    const auto t0 = clock::now();
    one_epoch(n);
    t.epoch_seconds.push_back(std::chrono::duration<double>(clock::now() - t0).count());
    train_s += t.epoch_seconds.back();
  }
  t.train_cpu_seconds = process_cpu_seconds() - cpu0;
  engine.predict(Batch<float>{.input = {.B = warm, .symbols = symbols.data()}}, warm, probs.data());
  const auto t0 = clock::now();
  engine.predict(Batch<float>{.input = {.B = n, .symbols = symbols.data()}}, n, probs.data());
  t.infer_seconds = std::chrono::duration<double>(clock::now() - t0).count();
  t.train_samples_per_s = static_cast<double>(n) * epochs / train_s;
  t.infer_samples_per_s = static_cast<double>(n) / t.infer_seconds;
  return t;
}

// Resident set size of this process in MB: now (VmRSS) or its peak (VmHWM).
inline double rss_mb(const char* field = "VmRSS:") {
  std::ifstream in("/proc/self/status");
  std::string key;
  double kb = 0;
  while (in >> key) {
    if (key == field) {
      in >> kb;
      return kb / 1024.0;
    }
    in.ignore(1 << 12, '\n');
  }
  return 0;
}
inline double peak_rss_mb() { return rss_mb("VmHWM:"); }
// Resets the peak to the current RSS (Linux >= 4.0), so a later peak_rss_mb()
// covers only what ran since. Returns false where that is not supported.
inline bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

}  // namespace sster::bench
