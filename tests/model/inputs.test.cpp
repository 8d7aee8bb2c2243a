#include <doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
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

TEST_CASE("a model keeps its inputs' encodings and its split recipe in its file; damaged ones are errors") {
  Data data = profile_data();
  data.add_additional({pysster_file("rna_pwm1_add.txt"), pysster_file("rna_pwm2_add.txt")}, true);
  data.add_categorical({pysster_file("rna_pwm1_add.txt"), pysster_file("rna_pwm2_add.txt")},
                       {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16"});
  data.add_positionwise({pysster_file("rna_pwm1_pos.txt"), pysster_file("rna_pwm2_pos.txt")}, "scaled", true);
  Model model(Params{}.conv_num(1).kernel_num(2).kernel_len(3).neuron_num(3), data, 1);
  CHECK(model.info().additional == data.additional_inputs());
  CHECK(model.info().positionwise == data.positionwise_inputs());
  CHECK_FALSE(model.info().split);
  const SplitRecipe recipe{.seed = 5, .train_fraction = 0.6, .val_fraction = 0.2, .file_records = {16, 16}};
  model.set_split_recipe(recipe);
  const Model loaded = Model::from_file(model.to_file(), "m.sster");
  CHECK(loaded.info().additional == data.additional_inputs());
  CHECK(loaded.info().positionwise == data.positionwise_inputs());
  REQUIRE(loaded.info().split);
  CHECK(*loaded.info().split == recipe);
  CHECK(loaded.info().split->same_groups(recipe));
  for (const auto& other : {SplitRecipe{.seed = 6, .train_fraction = 0.6, .val_fraction = 0.2, .file_records = {16, 16}},
                            SplitRecipe{.seed = 5, .file_records = {16, 16}},
                            SplitRecipe{.seed = 5, .train_fraction = 0.6, .val_fraction = 0.2, .file_records = {16, 15}}})
    CHECK_FALSE(recipe.same_groups(other));
  // Held-out files given for both groups: the seed draws nothing.
  const SplitRecipe both{.kind = SplitRecipe::Kind::held_out, .seed = 1, .train_fraction = 0.85, .file_records = {9, 2, 3},
                         .val_files = 1, .test_files = 1};
  SplitRecipe reseeded = both;
  reseeded.seed = 2;
  CHECK(both.same_groups(reseeded));
  reseeded.test_files = 0;
  CHECK_FALSE(both.same_groups(reseeded));

  // Files without the keys (written before sster kept them): plain numbers.
  ModelFile file = model.to_file();
  file.header["input"].erase("additional");
  file.header["input"].erase("positionwise");
  file.header["input"].erase("split");
  const Model old = Model::from_file(file, "old.sster");
  CHECK(old.info().additional.size() == 18);
  CHECK(old.info().additional[0] == AdditionalInput{.name = "additional_1"});
  CHECK_FALSE(old.info().positionwise[0].scaled());
  CHECK_FALSE(old.info().split);
  // Damage is an Error naming the file and what is wrong.
  auto damaged = [&](const char* pointer, nlohmann::json value, const char* message) {
    ModelFile f = model.to_file();
    f.header[nlohmann::json::json_pointer(pointer)] = value;
    CHECK_THROWS_WITH_AS(Model::from_file(f, "bad.sster"), doctest::Contains(message), Error);
  };
  damaged("/input/additional/1/zscore/sd", -1.0, "negative standard deviation");
  damaged("/input/additional/0/categories", nlohmann::json::array({"a", "b"}), "give 19 columns, the model has 18");
  damaged("/input/positionwise/1/robust_scale/center", nlohmann::json::array({1.0}), "its scaling has 1 positions");
  damaged("/input/positionwise/1/robust_scale/scale/0", 0.0, "not finite and non-zero");
  damaged("/input/split/kind", "shuffled", "unknown kind 'shuffled'");
  damaged("/input/split/train_fraction", 1.5, "'train_fraction' is not within 0..1");
  damaged("/input/split/file_records/0", -3, "record count");
}
