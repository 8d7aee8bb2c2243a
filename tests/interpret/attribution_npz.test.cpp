#include <doctest.h>

#include <fstream>
#include <string>
#include <vector>

#include "attribution_test_util.hpp"
#include "numpy_check.hpp"
#include "sster/interpret/attribution.hpp"
#include "sster/interpret/attribution_npz.hpp"
#include "temp_dir.hpp"

using namespace sster;

TEST_CASE("attribution npz: TF-MoDISco's arrays (N, A, L), records in input order, written in blocks") {
  const index_t n = 5, L = 30;
  Model m = test::random_model(Params{}.kernel_len(5), L, 2, 41);
  const auto x = test::random_symbols(n, L, 4, 41);
  const Attributions a = attribute(m, x, n, AttributionMethod::ism);
  test::TempDir dir;
  const std::string prefix = dir.file("run");
  {
    AttributionNpz out(prefix, n, 4, L);
    for (index_t first : {0, 2}) {  // blocks of 2 and 3 records
      const index_t count = first == 0 ? 2 : 3;
      const auto block = attribute(m, std::span(x).subspan(to_size(first * L), to_size(count * L)), count,
                                   AttributionMethod::ism);
      out.add(block);
    }
    out.commit();
  }
  std::ofstream(dir.file("h.raw"), std::ios::binary)
      .write(reinterpret_cast<const char*>(a.hypothetical.data()), static_cast<std::streamsize>(a.hypothetical.size() * 4));
  std::ofstream(dir.file("x.raw"), std::ios::binary).write(reinterpret_cast<const char*>(x.data()), ssize(x));
  const std::string got = test::run_python(
      "import numpy as np\n"
      "ohe = np.load('" + prefix + "_ohe.npz')['arr_0']\n"
      "attr = np.load('" + prefix + "_attr.npz')['arr_0']\n"
      "h = np.fromfile('" + dir.file("h.raw") + "', dtype='<f4').reshape(5, 30, 4).transpose(0, 2, 1)\n"
      "x = np.fromfile('" + dir.file("x.raw") + "', dtype=np.uint8).reshape(5, 30)\n"
      "print(ohe.dtype, ohe.shape, attr.dtype, attr.shape)\n"
      "print(bool((ohe.sum(axis=1) == 1).all()), bool((ohe.argmax(axis=1) == x).all()))\n"
      "print(bool(np.allclose(attr, h, rtol=0, atol=1e-6)), bool(np.abs(attr).max() > 0))\n");
  CHECK(got == "float32 (5, 4, 30) float32 (5, 4, 30)\nTrue True\nTrue True\n");
}

TEST_CASE("attribution npz: records missing at commit are an error, and neither file appears") {
  Model m = test::random_model(Params{}.kernel_len(5), 20, 2, 42);
  const auto x = test::random_symbols(2, 20, 4, 42);
  test::TempDir dir;
  {
    AttributionNpz out(dir.file("p"), 3, 4, 20);
    out.add(attribute(m, x, 2, AttributionMethod::saliency));
    CHECK_THROWS_WITH_AS(out.commit(), doctest::Contains("1 records were never added"), Error);
  }
  CHECK_FALSE(std::filesystem::exists(dir.file("p_ohe.npz")));
  CHECK_FALSE(std::filesystem::exists(dir.file("p_attr.npz")));
}
