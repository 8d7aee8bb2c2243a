#include <doctest.h>

#include <cmath>
#include <vector>

#include "genome_test_util.hpp"
#include "sster/genome/sliding_network.hpp"

using namespace sster;
using sster::test::model_for;
using sster::test::random_symbols;

namespace {

// Every window's probabilities, one batch through the network (the oracle).
std::vector<float> per_window(Model& m, const std::vector<std::uint8_t>& x, WindowRange w) {
  const index_t L = m.info().length, K = m.info().classes();
  std::vector<std::uint8_t> windows;
  for (index_t k = 0; k < w.count; ++k) windows.insert(windows.end(), x.begin() + w.at(k), x.begin() + w.at(k) + L);
  std::vector<float> probs(to_size(w.count * K));
  m.predict(InputBatch<float>{.B = w.count, .symbols = windows.data()}, probs.data());
  return probs;
}

// The sliding scores of w equal the per-window ones to 1e-5.
void check_windows(Model& m, const std::vector<std::uint8_t>& x, WindowRange w) {
  SlidingNetwork net(m.network(), m.loss_kind());
  std::vector<float> probs(to_size(w.count * m.info().classes()), -1.f);
  net.score(x.data(), ssize(x), w, probs.data());
  const auto want = per_window(m, x, w);
  float worst = 0, spread = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    worst = std::max(worst, std::abs(probs[i] - want[i]));
    spread = std::max(spread, std::abs(want[i] - want[0]));
  }
  CAPTURE(w.first);
  CAPTURE(w.step);
  CAPTURE(w.count);
  CHECK(worst < 1e-5f);
  if (w.count > 1) CHECK(spread > 0.05f);  // the windows' scores differ: the comparison means something
}

}  // namespace

TEST_CASE("sliding scores equal per-window predictions: architectures") {
  const index_t L = 48;
  struct Case {
    const char* name;
    Params params;
    bool multilabel = false;
  };
  const Params small = Params{}.kernel_num(6).kernel_len(5).neuron_num(12);
  const std::vector<Case> cases = {
      {"default layout, smaller", small},
      {"one block", Params(small).conv_num(1)},
      {"three blocks, strides 2 3 1", Params(small).conv_num(3).kernel_len({5, 3, 2}).pool_size({2, 3, 2}).pool_stride({2, 3, 1})},
      {"overlapping pools", Params(small).pool_size(3).pool_stride(2)},
      {"pools with gaps", Params(small).pool_size(2).pool_stride(3)},
      {"no conv blocks", Params(small).conv_num(0)},
      {"no hidden dense layer", Params(small).dense_num(0)},
      {"two hidden dense layers", Params(small).dense_num(2).neuron_num({12, 7})},
      {"multi-label (sigmoid)", small, true},
  };
  for (const auto& c : cases) {
    const std::string name = c.name;
    CAPTURE(name);
    Model m = model_for(c.params, L, 3, c.multilabel);
    SlidingNetwork net(m.network(), m.loss_kind());
    CHECK(net.shares_convolutions());
    const auto x = random_symbols(1000, 4, 11);
    const index_t last = ssize(x) - L;
    check_windows(m, x, {0, 1, last + 1});
    check_windows(m, x, {5, 3, last / 3 - 1});
    check_windows(m, x, {2, 4, last / 4});
    check_windows(m, x, {1, 7, last / 7});
  }
}

TEST_CASE("sliding scores in int8 equal per-window int8 predictions") {
  const index_t L = 48;
  const Params small = Params{}.kernel_num(6).kernel_len(5).neuron_num(12);
  for (const Params& p : {small, Params(small).conv_num(3).kernel_len({5, 3, 2}).pool_size({2, 3, 2}).pool_stride({2, 3, 1}),
                          Params(small).pool_size(3).pool_stride(2), Params(small).pool_size(2).pool_stride(3)}) {
    Model m = model_for(p, L, 3, false);
    // Calibrated on windows of the sequence it scores.
    const auto x = random_symbols(1000, 4, 11);
    const std::string letters = alphabet::dna().sequence();
    std::vector<std::string> windows;
    std::vector<index_t> labels;
    for (index_t o = 0; o + L <= ssize(x); o += 9) {
      std::string w;
      for (index_t i = 0; i < L; ++i) w += at(letters, x[to_size(o + i)]);
      windows.push_back(w);
      labels.push_back(o % 3);
    }
    Data d = Data::from_sequences(windows, labels, 3, alphabet::dna(), DataOptions{});
    d.set_class_names(m.info().class_names);
    m.calibrate_int8(d, d.indices(Group::all));
    REQUIRE(!m.int8_calibration().empty());
    const index_t last = ssize(x) - L;
    const auto in_float = per_window(m, x, {0, 1, last + 1});
    m.set_precision(Precision::int8);
    const auto in_int8 = per_window(m, x, {0, 1, last + 1});
    float moved = 0;
    for (std::size_t i = 0; i < in_float.size(); ++i) moved = std::max(moved, std::abs(in_float[i] - in_int8[i]));
    CHECK(moved > 0);  // the oracle itself ran in int8
    check_windows(m, x, {0, 1, last + 1});
    check_windows(m, x, {5, 3, last / 3 - 1});
  }
}

TEST_CASE("sliding scores: windows with no letter (N as zero), long steps, one window") {
  const index_t L = 40;
  Model m = model_for(Params{}.kernel_num(5).kernel_len(4).neuron_num(8), L, 2, false);
  auto x = random_symbols(600, 4, 3);
  for (index_t i = 100; i < 160; ++i) at(x, i) = no_symbol;
  at(x, 333) = no_symbol;
  check_windows(m, x, {0, 1, ssize(x) - L + 1});
  check_windows(m, x, {17, 61, 9});   // step beyond the window: scored one by one
  check_windows(m, x, {123, 1, 1});
  SlidingNetwork net(m.network(), m.loss_kind());
  CHECK(net.per_window_cheaper(ssize(x), {0, 61, 9}));
  CHECK(!net.per_window_cheaper(ssize(x), {0, 1, ssize(x) - L + 1}));
}

TEST_CASE("sliding scores: paths of thousands of windows, their dense layers a block at a time") {
  const index_t L = 40;  // one block of stride 1: a path of every window, 37 feature rows (odd, for WindowDense)
  Model m = model_for(Params{}.conv_num(1).kernel_num(5).kernel_len(4).pool_size(1).pool_stride(1).neuron_num(8),
                      L, 2, false);
  const auto x = random_symbols(3000, 4, 7);
  check_windows(m, x, {0, 1, ssize(x) - L + 1});  // several whole blocks and a short last one
  check_windows(m, x, {3, 1, 1100});              // starting off the first row, ending inside a block
  check_windows(m, x, {2, 2, 1300});              // a path with a step: no WindowDense
}

TEST_CASE("sliding scores: sequences of several tiles, the convolutions repeated where tiles meet") {
  const index_t L = 60, tile = SlidingNetwork::tile_bases;
  Model m = model_for(Params{}.kernel_num(6).kernel_len(7).neuron_num(10), L, 2, false);
  const auto x = random_symbols(2 * tile + 3 * L, 4, 5);
  const index_t windows = ssize(x) - L + 1;
  check_windows(m, x, {0, 1, windows});                     // two whole tiles and a short one
  check_windows(m, x, {tile - 3, 1, tile + 10});            // tiles that start inside the sequence
  check_windows(m, x, {4, 3, (windows - 4 + 2) / 3});       // a step: tiles of tile / 3 windows
}

TEST_CASE("recurrent networks are scored window by window, with the same results") {
  const index_t L = 30;
  Model m = model_for(Params{}.kernel_num(4).kernel_len(3).rnn_type("GRU").rnn_units(5), L, 2, false);
  SlidingNetwork net(m.network(), m.loss_kind());
  CHECK(!net.shares_convolutions());
  const auto x = random_symbols(200, 4, 5);
  check_windows(m, x, {0, 1, ssize(x) - L + 1});
}

TEST_CASE("models with other inputs are refused") {
  ModelInfo info{alphabet::dna(), 20, 2, 0, {"a", "b"}, false, 0};
  Model m(Params{}.kernel_len(3), info, 1);
  CHECK_THROWS_WITH_AS(SlidingNetwork(m.network(), m.loss_kind()), doctest::Contains("sequences only"), Error);
}
