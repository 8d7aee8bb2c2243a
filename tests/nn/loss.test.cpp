#include <doctest.h>

#include <cmath>
#include <vector>

#include "gradient_check.hpp"
#include "sster/nn/loss.hpp"

using namespace sster;

TEST_CASE("softmax cross-entropy hand-computed, weighted mean over the batch") {
  // logits [0, ln 3] -> p = [0.25, 0.75]; target class 1: loss ln(4/3)
  // second sample target class 0 with weight 2: loss 2 ln 4
  const double logits[] = {0, std::log(3.0), 0, std::log(3.0)};
  const double targets[] = {0, 1, 1, 0};
  const double weights[] = {1, 2};
  double probs[4], grad[4];
  const double loss = softmax_cross_entropy<double>(2, 2, logits, targets, weights, probs, grad, 2) / 2;
  CHECK(probs[1] == doctest::Approx(0.75));
  CHECK(loss == doctest::Approx((std::log(4.0 / 3) + 2 * std::log(4.0)) / 2));
  CHECK(grad[0] == doctest::Approx(0.25 / 2));         // (p - y) w / B
  CHECK(grad[2] == doctest::Approx(2 * (0.25 - 1) / 2));
}

TEST_CASE("losses are stable for huge logits and clip like Keras") {
  const double logits[] = {1000, -1000};
  const double targets[] = {0, 1};
  double probs[2], grad[2];
  const double loss = softmax_cross_entropy<double>(1, 2, logits, targets, nullptr, probs, grad, 1);
  CHECK(std::isfinite(loss));
  CHECK(loss == doctest::Approx(-std::log(1e-7)));
  CHECK(grad[1] == 0);  // clipped probability: no gradient, as in Keras
  const double bce = sigmoid_cross_entropy<double>(1, 2, logits, targets, nullptr, probs, grad, 1);
  CHECK(std::isfinite(bce));
  CHECK(bce == doctest::Approx(-std::log(1e-7)));
}

TEST_CASE("loss gradients with respect to the logits (central differences)") {
  const index_t B = 5, K = 4;
  for (auto kind : {LossKind::softmax_cross_entropy, LossKind::sigmoid_cross_entropy}) {
    auto logits = sster::test::random_tensor<double>(Shape{B, 1, K}, 1, -3, 3);
    std::vector<double> targets(to_size(B * K), 0.0), weights = {1, 1.5, 2, 1, 0.5};
    for (index_t b = 0; b < B; ++b) at(targets, b * K + b % K) = 1;
    if (kind == LossKind::sigmoid_cross_entropy) targets[1] = 1;  // multi-label row
    std::vector<double> probs(targets.size()), grad(targets.size());
    loss_forward_backward<double>(kind, B, K, logits.data(), targets.data(), weights.data(), probs.data(), grad.data(), B);
    auto loss = [&] {
      return loss_forward_backward<double>(kind, B, K, logits.data(), targets.data(), weights.data(), probs.data(),
                                           nullptr, B) / B;
    };
    CHECK(sster::test::max_gradient_error(logits.data(), logits.size(), grad, loss) < 1e-6);
  }
}
