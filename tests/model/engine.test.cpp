#include <doctest.h>

#include <barrier>
#include <cstring>
#include <numeric>
#include <span>
#include <thread>
#include <vector>

#include "kernel_sets.hpp"
#include "sster/core/parallel.hpp"
#include "sster/data/simulate.hpp"
#include "sster/metrics/roc.hpp"
#include "sster/model/architecture.hpp"
#include "sster/model/chunk_sharing.hpp"
#include "sster/model/engine.hpp"

using namespace sster;

namespace {

// Planted-motif set as symbols (ACGT -> 0..3) and one-hot targets; class 0 = positives.
struct Encoded {
  index_t n = 0, length = 0;
  std::vector<std::uint8_t> symbols;
  std::vector<float> targets;
};

Encoded encode(const SimulatedSet& set) {
  Encoded e;
  e.length = static_cast<index_t>(set.positives[0].size());
  for (int cls = 0; cls < 2; ++cls)
    for (const auto& s : cls == 0 ? set.positives : set.negatives) {
      for (char c : s) e.symbols.push_back(static_cast<std::uint8_t>(std::string("ACGT").find(c)));
      e.targets.push_back(cls == 0 ? 1.f : 0.f);
      e.targets.push_back(cls == 0 ? 0.f : 1.f);
      ++e.n;
    }
  return e;
}

SimulationOptions small_simulation() {
  SimulationOptions o;
  o.sequences_per_class = 600;
  o.length = 60;
  o.groups = {{{"CACGTG", 10}}, {{"TGACTCA", 40}}};
  return o;
}

Params one_conv_params() { return Params{}.conv_num(1).kernel_num(8).kernel_len(8).neuron_num(16).batch_size(64); }

// Trains `epochs` epochs over the samples in `order` (fixed, interleaved classes).
void train(Engine<float>& engine, const Encoded& e, const std::vector<index_t>& order, int epochs, index_t batch) {
  std::vector<std::uint8_t> sym(to_size(batch * e.length));
  std::vector<float> tgt(to_size(batch * 2)), w(to_size(batch), 1.f);
  for (int epoch = 0; epoch < epochs; ++epoch)
    for (std::size_t first = 0; first < order.size(); first += to_size(batch)) {
      const index_t B = std::min<index_t>(batch, static_cast<index_t>(order.size() - first));
      for (index_t b = 0; b < B; ++b) {
        const index_t i = order[first + to_size(b)];
        std::copy_n(e.symbols.data() + i * e.length, e.length, sym.data() + b * e.length);
        std::copy_n(e.targets.data() + i * 2, 2, tgt.data() + b * 2);
      }
      const Batch<float> batch_view{.input = {.B = B, .symbols = sym.data()}, .targets = tgt.data(), .weights = w.data()};
      engine.train_step(batch_view, B, Adam{}, 3.0);
    }
}

std::vector<index_t> interleaved(index_t n) {
  std::vector<index_t> order;
  for (index_t i = 0; i < n / 2; ++i) {
    order.push_back(i);
    order.push_back(n / 2 + i);
  }
  return order;
}

// N engines on threads of one process, each computing its share of every
// batch's chunks as a rank of an MPI job does, and a board on which they
// hand each other the chunk gradients: an oracle for the ChunkSharing seam
// (dist::DataParallel does the same over MPI). The sum is a plain loop in
// chunk order.
class ThreadTeam {
 public:
  explicit ThreadTeam(int n) : size_(n), sync_(n) {}

  class Member final : public ChunkSharing<float> {
   public:
    Member(ThreadTeam& team, int rank) : team_(team), rank_(rank) {}
    ChunkRange own_chunks(index_t chunks) const override { return chunk_range(chunks, team_.size_, rank_); }
    void sum_in_chunk_order(index_t chunks, std::span<const float* const> own, index_t n, float* sum,
                            std::span<double> losses) override {
      share_losses(chunks, losses);
      const ChunkRange mine = own_chunks(chunks);
      for (index_t i = 0; i < mine.end - mine.begin; ++i) at(team_.grads_, mine.begin + i) = at(own, i);
      team_.sync_.arrive_and_wait();
      std::copy_n(team_.grads_[0], n, sum);
      for (index_t c = 1; c < chunks; ++c)
        for (index_t i = 0; i < n; ++i) sum[i] += at(team_.grads_, c)[i];
      team_.sync_.arrive_and_wait();  // nobody posts the next step's gradients before all have read these
    }
    void share_losses(index_t chunks, std::span<double> losses) override {
      const ChunkRange mine = own_chunks(chunks);
      for (index_t c = mine.begin; c < mine.end; ++c) at(team_.losses_, c) = at(losses, c);
      team_.sync_.arrive_and_wait();
      std::copy_n(team_.losses_.begin(), chunks, losses.begin());
      team_.sync_.arrive_and_wait();
    }

   private:
    ThreadTeam& team_;
    int rank_;
  };

 private:
  int size_;
  std::barrier<> sync_;
  std::vector<const float*> grads_ = std::vector<const float*>(64);
  std::vector<double> losses_ = std::vector<double>(64);
};

}  // namespace

TEST_CASE("chunks shared by 2, 3 or 5 processes: the weights and losses of one process, bit for bit") {
  const auto e = encode(simulate_planted(small_simulation()));
  const InputSpec spec{.length = e.length, .symbols = 4};
  const auto order = interleaved(e.n);
  constexpr index_t batch = 100;  // 4 chunks of 32, 32, 32, 4: uneven shares, and 5 processes leave one idle
  const auto params = one_conv_params();  // with pysster's default dropouts: masks keyed by sample, not process
  const std::vector<std::uint8_t> val_symbols(e.symbols.begin(), e.symbols.begin() + 300 * e.length);
  const Batch<float> val{.input = {.B = 300, .symbols = val_symbols.data()}, .targets = e.targets.data()};
  Engine<float> alone(build_network<float>(params, spec, 2), LossKind::softmax_cross_entropy, 5);
  train(alone, e, order, 2, batch);
  const double alone_loss = alone.loss(val, 300);
  for (int n : {2, 3, 5}) {
    CAPTURE(n);
    ThreadTeam team(n);
    std::vector<AlignedVector<float>> weights(to_size(n));
    std::vector<double> losses(to_size(n));
    std::vector<std::thread> processes;
    for (int r = 0; r < n; ++r)
      processes.emplace_back([&, r] {
        Engine<float> engine(build_network<float>(params, spec, 2), LossKind::softmax_cross_entropy, 5);
        engine.share_chunks(std::make_shared<ThreadTeam::Member>(team, r));
        train(engine, e, order, 2, batch);
        at(losses, r) = engine.loss(val, 300);
        at(weights, r) = engine.parameters();
      });
    for (auto& p : processes) p.join();
    for (int r = 0; r < n; ++r) {
      CAPTURE(r);
      CHECK(std::memcmp(at(weights, r).data(), alone.parameters().data(), alone.parameters().size() * sizeof(float)) == 0);
      CHECK(at(losses, r) == alone_loss);
    }
  }
}

TEST_CASE("same seed, 1 thread or 2 threads: bit-identical weights after 2 epochs") {
  test::for_each_kernel_set([&] {
    const auto e = encode(simulate_planted(small_simulation()));
    const InputSpec spec{.length = e.length, .symbols = 4};
    std::vector<AlignedVector<float>> results;
    for (int t : {1, 2}) {
      set_threads(t);
      Engine<float> engine(build_network<float>(one_conv_params(), spec, 2), LossKind::softmax_cross_entropy, 7);
      train(engine, e, interleaved(e.n), 2, 64);
      results.push_back(engine.parameters());
    }
    set_threads(2);
    REQUIRE(results[0].size() == results[1].size());
    CHECK(std::memcmp(results[0].data(), results[1].data(), results[0].size() * sizeof(float)) == 0);
    // and training did move the weights
    Engine<float> fresh(build_network<float>(one_conv_params(), spec, 2), LossKind::softmax_cross_entropy, 7);
    CHECK(fresh.parameters() != results[0]);
  });
}

TEST_CASE("the AVX-512 set emulated on AVX2 trains to the AVX-512 set's weights bit for bit") {
  // What makes the emulated set a stand-in for the AVX-512 one in the tests
  // of machines without AVX-512 (tests/kernel_sets.hpp); checkable only where
  // the CPU has both.
  if (!kernel_set_supported(KernelSet::avx512) || !kernel_set_supported(KernelSet::avx512_emulated)) {
    MESSAGE("no AVX-512 on this CPU: the emulation's equality with it is checked where there is");
    return;
  }
  const auto e = encode(simulate_planted(small_simulation()));
  const InputSpec spec{.length = e.length, .symbols = 4};
  const test::KernelSetRestorer restorer;
  std::vector<AlignedVector<float>> results;
  for (KernelSet k : {KernelSet::avx512, KernelSet::avx512_emulated}) {
    use_kernel_set(k);
    Engine<float> engine(build_network<float>(one_conv_params().conv_num(2), spec, 2), LossKind::softmax_cross_entropy,
                         7);
    train(engine, e, interleaved(e.n), 2, 64);
    results.push_back(engine.parameters());
  }
  REQUIRE(results[0].size() == results[1].size());
  CHECK(std::memcmp(results[0].data(), results[1].data(), results[0].size() * sizeof(float)) == 0);
}

TEST_CASE("the default-style network learns a planted-motif set (held-out ROC-AUC > 0.95)") {
  auto sim = small_simulation();
  sim.sequences_per_class = 1500;
  const auto e = encode(simulate_planted(sim));
  const InputSpec spec{.length = e.length, .symbols = 4};
  Engine<float> engine(build_network<float>(Params{}.conv_num(1).kernel_num(20).kernel_len(10).batch_size(64), spec, 2),
                       LossKind::softmax_cross_entropy, 3);
  auto order = interleaved(e.n);
  const std::vector<index_t> train_idx(order.begin(), order.begin() + 2400), test_idx(order.begin() + 2400, order.end());
  train(engine, e, train_idx, 6, 64);
  // predict the held-out part
  const auto n = static_cast<index_t>(test_idx.size());
  std::vector<std::uint8_t> sym;
  std::vector<double> truth;
  for (index_t i : test_idx) {
    sym.insert(sym.end(), e.symbols.begin() + i * e.length, e.symbols.begin() + (i + 1) * e.length);
    truth.push_back(at(e.targets, i * 2));
  }
  std::vector<float> probs(to_size(n * 2));
  engine.predict(Batch<float>{.input = {.B = n, .symbols = sym.data()}}, n, probs.data());
  std::vector<double> scores;
  for (index_t i = 0; i < n; ++i) scores.push_back(at(probs, i * 2));
  const double auc = roc_auc(scores, truth);
  MESSAGE("held-out ROC-AUC " << auc);
  CHECK(auc > 0.95);
}
