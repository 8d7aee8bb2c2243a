#include <doctest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "model_test_util.hpp"
#include "sster/metrics/roc.hpp"
#include "sster/model/model.hpp"

using namespace sster;
namespace fs = std::filesystem;

namespace {
fs::path temp_dir() {
  auto p = fs::temp_directory_path() / ("sster-model-test-" + std::to_string(::getpid()));
  fs::create_directories(p);
  return p;
}
std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
void write_bytes(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }
}  // namespace

TEST_CASE("Model trains, predicts per group, restores the best weights, and saves/loads exactly") {
  auto data = test::planted_data();
  Model model(test::quick_params(), data, 5);
  model.train(data, false);
  REQUIRE(!model.history().empty());
  CHECK(model.history().size() <= 15);

  // best-val-loss weights restored: the val loss now is the history's minimum
  double best = 1e9;
  for (const auto& r : model.history()) best = std::min(best, r.val_loss);
  CHECK(model.evaluate_loss(data, data.indices(Group::val)) == doctest::Approx(best).epsilon(1e-5));

  for (auto g : {Group::train, Group::val, Group::test, Group::all}) {
    const auto p = model.predict(data, g);
    CHECK(p.rows() == static_cast<index_t>(data.indices(g).size()));
    CHECK(p.cols() == 2);
    for (index_t i = 0; i < p.rows(); ++i) CHECK(p(i, 0) + p(i, 1) == doctest::Approx(1.0));
  }
  const auto test_idx = data.indices(Group::test);
  const auto p = model.predict(data, Group::test);
  std::vector<double> scores, truth;
  for (index_t i = 0; i < p.rows(); ++i) {
    scores.push_back(p(i, 0));
    truth.push_back(data.targets(at(test_idx, i))[0]);
  }
  const double auc = roc_auc(scores, truth);
  MESSAGE("test ROC-AUC " << auc);
  CHECK(auc > 0.95);

  const auto dir = temp_dir();
  const auto path = (dir / "m.sster").string();
  model.save(path);
  auto loaded = Model::load(path);
  CHECK(loaded.params() == model.params());
  CHECK(loaded.history().size() == model.history().size());
  CHECK(loaded.info().class_names == std::vector<std::string>{"positive", "negative"});
  const auto q = loaded.predict(data, Group::test);
  CHECK((q.array() == p.array()).all());
  CHECK(loaded.summary() == model.summary());

  SUBCASE("corrupted model files give distinct clear messages") {
    const std::string bytes = read_bytes(path);
    const auto bad = (dir / "bad.sster").string();
    write_bytes(bad, bytes.substr(0, bytes.size() / 2));
    CHECK_THROWS_WITH_AS(Model::load(bad), doctest::Contains("truncated"), Error);
    std::string flipped = bytes;
    flipped[flipped.size() - 100] ^= 0x10;
    write_bytes(bad, flipped);
    CHECK_THROWS_WITH_AS(Model::load(bad), doctest::Contains("checksum mismatch"), Error);
    write_bytes(bad, "PK\x03\x04 not a model");
    CHECK_THROWS_WITH_AS(Model::load(bad), doctest::Contains("not an sster model file"), Error);
    std::string future = bytes;
    future[4] = 9;
    write_bytes(bad, future);
    CHECK_THROWS_WITH_AS(Model::load(bad), doctest::Contains("format version 9 is newer"), Error);
    CHECK_THROWS_WITH_AS(Model::load((dir / "missing.sster").string()), doctest::Contains("cannot open"), Error);
  }
  fs::remove_all(dir);
}

TEST_CASE("print_summary: Keras-like table with pysster's layer names and parameter counts") {
  auto data = test::planted_data(test::small_planted(50, 60));
  Model model(Params{}.conv_num(1).kernel_num(10).kernel_len(8), data);
  const auto s = model.summary();
  // conv 8*4*10+10 = 330; length 60-8+1 = 53, pool -> 26; flatten 260; dense 260*100+100; out 202
  CHECK(s.find("conv1d_1") != std::string::npos);
  CHECK(s.find("(None, 53, 10)") != std::string::npos);
  CHECK(s.find("(None, 26, 10)") != std::string::npos);
  CHECK(s.find("(None, 260)") != std::string::npos);
  CHECK(s.find("Total params: " + std::to_string(330 + 26100 + 202)) != std::string::npos);
}

TEST_CASE("get_max_activations: one value and position per record and kernel, labels alongside") {
  auto data = test::planted_data(test::small_planted(100, 60));
  Model model(Params{}.conv_num(1).kernel_num(6).kernel_len(8), data, 1);
  const auto m = model.get_max_activations(data, Group::test);
  const auto n = static_cast<index_t>(data.indices(Group::test).size());
  CHECK(m.activations.rows() == n);
  CHECK(m.activations.cols() == 6);
  CHECK(m.labels.cols() == 2);
  CHECK((m.activations.array() >= 0).all());  // after ReLU
  CHECK((m.positions.array() >= 0).all());
  CHECK((m.positions.array() <= 60 - 8).all());
  // cross-check one record against the full activation map
  model.first_layer_activations(data, std::span<const index_t>(m.indices.data(), 1), [&](index_t, const float* acts) {
    for (index_t k = 0; k < 6; ++k) {
      float top = 0;
      for (index_t t = 0; t < 53; ++t) top = std::max(top, acts[t * 6 + k]);
      CHECK(m.activations(0, k) == top);
      CHECK(acts[m.positions(0, k) * 6 + k] == top);
    }
  });
}

TEST_CASE("data that does not fit the model is an error naming both lengths") {
  auto data = test::planted_data(test::small_planted(50, 60));
  Model model(test::quick_params(), data);
  auto other = test::planted_data(test::small_planted(50, 70));
  CHECK_THROWS_WITH_AS(model.predict(other, Group::all), doctest::Contains("length 70 but the model was trained on length 60"),
                       Error);
}

TEST_CASE("multi-label training: sigmoid outputs and binary cross-entropy on multi-label headers") {
  // Multi-label set: sequences carrying motif A belong to class 0, motif B to
  // class 1, both to both; written as a FASTA file with pysster's headers.
  const auto dir = temp_dir();
  const auto path = (dir / "multi.fasta").string();
  {
    std::ofstream out(path);
    auto sim = test::small_planted(1500, 50);
    sim.groups = {{{"CACGTG", 5}}, {{"TGACTCA", 30}}, {{"CACGTG", 5}, {"TGACTCA", 30}}};
    const auto set = simulate_planted(sim);
    for (std::size_t i = 0; i < set.positives.size(); ++i)
      out << ">" << (i % 3 == 0 ? "0" : i % 3 == 1 ? "1" : "0,1") << "\n" << set.positives[i] << "\n";
  }
  auto data = Data::from_multilabel_fasta(path, 2, alphabet::dna());
  REQUIRE(data.multilabel());
  Model model(test::quick_params().epochs(20), data, 3);
  CHECK(model.loss_kind() == LossKind::sigmoid_cross_entropy);
  model.train(data, false);
  const auto p = model.predict(data, Group::test);
  const auto idx = data.indices(Group::test);
  for (index_t c = 0; c < 2; ++c) {
    std::vector<double> scores, truth;
    for (index_t i = 0; i < p.rows(); ++i) {
      scores.push_back(p(i, c));
      truth.push_back(at(data.targets(at(idx, i)), c));
    }
    CHECK(roc_auc(scores, truth) > 0.9);
  }
  // sigmoid outputs are independent: rows need not sum to 1
  bool any_not_one = false;
  for (index_t i = 0; i < p.rows(); ++i) any_not_one |= std::abs(p(i, 0) + p(i, 1) - 1) > 0.1;
  CHECK(any_not_one);
  fs::remove_all(dir);
}

TEST_CASE("an interrupted run, saved and resumed, ends bit-identical to an uninterrupted one") {
  auto data = test::planted_data(test::small_planted(600, 60));
  const auto params = test::quick_params().epochs(4);
  Model straight(params, data, 9);
  straight.train(data, false);

  const auto dir = temp_dir();
  const auto path = (dir / "checkpoint.sster").string();
  Model first(params, data, 9);
  int batches = 0;
  TrainObserver stop_midway;
  stop_midway.stop_requested = [&] { return ++batches == 20; };  // inside epoch 2
  CHECK(!first.train(data, stop_midway));
  CHECK(first.training_in_progress());
  first.save(path);

  auto resumed = Model::load(path);
  REQUIRE(resumed.training_in_progress());
  CHECK(resumed.train(data, TrainObserver{}));
  CHECK(!resumed.training_in_progress());
  const auto& a = straight.engine().parameters();
  const auto& b = resumed.engine().parameters();
  REQUIRE(a.size() == b.size());
  CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
  REQUIRE(resumed.history().size() == straight.history().size());
  for (std::size_t i = 0; i < straight.history().size(); ++i)
    CHECK(resumed.history()[i].val_loss == straight.history()[i].val_loss);

  // resuming on other data is refused
  Model again = Model::load(path);
  auto other = test::planted_data(test::small_planted(600, 60), 7);  // another split
  CHECK_THROWS_WITH_AS(again.train(other, TrainObserver{}), doctest::Contains("other data"), Error);
  fs::remove_all(dir);
}

TEST_CASE("a diverging run stops with the epoch and batch, keeping the best weights") {
  auto data = test::planted_data(test::small_planted(300, 60));
  Model model(test::quick_params().epochs(3), data, 1);
  model.engine().parameters().back() = std::nanf("");  // poison the output bias: the first loss is NaN
  const auto before = model.engine().parameters();
  CHECK_THROWS_WITH_AS(model.train(data, false), doctest::Contains("epoch 1, batch 1 of"), Error);
  CHECK(!model.training_in_progress());
  const auto& after = model.engine().parameters();
  CHECK(std::memcmp(before.data(), after.data(), before.size() * sizeof(float)) == 0);
}

namespace {
bool same_parameters(Model& a, Model& b) {
  const auto& x = a.engine().parameters();
  const auto& y = b.engine().parameters();
  return x.size() == y.size() && std::memcmp(x.data(), y.data(), x.size() * sizeof(float)) == 0;
}
}  // namespace

TEST_CASE("on_batch gets the mean loss over the records trained so far, right on a last, partial batch") {
  auto data = test::planted_data(test::small_planted(300, 60));
  const index_t batch = 64, train = static_cast<index_t>(data.indices(Group::train).size());
  REQUIRE(train % batch != 0);  // the last batch of each epoch is smaller
  Model model(test::quick_params().batch_size(static_cast<double>(batch)).epochs(2), data, 4);
  std::vector<double> last_mean;  // per epoch: the mean after its last batch
  index_t calls = 0;
  TrainObserver observer;
  observer.on_batch = [&](int epoch, index_t b, index_t batches, double mean) {
    ++calls;
    CHECK(batches == (train + batch - 1) / batch);
    CHECK(epoch == static_cast<int>(last_mean.size()) + 1);
    if (b == batches) last_mean.push_back(mean);
  };
  std::vector<double> epoch_loss;
  observer.on_epoch = [&](const EpochRecord& r, const Checkpoint&) { epoch_loss.push_back(r.loss); };
  CHECK(model.train(data, observer));
  CHECK(calls == 2 * ((train + batch - 1) / batch));
  REQUIRE(epoch_loss.size() == 2);
  REQUIRE(last_mean.size() == 2);
  // The epoch's loss divides the same sum by the records of the epoch.
  CHECK(last_mean[0] == epoch_loss[0]);
  CHECK(last_mean[1] == epoch_loss[1]);
}

TEST_CASE("the checkpoint handed to on_epoch stands at the next epoch and resumes bit-identically") {
  auto data = test::planted_data(test::small_planted(300, 60));
  const auto dir = temp_dir() / "on_epoch";
  fs::create_directories(dir);
  // Four full epochs; then a run that stops early, whose checkpoint stands past its last epoch.
  for (const auto& params : {test::quick_params().epochs(4), test::quick_params().epochs(40).learning_rate(0.01).patience_stopping(1)}) {
    CAPTURE(params.get_int("epochs"));
    Model run(params, data, 9);
    std::vector<std::string> saved;
    TrainObserver observer;
    observer.on_epoch = [&](const EpochRecord& r, const Checkpoint& checkpoint) {
      const TrainingState& state = checkpoint.state();
      CHECK(state.first_epoch == 1);
      CHECK(state.next_batch == 0);
      CHECK(state.loss_sum == 0);
      CHECK(state.seconds == 0);
      CHECK((state.epoch == r.epoch + 1 || state.epoch == 1 + params.get_int("epochs")));
      CHECK(run.history().back().epoch == r.epoch);
      saved.push_back((dir / ("epoch" + std::to_string(r.epoch) + ".sster")).string());
      checkpoint.save(saved.back());
      CHECK(read_bytes(saved.back()) == model_file_bytes(checkpoint.to_file()));
    };
    CHECK(run.train(data, observer));
    REQUIRE(saved.size() == run.history().size());
    if (params.get_int("epochs") == 40) REQUIRE(run.history().size() < 40);  // it did stop early
    for (std::size_t k = 0; k < saved.size(); ++k) {
      CAPTURE(k);
      Model resumed = Model::load(saved[k]);
      REQUIRE(resumed.training_in_progress());
      CHECK(resumed.history().size() == k + 1);
      CHECK(resumed.train(data, TrainObserver{}));
      CHECK(resumed.history().size() == run.history().size());
      CHECK(same_parameters(resumed, run));
    }
  }
  fs::remove_all(dir);
}

namespace {
// The values of the first parameter tensor of `rank` dimensions: rank 3 is
// the first conv kernel (W, C, K), rank 2 the first dense kernel.
std::vector<float> first_kernel(Model& m, std::size_t rank) {
  const float* p = m.weights().data();
  for (const auto& s : m.engine().param_specs()) {
    if (s.shape.size() == rank) return {p, p + s.size()};
    p += s.size();
  }
  FAIL("no parameter tensor of rank " << rank);
  return {};
}
// numpy.allclose(a, b, rtol=1e-5, atol)
bool allclose(const std::vector<float>& a, const std::vector<float>& b, double atol = 1e-8) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::abs(double(a[i]) - double(b[i])) > atol + 1e-5 * std::abs(double(b[i]))) return false;
  return true;
}
}  // namespace

TEST_CASE("pysster's test_Model: multi-label RNA with structure, seeds, training, predictions per group") {
  // pysster: Data("rna.fasta", ("ACGU", "().")), params conv_num 1, kernel_num
  // 3, kernel_len 5, neuron_num 2, epochs 3; models with seeds 2, 13 and 2.
  const Data data = Data::from_multilabel_fasta(std::string(SSTER_SHARED_DATA) + "/pysster-tests/rna.fasta", 0,
                                                alphabet::rna_dot_bracket());
  REQUIRE(data.size() == 20);
  REQUIRE(data.classes() == 3);
  const auto params = Params{}.conv_num(1).kernel_num(3).kernel_len(5).neuron_num(2).epochs(3);
  Model m1(params, data, 2), m2(params, data, 13), m3(params, data, 2);
  CHECK(m1.loss_kind() == LossKind::sigmoid_cross_entropy);  // pysster's "activation" == "sigmoid"
  CHECK(m1.params().values("kernel_num") == std::vector<double>{3});  // pysster: (3,)
  CHECK(m1.params().values("kernel_len") == std::vector<double>{5});
  CHECK(m1.params().values("neuron_num") == std::vector<double>{2});
  const auto& conv = m1.engine().param_specs().front();
  CHECK(conv.shape == std::vector<index_t>{5, 12, 3});  // (kernel_len, ACGU x ().,  kernels)
  CHECK(allclose(first_kernel(m1, 3), first_kernel(m3, 3)));
  CHECK_FALSE(allclose(first_kernel(m2, 3), first_kernel(m3, 3)));
  CHECK(allclose(first_kernel(m1, 2), first_kernel(m3, 2)));
  CHECK_FALSE(allclose(first_kernel(m2, 2), first_kernel(m3, 2)));

  for (Model* m : {&m1, &m2, &m3}) {
    m->train(data, false);
    for (auto [group, rows] : {std::pair{Group::test, 3}, std::pair{Group::all, 20}}) {
      const auto p = m->predict(data, group);
      CHECK(p.rows() == rows);
      CHECK(p.cols() == 3);
      // 14 training records, 3 epochs: the sigmoid outputs stay near 0.5
      CHECK(p.minCoeff() > 0.49f);
      CHECK(p.maxCoeff() < 0.51f);
    }
  }
  // test_model_get_max_activations: (test records, kernels), labels alongside
  const auto acts = m1.get_max_activations(data, Group::test);
  CHECK(acts.activations.rows() == 3);
  CHECK(acts.activations.cols() == 3);
  CHECK(acts.labels.rows() == 3);
  CHECK(acts.labels.cols() == 3);
  CHECK(allclose(first_kernel(m1, 3), first_kernel(m3, 3), 0.001));
  CHECK_FALSE(allclose(first_kernel(m2, 3), first_kernel(m3, 3), 0.001));
  CHECK(allclose(first_kernel(m1, 2), first_kernel(m3, 2), 0.001));
  CHECK_FALSE(allclose(first_kernel(m2, 2), first_kernel(m3, 2), 0.001));
}

TEST_CASE("model files: no rnn_dropout_masks key means shared masks (files written before it), and back") {
  const Params shared = Params{}.rnn_dropout_masks("shared");
  auto old = Params{}.to_json();
  old.erase("rnn_dropout_masks");
  CHECK(params_from_file(old) == shared);
  CHECK(params_to_file(shared) == old);  // such files save again byte for byte
  CHECK(params_from_file(params_to_file(Params{})) == Params{});
  CHECK(params_to_file(Params{})["rnn_dropout_masks"] == "per_gate");
}
