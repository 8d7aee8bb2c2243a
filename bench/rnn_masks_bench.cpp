// What pysster's per-gate recurrent dropout masks cost against one shared
// mask (Params rnn_dropout_masks per_gate vs shared): training samples/s of
// pysster's network with its recurrent block (32 units, bidirectional), LSTM
// and GRU, with pysster's default dropout (input 0.2, recurrent 0) and with
// recurrent dropout 0.2 as well. Both kinds run alternately in this one
// process, best of `rounds` each; the ratios are per-gate time over shared
// time, in wall-clock and in CPU time (all threads: steadier when other
// programs share the cores).
//   rnn_masks_bench POS NEG [THREADS] [RECORDS] [ROUNDS]
// (inference runs without dropout: the same path for both kinds)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "sster/core/parallel.hpp"
#include "sster/data/dataset.hpp"
#include "sster/model/architecture.hpp"
#include "sster/model/engine.hpp"
#include "throughput.hpp"

using namespace sster;

namespace {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

struct Speed {
  double wall = 0, cpu = 0;  // training samples per wall-clock second, per CPU second
};

Speed training_speed(const Params& p, const Data& data, const std::vector<std::uint8_t>& symbols,
                     const std::vector<float>& targets, index_t n) {
  Engine<float> engine(build_network<float>(p, InputSpec{.length = data.length(), .symbols = data.input_channels()},
                                            data.classes()),
                       LossKind::softmax_cross_entropy, 1);
  const auto t = bench::measure(engine, symbols, targets, n, p.get_int("batch_size"), 1, 4);
  return {t.train_samples_per_s, static_cast<double>(n) / t.train_cpu_seconds};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: rnn_masks_bench POS NEG [THREADS] [RECORDS] [ROUNDS]\n");
    return 2;
  }
  const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
  const index_t records = argc > 4 ? std::atoll(argv[4]) : 2048;
  const int rounds = argc > 5 ? std::atoi(argv[5]) : 3;
  set_threads(threads);
  const Data data = Data::from_fasta({argv[1], argv[2]}, alphabet::rna());
  const index_t n = std::min(records, data.size());
  std::vector<std::uint8_t> symbols;
  std::vector<float> targets;
  for (index_t k = 0; k < n; ++k) {  // both classes: every other record from the other end
    const index_t i = k % 2 ? data.size() - 1 - k / 2 : k / 2;
    const auto s = data.symbols(i);
    const auto t = data.targets(i);
    symbols.insert(symbols.end(), s.begin(), s.end());
    targets.insert(targets.end(), t.begin(), t.end());
  }
  std::printf("per-gate vs shared recurrent dropout masks, %s, %d threads, %lld records of length %lld, best of %d\n",
              cpu_model().c_str(), threads, static_cast<long long>(n), static_cast<long long>(data.length()), rounds);
  std::printf("%-5s %-24s %12s %12s %11s %11s %11s\n", "rnn", "dropout", "shared /s", "per_gate /s", "wall ratio",
              "shared /cpu", "cpu ratio");
  for (const std::string rnn : {"LSTM", "GRU"})
    for (const double recurrent : {0.0, 0.2}) {
      Speed best[2];
      for (int r = 0; r < rounds; ++r)
        for (int per_gate = 0; per_gate < 2; ++per_gate) {
          Params p;
          p.rnn_type(rnn).rnn_dropout_recurrent(recurrent).rnn_dropout_masks(per_gate ? "per_gate" : "shared");
          const Speed s = training_speed(p, data, symbols, targets, n);
          best[per_gate] = {std::max(best[per_gate].wall, s.wall), std::max(best[per_gate].cpu, s.cpu)};
        }
      const std::string dropout = "input 0.2, recurrent " + std::string(recurrent > 0 ? "0.2" : "0");
      std::printf("%-5s %-24s %12.0f %12.0f %11.2f %11.0f %11.2f\n", rnn.c_str(), dropout.c_str(), best[0].wall,
                  best[1].wall, best[0].wall / best[1].wall, best[0].cpu, best[0].cpu / best[1].cpu);
      std::fflush(stdout);
    }
  return 0;
}
