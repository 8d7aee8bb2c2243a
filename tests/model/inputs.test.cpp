#include <doctest.h>

#include <string>
#include <vector>

#include "sster/model/model.hpp"

using namespace sster;

namespace {
std::string pysster_file(const std::string& name) { return std::string(SSTER_SHARED_DATA) + "/pysster-tests/" + name; }

// pysster's structure-profile test set with additional and position-wise inputs.
Data profile_data() {
  DataOptions o;
  o.structure_profile = true;
  o.train_fraction = 0.5;
  o.val_fraction = 0.25;
  Data d = Data::from_fasta({pysster_file("rna_pwm1.fasta"), pysster_file("rna_pwm2.fasta")}, Alphabet("ACGU", "()."), o);
  d.add_additional({pysster_file("rna_pwm1_add.txt"), pysster_file("rna_pwm2_add.txt")});
  d.add_positionwise({pysster_file("rna_pwm1_pos.txt"), pysster_file("rna_pwm2_pos.txt")}, "feat1");
  return d;
}
}  // namespace

TEST_CASE("the network sees exactly pysster's input matrix: profiles in the letter's block, then position-wise values") {
  const Data data = profile_data();
  REQUIRE(data.has_profile());
  Model model(Params{}.conv_num(0).dense_num(1).neuron_num(3).dropout_input(0), data, 1);
  // conv_num 0: dropout_1, flatten_1, concatenate_1 (additional inputs), dense...
  const auto& net = model.network();
  REQUIRE(net.name(1) == "flatten_1");
  BatchBuffer buffer;
  const std::vector<index_t> idx = {0, 5, 20};
  const auto batch = buffer.gather(data, idx, nullptr);
  Context ctx;
  auto& replica = model.engine().network();
  const auto& flat = replica.forward(batch.input, ctx, 1);
  const index_t C = data.input_channels(), L = data.length();
  REQUIRE(flat.shape().C == L * C);
  for (std::size_t b = 0; b < idx.size(); ++b) {
    std::vector<float> expected(to_size(L * C));
    data.write_input(idx[b], expected);
    for (index_t j = 0; j < L * C; ++j) CHECK(flat.sample(static_cast<index_t>(b))[j] == at(expected, j));
  }
}

TEST_CASE("a model with structure profiles, additional and position-wise inputs trains, predicts and round-trips") {
  const Data data = profile_data();
  Model model(Params{}.conv_num(1).kernel_num(3).kernel_len(5).neuron_num(4).epochs(3), data, 2);
  // pysster's first-layer weights: (kernel_len, 4 letters x 3 structure states + 1 position-wise, kernels)
  const auto specs = model.network().param_specs(1);
  CHECK(specs[0].shape == std::vector<index_t>{5, 13, 3});
  model.train(data, false);
  const auto p = model.predict(data, Group::all);
  CHECK(p.rows() == data.size());
  CHECK(p.cols() == 2);
  const auto dir = std::filesystem::temp_directory_path() / ("sster-inputs-" + std::to_string(::getpid()) + ".sster");
  model.save(dir.string());
  auto loaded = Model::load(dir.string());
  CHECK((loaded.predict(data, Group::all).array() == p.array()).all());
  std::filesystem::remove(dir);
}
