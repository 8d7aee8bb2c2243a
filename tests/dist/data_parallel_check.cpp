// Run under mpirun by dist.test.cpp: every rank trains a network alone and
// the same network data-parallel over all ranks (dist::DataParallel, cut
// into small pieces so that an exchange takes several rounds), in float and
// in double, with batches whose chunks do not divide evenly among the ranks.
// Prints "data-parallel: identical" and exits 0 when, on every rank, the
// shared training gave the lone one's weights, step losses and validation
// loss bit for bit.
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "sster/core/random.hpp"
#include "sster/dist/communicator.hpp"
#include "sster/dist/data_parallel.hpp"
#include "sster/model/architecture.hpp"
#include "sster/model/engine.hpp"

using namespace sster;

namespace {

constexpr index_t records = 700, length = 40;

struct Set {
  std::vector<std::uint8_t> symbols;
  std::vector<double> targets;
};

Set random_set() {
  Set s;
  RandomStream rng(RandomKey(11, Purpose::simulate));
  for (index_t i = 0; i < records * length; ++i) s.symbols.push_back(static_cast<std::uint8_t>(rng.below(4)));
  for (index_t i = 0; i < records; ++i) {
    const bool positive = rng.uniform() < 0.5;
    s.targets.push_back(positive ? 1 : 0);
    s.targets.push_back(positive ? 0 : 1);
  }
  return s;
}

// Trains `engine` over batches of the sizes below; returns every step's loss
// and then the validation loss of the first 300 records.
template <class T>
std::vector<double> train(Engine<T>& engine, const Set& s) {
  const std::vector<T> targets(s.targets.begin(), s.targets.end());
  std::vector<double> losses;
  index_t first = 0;
  for (index_t batch : {100, 64, 37, 128, 5, 96, 100, 64}) {
    first = (first + batch) % (records - 128);
    const Batch<T> b{.input = {.B = batch, .symbols = s.symbols.data() + first * length},
                     .targets = targets.data() + first * 2};
    losses.push_back(engine.train_step(b, batch, Adam{.learning_rate = 0.01}, 3.0));
  }
  const Batch<T> val{.input = {.B = 300, .symbols = s.symbols.data()}, .targets = targets.data()};
  losses.push_back(engine.loss(val, 300));
  return losses;
}

template <class T>
bool shared_equals_alone(dist::Communicator& world, const Set& s) {
  const Params params = Params{}.conv_num(2).kernel_num(6).kernel_len(5).neuron_num(9);
  const InputSpec spec{.length = length, .symbols = 4};
  Engine<T> alone(build_network<T>(params, spec, 2), LossKind::softmax_cross_entropy, 3);
  Engine<T> shared(build_network<T>(params, spec, 2), LossKind::softmax_cross_entropy, 3);
  shared.share_chunks(std::make_shared<dist::DataParallel<T>>(world, 1000));  // 1000-value pieces: several rounds
  const auto alone_losses = train(alone, s), shared_losses = train(shared, s);
  const auto& a = alone.parameters();
  const auto& b = shared.parameters();
  return alone_losses == shared_losses && a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0 &&
         a != Engine<T>(build_network<T>(params, spec, 2), LossKind::softmax_cross_entropy, 3).parameters();
}

}  // namespace

int main(int argc, char** argv) {
  dist::Session mpi(argc, argv);
  auto& world = dist::Communicator::world();
  const Set s = random_set();
  const bool ok = shared_equals_alone<float>(world, s) && shared_equals_alone<double>(world, s);
  const auto all = world.all_gather_value(ok ? 1 : 0);
  bool every = true;
  for (auto v : all) every = every && v == 1;
  if (world.root())
    std::printf("data-parallel on %d ranks: %s\n", world.size(), every ? "identical" : "DIFFERENT from one process");
  return every ? 0 : 1;
}
