#include <doctest.h>

#include <algorithm>
#include <numeric>
#include <vector>

#include "attribution_test_util.hpp"
#include "interpret_test_util.hpp"
#include "sster/interpret/attribution.hpp"

using namespace sster;

namespace {

constexpr AttributionMethod all_methods[] = {AttributionMethod::ism, AttributionMethod::saliency,
                                             AttributionMethod::gradient_x_input, AttributionMethod::deeplift_shap,
                                             AttributionMethod::integrated_gradients};

// The tutorial design's motif windows: C@20, G@50 (even positives), A@80, T@110 (odd).
bool planted_window(index_t t) { return (t >= 20 && t < 30) || (t >= 50 && t < 60) || (t >= 80 && t < 90) || (t >= 110 && t < 120); }
bool own_window(index_t record, index_t t) {
  return record % 2 == 0 ? (t >= 20 && t < 30) || (t >= 50 && t < 60) : (t >= 80 && t < 90) || (t >= 110 && t < 120);
}

std::vector<std::uint8_t> positives(const Data& d, index_t n) {
  std::vector<std::uint8_t> x;
  for (index_t i = 0; i < n; ++i) {
    const auto s = d.symbols(i);  // records 0.. are the positives, in simulation order
    x.insert(x.end(), s.begin(), s.end());
  }
  return x;
}

}  // namespace

TEST_CASE("planted motifs: the planted bases carry the top attributions, for every method") {
  auto& p = test::planted();
  const index_t n = 20, L = 140;
  const auto x = positives(p.data, n);
  for (AttributionMethod method : all_methods) {
    CAPTURE(method_name(method));
    const Attributions a = attribute(p.model, x, n, method, {.target = {.class_index = 0}});
    index_t top_inside = 0, own_stronger = 0;
    for (index_t i = 0; i < n; ++i) {
      std::vector<index_t> order(L);
      std::iota(order.begin(), order.end(), index_t{0});
      std::sort(order.begin(), order.end(), [&](index_t u, index_t v) { return a.actual(i, u) > a.actual(i, v); });
      for (index_t k = 0; k < 10; ++k) top_inside += planted_window(at(order, k));
      double own = 0, other = 0;  // the record's own motifs against the other group's windows
      for (index_t t = 0; t < L; ++t)
        if (planted_window(t)) (own_window(i, t) ? own : other) += a.actual(i, t);
      own_stronger += own > other;
    }
    CHECK(top_inside >= 95 * n * 10 / 100);  // of the 10 strongest positions, 95% in a motif window
    CHECK(own_stronger >= n - 1);             // and the record's own motifs outweigh the other group's windows
  }
}

TEST_CASE("attribute: ISM's hypothetical contributions are the changes centred per position") {
  Model m = test::random_model(Params{}.kernel_len(5), 30, 2, 21);
  const auto x = test::random_symbols(2, 30, 4, 21);
  const auto raw = ism(m, x, 2, {});
  const auto a = attribute(m, x, 2, AttributionMethod::ism);
  CHECK(a.deltas == raw.deltas);
  CHECK(a.output == raw.output);
  for (index_t p = 0; p < 2 * 30; ++p) {
    double sum = 0, mean = 0;
    for (index_t c = 0; c < 4; ++c) mean += raw.deltas[static_cast<std::size_t>(p * 4 + c)] / 4.0;
    for (index_t c = 0; c < 4; ++c) {
      const auto e = static_cast<std::size_t>(p * 4 + c);
      sum += a.hypothetical[e];
      CHECK(a.hypothetical[e] == doctest::Approx(raw.deltas[e] - mean).epsilon(1e-6));
    }
    CHECK(sum == doctest::Approx(0).epsilon(1e-6));
  }
}

TEST_CASE("attribute: every method runs through one call, results in input order") {
  Model m = test::random_model(Params{}.kernel_len(5), 30, 3, 22);
  const auto x = test::random_symbols(4, 30, 4, 22);
  const std::vector<std::uint8_t> last(x.end() - 30, x.end());
  for (AttributionMethod method : all_methods) {
    CAPTURE(method_name(method));
    const AttributionOptions o{.target = {.class_index = 2}, .references = 4, .steps = 8};
    const auto all = attribute(m, x, 4, method, o), one = attribute(m, last, 1, method, o);
    CHECK(all.method == method);
    CHECK(all.n == 4);
    CHECK(all.hypothetical.size() == 4 * 30 * 4);
    CHECK(all.symbols == x);
    CHECK(parse_method(method_name(method)) == method);
    if (method == AttributionMethod::deeplift_shap) continue;  // references are keyed by the record's index
    for (std::size_t e = 0; e < 120; ++e)  // another batch may round a row differently
      CHECK(one.hypothetical[e] == doctest::Approx(all.hypothetical[360 + e]).epsilon(1e-5));
  }
  CHECK_THROWS_WITH_AS(parse_method("lime"), doctest::Contains("known: ism, saliency, gradxinput, deeplift, ig"), Error);
}
