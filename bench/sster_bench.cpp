// sster_bench: the measurements behind `tools/run bench` (bench/run.sh runs
// each in a process of its own, so every peak RSS is that run's own).
//
//   sster_bench throughput --pos P --neg N --threads T [--epochs E] [--rnn LSTM|GRU] [--kernels K] [--json F]
//       default pysster network on a FASTA pair (with --rnn: pysster's
//       recurrent block, 32 units, bidirectional, instead of the Flatten;
//       with --kernels: kernel_num K):
//       training and inference samples/s, achieved GFLOP/s, peak RSS
//   sster_bench scaling --length L --kernels K --threads T [--json F]
//       the same on random sequences of length L with kernel_num K
//   sster_bench accuracy --pos P --neg N [--alphabet dna|rna] [--threads T] [--seed S] [--json F]
//       pysster's default model trained with early stopping on a seeded
//       70/15/15 split: test ROC-AUC and PR-AUC of class 0 (P), in float32
//       and in int8 (calibrated on the training set), and inference
//       samples/s of both per kernel set
//   sster_bench gemm --threads T [--json F]
//       Eigen float GEMM (1024^3, one independent product per thread): the
//       machine's practical GEMM peak
//   sster_bench parse --records N [--length L] [--json F]
//       Data::from_fasta speed on one core, plain and gzipped, and its RSS
//   sster_bench kernels [--json F]
//       every conv/pool kernel of the default network, _ref vs fast, per chunk
//   sster_bench attribution --pos P --neg N [--threads T] [--export DIR] [--json F]
//       attribution on PUM2 (bench/attribution.hpp): fast vs naive ISM,
//       sequences/s of every method; --export writes what
//       bench/tangermeme_anchor.py needs
//   sster_bench attribution-report --dir D [--results FILE]
//       the "Attribution" section from D's attribution.json (and
//       tangermeme.json), into FILE in place of the old one
//   sster_bench genome [--threads T] [--bases N] [--length L] [--json F]
//       genome scale on pysster's default network and one random sequence:
//       stride-1 scan positions/s (float32 and int8) against the same
//       windows scored one by one with predict, and variant effects (VEP)
//       variants/s
//   sster_bench check-torch F...
//       fails (exit 1) when a PyTorch result ran on a reference BLAS
//   sster_bench report --dir D [--results FILE]
//       the tables from D's JSON files (stdout, and FILE in Markdown), headed
//       by the CPU and the kernel set; the last two lines are
//       "ratio vs onnxruntime (2 threads): infer Z.ZZ" and
//       "ratio vs pytorch (2 threads): train X.XX, infer Y.YY" (against the
//       faster of Debian's and PyPI's PyTorch in each column)
// `sster_bench SUBCOMMAND --help` lists every option with its default.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <tbb/parallel_for.h>
#include <zlib.h>

#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <numeric>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "sster/core/parallel.hpp"
#include "sster/core/random.hpp"
#include "sster/core/cpu.hpp"
#include "sster/core/simd.hpp"
#include "sster/data/alphabet.hpp"
#include "sster/data/dataset.hpp"
#include "sster/model/architecture.hpp"
#include "sster/metrics/roc.hpp"
#include "sster/model/engine.hpp"
#include "sster/model/model.hpp"
#include "sster/model/params.hpp"
#include "sster/nn/kernels/conv1d.hpp"
#include "sster/nn/kernels/gather_conv1d.hpp"
#include "sster/nn/kernels/int8_gemm.hpp"
#include "attribution.hpp"
#include "genome_bench.hpp"
#include "sster/nn/kernels/vector_kernels.hpp"
#include "throughput.hpp"

using namespace sster;
namespace fs = std::filesystem;

namespace {

// Inside the namespace: htslib (genome_bench.hpp) declares an enumerator
// `json` at global scope, which this alias hides here.
using json = nlohmann::json;

// Prints a measurement's JSON, and writes it to `file` unless empty.
void emit(const json& j, const std::string& file) {
  std::cout << j.dump() << std::endl;
  if (!file.empty()) std::ofstream(file) << j.dump() << "\n";
}

double thread_seconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}
double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// "AMD EPYC (family 26, model 2, AVX-512), 2 cores, 24 GB RAM" from /proc.
std::string machine_description() {
  std::ifstream in("/proc/cpuinfo");
  std::string line, name = "unknown CPU", family, model;
  bool avx512 = false;
  auto value = [](const std::string& l) { return l.substr(l.find(':') + 2); };
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) name = value(line);
    else if (line.rfind("cpu family", 0) == 0) family = value(line);
    else if (line.rfind("model\t", 0) == 0) model = value(line);
    else if (line.rfind("flags", 0) == 0) avx512 = line.find(" avx512f") != std::string::npos;
  }
  std::ifstream mem("/proc/meminfo");
  std::string key;
  double kb = 0;
  mem >> key >> kb;
  std::string d = name + " (family " + family + ", model " + model + (avx512 ? ", AVX-512" : "") + "), " +
                  std::to_string(std::thread::hardware_concurrency()) + " cores, ";
  return d + std::to_string(static_cast<int>(kb / 1024 / 1024 + 0.5)) + " GB RAM";
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

// Encoded training data: symbols (n, L), one-hot targets (n, classes).
struct Encoded {
  index_t n = 0, L = 0, classes = 2, symbols_per_position = 4;
  std::vector<std::uint8_t> symbols;
  std::vector<float> targets;
};

json run_network(const Encoded& e, const Params& params, int threads, int epochs, index_t warm_batches,
                 index_t chunk = Engine<float>::default_chunk) {
  set_threads(threads);
  const double rss_before = bench::rss_mb();
  const bool reset = bench::reset_peak_rss();
  Engine<float> engine(build_network<float>(params, InputSpec{.length = e.L, .symbols = e.symbols_per_position},
                                            e.classes),
                       LossKind::softmax_cross_entropy, 1, chunk);
  const auto t = bench::measure(engine, e.symbols, e.targets, e.n, params.values().batch_size, epochs, warm_batches);
  return json{{"threads", threads},
              {"samples", e.n},
              {"length", e.L},
              {"kernel_num", params.values().kernel_num[0]},
              {"epochs", epochs},
              {"epoch_seconds", t.epoch_seconds},
              {"infer_seconds", t.infer_seconds},
              {"train_samples_per_s", t.train_samples_per_s},
              {"infer_samples_per_s", t.infer_samples_per_s},
              {"train_gflops_per_s", t.train_samples_per_s * t.train_flops_per_sample / 1e9},
              {"infer_gflops_per_s", t.infer_samples_per_s * t.infer_flops_per_sample / 1e9},
              {"train_flops", t.train_flops_per_sample},
              {"forward_flops", t.infer_flops_per_sample},
              {"train_samples_per_cpu_s", e.n * epochs / t.train_cpu_seconds},
              {"train_cpu_share", t.train_cpu_seconds / (threads * std::accumulate(t.epoch_seconds.begin(), t.epoch_seconds.end(), 0.0))},
              {"rss_before_mb", rss_before},
              {"peak_rss_mb", reset ? bench::peak_rss_mb() : -1.0},
              {"cpu", cpu_model()},
              {"kernel_set", kernel_set_name(kernel_set())}};
}

// --- throughput: the default network on a FASTA pair (class 0 = pos)
struct ThroughputOptions {
  std::string pos, neg, rnn, json;
  int threads = 1, epochs = 3;
  index_t kernels = 0;    // kernel_num of both convolutions (0: pysster's default)
  int profile_infer = 0;  // > 0: only this many inference passes, for perf
  index_t chunk = Engine<float>::default_chunk;
};

int cmd_throughput(const ThroughputOptions& o) {
  const int threads = o.threads, epochs = o.epochs;
  const Data data = Data::from_fasta({o.pos, o.neg}, alphabet::rna());
  Encoded e;
  e.n = data.size();
  e.L = data.length();
  e.classes = data.classes();
  e.symbols_per_position = data.input_channels();
  // One fixed shuffle outside the timers, as the PyTorch reference does.
  std::vector<index_t> order(to_size(e.n));
  for (index_t i = 0; i < e.n; ++i) at(order, i) = i;
  RandomStream rng(RandomKey(1, Purpose::shuffle));
  sster::shuffle(order.begin(), order.end(), rng);
  for (index_t i : order) {
    const auto s = data.symbols(i);
    const auto t = data.targets(i);
    e.symbols.insert(e.symbols.end(), s.begin(), s.end());
    e.targets.insert(e.targets.end(), t.begin(), t.end());
  }
  Params params;
  if (!o.rnn.empty()) params.rnn_type(o.rnn);
  if (o.kernels > 0) params.kernel_num(o.kernels);
  if (o.profile_infer > 0) {  // for perf: inference passes only
    set_threads(threads);
    Engine<float> engine(build_network<float>(params, InputSpec{.length = e.L, .symbols = e.symbols_per_position},
                                              e.classes),
                         LossKind::softmax_cross_entropy, 1);
    std::vector<float> probs(to_size(e.n * e.classes));
    const int reps = o.profile_infer;
    const double t0 = wall_seconds(), c0 = std::clock() / double(CLOCKS_PER_SEC);
    for (int r = 0; r < reps; ++r) engine.predict(Batch<float>{.input = {.B = e.n, .symbols = e.symbols.data()}}, e.n, probs.data());
    std::cout << "infer samples/s " << double(e.n) * reps / (wall_seconds() - t0) << " per CPU s "
              << double(e.n) * reps / (std::clock() / double(CLOCKS_PER_SEC) - c0) << "\n";
    return 0;
  }
  json j = run_network(e, params, threads, epochs, 8, o.chunk);
  j["data"] = o.pos + " + " + o.neg;
  j["rnn_type"] = params.rnn_type();
  emit(j, o.json);
  return 0;
}

// --- scaling: random sequences, length L, kernel_num K
struct ScalingOptions {
  std::string json;
  int threads = 2;
  index_t length = 0, kernels = 0;
  double seconds = 2;  // of training at 200 GFLOP/s: sets the number of samples
};

int cmd_scaling(const ScalingOptions& o) {
  const int threads = o.threads;
  Encoded e;
  e.L = o.length;
  const index_t kernels = o.kernels;
  const Params params = Params{}.kernel_num(kernels);
  // Samples for about 2 s of training at 200 GFLOP/s, in whole batches.
  const auto flops = bench::count_flops(build_network<float>(params, InputSpec{.length = e.L, .symbols = 4}, 2));
  const double budget = o.seconds * 200e9;
  e.n = std::clamp<index_t>(static_cast<index_t>(budget / flops.train_flops_per_sample) / 128 * 128, 128, 10240);
  RandomStream rng(RandomKey(5, Purpose::simulate));
  e.symbols.resize(to_size(e.n * e.L));
  for (auto& s : e.symbols) s = static_cast<std::uint8_t>(rng.below(4));
  for (index_t i = 0; i < e.n; ++i) {
    e.targets.push_back(i % 2 ? 0.f : 1.f);
    e.targets.push_back(i % 2 ? 1.f : 0.f);
  }
  emit(run_network(e, params, threads, 1, 2), o.json);
  return 0;
}

// --- accuracy: pysster's default model trained on a FASTA pair with the
// seeded 70/15/15 split (early stopping, best weights restored), as the
// PyTorch reference's train mode; test ROC-AUC and PR-AUC of class 0 (--pos).
struct AccuracyOptions {
  std::string pos, neg, alphabet = "rna", json;
  int threads = 2;
  std::uint64_t seed = 1;
};

// Test ROC-AUC of class 0 and PR-AUC of `model` in its current precision.
std::pair<double, double> test_aucs(Model& model, const Data& data) {
  const RowMatrix<float> probs = model.predict(data, Group::test);
  std::vector<double> scores, truth;
  const auto test = data.indices(Group::test);
  for (std::size_t k = 0; k < test.size(); ++k) {
    scores.push_back(probs(static_cast<index_t>(k), 0));
    truth.push_back(data.targets(test[k])[0]);
  }
  return {roc_auc(scores, truth), average_precision(scores, truth)};
}

// Inference samples/s over every record of `data` in float32 and in int8,
// per vector kernel set this CPU has: best of 5, the precisions interleaved.
json precision_speeds(Model& model, const Data& data) {
  const auto all = data.indices(Group::all);
  json rows = json::array();
  const KernelSet in_use = kernel_set();
  for (KernelSet k : supported_kernel_sets()) {
    if (k == KernelSet::generic) continue;
    use_kernel_set(k);
    double best[2] = {1e30, 1e30};
    for (int round = 0; round < 6; ++round)
      for (Precision p : {Precision::float32, Precision::int8}) {
        model.set_precision(p);
        const double t0 = wall_seconds();
        model.predict(data, all);
        const double t = wall_seconds() - t0;
        if (round > 0) best[p == Precision::int8] = std::min(best[p == Precision::int8], t);  // round 0 warms up
      }
    const double n = static_cast<double>(all.size());
    rows.push_back({{"kernels", kernel_set_name(k)}, {"float32", n / best[0]}, {"int8", n / best[1]}});
  }
  use_kernel_set(in_use);
  model.set_precision(Precision::float32);
  return rows;
}

int cmd_accuracy(const AccuracyOptions& o) {
  set_threads(o.threads);
  const Data data = Data::from_fasta({o.pos, o.neg}, o.alphabet == "dna" ? alphabet::dna() : alphabet::rna());
  const double t0 = wall_seconds();
  Model model(Params{}, data, o.seed);
  model.train(data, false);
  const double train_seconds = wall_seconds() - t0;
  const auto [roc, pr] = test_aucs(model, data);
  model.calibrate_int8(data, data.indices(Group::train));  // as sster train does
  model.set_precision(Precision::int8);
  const auto [roc8, pr8] = test_aucs(model, data);
  emit(json{{"data", o.pos + " + " + o.neg},
            {"n_train", data.indices(Group::train).size()},
            {"n_val", data.indices(Group::val).size()},
            {"n_test", data.indices(Group::test).size()},
            {"epochs_run", model.history().size()},
            {"train_seconds", train_seconds},
            {"roc_auc", roc},
            {"pr_auc", pr},
            {"roc_auc_int8", roc8},
            {"pr_auc_int8", pr8},
            {"threads", o.threads},
            {"infer_samples_per_s", precision_speeds(model, data)}},
       o.json);
  return 0;
}

// FMA peak: GFLOP/s of `threads` threads running kernel set k's probe
// (kernels/vector_kernels.ipp), best of 3.
double fma_peak_gflops(KernelSet k, int threads) {
  const long iters = 20'000'000;
  std::vector<float> sink(to_size(threads));
  auto loop = [&](float seed) {
    return kernels::with_kernel_set<float>(k, [&](auto set) { return decltype(set)::fma_probe(iters, seed); });
  };
  const index_t width =
      kernels::with_kernel_set<float>(k, [](auto set) { return decltype(set)::template Ops<float>::width; });
  auto round = [&] { tbb::parallel_for(0, threads, [&](int t) { at(sink, t) = loop(static_cast<float>(t)); }); };
  round();
  double best = 1e30;
  for (int i = 0; i < 3; ++i) {
    const double t0 = wall_seconds();
    round();
    best = std::min(best, wall_seconds() - t0);
  }
  require(std::isfinite(sink[0]), "fma peak: no result");
  return 2.0 * 12 * static_cast<double>(width) * double(iters) * threads / best / 1e9;
}

// --- gemm: Eigen's float GEMM, one independent 1024^3 product per thread
struct GemmOptions {
  std::string json;
  int threads = 1;
  index_t size = 1024;
};

int cmd_gemm(const GemmOptions& o) {
  const int threads = o.threads;
  const index_t n = o.size;
  set_threads(threads);
  using M = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic>;
  std::vector<M> A(threads, M::Random(n, n)), B(threads, M::Random(n, n)), C(threads, M::Zero(n, n));
  auto round = [&](int reps) {
    tbb::parallel_for(0, threads, [&](int t) {
      for (int r = 0; r < reps; ++r) C[t].noalias() = A[t] * B[t];
    });
  };
  round(1);
  double best = 1e30;
  const int reps = 3;
  for (int i = 0; i < 5; ++i) {
    const double t0 = wall_seconds();
    round(reps);
    best = std::min(best, wall_seconds() - t0);
  }
  const double gflops = 2.0 * double(n) * double(n) * double(n) * reps * threads / best / 1e9;
  // FMA peak of every kernel set this CPU runs, the set in use first.
  json peaks = json::object();
  for (KernelSet k : supported_kernel_sets()) peaks[kernel_set_name(k)] = fma_peak_gflops(k, threads);
  emit(json{{"threads", threads},
            {"size", n},
            {"gflops", gflops},
            {"kernel_set", kernel_set_name(kernel_set())},
            {"fma_peak_gflops", peaks[kernel_set_name(kernel_set())]},
            {"fma_peaks_gflops", peaks},
            {"checksum", double(C[0].sum())}},
       o.json);
  return 0;
}

// --- parse: Data::from_fasta on one core, plain and gzipped
struct ParseOptions {
  std::string json;
  index_t records = 1'000'000, length = 200;
};

int cmd_parse(const ParseOptions& o) {
  const index_t records = o.records, L = o.length;
  set_threads(1);
  const fs::path dir = fs::temp_directory_path() / ("sster_bench_parse_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  // Two class files of random RNA, 60-letter lines (as most FASTA files wrap).
  RandomStream rng(RandomKey(3, Purpose::simulate));
  std::vector<std::string> plain, gz;
  double bytes = 0;
  for (int c = 0; c < 2; ++c) {
    const std::string p = (dir / ("class" + std::to_string(c) + ".fa")).string();
    std::string text;
    text.reserve(to_size((records / 2 + 1) * (L + L / 60 + 20)));
    for (index_t i = c; i < records; i += 2) {
      text += ">seq_";
      text += std::to_string(i);
      text += '\n';
      std::uint64_t bits = 0;
      for (index_t t = 0; t < L; ++t) {
        if (t % 32 == 0) bits = rng.next_bits();  // 2 bits a letter
        text += "ACGU"[bits & 3];
        bits >>= 2;
        if ((t + 1) % 60 == 0 || t + 1 == L) text += '\n';
      }
    }
    std::ofstream(p, std::ios::binary).write(text.data(), static_cast<std::streamsize>(text.size()));
    const double g0 = wall_seconds();
    gzFile f = gzopen((p + ".gz").c_str(), "wb1");  // level 1: level 6 takes 15 s here and inflates no faster
    gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
    gzclose(f);
    std::cerr << "parse: wrote " << text.size() / 1e6 << " MB, gzip took " << wall_seconds() - g0 << " s\n";
    bytes += static_cast<double>(text.size());
    plain.push_back(p);
    gz.push_back(p + ".gz");
  }
  double gz_bytes = 0;
  for (const auto& f : gz) gz_bytes += static_cast<double>(fs::file_size(f));
  auto load = [&](const std::vector<std::string>& files, double& wall, double& peak, double& data_mb) {
    const double before = bench::rss_mb();
    bench::reset_peak_rss();
    const double c0 = thread_seconds(), w0 = wall_seconds();
    {
      const Data d = Data::from_fasta(files, alphabet::rna());
      wall = thread_seconds() - c0;
      (void)w0;
      peak = bench::peak_rss_mb() - before;
      data_mb = static_cast<double>(d.memory_bytes()) / (1 << 20);
      require(d.size() == records, "parse: record count");
    }
  };
  double t_plain = 0, t_gz = 0, peak_plain = 0, peak_gz = 0, data_mb = 0;
  load(plain, t_plain, peak_plain, data_mb);
  load(gz, t_gz, peak_gz, data_mb);
  fs::remove_all(dir);
  emit(json{{"records", records},
            {"length", L},
            {"fasta_mb", bytes / 1e6},
            {"gz_mb", gz_bytes / 1e6},
            {"plain_seconds", t_plain},
            {"gz_seconds", t_gz},
            {"plain_mb_per_s", bytes / 1e6 / t_plain},
            {"gz_mb_per_s", bytes / 1e6 / t_gz},
            {"gz_compressed_mb_per_s", gz_bytes / 1e6 / t_gz},
            {"rss_increase_mb", std::max(peak_plain, peak_gz)},
            {"data_memory_mb", data_mb}},
       o.json);
  return 0;
}

// --- kernels: _ref vs fast on one chunk of the default network (CPU time, best of 5)
template <class F>
double best_ms(F&& f, int reps = 5) {
  f();
  double best = 1e30;
  for (int i = 0; i < reps; ++i) {
    const double t0 = thread_seconds();
    f();
    best = std::min(best, thread_seconds() - t0);
  }
  return best * 1e3;
}

struct KernelsOptions {
  std::string json;
  index_t kernels = 30;  // kernel_num of both convolutions
};

int cmd_kernels(const KernelsOptions& o) {
  set_threads(1);
  const index_t B = Engine<float>::default_chunk, K = o.kernels;
  const kernels::ConvShape s1{B, 200, 4, K, 25}, s2{B, 88, K, K, 25};
  const kernels::FusedPool p{2, 2, true};
  RandomStream rng(RandomKey(2, Purpose::simulate));
  auto fill = [&](std::vector<float>& v, index_t n) {
    v.resize(to_size(n));
    for (auto& x : v) x = static_cast<float>(rng.uniform(-0.5, 0.5));
  };
  std::vector<std::uint8_t> sym(to_size(B * 200));
  for (auto& x : sym) x = static_cast<std::uint8_t>(rng.below(4));
  std::vector<float> w1, b1, scale(sym.size(), 1 / 0.9f), y1, g1, dw1, db1, x2, w2, b2, y2, g2, dx2, dw2, db2;
  fill(w1, 25 * 4 * K);
  fill(b1, K);
  fill(x2, B * 88 * K);
  fill(w2, 25 * K * K);
  fill(b2, K);
  y1.resize(to_size(B * 88 * K));
  fill(g1, ssize(y1));
  y2.resize(to_size(B * 32 * K));
  fill(g2, ssize(y2));
  dw1.resize(w1.size());
  db1.resize(to_size(K));
  dw2.resize(w2.size());
  db2.resize(to_size(K));
  dx2.resize(x2.size());
  std::vector<std::int32_t> a1(y1.size()), a2(y2.size());
  kernels::ConvScratch<float> sc;
  json rows = json::array();
  auto row = [&](const std::string& name, double flops, double ref_ms, double fast_ms) {
    rows.push_back({{"kernel", name}, {"ref_ms", ref_ms}, {"fast_ms", fast_ms}, {"fast_gflops", flops / fast_ms / 1e6}});
  };
  const double f1 = 2.0 * B * 176 * 25 * K, f2 = 2.0 * B * 64 * 25 * K * K;
  const int ref_reps = K > 30 ? 1 : 2;  // the reference loops take seconds on wide layers
  row("conv1 gather+pool forward", f1,
      best_ms([&] { kernels::gather_conv1d_pool_forward_ref(sym.data(), scale.data(), w1.data(), b1.data(), y1.data(), a1.data(), s1, p); }, ref_reps),
      best_ms([&] { kernels::gather_conv1d_pool_forward(sym.data(), scale.data(), w1.data(), b1.data(), y1.data(), a1.data(), s1, p, sc); }));
  row("conv1 gather+pool backward", f1,
      best_ms([&] { kernels::gather_conv1d_pool_backward_ref(sym.data(), scale.data(), y1.data(), a1.data(), g1.data(), dw1.data(), db1.data(), s1, p); }, ref_reps),
      best_ms([&] { kernels::gather_conv1d_pool_backward(sym.data(), scale.data(), y1.data(), a1.data(), g1.data(), dw1.data(), db1.data(), s1, p, sc); }));
  row("conv2 conv+pool forward", f2,
      best_ms([&] { kernels::conv1d_pool_forward_ref(x2.data(), w2.data(), b2.data(), y2.data(), a2.data(), s2, p); }, ref_reps),
      best_ms([&] { kernels::conv1d_pool_forward(x2.data(), w2.data(), b2.data(), y2.data(), a2.data(), s2, p, sc); }));
  row("conv2 conv+pool backward (dW, dx)", f2 + 2.0 * B * 88 * 25 * K * K,
      best_ms([&] { kernels::conv1d_pool_backward_ref(x2.data(), w2.data(), y2.data(), a2.data(), g2.data(), dx2.data(), dw2.data(), db2.data(), s2, p); }, ref_reps),
      best_ms([&] { kernels::conv1d_pool_backward(x2.data(), w2.data(), y2.data(), a2.data(), g2.data(), dx2.data(), dw2.data(), db2.data(), s2, p, sc); }));
  // Winograd's algorithm (kernels/winograd_conv1d.hpp) on the same shapes:
  // its GFLOP/s count the direct convolution's multiply-adds, as PyTorch's do.
  const auto fastest = kernels::ConvAlgorithm::fastest;
  row("conv2 conv+pool forward, Winograd", f2,
      best_ms([&] { kernels::conv1d_pool_forward_ref(x2.data(), w2.data(), b2.data(), y2.data(), a2.data(), s2, p); }, ref_reps),
      best_ms([&] { kernels::conv1d_pool_forward(x2.data(), w2.data(), b2.data(), y2.data(), a2.data(), s2, p, sc, fastest); }));
  row("conv2 conv+pool backward, Winograd", f2 + 2.0 * B * 88 * 25 * K * K,
      best_ms([&] { kernels::conv1d_pool_backward_ref(x2.data(), w2.data(), y2.data(), a2.data(), g2.data(), dx2.data(), dw2.data(), db2.data(), s2, p); }, ref_reps),
      best_ms([&] { kernels::conv1d_pool_backward(x2.data(), w2.data(), y2.data(), a2.data(), g2.data(), dx2.data(), dw2.data(), db2.data(), s2, p, sc, fastest); }));
  // The set's FMA peak on this thread, in CPU time as the rows above.
  const long iters = 20'000'000;
  const double peak_ms = best_ms([&] {
    const float sum = kernels::with_kernels<float>([&](auto set) { return decltype(set)::fma_probe(iters, 1.f); });
    require(std::isfinite(sum), "fma peak: no result");
  }, 3);
  const double peak = 24.0 * double(kernels::vector_width<float>()) * double(iters) / peak_ms / 1e6;
  emit(json{{"chunk", B}, {"kernel_num", K}, {"kernel_set", kernel_set_name(kernel_set())}, {"fma_peak_gflops", peak},
            {"rows", rows}},
       o.json);
  return 0;
}

// --- check-torch: a reference (netlib) BLAS makes the baseline meaningless
bool torch_ok(const json& t, std::string& why) {
  const double blas = t.value("blas_probe_gflops", 0.0);
  const int threads = t.value("threads", 1);
  // A reference BLAS shows at one thread (a few GFLOP/s); with two, a busy
  // machine can halve an optimised one (OpenBLAS measured 9.2 GFLOP/s at load
  // 25), which is no reason to stop.
  if (threads == 1 && blas < 10.0) {  // the reference script's own threshold
    char gf[32];
    std::snprintf(gf, sizeof gf, "%.1f", blas);
    why = "PyTorch's BLAS runs a 512^3 matmul at " + std::string(gf) + " GFLOP/s with " +
          std::to_string(threads) +
          " thread(s): that is a reference BLAS, and a ratio against it would be meaningless. Install an optimised "
          "BLAS (e.g. apt-get install libopenblas0-pthread) and check with "
          "'update-alternatives --display libblas.so.3-x86_64-linux-gnu'.";
    return false;
  }
  return true;
}

int cmd_check_torch(const std::vector<std::string>& files) {
  for (const auto& file : files) {
    std::ifstream in(file);
    require(in.good(), "check-torch: cannot read " + file);
    std::string line, last;
    while (std::getline(in, line))
      if (!line.empty()) last = line;
    std::string why;
    if (!torch_ok(json::parse(last), why)) {
      std::cerr << "bench FAILED: " << why << "\n";
      return 1;
    }
  }
  return 0;
}

// --- report
std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}
std::string thousands(double v) {
  const std::string digits = std::to_string(static_cast<long long>(v + 0.5));
  std::string s;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s.push_back(',');
    s.push_back(digits[i]);
  }
  return s;
}
json read_json(const fs::path& p);
// The runs <prefix>_<r>.json of one measurement merged: the best of every
// throughput figure (other load only ever slows a run), the highest peak RSS,
// and every run's figures under "runs".
json read_best(const fs::path& dir, const std::string& prefix) {
  std::vector<json> runs;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix + "_", 0) == 0 && name.size() > 5 && name.substr(name.size() - 5) == ".json")
      runs.push_back(read_json(e.path()));
  }
  require(!runs.empty(), "report: no " + prefix + "_*.json in " + dir.string());
  json best = runs[0];
  best["runs"] = json::array();
  for (const auto& r : runs) {
    // r.value, not r[]: a missing key of a const json is undefined behaviour,
    // and ONNX Runtime's runs have no training figure (null here).
    best["runs"].push_back(
        {{"train", r.value("train_samples_per_s", json())}, {"infer", r.value("infer_samples_per_s", json())}});
    for (const char* k : {"train_samples_per_s", "infer_samples_per_s", "train_gflops_per_s", "infer_gflops_per_s",
                          "peak_rss_mb", "train_cpu_share", "blas_probe_gflops"})
      if (r.contains(k) && (!best.contains(k) || r[k].get<double>() > best[k].get<double>())) best[k] = r[k];
  }
  return best;
}

json read_json(const fs::path& p) {
  std::ifstream in(p);
  require(in.good(), "report: missing " + p.string());
  return json::parse(in);
}

struct Table {
  std::vector<std::string> head;
  std::vector<std::vector<std::string>> rows;
  std::string markdown() const {
    std::vector<std::size_t> w(head.size());
    for (std::size_t c = 0; c < head.size(); ++c) {
      w[c] = head[c].size();
      for (const auto& r : rows) w[c] = std::max(w[c], r[c].size());
    }
    auto line = [&](const std::vector<std::string>& cells) {
      std::string s = "|";
      for (std::size_t c = 0; c < cells.size(); ++c) {
        s.push_back(' ');
        if (c > 0) s.append(w[c] - cells[c].size(), ' ');  // numbers right-aligned
        s.append(cells[c]);
        if (c == 0) s.append(w[c] - cells[c].size(), ' ');
        s.append(" |");
      }
      s.push_back('\n');
      return s;
    };
    std::string s = line(head);
    s.push_back('|');
    for (std::size_t c = 0; c < head.size(); ++c) {
      s.append(c == 0 ? " :" : " ");
      s.append(w[c] - 1, '-');
      s.append(c == 0 ? " |" : ": |");
    }
    s.push_back('\n');
    for (const auto& r : rows) s += line(r);
    return s;
  }
};

// LSTM and GRU rows (2 threads), when bench/run.sh measured them.
std::string recurrent_section(const fs::path& dir) {
  Table t{{"network", "", "sster samples/s", "PyTorch samples/s", "sster / PyTorch", "sster GFLOP/s"}, {}};
  std::string runs;
  for (const std::string rnn : {"LSTM", "GRU"}) {
    if (!fs::exists(dir / ("sster_" + rnn + "_1.json"))) continue;
    const json s = read_best(dir, "sster_" + rnn), p = read_best(dir, "torch_" + rnn);
    for (const std::string kind : {"train", "infer"}) {
      const double a = s[kind + "_samples_per_s"].get<double>(), b = p[kind + "_samples_per_s"].get<double>();
      t.rows.push_back({rnn, kind == "train" ? "training" : "inference", thousands(a), thousands(b), fmt("%.2f", a / b),
                        fmt("%.0f", s[kind + "_gflops_per_s"].get<double>())});
    }
    for (const auto* j : {&s, &p})
      for (const auto& x : (*j)["runs"])
        runs += std::string(runs.empty() ? "" : ", ") + (j == &s ? "sster " : "PyTorch ") + rnn + " " +
                thousands(x["train"].get<double>()) + "/" + thousands(x["infer"].get<double>());
  }
  if (t.rows.empty()) return "";
  return "## Recurrent networks (2 threads, PUM2, default conv stack + rnn_type, 32 units, bidirectional)\n\n" +
         t.markdown() +
         "\n- PyTorch: bench/torch_rnn_reference.py, the reference with pysster's recurrent block in PyTorch's fused "
         "nn.LSTM / nn.GRU (sigmoid gates, GRU reset_after), the fastest recurrent path it has on a CPU\n"
         "- all runs (train/infer samples/s): " + runs + "\n\n";
}

// Test ROC-AUC / PR-AUC of the default model, when bench/run.sh measured it.
std::string accuracy_section(const fs::path& dir) {
  Table t{{"data", "trained by", "train/val/test", "epochs", "test ROC-AUC", "test PR-AUC"}, {}};
  for (const auto& [set, label] : {std::pair{"artificial", "planted motifs (DNA)"}, std::pair{"pum2", "PUM2 (RNA)"}})
    for (const auto& [who, name] : {std::pair{"sster", "sster"}, std::pair{"torch", "PyTorch reference"}}) {
      const fs::path p = dir / ("accuracy_" + std::string(set) + "_" + who + ".json");
      if (!fs::exists(p)) continue;
      const json j = read_json(p);
      t.rows.push_back({label, name,
                        std::to_string(j["n_train"].get<long>()) + "/" + std::to_string(j["n_val"].get<long>()) + "/" +
                            std::to_string(j["n_test"].get<long>()),
                        std::to_string(j["epochs_run"].get<long>()), fmt("%.4f", j["roc_auc"].get<double>()),
                        fmt("%.4f", j["pr_auc"].get<double>())});
    }
  if (t.rows.empty()) return "";
  return "## Accuracy (default parameters, early stopping, seeded 70/15/15 split; positives = class 0)\n\n" +
         t.markdown() +
         "\n- PyTorch: ../shared/bench/torch_reference.py --mode train (same split rule, its own seeded "
         "permutation)\n\n";
}

// int8 inference against float32 on the accuracy runs' trained models:
// test ROC-AUC both ways, and inference samples/s per kernel set.
std::string int8_section(const fs::path& dir) {
  Table t{{"data", "test ROC-AUC float32", "int8", "difference", "kernels", "infer samples/s float32", "int8",
           "int8 / float32"},
          {}};
  for (const auto& [set, label] : {std::pair{"artificial", "planted motifs (DNA)"}, std::pair{"pum2", "PUM2 (RNA)"}}) {
    const fs::path p = dir / ("accuracy_" + std::string(set) + "_sster.json");
    if (!fs::exists(p)) continue;
    const json j = read_json(p);
    if (!j.contains("roc_auc_int8")) continue;
    const double f = j["roc_auc"].get<double>(), q = j["roc_auc_int8"].get<double>();
    for (const auto& speed : j["infer_samples_per_s"]) {
      const double a = speed["float32"].get<double>(), b = speed["int8"].get<double>();
      t.rows.push_back({label, fmt("%.4f", f), fmt("%.4f", q), fmt("%+.4f", q - f), speed["kernels"].get<std::string>(),
                        thousands(a), thousands(b), fmt("%.2f", b / a)});
    }
  }
  if (t.rows.empty()) return "";
  return "## int8 inference (predict --precision int8; the accuracy runs' models, calibrated on their training "
         "sets)\n\n" +
         t.markdown() +
         "\n- samples/s: Model::predict over every record of the set, 2 threads, best of 5 per precision, "
         "interleaved; the avx512 set uses the AVX-512 VNNI byte dot product where the CPU has it, the avx2 set "
         "vpmaddubsw\n\n";
}

struct GenomeOptions {
  bench::GenomeBenchOptions measure;
  std::string json;
};

int cmd_genome(const GenomeOptions& o) {
  json j = bench::measure_genome(o.measure);
  j["cpu"] = cpu_model();
  emit(j, o.json);
  return 0;
}

// Scan speed-up and variants/s, when bench/run.sh measured them (the best of
// each rate over the runs, as for throughput).
std::string genome_section(const fs::path& dir) {
  std::vector<json> runs;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("genome_", 0) == 0 && name.ends_with(".json")) runs.push_back(read_json(e.path()));
  }
  if (runs.empty()) return "";
  auto best = [&](const char* key) {
    double b = 0;
    for (const auto& r : runs) b = std::max(b, r[key].get<double>());
    return b;
  };
  const json& r = runs.front();
  const double scan = best("scan_positions_per_s"), window = best("per_window_positions_per_s");
  double worst = 0;
  std::string all;
  for (const auto& x : runs) {
    worst = std::max(worst, x["max_abs_difference"].get<double>());
    all += (all.empty() ? "" : ", ") + fmt("%.1fx", x["scan_speedup"].get<double>());
  }
  Table t{{"", "threads", "rate", "unit"}, {}};
  t.rows.push_back({"scan, stride 1 (convolutions shared)", std::to_string(r["threads"].get<int>()), thousands(scan),
                    "positions/s"});
  if (r.contains("scan_int8_positions_per_s"))
    t.rows.push_back({"the same scan, --precision int8", std::to_string(r["threads"].get<int>()),
                      thousands(best("scan_int8_positions_per_s")), "positions/s"});
  t.rows.push_back({"the same windows one by one (predict)", std::to_string(r["threads"].get<int>()), thousands(window),
                    "positions/s"});
  t.rows.push_back({"scan speed-up", "", fmt("%.1fx", scan / window), ""});
  t.rows.push_back({"variant effects (vep)", std::to_string(r["threads"].get<int>()), thousands(best("vep_variants_per_s")),
                    "variants/s"});
  return "## Genome scale (" + std::to_string(r["threads"].get<int>()) + " threads, default architecture, windows of " +
         std::to_string(r["length"].get<int>()) + ", one random sequence of " + thousands(r["bases"].get<double>()) +
         " bases)\n\n" + t.markdown() +
         "\n- scan: every window of the sequence at stride 1, bigWig/bedGraph output not included; one by one: the "
         "first " + thousands(r["per_window_windows"].get<double>()) +
         " windows, batches of 4096 through Model::predict; largest difference between the two: " +
         fmt("%.1e", worst) + "\n- vep: " + thousands(r["variants"].get<double>()) +
         " variants (SNVs, 10% deletions, 10% insertions) through VariantEffects, TSV rows formatted\n"
         "- speed-up of every run: " + all + "\n\n";
}

// The Python package's section (bench/python_overhead.py's Markdown), when
// bench/run.sh measured it.
std::string python_section(const fs::path& dir) {
  if (!fs::exists(dir / "python.md")) return "";
  std::stringstream text;
  text << std::ifstream(dir / "python.md").rdbuf();
  return text.str() + "\n";
}

// RNA folding speed (bench/fold_bench speed), when bench/run.sh measured it.
// Its title must not start with "Folding": that section is bench/fold_run.sh's
// (ViennaRNA and LinearFold alongside) and is kept from the previous file.
std::string fold_speed_section(const fs::path& dir) {
  if (!fs::exists(dir / "fold_speed.json")) return "";
  const json f = read_json(dir / "fold_speed.json");
  Table t{{"length", "MFE seq/s", "partition function seq/s", "RNAplfold W = L = 70 seq/s"}, {}};
  for (std::size_t k = 0; k < f["lengths"].size(); ++k)
    t.rows.push_back({std::to_string(f["lengths"][k].get<int>()), fmt("%.1f", f["mfe"][k].get<double>()),
                      fmt("%.1f", f["partition"][k].get<double>()), fmt("%.1f", f["plfold"][k].get<double>())});
  const json& g = f["growth"];
  return "## RNA folding speed (" + std::to_string(f["threads"].get<int>()) +
         " threads, random ACGU, bench/fold_bench speed)\n\n" + t.markdown() +
         "\n- growth exponent of the time per sequence (least squares over the lengths; cubic algorithms): MFE " +
         fmt("%.2f", g["mfe"].get<double>()) + ", partition function " + fmt("%.2f", g["partition"].get<double>()) +
         ", RNAplfold " + fmt("%.2f", g["plfold"].get<double>()) +
         "\n- against ViennaRNA and LinearFold, and the whole PUM2 set: the Folding section below "
         "(bench/fold_run.sh)\n\n";
}

// The Attribution section from bench/attribution_run.sh's results: sster's
// sequences/s per method and, when the anchor ran, tangermeme's on the same
// network, sequences and references, with the agreement of the two.
std::string attribution_section(const fs::path& dir) {
  const json a = read_json(dir / "attribution.json");
  const bool anchor = fs::exists(dir / "tangermeme.json");
  const json t = anchor ? read_json(dir / "tangermeme.json") : json::object();
  const auto& m = a["methods"];
  auto rate = [&](const char* key) { return m[key].get<double>(); };
  Table tab{{"method", "sster sequences/s", "tangermeme sequences/s", "sster / tangermeme", "agreement (Pearson r)"}, {}};
  auto row = [&](const std::string& label, double sster, const char* tm, const char* r) {
    const bool has = anchor && tm != nullptr;
    tab.rows.push_back({label, thousands(sster), has ? thousands(t[tm].get<double>()) : "",
                        has ? fmt("%.1f", sster / t[tm].get<double>()) : "", has ? fmt("%.5f", t[r].get<double>()) : ""});
  };
  row("ISM, exact fast", rate("ism"), "ism_seq_per_s", "ism_pearson");
  row("ISM, naive (every variant through the network)", a["ism_naive_seq_per_s"].get<double>(), nullptr, nullptr);
  row("saliency", rate("saliency"), nullptr, nullptr);
  row("gradient x input", rate("gradxinput"), nullptr, nullptr);
  row("DeepLIFT-SHAP (" + std::to_string(a["references"].get<int>()) + " references)", rate("deeplift"),
      "deeplift_seq_per_s", "deeplift_pearson");
  row("integrated gradients (" + std::to_string(a["steps"].get<int>()) + " steps)", rate("ig"), nullptr, nullptr);
  std::ostringstream md;
  md << "## Attribution (" << a["threads"].get<int>() << " threads, " << a["cpu"].get<std::string>() << ")\n\n";
  md << "Written by bench/attribution_run.sh (part of `tools/run bench`). pysster's default network trained "
     << a["epochs"].get<int>() << " epochs on PUM2 (length " << a["length"].get<int>() << "), explained on class 0's logit for "
     << a["sequences"].get<int>() << " test records; best of 3 runs each.\n\n";
  md << tab.markdown() << "\n";
  md << "- exact fast ISM vs naive ISM: **" << fmt("%.1f", a["ism_fast_seq_per_s"].get<double>() / a["ism_naive_seq_per_s"].get<double>())
     << "x** (" << thousands(a["ism_fast_seq_per_s"].get<double>()) << " vs " << thousands(a["ism_naive_seq_per_s"].get<double>())
     << " sequences/s, naive on " << a["naive_sequences"].get<int>() << " records), largest difference "
     << fmt("%.2g", a["ism_max_difference"].get<double>()) << " (largest change " << fmt("%.3g", a["ism_largest_change"].get<double>())
     << ")\n";
  if (anchor) {
    md << "- tangermeme " << t["tangermeme"].get<std::string>() << " on PyTorch " << t["torch"].get<std::string>()
       << " (bench/.venv), " << t["threads"].get<int>() << " threads, batch " << t["batch"].get<int>()
       << ": saturation_mutagenesis (its defaults: it takes its own fast path only for jobs above 30 s) and "
          "deep_lift_shap given sster's references, on the network rebuilt from `sster export-json` "
          "(bench/tangermeme_anchor.py; its logits within "
       << fmt("%.1g", t["logit_max_difference"].get<double>()) << " of sster's); largest differences "
       << fmt("%.2g", t["ism_max_difference"].get<double>()) << " (ISM), " << fmt("%.2g", t["deeplift_max_difference"].get<double>())
       << " (DeepLIFT-SHAP)\n";
    for (const auto& w : t["warnings"]) md << "- tangermeme warned: " << w.get<std::string>() << "\n";
  } else {
    md << "- the tangermeme anchor did not run (bench/.venv without torch and tangermeme; see bench/attribution_run.sh)\n";
  }
  return md.str() + "\n";
}

// Replaces the "## Attribution" section of `results` (or puts it before
// "## Folding", or at the end).
int cmd_attribution_report(const std::string& dir, const std::string& results) {
  const std::string section = attribution_section(dir);
  std::cout << section;
  if (results.empty()) return 0;
  std::stringstream previous;
  previous << std::ifstream(results).rdbuf();
  std::string text = previous.str();
  const auto begin = text.find("## Attribution");
  if (begin != std::string::npos) {
    const auto end = text.find("\n## ", begin);
    text.replace(begin, end == std::string::npos ? std::string::npos : end + 1 - begin, section);
  } else {
    const auto folding = text.find("## Folding");
    text.insert(folding == std::string::npos ? text.size() : folding, section);
  }
  std::ofstream(results) << text;
  return 0;
}

int cmd_attribution(const bench::AttributionBenchOptions& o) {
  emit(bench::run_attribution_bench(o, cpu_model()), o.json);
  return 0;
}

// "PyTorch 1.13.0" from a reference result.
std::string torch_label(const json& t) {
  const std::string v = t.value("torch", std::string("?"));
  return "PyTorch " + v.substr(0, v.find_first_of("a+"));
}

// Wide networks (kernel_num 100 and 300, length 200), when bench/run.sh
// measured them: sster against both PyTorch builds and ONNX Runtime.
std::string wide_section(const fs::path& dir, double peak) {
  Table t{{"kernel_num", "", "samples", "sster samples/s", "PyTorch (Debian)", "PyTorch (PyPI)", "ONNX Runtime",
           "sster / faster PyTorch", "sster / ONNX Runtime", "sster % of peak"},
          {}};
  std::string runs, versions;
  for (const int K : {100, 300}) {
    const std::string k = "k" + std::to_string(K);
    if (!fs::exists(dir / ("sster_" + k + "_1.json"))) continue;
    const json s = read_best(dir, "sster_" + k), a = read_best(dir, "torch_" + k), b = read_best(dir, "torch2_" + k),
               x = read_best(dir, "ort_" + k);
    versions = torch_label(a) + " (Debian) and " + torch_label(b) + " (PyPI)";
    for (const std::string kind : {"train", "infer"}) {
      const std::string key = kind + "_samples_per_s";
      const bool infer = kind == "infer";
      const double v = s[key].get<double>(), faster = std::max(a[key].get<double>(), b[key].get<double>());
      t.rows.push_back({std::to_string(K), infer ? "inference" : "training", thousands(s["samples"].get<double>()),
                        thousands(v), thousands(a[key].get<double>()), thousands(b[key].get<double>()),
                        infer ? thousands(x[key].get<double>()) : "-", fmt("%.2f", v / faster),
                        infer ? fmt("%.2f", v / x[key].get<double>()) : "-",
                        fmt("%.0f%%", 100 * s[kind + "_gflops_per_s"].get<double>() / peak)});
    }
    for (const auto& [who, j] : {std::pair{"sster", &s}, std::pair{"PyTorch (Debian)", &a}, std::pair{"PyTorch (PyPI)", &b}})
      for (const auto& r : (*j)["runs"])
        runs += std::string(runs.empty() ? "" : ", ") + who + " " + std::to_string(K) + " " +
                thousands(r["train"].get<double>()) + "/" + thousands(r["infer"].get<double>());
  }
  if (t.rows.empty()) return "";
  return "## Wide networks (pysster's grid-search range: kernel_num 100 and 300, length 200, 2 threads)\n\n" +
         t.markdown() +
         "\n- the first PUM2 sequences of each class (512 each at kernel_num 100, 128 at 300), one timed training "
         "epoch after the warm-up, then one prediction pass; " + versions +
         " run the same script; % of peak: sster's GFLOP/s (PyTorch's count) of the 2-thread FMA peak\n"
         "- all runs (train/infer samples/s): " + runs + "\n\n";
}

// The kernels table of <name>.json, when bench/run.sh measured it.
std::string kernels_section(const fs::path& dir, const std::string& name, const std::string& title_note) {
  if (!fs::exists(dir / (name + ".json"))) return "";
  const json k = read_json(dir / (name + ".json"));
  const double peak = k.value("fma_peak_gflops", 0.0);
  Table kt{{"kernel", "_ref ms", "fast ms", "speed-up", "fast GFLOP/s", "% of peak"}, {}};
  for (const auto& r : k["rows"])
    kt.rows.push_back({r["kernel"].get<std::string>(), fmt("%.2f", r["ref_ms"].get<double>()),
                       fmt("%.3f", r["fast_ms"].get<double>()),
                       fmt("%.0fx", r["ref_ms"].get<double>() / r["fast_ms"].get<double>()),
                       fmt("%.0f", r["fast_gflops"].get<double>()),
                       fmt("%.0f%%", 100 * r["fast_gflops"].get<double>() / peak)});
  return "## Kernels" + title_note + ": reference loops vs fast, one chunk of " + std::to_string(k["chunk"].get<int>()) +
         " samples (default shapes, 1 thread, CPU time)\n\n" + kt.markdown() + "\n- % of peak: of the kernel set's " +
         "one-thread FMA peak measured in the same process (" + fmt("%.0f", peak) + " GFLOP/s)\n" +
         "- Winograd rows: kernels/winograd_conv1d.hpp on the same shapes, their GFLOP/s counting the direct " +
         "convolution's multiply-adds (as PyTorch's count does), so they can pass the peak\n\n";
}

// The length x kernel_num table of <prefix>_L_K_<run>.json, best of the runs.
std::string scaling_section(const fs::path& dir, const std::string& prefix, double peak, const std::string& title_note) {
  std::vector<json> scaling;
  for (int L : {100, 200, 500, 1000})
    for (int K : {30, 100, 300}) {
      const std::string p = prefix + "_" + std::to_string(L) + "_" + std::to_string(K);
      if (fs::exists(dir / (p + "_1.json"))) scaling.push_back(read_best(dir, p));
    }
  if (scaling.empty()) return "";
  auto of_peak = [&](const json& j, const char* key) { return fmt("%.0f%%", 100 * j[key].get<double>() / peak); };
  Table st{{"length", "kernel_num", "samples", "train samples/s", "infer samples/s", "train GFLOP/s", "infer GFLOP/s",
            "train % of peak", "infer % of peak"},
           {}};
  for (const auto& s : scaling)
    st.rows.push_back({std::to_string(s["length"].get<int>()), std::to_string(s["kernel_num"].get<int>()),
                       thousands(s["samples"].get<double>()), thousands(s["train_samples_per_s"].get<double>()),
                       thousands(s["infer_samples_per_s"].get<double>()), fmt("%.0f", s["train_gflops_per_s"].get<double>()),
                       fmt("%.0f", s["infer_gflops_per_s"].get<double>()), of_peak(s, "train_gflops_per_s"),
                       of_peak(s, "infer_gflops_per_s")});
  return "## Scaling" + title_note + " (2 threads, random sequences, default architecture with kernel_num K, best of " +
         std::to_string(scaling.front()["runs"].size()) + " runs)\n\n" + st.markdown() +
         "\n- % of peak: of the 2-thread FMA peak of the kernel set (" + fmt("%.0f", peak) + " GFLOP/s)\n\n";
}

// The AVX2 kernel set measured beside the widest one (bench/run.sh does on
// an AVX-512 CPU): the same runs, interleaved with the others.
std::string avx2_section(const fs::path& dir, const json& t1, const json& t2, const json& u1, const json& u2,
                         const json& x1, const json& x2, const json& g2) {
  if (!fs::exists(dir / "sster_avx2_1_1.json")) return "";
  const json a1 = read_best(dir, "sster_avx2_1"), a2 = read_best(dir, "sster_avx2_2");
  const double peak = g2["fma_peaks_gflops"]["avx2"].get<double>();
  Table t{{"", "threads", "sster (avx2) samples/s", "sster (avx2) / faster PyTorch", "sster (avx2) / ONNX Runtime",
           "sster (avx2) GFLOP/s", "% of the avx2 peak"},
          {}};
  for (const std::string kind : {"train", "infer"})
    for (int th : {1, 2}) {
      const std::string key = kind + "_samples_per_s";
      const bool infer = kind == "infer";
      const json& a = th == 1 ? a1 : a2;
      const double v = a[key].get<double>();
      const double torch = std::max((th == 1 ? t1 : t2)[key].get<double>(), (th == 1 ? u1 : u2)[key].get<double>());
      const double gf = a[kind + "_gflops_per_s"].get<double>();
      t.rows.push_back({infer ? "inference" : "training", std::to_string(th), thousands(v), fmt("%.2f", v / torch),
                        infer ? fmt("%.2f", v / (th == 1 ? x1 : x2)[key].get<double>()) : "-", fmt("%.1f", gf),
                        th == 2 ? fmt("%.0f%%", 100 * gf / peak) : "-"});
    }
  std::string runs;
  for (const auto* j : {&a1, &a2})
    for (const auto& r : (*j)["runs"])
      runs += std::string(runs.empty() ? "" : ", ") + thousands(r["train"].get<double>()) + "/" +
              thousands(r["infer"].get<double>());
  std::string md =
      "## The AVX2 kernel set on this CPU (SSTER_KERNELS=avx2)\n\n"
      "The same binary with its AVX2+FMA kernels (8 floats, 16 registers), in the same runs as the tables above. "
      "This is **the AVX2 set on this AVX-512 CPU** (its caches, clocks and two 256-bit FMA pipes), not a measurement "
      "of a CPU that has AVX2 only.\n\n" +
      t.markdown() + "\n- all runs (train/infer samples/s, 1 then 2 threads): " + runs +
      "\n- % of the avx2 peak: of the 2-thread FMA peak of the AVX2 set (" + fmt("%.0f", peak) + " GFLOP/s)\n\n";
  // Wide networks with the AVX2 set.
  Table w{{"kernel_num", "", "sster (avx2) samples/s", "sster (avx2) / faster PyTorch", "sster (avx2) / ONNX Runtime",
           "% of the avx2 peak"},
          {}};
  for (const int K : {100, 300}) {
    const std::string k = "k" + std::to_string(K);
    if (!fs::exists(dir / ("sster_avx2_" + k + "_1.json"))) continue;
    const json a = read_best(dir, "sster_avx2_" + k), p = read_best(dir, "torch_" + k), q = read_best(dir, "torch2_" + k),
               x = read_best(dir, "ort_" + k);
    for (const std::string kind : {"train", "infer"}) {
      const std::string key = kind + "_samples_per_s";
      const bool infer = kind == "infer";
      const double v = a[key].get<double>();
      w.rows.push_back({std::to_string(K), infer ? "inference" : "training", thousands(v),
                        fmt("%.2f", v / std::max(p[key].get<double>(), q[key].get<double>())),
                        infer ? fmt("%.2f", v / x[key].get<double>()) : "-",
                        fmt("%.0f%%", 100 * a[kind + "_gflops_per_s"].get<double>() / peak)});
    }
  }
  if (!w.rows.empty()) md += "Wide networks (as above), AVX2 set:\n\n" + w.markdown() + "\n";
  return md + kernels_section(dir, "kernels_avx2", " (AVX2 set)") + scaling_section(dir, "scaling_avx2", peak, " (AVX2 set)");
}

struct ReportOptions {
  std::string dir, results;
  std::string machine, load_before, load;  // what the report says about the machine and its load
};

// The kernel set the sster runs used, as `sster --version` names it, and
// what it means on this CPU.
std::string kernel_set_line(const json& s) {
  const std::string used = s.value("kernel_set", std::string("?"));
  require(used == kernel_set_name(kernel_set()), "report: the sster runs used kernel set " + used +
                                                     ", this process " + kernel_set_name(kernel_set()) +
                                                     " (run the report with the same SSTER_KERNELS)");
  std::string line = "- kernel set: " + kernel_set_description() + "; int8 product: " + kernels::int8_kernels_name();
  const KernelSet widest = supported_kernel_sets().front();
  if (kernel_set() != widest)
    line += std::string("; **chosen by SSTER_KERNELS on a CPU that runs ") + kernel_set_name(widest) +
            "**: these are the " + kernel_set_name(kernel_set()) + " kernels on this CPU (its caches, clocks and "
            "ports), not a measurement of a CPU that has nothing wider";
  return line + "\n";
}

int cmd_report(const ReportOptions& o) {
  const fs::path dir = o.dir;
  // t: Debian's PyTorch, u: PyPI's, x: ONNX Runtime (inference only).
  const json t1 = read_best(dir, "torch_1"), t2 = read_best(dir, "torch_2");
  const json u1 = read_best(dir, "torch2_1"), u2 = read_best(dir, "torch2_2");
  const json x1 = read_best(dir, "ort_1"), x2 = read_best(dir, "ort_2");
  for (const auto* t : {&t1, &t2, &u1, &u2}) {
    std::string why;
    if (!torch_ok(*t, why)) {
      std::cerr << "bench FAILED: " << why << "\n";
      return 1;
    }
  }
  const json s1 = read_best(dir, "sster_1"), s2 = read_best(dir, "sster_2");
  const json g1 = read_json(dir / "gemm_1.json"), g2 = read_json(dir / "gemm_2.json");
  const std::string tl = torch_label(t2), ul = torch_label(u2),
                    xl = "ONNX Runtime " + x2.value("onnxruntime", std::string("?"));
  std::ostringstream md;
  char date[64];
  const std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M %Z", std::localtime(&now));
  md << "# sster benchmarks\n\n";
  md << "Written by `tools/run bench` (bench/run.sh, bench/sster_bench.cpp); run it again to refresh.\n\n";
  md << "- date: " << date << "\n";
  md << "- machine: " << machine_description();
  if (!o.machine.empty()) md << " (" << o.machine << ")";
  if (!o.load_before.empty()) md << "; load average " << o.load_before << " before the run";
  if (!o.load.empty()) md << ", " << o.load << " at its end";
  md << "\n" << kernel_set_line(s2);
  md << "- FMA peak of each kernel set, 2 threads (GFLOP/s):";
  for (const auto& [set, gf] : g2["fma_peaks_gflops"].items()) md << " " << set << " " << fmt("%.0f", gf.get<double>());
  md << "\n- " << tl << " (Debian, OpenBLAS; BLAS probe " << fmt("%.0f", t1.value("blas_probe_gflops", 0.0)) << " / "
     << fmt("%.0f", t2.value("blas_probe_gflops", 0.0)) << " GFLOP/s at 1 / 2 threads), " << ul
     << " (PyPI CPU build, oneDNN; BLAS probe " << fmt("%.0f", u1.value("blas_probe_gflops", 0.0)) << " / "
     << fmt("%.0f", u2.value("blas_probe_gflops", 0.0)) << "), " << xl << " (PyPI, CPU)\n";
  md << "- data: PUM2, " << thousands(s1["samples"].get<double>()) << " RNA sequences of length " << s1["length"].get<int>()
     << ", 2 classes; default pysster architecture (2 x [conv 30x25, pool 2], dense 100, dropout on)\n";
  md << "- method: " << s1["epochs"].get<int>()
     << " timed training epochs (batch 128: forward, backward, Adam, max-norm) after a warm-up, then one timed "
        "prediction pass over all sequences; data in memory, loading not timed. PyTorch (both builds, one script): "
        "../shared/bench/torch_reference.py --mode throughput, same rules; ONNX Runtime: bench/onnx_reference.py, "
        "the same network exported with torch.onnx.export, batches of 128, intra-op threads = threads. Each "
        "throughput run is repeated ("
     << s1["runs"].size()
     << "x, one process each, the references and sster interleaved) and the best run counts, for all; all runs "
        "are listed below the table.\n\n";

  md << "## sster vs PyTorch and ONNX Runtime (same CPU, same data)\n\n";
  Table main{{"", "threads", "sster samples/s", tl + " samples/s", ul + " samples/s", xl + " samples/s",
              "sster / " + tl, "sster / " + ul, "sster / ONNX Runtime"},
             {}};
  for (const std::string kind : {"train", "infer"})
    for (int th : {1, 2}) {
      const std::string key = kind + "_samples_per_s";
      const double a = (th == 1 ? s1 : s2)[key].get<double>(), b = (th == 1 ? t1 : t2)[key].get<double>(),
                   c = (th == 1 ? u1 : u2)[key].get<double>();
      const bool infer = kind == "infer";
      const double x = infer ? (th == 1 ? x1 : x2)[key].get<double>() : 0.0;
      main.rows.push_back({infer ? "inference" : "training", std::to_string(th), thousands(a), thousands(b), thousands(c),
                           infer ? thousands(x) : "-", fmt("%.2f", a / b), fmt("%.2f", a / c),
                           infer ? fmt("%.2f", a / x) : "-"});
    }
  md << main.markdown() << "\n";
  auto runs = [&](const json& j) {
    std::string r;
    for (const auto& x : j["runs"])
      r += (r.empty() ? "" : ", ") + thousands(x["train"].get<double>()) + "/" + thousands(x["infer"].get<double>());
    return r;
  };
  auto infer_runs = [&](const json& j) {
    std::string r;
    for (const auto& x : j["runs"]) r += (r.empty() ? "" : ", ") + thousands(x["infer"].get<double>());
    return r;
  };
  md << "- all runs (train/infer samples/s): sster 1 thread " << runs(s1) << "; 2 threads " << runs(s2) << "; " << tl
     << " 1 thread " << runs(t1) << "; 2 threads " << runs(t2) << "; " << ul << " 1 thread " << runs(u1)
     << "; 2 threads " << runs(u2) << "; " << xl << " (infer) 1 thread " << infer_runs(x1) << "; 2 threads "
     << infer_runs(x2) << "\n";
  md << "- CPU time sster's training got, per thread and wall-clock second (1.00 = the cores were its own): "
     << fmt("%.2f", s1.value("train_cpu_share", 0.0)) << " (1 thread), " << fmt("%.2f", s2.value("train_cpu_share", 0.0))
     << " (2 threads)\n";
  const double su_train = s2["train_samples_per_s"].get<double>() / s1["train_samples_per_s"].get<double>();
  const double su_infer = s2["infer_samples_per_s"].get<double>() / s1["infer_samples_per_s"].get<double>();
  const double share = std::min(s1.value("train_cpu_share", 1.0), s2.value("train_cpu_share", 1.0));
  if (share < 0.85)
    md << "- **warning: the machine was busy** (sster's training got " << fmt("%.0f", 100 * share)
       << "% of the CPU time its threads could have used): every figure here understates what an idle machine gives, "
          "PyTorch's 2-thread figures most (its OpenMP threads spin and wait on each other when a core is taken), so "
          "the 2-thread ratios overstate sster's lead; run again on an idle machine\n";
  md << "- 1 -> 2 threads speed-up: sster training " << fmt("%.2f", su_train) << "x, inference " << fmt("%.2f", su_infer)
     << "x (PyTorch " << fmt("%.2f", t2["train_samples_per_s"].get<double>() / t1["train_samples_per_s"].get<double>())
     << "x, " << fmt("%.2f", t2["infer_samples_per_s"].get<double>() / t1["infer_samples_per_s"].get<double>()) << "x)\n";
  md << "- peak RSS during sster training: " << fmt("%.1f", s1["peak_rss_mb"].get<double>()) << " MB (1 thread), "
     << fmt("%.1f", s2["peak_rss_mb"].get<double>()) << " MB (2 threads), data included\n\n";

  md << recurrent_section(dir) << accuracy_section(dir) << int8_section(dir) << genome_section(dir) << fold_speed_section(dir)
     << python_section(dir);

  md << "## Achieved GFLOP/s (PyTorch's FLOP count: conv and dense multiply-adds x 2)\n\n";
  Table fl{{"threads", "sster training", "sster inference", tl + " training", tl + " inference", ul + " training",
            ul + " inference", xl + " inference", "Eigen GEMM (1024^3)", "FMA peak"},
           {}};
  for (int th : {1, 2}) {
    const json& s = th == 1 ? s1 : s2;
    const json& g = th == 1 ? g1 : g2;
    auto gf = [](const json& j, const char* key) { return fmt("%.1f", j.value(key, 0.0)); };
    fl.rows.push_back({std::to_string(th), gf(s, "train_gflops_per_s"), gf(s, "infer_gflops_per_s"),
                       gf(th == 1 ? t1 : t2, "train_gflops_per_s"), gf(th == 1 ? t1 : t2, "infer_gflops_per_s"),
                       gf(th == 1 ? u1 : u2, "train_gflops_per_s"), gf(th == 1 ? u1 : u2, "infer_gflops_per_s"),
                       gf(th == 1 ? x1 : x2, "infer_gflops_per_s"), gf(g, "gflops"), gf(g, "fma_peak_gflops")});
  }
  md << fl.markdown() << "\n";
  const double peak2 = g2["fma_peak_gflops"].get<double>();
  auto of_peak = [&](const json& j, const char* key) { return fmt("%.0f%%", 100 * j[key].get<double>() / peak2); };
  md << "- 2 threads, share of the FMA peak of the kernel set in use (" << fmt("%.0f", peak2)
     << " GFLOP/s): training " << of_peak(s2, "train_gflops_per_s") << ", inference " << of_peak(s2, "infer_gflops_per_s")
     << "\n\nThe first layer reads one symbol per position, so it does a quarter of the multiply-adds counted for it "
        "(one-hot input); the counts are PyTorch's for every column.\n\n";

  md << wide_section(dir, peak2);

  if (fs::exists(dir / "parse.json")) {
    const json p = read_json(dir / "parse.json");
    md << "## Data parsing (Data::from_fasta, one core)\n\n";
    Table pt{{"input", "records", "MB (text)", "CPU seconds", "MB/s (text)"}, {}};
    pt.rows.push_back({"plain FASTA", thousands(p["records"].get<double>()), fmt("%.0f", p["fasta_mb"].get<double>()),
                       fmt("%.2f", p["plain_seconds"].get<double>()), fmt("%.0f", p["plain_mb_per_s"].get<double>())});
    pt.rows.push_back({"gzipped FASTA (gzip -1, " + fmt("%.0f", p["gz_mb"].get<double>()) + " MB)",
                       thousands(p["records"].get<double>()), fmt("%.0f", p["fasta_mb"].get<double>()),
                       fmt("%.2f", p["gz_seconds"].get<double>()), fmt("%.0f", p["gz_mb_per_s"].get<double>())});
    md << pt.markdown() << "\n";
    md << "- " << thousands(p["records"].get<double>()) << " sequences of length " << p["length"].get<int>()
       << " (random RNA, 60-letter lines, two class files): RSS grows by " << fmt("%.0f", p["rss_increase_mb"].get<double>())
       << " MB while loading; the Data object holds " << fmt("%.0f", p["data_memory_mb"].get<double>()) << " MB\n\n";
  }

  md << kernels_section(dir, "kernels", "") << scaling_section(dir, "scaling", peak2, "");
  md << avx2_section(dir, t1, t2, u1, u2, x1, x2, g2);

  // Against the faster PyTorch build of each column.
  auto vs_torch = [&](const char* key) {
    return s2[key].get<double>() / std::max(t2[key].get<double>(), u2[key].get<double>());
  };
  md << "ratio vs onnxruntime (2 threads): infer "
     << fmt("%.2f", s2["infer_samples_per_s"].get<double>() / x2["infer_samples_per_s"].get<double>()) << "\n";
  md << "ratio vs pytorch (2 threads): train " << fmt("%.2f", vs_torch("train_samples_per_s")) << ", infer "
     << fmt("%.2f", vs_torch("infer_samples_per_s")) << "\n";
  if (!o.results.empty()) {
    // The Attribution and Folding sections come from bench/attribution_run.sh
    // and bench/fold_run.sh, not from this run: kept as they are.
    std::stringstream previous;
    previous << std::ifstream(o.results).rdbuf();
    const std::string old = previous.str();
    const auto kept = std::min(old.find("\n## Attribution"), old.find("\n## Folding"));
    std::ofstream(o.results) << md.str() << (kept != std::string::npos ? old.substr(kept) : std::string());
  }
  std::cout << md.str();
  std::cout.flush();
  return 0;
}

// Each subcommand's options; `run` is set to the chosen measurement.
void add_subcommands(CLI::App& app, std::function<int()>& run) {
  auto json_option = [](CLI::App* cmd, std::string& file) {
    cmd->add_option("--json", file, "also write the result to this JSON file");
  };
  auto* c = app.add_subcommand("throughput", "default pysster network (or --rnn) on a FASTA pair: samples/s, "
                                             "GFLOP/s, peak RSS");
  auto throughput = std::make_shared<ThroughputOptions>();
  c->add_option("--pos", throughput->pos, "FASTA file of class 0")->required();
  c->add_option("--neg", throughput->neg, "FASTA file of class 1")->required();
  c->add_option("--threads", throughput->threads, "threads to use")->capture_default_str();
  c->add_option("--epochs", throughput->epochs, "timed training epochs")->capture_default_str();
  c->add_option("--rnn", throughput->rnn, "pysster's recurrent block instead of the Flatten")
      ->check(CLI::IsMember({"LSTM", "GRU"}));
  c->add_option("--chunk", throughput->chunk, "samples per chunk")->capture_default_str();
  c->add_option("--kernels", throughput->kernels, "kernel_num (default: pysster's)");
  c->add_option("--profile-infer", throughput->profile_infer, "only N inference passes (for perf)");
  json_option(c, throughput->json);
  c->callback([&run, throughput] { run = [throughput] { return cmd_throughput(*throughput); }; });

  c = app.add_subcommand("scaling", "the same on random sequences of length L with kernel_num K");
  auto scaling = std::make_shared<ScalingOptions>();
  c->add_option("--length", scaling->length)->required();
  c->add_option("--kernels", scaling->kernels, "kernel_num")->required();
  c->add_option("--threads", scaling->threads, "threads to use")->capture_default_str();
  c->add_option("--seconds", scaling->seconds, "training time at 200 GFLOP/s the samples are sized for")
      ->capture_default_str();
  json_option(c, scaling->json);
  c->callback([&run, scaling] { run = [scaling] { return cmd_scaling(*scaling); }; });

  c = app.add_subcommand("accuracy", "default model, early stopping, seeded 70/15/15 split: test ROC-AUC, PR-AUC");
  auto accuracy = std::make_shared<AccuracyOptions>();
  c->add_option("--pos", accuracy->pos, "FASTA file of class 0")->required();
  c->add_option("--neg", accuracy->neg, "FASTA file of class 1")->required();
  c->add_option("--alphabet", accuracy->alphabet)->check(CLI::IsMember({"dna", "rna"}))->capture_default_str();
  c->add_option("--threads", accuracy->threads, "threads to use")->capture_default_str();
  c->add_option("--seed", accuracy->seed)->capture_default_str();
  json_option(c, accuracy->json);
  c->callback([&run, accuracy] { run = [accuracy] { return cmd_accuracy(*accuracy); }; });

  c = app.add_subcommand("gemm", "Eigen float GEMM, one product per thread, and the FMA peak");
  auto gemm = std::make_shared<GemmOptions>();
  c->add_option("--threads", gemm->threads, "threads to use")->capture_default_str();
  c->add_option("--size", gemm->size, "matrix size")->capture_default_str();
  json_option(c, gemm->json);
  c->callback([&run, gemm] { run = [gemm] { return cmd_gemm(*gemm); }; });

  c = app.add_subcommand("parse", "Data::from_fasta on one core, plain and gzipped, and its RSS");
  auto parse = std::make_shared<ParseOptions>();
  c->add_option("--records", parse->records)->capture_default_str();
  c->add_option("--length", parse->length)->capture_default_str();
  json_option(c, parse->json);
  c->callback([&run, parse] { run = [parse] { return cmd_parse(*parse); }; });

  c = app.add_subcommand("kernels", "every conv/pool kernel of the default network, _ref vs fast, per chunk");
  auto kernels_opts = std::make_shared<KernelsOptions>();
  c->add_option("--kernels", kernels_opts->kernels, "kernel_num of both convolutions")->capture_default_str();
  json_option(c, kernels_opts->json);
  c->callback([&run, kernels_opts] { run = [kernels_opts] { return cmd_kernels(*kernels_opts); }; });

  c = app.add_subcommand("attribution", "attribution on PUM2: fast vs naive ISM, sequences/s of every method");
  auto attribution = std::make_shared<bench::AttributionBenchOptions>();
  c->add_option("--pos", attribution->pos, "FASTA file of class 0")->required();
  c->add_option("--neg", attribution->neg, "FASTA file of class 1")->required();
  c->add_option("--threads", attribution->threads, "threads to use")->capture_default_str();
  c->add_option("--sequences", attribution->sequences, "test records explained per method")->capture_default_str();
  c->add_option("--naive-sequences", attribution->naive_sequences, "records for naive ISM")->capture_default_str();
  c->add_option("--epochs", attribution->epochs, "training epochs of the model explained")->capture_default_str();
  c->add_option("--repeat", attribution->repeat, "timed runs per method (the best counts)")->capture_default_str();
  c->add_option("--export", attribution->export_dir, "write the model, sequences and attributions for the anchor");
  json_option(c, attribution->json);
  c->callback([&run, attribution] { run = [attribution] { return cmd_attribution(*attribution); }; });

  c = app.add_subcommand("attribution-report", "the Attribution section of bench/RESULTS.md from a results folder");
  auto attribution_report = std::make_shared<std::pair<std::string, std::string>>();
  c->add_option("--dir", attribution_report->first, "folder with attribution.json (and tangermeme.json)")->required();
  c->add_option("--results", attribution_report->second, "Markdown file whose Attribution section is replaced");
  c->callback([&run, attribution_report] {
    run = [attribution_report] { return cmd_attribution_report(attribution_report->first, attribution_report->second); };
  });

  c = app.add_subcommand("genome", "scan positions/s against per-window predict, and variant effects variants/s");
  auto genome = std::make_shared<GenomeOptions>();
  c->add_option("--threads", genome->measure.threads, "threads to use")->capture_default_str();
  c->add_option("--bases", genome->measure.bases, "length of the random sequence")->capture_default_str();
  c->add_option("--length", genome->measure.length, "the model's window")->capture_default_str();
  c->add_option("--per-window", genome->measure.per_window, "windows scored one by one")->capture_default_str();
  c->add_option("--variants", genome->measure.variants, "variants scored")->capture_default_str();
  json_option(c, genome->json);
  c->callback([&run, genome] { run = [genome] { return cmd_genome(*genome); }; });

  c = app.add_subcommand("check-torch", "fails (exit 1) when a PyTorch result ran on a reference BLAS");
  auto files = std::make_shared<std::vector<std::string>>();
  c->add_option("files", *files, "JSON results of the PyTorch reference")->required();
  c->callback([&run, files] { run = [files] { return cmd_check_torch(*files); }; });

  c = app.add_subcommand("report", "the tables from a folder of JSON results (stdout, and --results in Markdown)");
  auto report = std::make_shared<ReportOptions>();
  c->add_option("--dir", report->dir, "folder of the JSON results")->required();
  c->add_option("--results", report->results, "Markdown file to write");
  c->add_option("--machine", report->machine, "a note on the machine");
  c->add_option("--load-before", report->load_before, "load average before the run");
  c->add_option("--load", report->load, "load average at its end");
  c->callback([&run, report] { run = [report] { return cmd_report(*report); }; });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("sster_bench: the measurements behind tools/run bench (bench/run.sh)");
  app.require_subcommand(1);
  std::function<int()> run;
  add_subcommands(app, run);
  try {
    app.parse(argc, argv);
    return run();
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    std::cerr << "sster_bench: " << e.what() << "\n";
    return 2;
  }
}
