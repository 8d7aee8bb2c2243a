#include "sster/data/extra_inputs.hpp"

#include <doctest.h>

#include <string>
#include <vector>

#include "data_test_util.hpp"

using namespace sster;
using sster::test::pysster_file;
using sster::test::TempDir;

TEST_CASE("pysster's additional data files") {
  const auto a = read_numbers(pysster_file("rna_pwm1_add.txt"));
  const auto b = read_numbers(pysster_file("rna_pwm2_add.txt"));
  REQUIRE(a.size() == 16);
  REQUIRE(b.size() == 16);
  for (int i = 0; i < 16; ++i) {
    CHECK(at(a, i) == i + 1);
    CHECK(at(b, i) == 16 - i);
  }
  const auto cats = read_categories(pysster_file("rna_pwm1_add.txt"));
  CHECK(cats.front() == "1");
  CHECK(cats.back() == "16");
  const auto rows = read_number_rows(pysster_file("rna_pwm2_pos.txt"));
  REQUIRE(rows.rows() == 16);
  for (index_t r = 0; r < 16; ++r) CHECK(rows.row_size(r) == 10);
  CHECK(rows.row(0)[0] == doctest::Approx(3.9));
  CHECK(rows.row(15)[6] == doctest::Approx(2.8));
  CHECK(rows.lines[15] == 16);
}

TEST_CASE("bad additional data names the file and line") {
  TempDir dir;
  auto error_of = [&](const std::string& name, const std::string& content, auto read) {
    test::write_file(dir.file(name), content);
    try {
      read(dir.file(name));
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  auto numbers = [](const std::string& p) { read_numbers(p); };
  auto rows = [](const std::string& p) { read_number_rows(p); };
  CHECK(error_of("a.txt", "1\n2\nthree\n", numbers).find("a.txt line 3: 'three' is not a number") != std::string::npos);
  CHECK(error_of("b.txt", "1\n2 3\n", numbers).find("b.txt line 2: expected one number per line, found 2") != std::string::npos);
  CHECK(error_of("c.txt", "", numbers).find("c.txt: the file is empty") != std::string::npos);
  CHECK(error_of("d.txt", "1\n\n2\n", numbers).find("d.txt line 2: empty line between values") != std::string::npos);
  CHECK(error_of("e.txt", "\n\n", numbers).find("e.txt: no values") != std::string::npos);
  CHECK(error_of("f.txt", "0.1 0.2\n0.3 x\n", rows).find("f.txt line 2: 'x' is not a number") != std::string::npos);
  CHECK(error_of("g.txt", "1\ninf\n", numbers).find("g.txt line 2: 'inf' is not a finite number") != std::string::npos);
  CHECK_THROWS_WITH_AS(read_numbers(dir.file("missing.txt")), doctest::Contains("missing.txt: cannot open file"), Error);
  // Trailing blank lines and surrounding spaces are fine.
  test::write_file(dir.file("ok.txt"), "  1.5 \n-2\n+3\n\n\n");
  CHECK(read_numbers(dir.file("ok.txt")) == std::vector<double>{1.5, -2, 3});
}

TEST_CASE("z-score and percentiles match scipy / numpy") {
  std::vector<double> v{1, 2, 3, 4};
  zscore(v);
  // mean 2.5, population sd sqrt(1.25)
  CHECK(v[0] == doctest::Approx(-1.3416407865));
  CHECK(v[3] == doctest::Approx(1.3416407865));
  std::vector<double> constant{5, 5, 5};
  zscore(constant);
  CHECK(constant == std::vector<double>{0, 0, 0});
  const std::vector<double> sorted{1, 2, 3, 4};
  CHECK(percentile_sorted(sorted, 25) == doctest::Approx(1.75));
  CHECK(percentile_sorted(sorted, 50) == doctest::Approx(2.5));
  CHECK(percentile_sorted(sorted, 75) == doctest::Approx(3.25));
  CHECK(percentile_sorted(sorted, 100) == 4);
}
