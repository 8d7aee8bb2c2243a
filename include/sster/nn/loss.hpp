#pragma once
// Output nonlinearity + loss, fused so the gradient with respect to the
// logits is simple and stable:
//   softmax + categorical cross-entropy (single-label),
//   sigmoid + binary cross-entropy (multi-label).
// Both follow Keras: probabilities are clipped to [eps, 1 - eps] with
// eps = 1e-7 (and clipped entries pass no gradient), a sample's loss is
// multiplied by its weight, and the batch loss is the mean over samples.
//   logits, targets: (B, K) row-major; weights: (B) or null
// Returns the SUM of the weighted per-sample losses and, unless grad is null,
// assigns grad (B, K) = d (sum / batch_total) / d logits: a batch split into
// chunks passes the whole batch's size, so chunk gradients add up exactly.
#include <algorithm>
#include <cmath>

#include "sster/core/tensor.hpp"
#include "sster/nn/activations.hpp"

namespace sster {

inline constexpr double keras_epsilon = 1e-7;

enum class LossKind { softmax_cross_entropy, sigmoid_cross_entropy };

template <class T>
double softmax_cross_entropy(index_t B, index_t K, const T* logits, const T* targets, const T* weights, T* probs,
                             T* grad, index_t batch_total) {
  softmax_rows(B, K, logits, probs);
  const double lo = keras_epsilon, hi = 1 - keras_epsilon;
  double total = 0;
  for (index_t b = 0; b < B; ++b) {
    const T* p = probs + b * K;
    const T* y = targets + b * K;
    const double w = weights ? static_cast<double>(weights[b]) : 1.0;
    // Keras renormalises the targets implicitly through -sum(y log p); the
    // gradient of that through softmax is p * sum(y') - y' over unclipped
    // entries y' (those whose probability lies inside the clip range).
    double sum_active = 0;
    for (index_t k = 0; k < K; ++k) {
      const double pk = static_cast<double>(p[k]);
      total += -w * static_cast<double>(y[k]) * std::log(std::clamp(pk, lo, hi));
      if (pk > lo && pk < hi) sum_active += static_cast<double>(y[k]);
    }
    if (!grad) continue;
    for (index_t k = 0; k < K; ++k) {
      const double pk = static_cast<double>(p[k]);
      const double yk = pk > lo && pk < hi ? static_cast<double>(y[k]) : 0.0;
      grad[b * K + k] = static_cast<T>(w * (pk * sum_active - yk) / static_cast<double>(batch_total));
    }
  }
  return total;
}

template <class T>
double sigmoid_cross_entropy(index_t B, index_t K, const T* logits, const T* targets, const T* weights, T* probs,
                             T* grad, index_t batch_total) {
  const double lo = keras_epsilon, hi = 1 - keras_epsilon;
  double total = 0;
  for (index_t b = 0; b < B; ++b) {
    const double w = weights ? static_cast<double>(weights[b]) : 1.0;
    for (index_t k = 0; k < K; ++k) {
      const index_t i = b * K + k;
      const double p = static_cast<double>(sigmoid(logits[i]));
      const double y = static_cast<double>(targets[i]);
      probs[i] = static_cast<T>(p);
      const double pc = std::clamp(p, lo, hi);
      // Keras' binary_crossentropy: mean over the K labels of the sample.
      total += -w * (y * std::log(pc) + (1 - y) * std::log(1 - pc)) / static_cast<double>(K);
      if (grad) {
        const double active = p > lo && p < hi ? 1.0 : 0.0;
        grad[i] = static_cast<T>(active * w * (p - y) / static_cast<double>(K * batch_total));
      }
    }
  }
  return total;
}

template <class T>
double loss_forward_backward(LossKind kind, index_t B, index_t K, const T* logits, const T* targets,
                             const T* weights, T* probs, T* grad, index_t batch_total) {
  return kind == LossKind::softmax_cross_entropy
             ? softmax_cross_entropy(B, K, logits, targets, weights, probs, grad, batch_total)
             : sigmoid_cross_entropy(B, K, logits, targets, weights, probs, grad, batch_total);
}

// Probabilities only (inference).
template <class T>
void output_probabilities(LossKind kind, index_t B, index_t K, const T* logits, T* probs) {
  if (kind == LossKind::softmax_cross_entropy) {
    softmax_rows(B, K, logits, probs);
    return;
  }
  for (index_t i = 0; i < B * K; ++i) probs[i] = sigmoid(logits[i]);
}

}  // namespace sster
