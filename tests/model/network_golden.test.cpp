// Bit-identical outputs across changes to the network's plumbing: the
// logits, parameter gradients, first-convolution activations, input
// gradients and Adam steps of a few networks on fixed seeds, compared with
// the values recorded in network_golden.hex.
//
// The numbers depend on the instruction set, the compiler and its
// optimisation level (FMA contraction, vector width), so they are exact only
// in the build that recorded them, whose fingerprint the file keeps. Any other
// build compares them with a tolerance.
//
// To record (only when the numbers are meant to change):
//   SSTER_RECORD_GOLDEN=1 build/tests/model/sster_model_tests -tc='*golden*'
#include <doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gradient_check.hpp"
#include "sster/core/eigen.hpp"
#include "sster/core/simd.hpp"
#include "sster/model/architecture.hpp"
#include "sster/model/engine.hpp"
#include "sster/nn/loss.hpp"

namespace golden {

using namespace sster;

using Record = std::vector<std::pair<std::string, std::vector<float>>>;

std::string fingerprint() {
  return std::string(SSTER_BUILD_FLAVOUR) + ", " + Eigen::SimdInstructionSetsInUse() + ", float width " +
         std::to_string(simd::width<float>) + ", " + __VERSION__;
}

std::vector<float> values(const Tensor<float>& t) { return {t.data(), t.data() + t.size()}; }

// A network's input batch: random symbols (about 1 in 16 missing), and
// random position-wise, profile and additional values where the spec has them.
struct Inputs {
  index_t B = 0;
  std::vector<std::uint8_t> symbols;
  std::vector<float> dense, profile, extra;

  Inputs(const InputSpec& s, index_t batch, std::uint64_t seed) : B(batch) {
    RandomStream r(RandomKey(seed, Purpose::simulate));
    for (index_t i = 0; i < B * s.length; ++i)
      symbols.push_back(r.below(16) == 0 ? no_symbol : static_cast<std::uint8_t>(r.below(to_size(s.symbols))));
    auto fill = [&](std::vector<float>& v, index_t n) {
      for (index_t i = 0; i < n; ++i) v.push_back(static_cast<float>(r.uniform()));
    };
    fill(dense, B * s.length * s.dense_channels);
    fill(profile, B * s.length * s.profile_channels);
    fill(extra, B * s.extra);
  }
  InputBatch<float> batch() const {
    return {.B = B,
            .symbols = symbols.data(),
            .dense = dense.empty() ? nullptr : dense.data(),
            .extra = extra.empty() ? nullptr : extra.data(),
            .profile = profile.empty() ? nullptr : profile.data()};
  }
};

// Class b % classes for sample b (and the next class too when multi-label).
std::vector<float> targets(index_t B, index_t classes, bool multilabel) {
  std::vector<float> t(to_size(B * classes), 0.f);
  for (index_t b = 0; b < B; ++b) {
    at(t, b * classes + b % classes) = 1;
    if (multilabel) at(t, b * classes + (b + 1) % classes) = 1;
  }
  return t;
}

struct Case {
  std::string name;
  Params params;
  InputSpec spec;
  index_t classes = 2;
  index_t batch = 8;
  LossKind loss = LossKind::softmax_cross_entropy;
};

// Training-mode forward (dropout on), loss, backward; inference forward; the
// first convolution's activations (recorded as the forward to Keras layer 1).
void network_case(const Case& c, std::uint64_t seed, Record& out) {
  auto net = build_network<float>(c.params, c.spec, c.classes);
  const index_t n = net.parameter_count();
  std::vector<float> params(to_size(n)), grads(to_size(n));
  test::fill_uniform(params.data(), n, seed, -0.3, 0.3);
  net.bind(params.data(), grads.data());
  const Inputs in(c.spec, c.batch, seed + 1);
  const auto t = targets(c.batch, c.classes, c.loss == LossKind::sigmoid_cross_entropy);
  std::vector<float> weights(to_size(c.batch)), probs(t.size());
  for (index_t b = 0; b < c.batch; ++b) at(weights, b) = 0.5f + static_cast<float>(b % 3);
  Context train{.training = true, .seed = seed + 2, .step = 3, .first_sample = 5};
  const auto& logits = net.forward(in.batch(), train);
  out.emplace_back(c.name + ": logits (training)", values(logits));
  Tensor<float> g(logits.shape());
  loss_forward_backward(c.loss, c.batch, c.classes, logits.data(), t.data(), weights.data(), probs.data(), g.data(),
                        c.batch);
  net.backward(g, train);
  out.emplace_back(c.name + ": parameter gradients", grads);
  Context infer;
  out.emplace_back(c.name + ": logits (inference)", values(net.forward(in.batch(), infer)));
  if (c.params.get_int("conv_num") > 0)
    out.emplace_back(c.name + ": first convolution", values(net.first_conv_activations(in.batch(), infer)));
}

// Optimised inputs' path: forward from floats to Keras layer `last`, backward
// from a random gradient there to the input; at inference and in training.
void dense_input_case(Case c, std::uint64_t seed, const std::vector<std::size_t>& stops, Record& out) {
  c.batch = 2;
  auto net = build_network<float>(c.params, c.spec, c.classes);
  const index_t n = net.parameter_count();
  std::vector<float> params(to_size(n)), grads(to_size(n));
  test::fill_uniform(params.data(), n, seed, -0.3, 0.3);
  net.bind(params.data(), grads.data());
  const Shape in_shape{c.batch, c.spec.length, c.spec.channels()};
  const auto x = test::random_tensor<float>(in_shape, seed + 1, -0.5, 1);
  for (bool training : {false, true}) {
    Context ctx{.training = training, .seed = seed + 2, .step = 1};
    for (std::size_t last : stops) {
      const std::string name = c.name + ": to " + net.name(last) + (training ? " (training)" : "");
      const Tensor<float>& y = net.forward_dense(x, ctx, last);
      const auto grad_out = test::random_tensor<float>(y.shape(), seed + 3 + last);
      out.emplace_back(name + " output", values(y));
      Tensor<float> gx;
      net.backward(grad_out, ctx, last, &gx);
      index_t assigned = 0;  // the parameters of layers 0..last
      for (std::size_t i = 0; i <= last; ++i)
        for (const auto& p : net.param_specs(i)) assigned += p.size();
      out.emplace_back(name + " input gradient", values(gx));
      out.emplace_back(name + " parameter gradients", std::vector<float>(grads.begin(), grads.begin() + assigned));
    }
  }
}

// Two Adam steps through the Engine (3 chunks: keys by sample across chunks).
void engine_case(const Case& c, std::uint64_t seed, Record& out) {
  Engine<float> engine(build_network<float>(c.params, c.spec, c.classes), c.loss, seed);
  const Inputs in(c.spec, c.batch, seed + 1);
  const auto t = targets(c.batch, c.classes, false);
  const Batch<float> batch{.input = in.batch(), .targets = t.data()};
  for (int step = 0; step < 2; ++step) engine.train_step(batch, c.batch, Adam{.learning_rate = 0.01}, 3.0);
  out.emplace_back(c.name + ": weights after 2 steps", std::vector<float>(engine.parameters().begin(),
                                                                            engine.parameters().end()));
  std::vector<float> probs(to_size(c.batch * c.classes));
  engine.predict(Batch<float>{.input = in.batch()}, c.batch, probs.data());
  out.emplace_back(c.name + ": probabilities", probs);
}

Record compute() {
  Record out;
  const Case two_conv{"two conv on symbols",
                      Params{}.conv_num(2).kernel_num({5, 6}).kernel_len({4, 3}).neuron_num(7).dropout_input(0.2)
                          .dropout_conv(0.3).dropout_dense(0.4),
                      InputSpec{.length = 30, .symbols = 4}, 3, 9};
  network_case(two_conv, 1, out);
  // Pools that overlap (3/1), keep every row (1/1) and skip rows (2/3);
  // kernel counts off the SIMD width.
  const Case pools{"three conv, odd pools",
                   Params{}.conv_num(3).kernel_num({17, 9, 19}).kernel_len({5, 3, 2}).pool_size({3, 1, 2})
                       .pool_stride({1, 1, 3}).dense_num(2).neuron_num({11, 5}).dropout_dense({0.1, 0.25})
                       .dropout_input(0.1),
                   InputSpec{.length = 47, .symbols = 12}, 2, 5};
  network_case(pools, 2, out);
  const Case profile{"structure profile, position-wise and additional inputs",
                     Params{}.conv_num(1).kernel_num(6).kernel_len(4).neuron_num(5).dropout_input(0.25),
                     InputSpec{.length = 25, .symbols = 12, .dense_channels = 2, .extra = 3, .profile_channels = 3},
                     3, 9, LossKind::sigmoid_cross_entropy};
  network_case(profile, 3, out);
  const Case no_conv{"no convolution", Params{}.conv_num(0).neuron_num(4),
                     InputSpec{.length = 12, .symbols = 4, .extra = 2}, 2, 6};
  network_case(no_conv, 4, out);
  const Case extra{"additional inputs on symbols",
                   Params{}.conv_num(1).kernel_num(8).kernel_len(6).dense_num(2).neuron_num({6, 4}),
                   InputSpec{.length = 33, .symbols = 4, .extra = 3}, 2, 5};
  network_case(extra, 5, out);
  const Case lstm{"bidirectional LSTM stack",
                  Params{}.conv_num(1).kernel_num(7).kernel_len(5).rnn_type("LSTM").rnn_num(2).rnn_units({6, 5})
                      .rnn_bidirectional({1, 0}).rnn_dropout_input({0.2, 0.1}).rnn_dropout_recurrent({0.3, 0.2})
                      .rnn_dropout_masks("shared")  // as recorded (per-gate masks: tests/rnn/cells.test.cpp)
                      .neuron_num(4),
                  InputSpec{.length = 28, .symbols = 4}, 3, 5, LossKind::sigmoid_cross_entropy};
  network_case(lstm, 6, out);
  const Case gru{"bidirectional GRU with additional inputs",
                 Params{}.conv_num(2).kernel_num(5).kernel_len(3).rnn_type("GRU").rnn_units(4)
                     .rnn_dropout_recurrent(0.2).rnn_dropout_masks("shared").neuron_num(3),
                 InputSpec{.length = 40, .symbols = 4, .extra = 2}, 2, 4};
  network_case(gru, 7, out);
  // dropout_1, conv1d_1, max_pooling1d_1, dropout_2, conv1d_2, max_pooling1d_2, ..., dense_2
  dense_input_case(two_conv, 8, {0, 1, 2, 4, 5, 10}, out);
  Case profile_only = profile;  // forward_dense takes no additional inputs
  profile_only.spec.extra = 0;
  dense_input_case(profile_only, 9, {1, 2, 3}, out);
  const Case engine{"engine", two_conv.params, two_conv.spec, 3, 70};
  engine_case(engine, 10, out);
  return out;
}

std::string hex(float v) {
  char s[9];
  std::snprintf(s, sizeof s, "%08x", std::bit_cast<std::uint32_t>(v));
  return s;
}

void write(const Record& r, const std::string& path) {
  std::ofstream f(path);
  f << "# sster network golden data (tests/model/network_golden.test.cpp): float bits in hex\n";
  f << "build " << fingerprint() << "\n";
  for (const auto& [name, v] : r) {
    f << "case " << v.size() << " " << name << "\n";
    for (std::size_t i = 0; i < v.size(); ++i) f << hex(v[i]) << ((i + 1) % 8 == 0 || i + 1 == v.size() ? "\n" : " ");
  }
  REQUIRE(f.good());
}

struct Golden {
  std::string build;
  Record record;
};

Golden read(const std::string& path) {
  std::ifstream f(path);
  REQUIRE_MESSAGE(f.good(), "cannot read " << path);
  Golden g;
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("build ", 0) == 0) g.build = line.substr(6);
    if (line.rfind("case ", 0) != 0) continue;
    std::istringstream head(line.substr(5));
    std::size_t count = 0;
    head >> count;
    std::string name;
    std::getline(head >> std::ws, name);
    std::vector<float> v(count);
    for (auto& x : v) {
      std::string word;
      f >> word;
      x = std::bit_cast<float>(static_cast<std::uint32_t>(std::stoul(word, nullptr, 16)));
    }
    g.record.emplace_back(name, std::move(v));
  }
  return g;
}

}  // namespace golden

TEST_CASE("networks compute exactly the recorded logits, gradients and activations (golden data)") {
  const golden::Record now = golden::compute();
  if (std::getenv("SSTER_RECORD_GOLDEN")) {
    golden::write(now, SSTER_GOLDEN_FILE);
    MESSAGE("recorded " << SSTER_GOLDEN_FILE);
    return;
  }
  const golden::Golden recorded = golden::read(SSTER_GOLDEN_FILE);
  const bool exact = recorded.build == golden::fingerprint();
  if (!exact) MESSAGE("recorded by another build (" << recorded.build << "): compared with a tolerance");
  REQUIRE(recorded.record.size() == now.size());
  for (std::size_t c = 0; c < now.size(); ++c) {
    const auto& [name, expected] = recorded.record[c];
    const auto& got = now[c].second;
    CAPTURE(name);
    REQUIRE(now[c].first == name);
    REQUIRE(got.size() == expected.size());
    std::size_t differ = 0;
    for (std::size_t i = 0; i < got.size(); ++i) {
      const bool same = exact ? std::bit_cast<std::uint32_t>(got[i]) == std::bit_cast<std::uint32_t>(expected[i])
                              : std::abs(got[i] - expected[i]) <= 1e-4 * (1 + std::abs(expected[i]));
      differ += !same;
    }
    CHECK(differ == 0);
  }
}
