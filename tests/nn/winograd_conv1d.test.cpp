#include <doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "gradient_check.hpp"
#include "kernel_sets.hpp"
#include "sster/nn/conv_pool1d.hpp"
#include "sster/nn/kernels/conv1d.hpp"
#include "sster/nn/kernels/winograd_conv1d.hpp"

using namespace sster;
using sster::test::random_tensor;

TEST_CASE("Winograd F(r, r) transforms compute the r-tap correlation of a tile (r = 2 to 5)") {
  for (index_t r = 2; r <= 5; ++r) {
    CAPTURE(r);
    const auto t = kernels::winograd_transform(r);
    REQUIRE(t.alpha == 2 * r - 1);
    const auto g = random_tensor<double>({1, 1, r}, 10 + r);
    const auto d = random_tensor<double>({1, 1, t.alpha}, 20 + r);
    std::vector<double> product(to_size(t.alpha));
    for (index_t a = 0; a < t.alpha; ++a) {
      double gg = 0, dd = 0;
      for (index_t j = 0; j < r; ++j) gg += t.g[to_size(a * r + j)] * g[j];
      for (index_t j = 0; j < t.alpha; ++j) dd += static_cast<double>(t.bt[to_size(a * t.alpha + j)]) * d[j];
      product[to_size(a)] = gg * dd;
    }
    for (index_t u = 0; u < r; ++u) {
      double y = 0, expected = 0;
      for (index_t a = 0; a < t.alpha; ++a)
        y += static_cast<double>(t.at[to_size(u * t.alpha + a)]) * product[to_size(a)];
      for (index_t j = 0; j < r; ++j) expected += d[u + j] * g[j];
      CHECK(y == doctest::Approx(expected).epsilon(1e-6));
    }
    // The float transforms are exact: the input's small multiples of 1/4
    // (none a rounding residue of the inverse scaled up: those reach 1e13),
    // the output's zero or powers of two.
    for (const float e : t.bt) {
      CHECK(std::abs(e) <= 100);
      CHECK(4 * e == std::round(4 * e));
    }
    for (const float e : t.at) CHECK((e == 0 || std::exp2(std::round(std::log2(std::abs(e)))) == std::abs(e)));
  }
}

namespace {

std::vector<double> as_double(const Tensor<float>& t) { return {t.data(), t.data() + t.size()}; }

std::vector<double> magnitudes(std::vector<double> v) {
  for (auto& e : v) e = std::abs(e);
  return v;
}

// The worst |fast - exact| / magnitude over the values of fast.
double worst_relative_error(const float* fast, const std::vector<double>& exact, const std::vector<double>& magnitude) {
  double worst = 0;
  for (std::size_t i = 0; i < exact.size(); ++i) worst = std::max(worst, std::abs(fast[i] - exact[i]) / magnitude[i]);
  return worst;
}

// The same for a float convolution's output; exact in double, and the
// magnitude the same sums over |x|, |w| and |b|.
double worst_relative_error(const Tensor<float>& y, const Tensor<float>& x, const Tensor<float>& w,
                            const Tensor<float>& b, const kernels::ConvShape& s) {
  const auto xd = as_double(x), wd = as_double(w), bd = as_double(b);
  std::vector<double> exact(to_size(y.size())), magnitude(to_size(y.size()));
  kernels::conv1d_forward_ref(xd.data(), wd.data(), bd.data(), exact.data(), s);
  kernels::conv1d_forward_ref(magnitudes(xd).data(), magnitudes(wd).data(), magnitudes(bd).data(), magnitude.data(), s);
  return worst_relative_error(y.data(), exact, magnitude);
}

}  // namespace

TEST_CASE("Winograd convolution and its gradients: within 1e-5 of the magnitudes summed, every kernel set") {
  test::for_each_kernel_set([&] {
    // pysster's second and third conv blocks (the third's input gradient
    // reads more border tiles than gradient ones), awkward sizes, and a wide
    // layer whose transformed weights exceed any L2 (the GEMMs then run over
    // groups of samples).
    for (auto s : {kernels::ConvShape{5, 88, 30, 30, 25}, {4, 32, 30, 30, 25}, {3, 41, 17, 19, 9},
                   {2, 30, 16, 40, 8}, {3, 50, 300, 300, 25}}) {
      CAPTURE(s.C);
      CAPTURE(s.W);
      REQUIRE(kernels::winograd_pays<float>(s));
      const auto x = random_tensor<float>({s.B, s.L, s.C}, 1, 0, 2);  // ReLU'd activations
      const auto w = random_tensor<float>({s.W, s.C, s.K}, 2);
      const auto b = random_tensor<float>({1, 1, s.K}, 3);
      Tensor<float> y({s.B, s.out_len(), s.K});
      kernels::ConvScratch<float> scratch;
      kernels::conv1d_forward(x.data(), w.data(), b.data(), y.data(), s, scratch, kernels::ConvAlgorithm::fastest);
      REQUIRE(!scratch.winograd.u.empty());  // it ran the Winograd way
      const double err = worst_relative_error(y, x, w, b, s);
      CHECK(err < 1e-5);
      CHECK(err > 0);  // not the direct GEMM after all

      // The backward: the gradients of the input and of the weights the
      // Winograd way (the bias's is a plain sum, the same either way).
      const auto g = random_tensor<float>({s.B, s.out_len(), s.K}, 4);
      Tensor<float> dx(x.shape()), dw(w.shape()), db(b.shape());
      kernels::conv1d_backward(x.data(), w.data(), g.data(), dx.data(), dw.data(), db.data(), s, scratch,
                               kernels::ConvAlgorithm::fastest);
      REQUIRE(!scratch.winograd_dx.u.empty());
      REQUIRE(!scratch.winograd.mw.empty());
      std::vector<double> dx_exact(to_size(dx.size())), dw_exact(to_size(dw.size())), db_exact(to_size(db.size()));
      std::vector<double> dx_mag(dx_exact.size()), dw_mag(dw_exact.size()), db_mag(db_exact.size());
      const auto xd = as_double(x), wd = as_double(w), gd = as_double(g);
      kernels::conv1d_backward_ref(xd.data(), wd.data(), gd.data(), dx_exact.data(), dw_exact.data(), db_exact.data(),
                                   s);
      kernels::conv1d_backward_ref(magnitudes(xd).data(), magnitudes(wd).data(), magnitudes(gd).data(), dx_mag.data(),
                                   dw_mag.data(), db_mag.data(), s);
      const double dx_err = worst_relative_error(dx.data(), dx_exact, dx_mag);
      const double dw_err = worst_relative_error(dw.data(), dw_exact, dw_mag);
      CHECK(dx_err < 1e-5);
      CHECK(dw_err < 1e-5);
      CHECK(dx_err > 0);
      CHECK(dw_err > 0);
      CHECK(worst_relative_error(db.data(), db_exact, db_mag) < 1e-6);

      // A sample's output does not depend on the batch it came in.
      kernels::ConvShape one = s;
      one.B = 1;
      Tensor<float> y1({1, s.out_len(), s.K});
      const index_t n = s.B - 1, per = s.out_len() * s.K;
      kernels::conv1d_forward(x.data() + n * s.L * s.C, w.data(), b.data(), y1.data(), one, scratch,
                              kernels::ConvAlgorithm::fastest);
      for (index_t i = 0; i < per; ++i) REQUIRE(y1[i] == y[n * per + i]);
    }
  });
}

TEST_CASE("Winograd weight gradient from the training forward's kept input transform: the bits of transforming again") {
  constexpr auto fastest = kernels::ConvAlgorithm::fastest;
  test::for_each_kernel_set([&] {
    // pysster's second conv block on a chunk of 32, and a wide layer (groups of samples)
    for (auto s : {kernels::ConvShape{32, 88, 30, 30, 25}, {3, 50, 300, 300, 25}}) {
      CAPTURE(s.C);
      const auto x = random_tensor<float>({s.B, s.L, s.C}, 11, 0, 2), other = random_tensor<float>(x.shape(), 15);
      const auto w = random_tensor<float>({s.W, s.C, s.K}, 12);
      const auto b = random_tensor<float>({1, 1, s.K}, 13);
      const auto g = random_tensor<float>({s.B, s.out_len(), s.K}, 14);
      Tensor<float> y({s.B, s.out_len(), s.K});
      // The gradients of x after a forward of x, or of x then `other`.
      const auto gradients = [&](bool for_training, const Tensor<float>* between) {
        kernels::ConvScratch<float> scratch;
        kernels::conv1d_forward(x.data(), w.data(), b.data(), y.data(), s, scratch, fastest, for_training);
        CHECK((scratch.winograd.kept.x == x.data()) == for_training);
        if (between) {
          kernels::conv1d_forward(between->data(), w.data(), b.data(), y.data(), s, scratch, fastest, false);
          CHECK(scratch.winograd.kept.x == nullptr);
        }
        Tensor<float> dx(x.shape()), dw(w.shape()), db(b.shape());
        kernels::conv1d_backward(x.data(), w.data(), g.data(), dx.data(), dw.data(), db.data(), s, scratch, fastest);
        CHECK((scratch.winograd.kept.x == x.data()) == (for_training && !between));  // transforming again drops it
        std::vector<float> all(dx.data(), dx.data() + dx.size());
        all.insert(all.end(), dw.data(), dw.data() + dw.size());
        return all;
      };
      const auto again = gradients(false, nullptr);
      CHECK(gradients(true, nullptr) == again);
      CHECK(gradients(true, &other) == again);  // an inference forward in between drops what was kept
    }
  });
  // Past winograd_kept_bytes (alpha x B x tiles x Cp floats) the forward keeps nothing.
  const kernels::ConvShape big{64, 1200, 64, 16, 25};
  const auto x = random_tensor<float>({big.B, big.L, big.C}, 16);
  const auto w = random_tensor<float>({big.W, big.C, big.K}, 17);
  const auto b = random_tensor<float>({1, 1, big.K}, 18);
  Tensor<float> y({big.B, big.out_len(), big.K});
  kernels::ConvScratch<float> scratch;
  kernels::conv1d_forward(x.data(), w.data(), b.data(), y.data(), big, scratch, fastest, true);
  CHECK(scratch.winograd.kept.x == nullptr);
  CHECK(worst_relative_error(y, x, w, b, big) < 1e-5);
}

TEST_CASE("Winograd convolution transforms the weights again when they change") {
  const kernels::ConvShape s{2, 50, 20, 24, 12};
  const auto x = random_tensor<float>({s.B, s.L, s.C}, 4);
  auto w = random_tensor<float>({s.W, s.C, s.K}, 5);
  const auto b = random_tensor<float>({1, 1, s.K}, 6);
  Tensor<float> y({s.B, s.out_len(), s.K});
  kernels::ConvScratch<float> scratch;
  kernels::conv1d_forward(x.data(), w.data(), b.data(), y.data(), s, scratch, kernels::ConvAlgorithm::fastest);
  CHECK(worst_relative_error(y, x, w, b, s) < 1e-5);
  // One weight, as an optimiser step between two predictions would: one in
  // the middle, then the last one (the end of what the cache compares).
  for (const index_t changed : {w.size() / 2, w.size() - 1}) {
    CAPTURE(changed);
    w[changed] += 1.0f;
    kernels::conv1d_forward(x.data(), w.data(), b.data(), y.data(), s, scratch, kernels::ConvAlgorithm::fastest);
    CHECK(worst_relative_error(y, x, w, b, s) < 1e-5);
  }
}

TEST_CASE("ConvPool1D runs the Winograd way, forward and backward, within 1e-4 of the exact block") {
  ConvPool1D<float> block{.conv = {.in_channels = 24, .kernels = 20, .width = 25, .activation = Activation::relu},
                          .pool = {.size = 2, .stride = 2}};
  const index_t n_w = 25 * 24 * 20;
  std::vector<float> params(to_size(n_w + 20)), grads(params.size());
  test::fill_uniform(params.data(), static_cast<index_t>(params.size()), 7, -0.2, 0.2);
  block.bind(params.data(), grads.data());
  const auto x = random_tensor<float>({3, 60, 24}, 8, 0, 1);
  Tensor<float> y(block.output_shape(x.shape())), exact(y.shape());
  const auto gy = random_tensor<float>(y.shape(), 9);
  Context training{.training = true};
  block.forward(x, y, training);
  CHECK(!block.conv.scratch_.winograd.u.empty());
  Tensor<float> dx(x.shape());
  block.backward(x, y, gy, dx, training);
  CHECK(!block.conv.scratch_.winograd.mw.empty());
  std::vector<std::int32_t> argmax(to_size(exact.size()));
  const kernels::ConvShape s = block.shape(x);
  kernels::conv1d_pool_forward_ref(x.data(), params.data(), params.data() + n_w, exact.data(), argmax.data(), s,
                                   block.fused());
  for (index_t i = 0; i < exact.size(); ++i) CHECK(y[i] == doctest::Approx(exact[i]).epsilon(1e-4).scale(1));
  // The gradients against the exact ones through the block's own winners.
  Tensor<float> dx_exact(x.shape()), dw_exact({25, 24, 20}), db_exact({1, 1, 20});
  kernels::conv1d_pool_backward_ref(x.data(), params.data(), y.data(), block.argmax_.data(), gy.data(), dx_exact.data(),
                                    dw_exact.data(), db_exact.data(), s, block.fused());
  for (index_t i = 0; i < dx.size(); ++i) CHECK(dx[i] == doctest::Approx(dx_exact[i]).epsilon(1e-4).scale(1));
  for (index_t i = 0; i < n_w; ++i) CHECK(grads[to_size(i)] == doctest::Approx(dw_exact[i]).epsilon(1e-4).scale(1));
}
