#pragma once
// Training and inference throughput of the default pysster network on
// encoded symbol data (shared by the benchmark programs).
#include <chrono>
#include <cstdint>
#include <vector>

#include "sster/model/architecture.hpp"
#include "sster/model/engine.hpp"

namespace sster::bench {

struct Throughput {
  double train_samples_per_s = 0, infer_samples_per_s = 0;
  double train_flops_per_sample = 0, infer_flops_per_sample = 0;
};

// FLOPs (2 x multiply-accumulates) of conv and dense layers per sample, as
// the PyTorch reference counts them: training = 3 x forward minus the
// first layer's input gradient.
inline Throughput count_flops(const Network<float>& net) {
  double fwd = 0, first = 0;
  Shape in{1, net.input().length, net.input().channels()};
  for (std::size_t i = 0; i < net.size(); ++i) {
    const Shape out = net.output_shape(i);
    double macs = 0;
    if (const auto* c = std::get_if<Conv1D<float>>(&net.layer(i))) macs = double(out.L) * c->width * c->in_channels * c->kernels;
    if (const auto* d = std::get_if<Dense<float>>(&net.layer(i))) macs = double(d->inputs) * d->units;
    if (macs > 0 && first == 0) first = macs;
    fwd += macs;
    in = out;
  }
  return {0, 0, 2 * (3 * fwd - first), 2 * fwd};
}

// Runs `epochs` timed epochs of training over symbols (n, L) with labels,
// after one untimed warm-up pass, then one timed inference pass.
inline Throughput measure(Engine<float>& engine, const std::vector<std::uint8_t>& symbols,
                          const std::vector<float>& targets, index_t n, index_t batch, int epochs) {
  const index_t L = engine.network().input().length, K = engine.classes();
  std::vector<float> weights(static_cast<std::size_t>(batch), 1.f), probs(static_cast<std::size_t>(n * K));
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
  one_epoch(std::min<index_t>(n, 8 * batch));  // warm-up: buffers planned, caches warm
  auto t0 = clock::now();
  for (int e = 0; e < epochs; ++e) one_epoch(n);
  const double train_s = std::chrono::duration<double>(clock::now() - t0).count();
  engine.predict(Batch<float>{.input = {.B = std::min<index_t>(n, 1024), .symbols = symbols.data()}},
                 std::min<index_t>(n, 1024), probs.data());
  t0 = clock::now();
  engine.predict(Batch<float>{.input = {.B = n, .symbols = symbols.data()}}, n, probs.data());
  const double infer_s = std::chrono::duration<double>(clock::now() - t0).count();
  Throughput t = count_flops(engine.network());
  t.train_samples_per_s = static_cast<double>(n) * epochs / train_s;
  t.infer_samples_per_s = static_cast<double>(n) / infer_s;
  return t;
}

}  // namespace sster::bench
