#pragma once
// What an attribution explains: one class's output, as its logit or as the
// probability the model reports for it (the softmax over the classes, or the
// class's own sigmoid in a multi-label model).
//   value(logits)              the explained number
//   gradient(logits)           d value / d logits
//   path_gradient(from, to)    the mean gradient on the straight line between
//                              two logit vectors (Gauss-Legendre, 16 nodes):
//                              sum_k g_k (to_k - from_k) = value(to) -
//                              value(from) to ~1e-12 for these smooth
//                              functions; for one logit it is the secant,
//                              DeepLIFT's rescale rule.
#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/nn/activations.hpp"

namespace sster {

enum class OutputScale { logit, probability };

struct AttributionTarget {
  index_t class_index = 0;
  OutputScale scale = OutputScale::logit;
  bool multilabel = false;  // probability: the class's sigmoid, not the softmax

  double value(const float* logits, index_t classes) const { return value_of(logits, logits + classes); }

  // d value / d logits into grad (classes).
  void gradient(const float* logits, index_t classes, float* grad) const {
    std::vector<double> z(logits, logits + classes), g(to_size(classes));
    gradient_of(z, g);
    std::copy(g.begin(), g.end(), grad);
  }

  void path_gradient(const float* from, const float* to, index_t classes, float* grad) const {
    // 16-point Gauss-Legendre nodes and weights on [-1, 1] (positive half).
    static constexpr std::array<double, 8> node = {0.0950125098376374, 0.2816035507792589, 0.4580167776572274,
                                                   0.6178762444026438, 0.7554044083550030, 0.8656312023878318,
                                                   0.9445750230732326, 0.9894009349916499};
    static constexpr std::array<double, 8> weight = {0.1894506104550685, 0.1826034150449236, 0.1691565193950025,
                                                     0.1495959888165767, 0.1246289712555339, 0.0951585116824928,
                                                     0.0622535239386479, 0.0271524594117541};
    const auto K = to_size(classes);
    if (scale == OutputScale::logit) return gradient(to, classes, grad);
    std::vector<double> z(K), g(K), sum(K, 0.0);
    for (std::size_t i = 0; i < node.size(); ++i)
      for (const double sign : {-1.0, 1.0}) {
        const double alpha = 0.5 * (1 + sign * node[i]);  // on [0, 1]
        for (std::size_t k = 0; k < K; ++k) z[k] = from[k] + alpha * (static_cast<double>(to[k]) - from[k]);
        gradient_of(z, g);
        for (std::size_t k = 0; k < K; ++k) sum[k] += 0.5 * weight[i] * g[k];
      }
    std::copy(sum.begin(), sum.end(), grad);
  }

  // Errors name the class by index; the CLI names it by name before asking.
  void check(index_t classes) const {
    require(class_index >= 0 && class_index < classes, "attribution: the model has " + std::to_string(classes) +
                                                           " classes (0 to " + std::to_string(classes - 1) +
                                                           "), not class " + std::to_string(class_index));
  }

 private:
  // The value at logits [z, end): float (the network's) or double (points
  // on a path); no copy, it runs once per ISM variant.
  template <class T>
  double value_of(const T* z, const T* end) const {
    const double zc = z[class_index];
    if (scale == OutputScale::logit) return zc;
    if (multilabel) return sigmoid(zc);
    const double top = *std::max_element(z, end);
    double sum = 0;
    for (const T* v = z; v != end; ++v) sum += std::exp(*v - top);
    return std::exp(zc - top) / sum;
  }
  void gradient_of(const std::vector<double>& z, std::vector<double>& g) const {
    std::fill(g.begin(), g.end(), 0.0);
    const double p = value_of(z.data(), z.data() + z.size());
    if (scale == OutputScale::logit) {
      at(g, class_index) = 1;
    } else if (multilabel) {
      at(g, class_index) = p * (1 - p);
    } else {  // d softmax_c / d z_k = p_c (delta_ck - p_k)
      const double top = *std::max_element(z.begin(), z.end());
      double sum = 0;
      for (double v : z) sum += std::exp(v - top);
      for (std::size_t k = 0; k < z.size(); ++k) g[k] = -p * std::exp(z[k] - top) / sum;
      at(g, class_index) += p;
    }
  }
};

}  // namespace sster
