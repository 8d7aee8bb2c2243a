#include "sster/model/predict_symbols.hpp"

#include <doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "model_test_util.hpp"

using namespace sster;

namespace {
// The records of `g` as one symbol array and as pysster's one-hot matrices.
std::vector<std::uint8_t> symbols_of(const Data& d, Group g) {
  std::vector<std::uint8_t> s;
  for (index_t i : d.indices(g)) s.insert(s.end(), d.symbols(i).begin(), d.symbols(i).end());
  return s;
}
std::vector<float> onehot_of(const Data& d, Group g) {
  const auto per = to_size(d.length() * d.input_channels());
  std::vector<float> m(d.indices(g).size() * per);
  index_t r = 0;
  for (index_t i : d.indices(g)) d.write_input(i, std::span<float>(m.data() + to_size(r++) * per, per));
  return m;
}
template <class Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("predict_symbols gives Model::predict's bits for the same records, in blocks of any size") {
  // 2200 records: more than two blocks of 1024, the last chunk partial
  const Data data = test::planted_data(test::small_planted(1100, 50));
  Model model(test::quick_params().epochs(1), data, 3);
  const RowMatrix<float> want = model.predict(data, Group::all);
  const auto symbols = symbols_of(data, Group::all);
  std::vector<float> got(to_size(want.size()));
  predict_symbols(model, symbols, got);
  CHECK(std::memcmp(got.data(), want.data(), got.size() * sizeof(float)) == 0);
  // the test group alone (records not contiguous in the data set)
  const RowMatrix<float> test_want = model.predict(data, Group::test);
  const auto test_symbols = symbols_of(data, Group::test);
  std::vector<float> test_got(to_size(test_want.size()));
  predict_symbols(model, test_symbols, test_got);
  CHECK(std::memcmp(test_got.data(), test_want.data(), test_got.size() * sizeof(float)) == 0);
}

TEST_CASE("one-hot matrices turn into the symbols they encode; zero rows pad") {
  const Data data = test::planted_data(test::small_planted(20, 50));
  CHECK(symbols_from_onehot(onehot_of(data, Group::all), 50, 4) == symbols_of(data, Group::all));
  std::vector<float> m(2 * 3 * 4, 0.0f);
  m[0 * 4 + 2] = 1;  // record 1: G, padding, T
  m[2 * 4 + 3] = 1;
  m[3 * 4 + 0] = 1;  // record 2: A C G
  m[4 * 4 + 1] = 1;
  m[5 * 4 + 2] = 1;
  CHECK(symbols_from_onehot(m, 3, 4) == std::vector<std::uint8_t>{2, no_symbol, 3, 0, 1, 2});
}

TEST_CASE("bad symbol and one-hot arrays are errors naming record and position") {
  const Data data = test::planted_data(test::small_planted(20, 50));
  Model model(test::quick_params(), data, 3);
  std::vector<std::uint8_t> s(2 * 50, 1);
  s[50 + 4] = 7;
  std::vector<float> p(4);
  CHECK(error_of([&] { predict_symbols(model, s, p); }) ==
        "symbols: record 2 position 5 holds 7, but the alphabet ACGT has 4 symbols (0 to 3; 255 pads)");
  s[50 + 4] = no_symbol;  // padding is fine
  CHECK(error_of([&] { predict_symbols(model, s, p); }) == "no error");
  s.pop_back();
  CHECK(error_of([&] { predict_symbols(model, s, p); }) ==
        "symbols: 99 values are not a whole number of records of length 50");
  s.push_back(0);
  std::vector<float> small(3);
  CHECK(error_of([&] { predict_symbols(model, s, small); }).find("2 records x 2 classes need 4") != std::string::npos);

  std::vector<float> m(1 * 2 * 4, 0.0f);
  m[1] = 1;
  m[4 + 1] = 0.5f;
  CHECK(error_of([&] { symbols_from_onehot(m, 2, 4); }) ==
        "one-hot input: record 1 position 2 is not one-hot (expected a single 1 among 4 channels, the rest 0, or all 0 "
        "for padding)");
  m[4 + 1] = 1;
  m[4 + 2] = 1;
  CHECK(error_of([&] { symbols_from_onehot(m, 2, 4); }).find("record 1 position 2 is not one-hot") != std::string::npos);
  CHECK(error_of([&] { symbols_from_onehot(m, 3, 4); }) ==
        "one-hot input: 8 values are not a whole number of records of 3 positions x 4 channels");
}
