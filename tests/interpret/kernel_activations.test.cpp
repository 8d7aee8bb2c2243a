#include <doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "sster/interpret/kernel_activations.hpp"
#include "sster/interpret/kernel_motif.hpp"

using namespace sster;

namespace {

// A one-conv model over `data` whose first convolution has the given
// weights (W, 4, K) and biases (K); the rest stays untrained (unused here).
Model hand_model(const Data& data, index_t width, const std::vector<float>& kernel, const std::vector<float>& bias) {
  const auto K = static_cast<index_t>(bias.size());
  const index_t positions = data.length() - width + 1;
  Model m(Params{}.conv_num(1).kernel_num(K).kernel_len(width).pool_size(std::min<index_t>(2, positions)).neuron_num(2),
          data, 1);
  auto& p = m.engine().parameters();
  REQUIRE(static_cast<index_t>(kernel.size()) == width * 4 * K);
  std::copy(kernel.begin(), kernel.end(), p.begin());
  std::copy(bias.begin(), bias.end(), p.begin() + static_cast<std::ptrdiff_t>(kernel.size()));
  return m;
}

// Kernel weights (W, 4, 1): `letter_weight[j]` for `letter` at window position j.
std::vector<float> letter_kernel(const std::string& word) {
  const std::string acgt = "ACGT";
  std::vector<float> w(word.size() * 4, 0.0f);
  for (std::size_t j = 0; j < word.size(); ++j) w[j * 4 + acgt.find(word[j])] = 1.0f;
  return w;
}

}  // namespace

TEST_CASE("kernel_statistics by hand: threshold, records above it, positions, mean +- sd, score") {
  // An exact-ACG detector: relu(matches - 2) is 1 on ACG and 0 elsewhere.
  const auto data =
      Data::from_sequences({"ACGTTTTTTT", "TTTACGTTTT", "TTTTTTTTTT", "TACGTACGTT",   // class 0: maxima 1, 1, 0, 1
                            "TTTTTTTTTT", "TTTTTTACGT", "GGGGGGGGGG", "GGGGGGGGGG"},  // class 1: maxima 0, 1, 0, 0
                           {0, 0, 0, 0, 1, 1, 1, 1}, 2, alphabet::dna());
  Model m = hand_model(data, 3, letter_kernel("ACG"), {-2.0f});
  const auto acts = m.get_max_activations(data, Group::all);
  const KernelStatistics s = kernel_statistics(m, data, acts, 0);
  CHECK(s.width == 3);
  CHECK(s.class_means[0] == doctest::Approx(0.75));
  CHECK(s.class_means[1] == doctest::Approx(0.25));
  CHECK(s.threshold == doctest::Approx(0.75));
  CHECK(s.top_class == 0);
  CHECK(s.score == doctest::Approx(0.5));
  CHECK(s.max_per_class[0] == std::vector<double>{1, 1, 0, 1});
  CHECK(s.above == 4);
  CHECK(s.records[0] == std::vector<index_t>{0, 1, 3});
  CHECK(s.records[1] == std::vector<index_t>{5});
  REQUIRE(s.positions[0].size() == 3);
  CHECK(s.positions[0][0] == 0);
  CHECK(s.positions[0][1] == 3);
  CHECK((s.positions[0][2] == 1 || s.positions[0][2] == 5));  // a tie, drawn at random
  CHECK(s.positions[1] == std::vector<index_t>{6});
  // class 0 at position 0: activations 1, 0, 0 -> mean 1/3, numpy's std sqrt(2/9)
  REQUIRE(s.mean[0].size() == 8);
  CHECK(s.mean[0][0] == doctest::Approx(1.0 / 3));
  CHECK(s.sd[0][0] == doctest::Approx(std::sqrt(2.0 / 9)));
  CHECK(s.mean[1][6] == doctest::Approx(1.0));
  CHECK(s.sd[1][6] == doctest::Approx(0.0));
  // cap max(min(750, 4 / 3), 1) = 1, but all three share the top activation: all kept
  CHECK(s.motif_records == std::vector<index_t>{0, 1, 3});
  const KernelMotif motif = motif_from_windows(data, s.motif_records, s.motif_positions, s.width);
  CHECK(motif.sequence.consensus() == "ACG");
}

TEST_CASE("kernel_statistics: the motif keeps the cap's highest activations of the top class") {
  // Length 3 = kernel length: one window per record. A scores 1, 2, 4 at window positions 0, 1, 2.
  const std::vector<float> w{1, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0};
  const auto data = Data::from_sequences({"AAA", "CAA", "ACA", "CCA", "AAC", "CAC", "ACC",  // class 0: 7 6 5 4 3 2 1
                                          "AAA", "AAA", "CCC", "CCC", "CCC"},               // class 1: 7 7 0 0 0
                                         {0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, 2, alphabet::dna());
  Model m = hand_model(data, 3, w, {0.0f});
  const auto acts = m.get_max_activations(data, Group::all);
  const auto s = kernel_statistics(m, data, acts, 0);
  CHECK(s.class_means[0] == doctest::Approx(4.0));
  CHECK(s.class_means[1] == doctest::Approx(2.8));
  CHECK(s.score == doctest::Approx(1.2));
  CHECK(s.above == 6);  // 7 6 5 4 (4 == threshold counts) and 7 7
  CHECK(s.records[0] == std::vector<index_t>{0, 1, 2, 3});
  CHECK(s.motif_records == std::vector<index_t>{0, 1});  // cap 6 / 3 = 2: activations 7 and 6
  const KernelMotif motif = motif_from_windows(data, s.motif_records, s.motif_positions, 3);
  CHECK(motif.sequence.pwm(0, 0) == doctest::Approx(0.999 * 0.5 + 0.00025));
  CHECK(motif.sequence.consensus() == "AAA");
}

TEST_CASE("kernel_statistics: ties are drawn at random, reproducibly; a dead kernel has no favourite position") {
  std::vector<std::string> seqs(200, "TACGTACGTT");
  seqs.push_back("GGGGGGGGGG");
  std::vector<index_t> labels(200, 0);
  labels.push_back(1);
  const auto data = Data::from_sequences(seqs, labels, 2, alphabet::dna());
  const std::vector<float> acg = letter_kernel("ACG");  // (3, 4, 1)
  std::vector<float> two(24, 0.0f);                     // (3, 4, 2): ACG, and an all-zero kernel
  for (std::size_t i = 0; i < 12; ++i) two[i * 2] = acg[i];
  Model m = hand_model(data, 3, two, {-2.0f, 0.0f});
  const auto acts = m.get_max_activations(data, Group::all);
  const std::vector<index_t> kernels{0, 1};
  const auto s = kernel_statistics(m, data, acts, kernels);
  const auto again = kernel_statistics(m, data, acts, kernels);
  CHECK(s[0].positions == again[0].positions);
  CHECK(s[1].positions == again[1].positions);
  const auto& p = s[0].positions[0];
  const auto at1 = std::count(p.begin(), p.end(), 1), at5 = std::count(p.begin(), p.end(), 5);
  CHECK(at1 + at5 == 200);
  CHECK(at1 > 60);
  CHECK(at5 > 60);
  // kernel 1 is 0 everywhere: every record is at the threshold 0, maxima spread over all 8 positions
  CHECK(s[1].threshold == 0);
  CHECK(s[1].above == 201);
  std::vector<int> hist(8, 0);
  for (index_t q : s[1].positions[0]) ++at(hist, q);
  for (int h : hist) CHECK(h > 5);
}

TEST_CASE("kernel_statistics: bad kernels and mismatched activations are errors") {
  const auto data = Data::from_sequences({"ACGTACGT", "TTTTTTTT"}, {0, 1}, 2, alphabet::dna());
  Model m = hand_model(data, 3, letter_kernel("ACG"), {-2.0f});
  const auto acts = m.get_max_activations(data, Group::all);
  CHECK_THROWS_WITH_AS(kernel_statistics(m, data, acts, 1),
                       "kernel 1 does not exist (the first convolution has 1 kernels: 0 to 0)", Error);
  auto other = Data::from_sequences({"ACGTACGT"}, {0}, 2, alphabet::dna());
  CHECK_THROWS_AS(kernel_statistics(m, other, acts, 0), Error);
  CHECK(detail::np_isclose(1.0, 1.0 + 1e-6));
  CHECK(!detail::np_isclose(1.0, 1.0 + 1e-4));
}
