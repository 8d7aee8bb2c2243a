// Both strands: merging scores (model/strand_merge.hpp) and training on
// reverse complements (Model::set_rc_augment, BatchBuffer).
#include <doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "model_test_util.hpp"
#include "sster/core/parallel.hpp"
#include "sster/metrics/roc.hpp"
#include "sster/model/batch.hpp"
#include "sster/model/strand_merge.hpp"

using namespace sster;

namespace {

std::string reverse_complement_text(std::string s) {
  std::reverse(s.begin(), s.end());
  for (char& c : s) c = c == 'A' ? 'T' : c == 'T' ? 'A' : c == 'C' ? 'G' : 'C';
  return s;
}

// Positives hold a motif on the plus strand (at position 16), negatives not;
// `reverse`: every sequence reverse-complemented.
Data one_strand_motif(index_t per_class, bool reverse, std::uint64_t seed) {
  SimulationOptions o;
  o.sequences_per_class = per_class;
  o.length = 40;
  o.seed = seed;
  o.mutation_rate = 0;
  o.groups = {{{"AAGGAGGA", 16}}};  // its reverse complement, TCCTCCTT, shares no 3-mer with it
  const auto set = simulate_planted(o);
  std::vector<std::string> seqs;
  std::vector<index_t> labels;
  for (const auto& s : set.positives) {
    seqs.push_back(reverse ? reverse_complement_text(s) : s);
    labels.push_back(0);
  }
  for (const auto& s : set.negatives) {
    seqs.push_back(reverse ? reverse_complement_text(s) : s);
    labels.push_back(1);
  }
  return Data::from_sequences(seqs, labels, 2, alphabet::dna());
}

double test_auc(Model& m, const Data& d) {
  const auto p = m.predict(d, Group::all);
  std::vector<double> scores, truth;
  for (index_t i = 0; i < d.size(); ++i) {
    scores.push_back(p(i, 0));
    truth.push_back(d.targets(i)[0]);
  }
  return roc_auc(scores, truth);
}

}  // namespace

TEST_CASE("merge_strands: mean, max, none") {
  std::vector<float> plus = {0.2f, 0.9f}, minus = {0.6f, 0.1f};
  auto a = plus;
  merge_strands(RcMerge::mean, 2, a.data(), minus.data());
  CHECK(a == std::vector<float>{0.4f, 0.5f});
  a = plus;
  merge_strands(RcMerge::max, 2, a.data(), minus.data());
  CHECK(a == std::vector<float>{0.6f, 0.9f});
  a = plus;
  merge_strands(RcMerge::none, 2, a.data(), minus.data());
  CHECK(a == plus);
  CHECK(parse_rc_merge("max") == RcMerge::max);
  CHECK_THROWS_WITH_AS(parse_rc_merge("sum"), doctest::Contains("expected mean, max or none"), Error);
}

TEST_CASE("predict_both_strands equals predicting the records and their reverse complements separately") {
  const Data d = one_strand_motif(30, false, 3), r = one_strand_motif(30, true, 3);
  Model m(test::quick_params(), d, 5);
  for (float& w : m.engine().parameters()) w *= 10;  // scores that differ between strands
  const auto plus = m.predict(d, Group::all), minus = m.predict(r, Group::all);
  for (const RcMerge merge : {RcMerge::mean, RcMerge::max}) {
    const auto both = predict_both_strands(m, d, Group::all, merge);
    float worst = 0, spread = 0;
    for (index_t i = 0; i < d.size(); ++i)
      for (index_t c = 0; c < 2; ++c) {
        const float want = merge == RcMerge::mean ? (plus(i, c) + minus(i, c)) / 2 : std::max(plus(i, c), minus(i, c));
        worst = std::max(worst, std::abs(both(i, c) - want));
        spread = std::max(spread, std::abs(plus(i, c) - minus(i, c)));
      }
    CHECK(worst < 1e-6f);
    CHECK(spread > 0.05f);
  }
  const Data protein = Data::from_sequences({"MKV", "MKL"}, {0, 1}, 2, alphabet::protein());
  Model pm(Params{}.conv_num(1).kernel_len(2).kernel_num(2).neuron_num(2), protein, 1);
  CHECK_THROWS_WITH_AS(predict_both_strands(pm, protein, Group::all, RcMerge::mean),
                       doctest::Contains("--rc-merge needs a DNA or RNA alphabet"), Error);
}

TEST_CASE("rc-augment: reverse-complemented samples in the batch, each record twice per epoch") {
  const Data d = Data::from_sequences({"AACG", "GTT", "CCCA"}, {0, 1, 0}, 2, alphabet::dna(), DataOptions{.pad = true});
  const ReverseComplement rc(d.alphabet());
  BatchBuffer buffer;
  const std::vector<index_t> idx = {0, reverse_sample(0), reverse_sample(1), 2};
  const auto b = buffer.gather(d, idx, nullptr, &rc);
  // CGTT, then AAC with its padding kept at the end
  const std::vector<std::uint8_t> want = {0, 0, 1, 2, 1, 2, 3, 3, 0, 0, 1, no_symbol, 1, 1, 1, 0};
  CHECK(std::vector<std::uint8_t>(b.input.symbols, b.input.symbols + 16) == want);
  CHECK(b.targets[2 * 2 + 1] == 1.f);  // the reverse complement keeps its record's class
  CHECK_THROWS_AS(buffer.gather(d, idx, nullptr), Error);

  // one epoch of a run with rc_augment: twice the batches
  Data data = one_strand_motif(100, false, 7);
  index_t batches = 0;
  for (const bool augment : {false, true}) {
    Model m(test::quick_params().epochs(1).batch_size(10), data, 1);
    m.set_rc_augment(augment);
    TrainObserver o;
    o.on_batch = [&](int, index_t, index_t n, double) { batches = n; };
    m.train(data, o);
    const auto train = static_cast<index_t>(data.indices(Group::train).size());
    CHECK(batches == ((augment ? 2 : 1) * train + 9) / 10);
  }
}

TEST_CASE("rc-augment: a motif seen on one strand is learned on both; same weights on 1 and 2 threads") {
  const Data train = one_strand_motif(600, false, 11), reversed = one_strand_motif(300, true, 12);
  auto fit = [&](bool augment) {
    Model m(test::quick_params().epochs(12), train, 2);
    m.set_rc_augment(augment);
    m.train(train, false);
    return m;
  };
  Model plain = fit(false);
  set_threads(1);
  Model augmented = fit(true);
  set_threads(2);
  const Model again = fit(true);
  set_threads(detail::default_threads());
  CHECK(augmented.weights() == again.weights());
  const double plain_auc = test_auc(plain, reversed), augmented_auc = test_auc(augmented, reversed);
  MESSAGE("ROC-AUC on reverse-complemented test sequences: " << plain_auc << " without, " << augmented_auc
                                                             << " with --rc-augment");
  CHECK(augmented_auc > 0.95);
  CHECK(plain_auc < 0.8);
}

TEST_CASE("rc-augment: kept by a checkpoint; DNA and RNA only") {
  const Data data = one_strand_motif(50, false, 3);
  Model m(test::quick_params().epochs(3), data, 1);
  m.set_rc_augment(true);
  TrainObserver o;
  int epochs = 0;
  o.stop_requested = [&] { return ++epochs > 2; };
  REQUIRE(!m.train(data, o));
  const Model resumed = Model::from_file(m.to_file(), "checkpoint");
  CHECK(resumed.training_in_progress());
  CHECK(resumed.rc_augment());

  std::vector<std::string> seqs;
  std::vector<index_t> labels;
  for (index_t i = 0; i < 40; ++i) {
    seqs.push_back(std::string("MKV") + "ACDEFGHIKL"[i % 10]);
    labels.push_back(i % 2);
  }
  const Data protein = Data::from_sequences(seqs, labels, 2, alphabet::protein());
  Model pm(Params{}.conv_num(1).kernel_len(2).kernel_num(2).neuron_num(2), protein, 1);
  pm.set_rc_augment(true);
  CHECK_THROWS_WITH_AS(pm.train(protein, false), doctest::Contains("--rc-augment needs a DNA or RNA alphabet"), Error);
  CHECK(!pm.training_in_progress());
}
