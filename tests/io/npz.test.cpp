#include <doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "numpy_check.hpp"
#include "sster/io/npz.hpp"

using namespace sster;
namespace fs = std::filesystem;

namespace {

struct TempFile {
  fs::path path;
  explicit TempFile(const std::string& name)
      : path(fs::temp_directory_path() / ("sster-" + name + "-" + std::to_string(::getpid()) + ".npz")) {}
  ~TempFile() { fs::remove(path); }
};

std::vector<float> ramp(std::size_t n) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<float>(i) * 0.25f - 3.0f + (i % 7 == 0 ? 1e-30f : 0.0f);
  return v;
}

}  // namespace

TEST_CASE("npz: numpy reads back shape, dtype and every value, in the file written in pieces") {
  for (bool zip64 : {false, true}) {
    CAPTURE(zip64);
    TempFile f(zip64 ? "npz64" : "npz");
    const auto a = ramp(3 * 4 * 50), b = ramp(7);
    NpzWriter out(f.path, {.zip64 = zip64});
    out.begin_array("arr_0", {3, 4, 50});
    for (std::size_t i = 0; i < a.size(); i += 37)  // pieces that cut rows
      out.write(std::span<const float>(a).subspan(i, std::min<std::size_t>(37, a.size() - i)));
    out.end_array();
    out.begin_array("second", {7});
    out.write(b);
    out.end_array();
    out.commit();
    const std::string got = test::run_python(
        "import numpy as np\n"
        "z = np.load('" + f.path.string() + "')\n"
        "print(sorted(z.files))\n"
        "a, b = z['arr_0'], z['second']\n"
        "print(a.dtype, a.shape, b.shape)\n"
        "want = (np.arange(600, dtype=np.float32) * np.float32(0.25) - np.float32(3)).reshape(3, 4, 50)\n"
        "want.reshape(-1)[::7] += np.float32(1e-30)\n"
        "print(bool((a == want).all()), float(b[6]))\n"
        "import zipfile\n"
        "zf = zipfile.ZipFile('" + f.path.string() + "')\n"
        "print([i.compress_type for i in zf.infolist()], zf.testzip())\n");  // deflate, CRCs right
    CHECK(got == "['arr_0', 'second']\nfloat32 (3, 4, 50) (7,)\nTrue -1.5\n[8, 8] None\n");
  }
}

TEST_CASE("npz: one-hot arrays compress; an empty array and save_npz's arr_0") {
  TempFile f("npz-onehot"), g("npz-empty");
  std::vector<float> onehot(1000 * 4 * 200, 0.0f);
  for (std::size_t i = 0; i < onehot.size(); i += 4) onehot[i + (i / 4) % 4] = 1.0f;
  save_npz(f.path, onehot, {1000, 4, 200});
  CHECK(fs::file_size(f.path) * 20 < onehot.size() * 4);
  save_npz(g.path, {}, {0, 4, 10});
  const std::string got = test::run_python("import numpy as np\n"
                                 "a = np.load('" + f.path.string() + "')['arr_0']\n"
                                 "e = np.load('" + g.path.string() + "')['arr_0']\n"
                                 "print(a.shape, float(a.sum()), e.shape)\n");
  CHECK(got == "(1000, 4, 200) 200000.0 (0, 4, 10)\n");
}

TEST_CASE("npz: a wrong number of values is an error and leaves no file") {
  TempFile f("npz-bad");
  {
    NpzWriter out(f.path);
    out.begin_array("arr_0", {2, 3});
    const std::vector<float> five(5, 1.0f), two(2, 1.0f);
    out.write(five);
    CHECK_THROWS_WITH_AS(out.end_array(), doctest::Contains("missing 1 values"), Error);
    CHECK_THROWS_WITH_AS(out.write(two), doctest::Contains("more values than the shape"), Error);
  }
  CHECK_FALSE(fs::exists(f.path));
}
