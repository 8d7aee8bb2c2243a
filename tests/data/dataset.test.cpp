#include "sster/data/dataset.hpp"

#include <doctest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "data_test_util.hpp"

using namespace sster;
using sster::test::pysster_file;
using sster::test::TempDir;
using sster::test::tutorial_file;

namespace {

// pysster's tests/test_Data.py setUp.
Data dna_data(DataOptions o = {}) {
  return Data::from_fasta({pysster_file("dna_pos.fasta"), pysster_file("dna_neg.fasta")}, alphabet::dna(), o);
}
Data rna_dot_data() { return Data::from_multilabel_fasta(pysster_file("rna.fasta"), 3, Alphabet("ACGU", "().")); }
Data pwm_data() {
  DataOptions o;
  o.structure_profile = true;
  Data d = Data::from_fasta({pysster_file("rna_pwm1.fasta"), pysster_file("rna_pwm2.fasta")}, Alphabet("ACGU", "()."), o);
  const std::vector<std::string> add{pysster_file("rna_pwm1_add.txt"), pysster_file("rna_pwm2_add.txt")};
  d.add_additional(add);
  std::vector<std::string> categories;
  for (int x = 1; x <= 16; ++x) categories.push_back(std::to_string(x));
  d.add_categorical(add, categories);
  d.add_positionwise({pysster_file("rna_pwm1_pos.txt"), pysster_file("rna_pwm2_pos.txt")}, "feat1");
  d.add_positionwise({pysster_file("rna_pwm2_pos.txt"), pysster_file("rna_pwm1_pos.txt")}, "feat2");
  return d;
}

std::vector<float> input_matrix(const Data& d, index_t i) {
  std::vector<float> m(to_size(d.length() * d.input_channels()));
  d.write_input(i, m);
  return m;
}
std::vector<float> column(const Data& d, index_t i, index_t channel) {
  const auto m = input_matrix(d, i);
  std::vector<float> c;
  for (index_t t = 0; t < d.length(); ++t) c.push_back(at(m, t * d.input_channels() + channel));
  return c;
}
bool approx_equal(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::abs(a[i] - b[i]) > 1e-6f) return false;
  return true;
}
std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}
std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
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
std::vector<index_t> to_vector(std::span<const index_t> s) { return {s.begin(), s.end()}; }

}  // namespace

// ---------------------------------------------------------------- pysster's tests

TEST_CASE("pysster test_data_init_dna: 100 records, shape (32, 4), labels by file") {
  const Data d = dna_data();
  CHECK_FALSE(d.multilabel());
  CHECK_FALSE(d.has_profile());
  CHECK_FALSE(d.alphabet().has_structure());
  CHECK(d.size() == 100);
  CHECK(d.length() == 32);
  CHECK(d.input_channels() == 4);
  CHECK(d.alphabet().sequence() == "ACGT");
  CHECK(d.classes() == 2);
  for (index_t x = 0; x < 40; ++x) CHECK(std::vector<float>(d.targets(x).begin(), d.targets(x).end()) == std::vector<float>{1, 0});
  for (index_t x = 40; x < 100; ++x) CHECK(std::vector<float>(d.targets(x).begin(), d.targets(x).end()) == std::vector<float>{0, 1});
  CHECK(d.class_names() == std::vector<std::string>{"dna_pos", "dna_neg"});
  CHECK(d.name(0) == "id");
  CHECK(d.file_records() == std::vector<index_t>{40, 60});
  // One-hot contents: "ACGT" repeated.
  const auto m = input_matrix(d, 7);
  for (index_t t = 0; t < 32; ++t)
    for (index_t c = 0; c < 4; ++c) CHECK(at(m, t * 4 + c) == (c == t % 4 ? 1.0f : 0.0f));
  const auto s = d.symbols(99);
  CHECK(s.size() == 32);
  CHECK(s[0] == 0);
  CHECK(s[31] == 3);
}

TEST_CASE("several files per class, and several multi-label files, read in file order") {
  const auto pos = pysster_file("dna_pos.fasta"), neg = pysster_file("dna_neg.fasta");
  const Data d = Data::from_fasta({pos, neg, neg, pos}, {0, 1, 1, 0}, alphabet::dna());
  CHECK(d.size() == 200);
  CHECK(d.classes() == 2);
  CHECK(d.class_names() == std::vector<std::string>{"dna_pos", "dna_neg"});  // each class after its first file
  CHECK(d.file_records() == std::vector<index_t>{40, 60, 60, 40});
  CHECK(d.labels(39) == std::vector<index_t>{0});
  CHECK(d.labels(40) == std::vector<index_t>{1});
  CHECK(d.labels(159) == std::vector<index_t>{1});
  CHECK(d.labels(160) == std::vector<index_t>{0});
  CHECK(d.class_counts() == std::vector<index_t>{80, 120});
  CHECK_THROWS_WITH_AS(Data::from_fasta({pos, neg}, {0, 2}, alphabet::dna()), doctest::Contains("class 1 has no file"), Error);
  CHECK_THROWS_WITH_AS(Data::from_fasta({pos, neg}, {0}, alphabet::dna()), doctest::Contains("2 files but 1 classes"), Error);

  const auto rna = pysster_file("rna.fasta");
  const Data one = rna_dot_data();
  const Data two = Data::from_multilabel_fasta(std::vector<std::string>{rna, rna}, 0, Alphabet("ACGU", "()."));
  CHECK(two.size() == 2 * one.size());
  CHECK(two.classes() == 3);
  CHECK(two.multilabel());
  CHECK(two.file_records() == std::vector<index_t>{one.size(), one.size()});
  for (index_t i = 0; i < one.size(); ++i) CHECK(two.labels(one.size() + i) == one.labels(i));
}

TEST_CASE("pysster test_data_init_rna: multi-label headers, shape (40, 12)") {
  const Data d = rna_dot_data();
  CHECK(d.multilabel());
  CHECK(d.size() == 20);
  CHECK(d.length() == 40);
  CHECK(d.input_channels() == 12);
  CHECK(d.alphabet().structure() == "().");
  CHECK(d.alphabet().sequence() == "ACGU");
  CHECK(d.classes() == 3);
  const std::vector<index_t> idx[3] = {{0, 2, 4, 10, 11, 14, 18, 19},
                                       {1, 2, 5, 6, 9, 10, 12, 15, 16, 17, 19},
                                       {0, 2, 3, 6, 7, 8, 9, 10, 13, 14, 15, 16}};
  for (index_t c = 0; c < 3; ++c)
    for (index_t i = 0; i < 20; ++i) {
      const bool member = std::count(idx[c].begin(), idx[c].end(), i) > 0;
      CHECK(at(d.targets(i), c) == (member ? 1.0f : 0.0f));
    }
  // Position 0 is "A(" = symbol 0, position 13 is "C." (1 * 3 + 2), the last "U)" (3 * 3 + 1).
  CHECK(d.symbols(0)[0] == 0);
  CHECK(d.symbols(0)[13] == 5);
  CHECK(d.symbols(0)[39] == 10);
  CHECK(d.structure_string(0) == "(((((((((((((..............)))))))))))))");
  CHECK(d.class_names() == std::vector<std::string>{"class_0", "class_1", "class_2"});
  // classes <= 0: inferred as the largest index + 1, as pysster does.
  CHECK(Data::from_multilabel_fasta(pysster_file("rna.fasta"), 0, Alphabet("ACGU", "().")).classes() == 3);
}

TEST_CASE("pysster test_data_train_val_test_split: 70/15/15 and 14/3/3, disjoint") {
  for (const Data& d : {dna_data(), rna_dot_data()}) {
    const auto n = to_size(d.size());
    const auto tr = d.indices(Group::train), va = d.indices(Group::val), te = d.indices(Group::test);
    CHECK(tr.size() == (n == 100 ? 70 : 14));
    CHECK(va.size() == (n == 100 ? 15 : 3));
    CHECK(te.size() == (n == 100 ? 15 : 3));
    std::set<index_t> all(tr.begin(), tr.end());
    all.insert(va.begin(), va.end());
    all.insert(te.begin(), te.end());
    CHECK(all.size() == n);
    CHECK(d.indices(Group::all).size() == n);
  }
}

TEST_CASE("pysster test_data_shape and test_data_get_sequences") {
  CHECK(dna_data().input_channels() == 4);
  CHECK(rna_dot_data().input_channels() == 12);
  const Data pwm = pwm_data();
  CHECK(pwm.length() == 10);
  CHECK(pwm.input_channels() == 14);
  const Data d = dna_data();
  for (Group g : {Group::train, Group::val, Group::test, Group::all})
    for (index_t i : d.indices(g)) CHECK(d.sequence_string(i) == "ACGTACGTACGTACGTACGTACGTACGTACGT");
}

TEST_CASE("pysster test_data_get_class_weights") {
  const auto w = dna_data().class_weights();
  CHECK(w[0] == doctest::Approx(1.5).epsilon(1e-9));
  CHECK(w[1] == doctest::Approx(1.0).epsilon(1e-9));
  const auto r = rna_dot_data().class_weights();
  CHECK(r[0] == doctest::Approx(1.5).epsilon(1e-9));
  CHECK(r[1] == doctest::Approx(1.0909090909090908).epsilon(1e-9));
  CHECK(r[2] == doctest::Approx(1.0).epsilon(1e-9));
  DataOptions off;
  off.class_weights = false;
  CHECK(dna_data(off).class_weights() == std::vector<double>{1.0, 1.0});
}

TEST_CASE("pysster test_data_get_summary and test_data_get_labels") {
  const Data dna = dna_data(), rna = rna_dot_data();
  for (const Data* d : {&dna, &rna}) {
    const auto text = lines_of(d->summary());
    REQUIRE(text.size() >= 5);
    CHECK(words(text[0]) == d->class_names());
    CHECK(words(text[1])[0] == "all");
    CHECK(words(text[1])[1] == "data:");
    CHECK(words(text[2])[0] == "training:");
    CHECK(words(text[3])[0] == "validation:");
    CHECK(words(text[4])[0] == "test:");
    for (std::size_t x = 0; x < d->class_names().size(); ++x)
      CHECK(std::stoi(words(text[2])[x + 1]) + std::stoi(words(text[3])[x + 1]) + std::stoi(words(text[4])[x + 1]) ==
            std::stoi(words(text[1])[x + 2]));
  }
  CHECK(dna.class_counts(Group::all) == std::vector<index_t>{40, 60});
  CHECK(rna.class_counts(Group::all) == std::vector<index_t>{8, 11, 12});
  for (Group g : {Group::train, Group::val, Group::test}) {
    for (index_t i : dna.indices(g)) CHECK(dna.labels(i).size() == 1);
    for (index_t i : rna.indices(g)) CHECK(rna.labels(i).size() <= 3);
  }
  const auto s = dna.summary();
  CHECK(s.find("alphabet:   DNA ACGT (4 symbols)") != std::string::npos);
  CHECK(s.find("sequences:  100, length 32") != std::string::npos);
  CHECK(rna.summary().find("(multi-label)") != std::string::npos);
  CHECK(rna.summary().find("x structure (). (12 symbols)") != std::string::npos);
}

TEST_CASE("pysster test_data_pwm_struct: structure probabilities in the sequence letter's block") {
  const Data d = pwm_data();
  CHECK(d.has_profile());
  CHECK(d.profile_channels() == 3);
  CHECK(d.size() == 32);
  CHECK(d.alphabet().size() == 12);
  // pysster's reference matrix for record 0 (10 x 12).
  const std::vector<float> ref = {0.9f, 0, 0.1f, 0, 0, 0, 0, 0, 0, 0,    0,    0,     //
                                  0,    0, 0,    0, 0, 0, 0, 0, 0, 0.8f, 0,    0.2f,  //
                                  0.7f, 0, 0.3f, 0, 0, 0, 0, 0, 0, 0,    0,    0,     //
                                  0,    0, 0,    0, 0, 0, 0, 0, 0, 0.9f, 0,    0.1f,  //
                                  0.0f, 0, 1.0f, 0, 0, 0, 0, 0, 0, 0,    0,    0,     //
                                  0,    0, 0,    0, 0, 0, 0, 0, 0, 0.0f, 0,    1.0f,  //
                                  0.0f, 0.2f, 0.8f, 0, 0, 0, 0, 0, 0, 0, 0,    0,     //
                                  0,    0, 0,    0, 0, 0, 0, 0, 0, 0.0f, 0.7f, 0.3f,  //
                                  0.0f, 0.8f, 0.2f, 0, 0, 0, 0, 0, 0, 0, 0,    0,     //
                                  0,    0, 0,    0, 0, 0, 0, 0, 0, 0.0f, 0.9f, 0.1f};
  for (index_t i : {index_t{0}, index_t{15}}) {  // pysster also checks seqs[15] of class 0
    const auto m = input_matrix(d, i);
    std::vector<float> first12;
    for (index_t t = 0; t < 10; ++t)
      for (index_t c = 0; c < 12; ++c) first12.push_back(at(m, t * 14 + c));
    CHECK(approx_equal(first12, ref));
  }
  CHECK(d.class_counts(Group::all) == std::vector<index_t>{16, 16});
  // The stored symbol carries the most probable structure letter: A then "(" (0.9).
  CHECK(d.symbols(0)[0] == 0);
  CHECK(d.symbols(0)[1] == 3 * 3 + 0);  // U, "(" 0.8
  CHECK(d.profile(0)[0] == doctest::Approx(0.9f));
  CHECK(d.summary().find("(probabilities)") != std::string::npos);
}

TEST_CASE("pysster test_data_additional: per-sequence and position-wise inputs") {
  const Data d = pwm_data();
  REQUIRE(d.extra_size() == 17);  // 1 number + 16 one-hot categories
  for (index_t i = 0; i < 32; ++i) {
    const auto e = d.extra(i);
    CHECK(e[0] == static_cast<float>(i < 16 ? i + 1 : 32 - i));
    float sum = 0;
    for (std::size_t k = 1; k < 17; ++k) sum += e[k];
    CHECK(sum == 1.0f);
  }
  auto onehot = [&](index_t i) { return std::vector<float>(d.extra(i).begin() + 1, d.extra(i).end()); };
  CHECK(onehot(0) == onehot(31));
  CHECK(onehot(13) == onehot(18));
  CHECK(onehot(0) != onehot(1));
  // Categories sorted as strings, as pysster sorts them: "1", "10", ..., "16", "2", ...
  CHECK(d.extra(0)[1] == 1.0f);       // "1"
  CHECK(d.extra(9)[2] == 1.0f);       // "10"
  CHECK(d.extra(1)[1 + 8] == 1.0f);   // "2" after "1".."16"
  CHECK(d.extra_names()[1] == "rna_pwm1_add=1");

  CHECK(d.dense_channels() == 2);
  CHECK(d.dense_names() == std::vector<std::string>{"feat1", "feat2"});
  CHECK(approx_equal(column(d, 0, 12), {0.9f, 0.8f, 0.7f, 0.9f, 0, 0, 0, 0, 0, 0}));
  CHECK(approx_equal(column(d, 31, 13), {0.1f, 0.2f, 0.3f, 0.1f, 1, 1, 0.8f, 0.3f, 0.2f, 0.1f}));
  CHECK(approx_equal(column(d, 31, 12), {2.1f, 2.2f, 2.3f, 2.1f, 2, 2, 2.8f, 2.3f, 2.2f, 2.1f}));
  CHECK(d.dense(31).size() == 20);
  CHECK(d.dense(31)[6 * 2 + 0] == doctest::Approx(2.8f));
}

// ---------------------------------------------------------------- beyond pysster's tests

TEST_CASE("standardized inputs: z-score per sequence value, robust scaling per position") {
  DataOptions o;
  o.structure_profile = true;
  Data d = Data::from_fasta({pysster_file("rna_pwm1.fasta"), pysster_file("rna_pwm2.fasta")}, Alphabet("ACGU", "()."), o);
  d.add_additional({pysster_file("rna_pwm1_add.txt"), pysster_file("rna_pwm2_add.txt")}, true);
  double mean = 0;
  for (index_t i = 0; i < 32; ++i) mean += d.extra(i)[0];
  CHECK(mean == doctest::Approx(0.0).epsilon(1e-6));
  CHECK(d.extra(0)[0] == doctest::Approx((1 - 8.5) / std::sqrt(21.25)));  // values 1..16 twice: sd sqrt(21.25)
  d.add_positionwise({pysster_file("rna_pwm1_pos.txt"), pysster_file("rna_pwm2_pos.txt")}, "feat", true);
  // Every column is now centred on its median; the raw values come back unscaled.
  const auto raw = d.dense_unscaled(31);
  CHECK(raw[6] == doctest::Approx(2.8f));
  CHECK(d.dense(31)[6] != doctest::Approx(2.8f));
  std::vector<float> col;
  for (index_t i = 0; i < 32; ++i) col.push_back(d.dense(i)[0]);
  std::sort(col.begin(), col.end());
  CHECK((col[15] + col[16]) / 2 == doctest::Approx(0.0f));
}

TEST_CASE("encodings: a fitted one reproduces its values, and applied to other data it scales, not refits") {
  DataOptions o;
  o.structure_profile = true;
  const std::vector<std::string> fasta = {pysster_file("rna_pwm1.fasta"), pysster_file("rna_pwm2.fasta")};
  const std::vector<std::string> add = {pysster_file("rna_pwm1_add.txt"), pysster_file("rna_pwm2_add.txt")};
  const std::vector<std::string> pos = {pysster_file("rna_pwm1_pos.txt"), pysster_file("rna_pwm2_pos.txt")};
  Data fitted = Data::from_fasta(fasta, Alphabet("ACGU", "()."), o);
  fitted.add_additional(add, true);
  fitted.add_categorical(add, {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16"});
  fitted.add_positionwise(pos, "feat", true);
  REQUIRE(fitted.additional_inputs().size() == 2);
  const auto& z = fitted.additional_inputs()[0];
  CHECK(z.mean == doctest::Approx(8.5));  // 1..16 twice
  CHECK(z.sd == doctest::Approx(std::sqrt(21.25)));
  CHECK(fitted.positionwise_inputs()[0].scaled());
  // The same files encoded as fitted: the same values, names and encodings.
  Data again = Data::from_fasta(fasta, Alphabet("ACGU", "()."), o);
  for (const auto& a : fitted.additional_inputs()) again.add_additional(add, a);
  again.add_positionwise(pos, fitted.positionwise_inputs()[0]);
  CHECK(again.additional_inputs() == fitted.additional_inputs());
  CHECK(again.positionwise_inputs() == fitted.positionwise_inputs());
  CHECK(again.extra_names() == fitted.extra_names());
  for (index_t i = 0; i < fitted.size(); ++i) {
    CHECK(std::ranges::equal(again.extra(i), fitted.extra(i)));
    CHECK(std::ranges::equal(again.dense(i), fitted.dense(i)));
  }
  // Other values: their own mean would differ, the fitted one is kept.
  Data other = Data::from_fasta(fasta, Alphabet("ACGU", "()."), o);
  TempDir dir;
  std::string shifted, cats;
  for (int i = 0; i < 32; ++i) {
    shifted += std::to_string(100 + i) + "\n";
    cats += i < 31 ? "1\n" : "17\n";
  }
  test::write_file(dir.file("shifted.txt"), shifted);
  other.add_additional({dir.file("shifted.txt")}, z);
  CHECK(other.extra(0)[0] == doctest::Approx((100 - 8.5) / std::sqrt(21.25)));
  // A category the encoding does not know is an error naming file and line.
  test::write_file(dir.file("cats.txt"), cats);
  CHECK_THROWS_WITH_AS(other.add_additional({dir.file("cats.txt")}, fitted.additional_inputs()[1]),
                       doctest::Contains("cats.txt line 32: '17' is not one of the categories 1, 10, 11"), Error);
  CHECK(other.extra_size() == 1);  // nothing added by the failed call
}

TEST_CASE("gzip and plain FASTA load to identical data") {
  TempDir dir;
  for (const char* f : {"dna_pos.fasta", "dna_neg.fasta"})
    test::write_gz(dir.file(std::string(f) + ".gz"), test::read_file(pysster_file(f)));
  const Data plain = dna_data();
  const Data packed = Data::from_fasta({dir.file("dna_pos.fasta.gz"), dir.file("dna_neg.fasta.gz")}, alphabet::dna());
  CHECK(packed.class_names() == plain.class_names());
  REQUIRE(packed.size() == plain.size());
  for (index_t i = 0; i < plain.size(); ++i) {
    CHECK(std::ranges::equal(packed.symbols(i), plain.symbols(i)));
    CHECK(std::ranges::equal(packed.targets(i), plain.targets(i)));
  }
  CHECK(to_vector(packed.indices(Group::test)) == to_vector(plain.indices(Group::test)));
}

TEST_CASE("tutorial data: PUM2 (RNA, length 200) and the artificial DNA set, gzip vs plain") {
  const Data pum2 = Data::from_fasta({tutorial_file("pum2_positives.fasta.gz"), tutorial_file("pum2_background.fasta.gz")},
                                     alphabet::rna());
  CHECK(pum2.size() == 10368);
  CHECK(pum2.length() == 200);
  CHECK(pum2.class_counts() == std::vector<index_t>{5184, 5184});
  CHECK(pum2.class_names() == std::vector<std::string>{"pum2_positives", "pum2_background"});
  CHECK(pum2.class_weights() == std::vector<double>{1.5, 1.0});  // balanced binary: pysster's quirk
  const Data art = Data::from_fasta({tutorial_file("artificial_pos.fasta.gz"), tutorial_file("artificial_neg.fasta.gz")},
                                    alphabet::dna());
  CHECK(art.length() == 140);
  CHECK(art.class_counts() == std::vector<index_t>{10000, 10000});
  // Inflate one file with zlib and load the plain text: identical symbols.
  TempDir dir;
  gzFile f = gzopen(tutorial_file("pum2_positives.fasta.gz").c_str(), "rb");
  REQUIRE(f != nullptr);
  std::string text;
  char buf[1 << 16];
  int got;
  while ((got = gzread(f, buf, sizeof buf)) > 0) text.append(buf, to_size(got));
  gzclose(f);
  test::write_file(dir.file("pum2_positives.fasta"), text);
  const Data plain = Data::from_fasta({dir.file("pum2_positives.fasta")}, alphabet::rna());
  const Data packed = Data::from_fasta({tutorial_file("pum2_positives.fasta.gz")}, alphabet::rna());
  REQUIRE(plain.size() == 5184);
  bool same = packed.size() == plain.size() && packed.replaced_symbols() == plain.replaced_symbols();
  for (index_t i = 0; same && i < plain.size(); ++i) same = std::ranges::equal(plain.symbols(i), packed.symbols(i)) && plain.name(i) == packed.name(i);
  CHECK(same);
}

TEST_CASE("seeded splits: reproducible, seed-dependent, explicit, from a file") {
  DataOptions a, b;
  a.seed = 1;
  b.seed = 2;
  CHECK(to_vector(dna_data(a).indices(Group::train)) == to_vector(dna_data(a).indices(Group::train)));
  CHECK(to_vector(dna_data(a).indices(Group::train)) != to_vector(dna_data(b).indices(Group::train)));
  DataOptions f;
  f.train_fraction = 0.5;
  f.val_fraction = 0.25;
  const Data half = dna_data(f);
  CHECK(half.indices(Group::train).size() == 50);
  CHECK(half.indices(Group::val).size() == 25);
  CHECK(half.indices(Group::test).size() == 25);

  Data d = dna_data();
  d.resplit(0.8, 0.1, 9);
  CHECK(d.indices(Group::train).size() == 80);
  d.set_split({5, 3, 1}, {0}, {2});
  CHECK(to_vector(d.indices(Group::train)) == std::vector<index_t>{1, 3, 5});
  CHECK(d.indices(Group::all).size() == 100);
  CHECK_THROWS_WITH_AS(d.set_split({1}, {1}, {}), doctest::Contains("record 1 is in train and in val"), Error);
  CHECK(to_vector(d.indices(Group::train)) == std::vector<index_t>{1, 3, 5});  // unchanged by the failed call

  TempDir dir;
  Data e = dna_data();
  e.save_split(dir.file("split.txt"));
  Data g = dna_data(a);
  g.load_split(dir.file("split.txt"));
  CHECK(g.split() == e.split());
  test::write_file(dir.file("short.txt"), "train\nval\n");
  CHECK_THROWS_WITH_AS(g.load_split(dir.file("short.txt")), doctest::Contains("short.txt: 2 lines, but the data set has 100 records"), Error);
}

TEST_CASE("epoch_order: a seeded permutation of the training set, new every epoch") {
  const Data d = dna_data();
  const auto o0 = d.epoch_order(3, 0), o1 = d.epoch_order(3, 1), again = d.epoch_order(3, 0), other = d.epoch_order(4, 0);
  CHECK(o0 == again);
  CHECK(o0 != o1);
  CHECK(o0 != other);
  auto sorted = o1;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted == to_vector(d.indices(Group::train)));
  CHECK(o0.size() == 70);
}

TEST_CASE("unknown letters are replaced by seeded random letters and counted") {
  TempDir dir;
  test::write_file(dir.file("n.fa"), ">a\nACGTNNNNNNNNNNNN\n>b\nacgtnnnnnnnnRYKM\n");
  const Data d1 = Data::from_fasta({dir.file("n.fa")}, alphabet::dna());
  const Data d2 = Data::from_fasta({dir.file("n.fa")}, alphabet::dna());
  DataOptions o;
  o.seed = 7;
  const Data d3 = Data::from_fasta({dir.file("n.fa")}, alphabet::dna(), o);
  CHECK(d1.replaced_symbols() == 24);
  CHECK(d1.sequence_string(0).substr(0, 4) == "ACGT");
  CHECK(d1.sequence_string(1).substr(0, 4) == "ACGT");  // lower case is the same letter
  CHECK(d1.sequence_string(0) == d2.sequence_string(0));
  CHECK(d1.sequence_string(0) != d3.sequence_string(0));
  CHECK(d1.sequence_string(0).find_first_not_of("ACGT") == std::string::npos);
  CHECK(d1.summary().find("replaced:   24 unknown letters") != std::string::npos);
  DataOptions strict;
  strict.replace_unknown = false;
  CHECK_THROWS_WITH_AS(Data::from_fasta({dir.file("n.fa")}, alphabet::dna(), strict),
                       doctest::Contains("n.fa record 1 (line 2): 'N' (position 5) is not in the DNA alphabet ACGT"), Error);
}

TEST_CASE("unequal lengths: an error naming both records, or padding with no_symbol") {
  TempDir dir;
  test::write_file(dir.file("pos.fa"), ">a\nACGTACGT\n>b\nACGTACGT\n");
  test::write_file(dir.file("neg.fa"), ">c\nACGTACGT\n>d\nACGTAC\n");
  const auto msg = error_of([&] { Data::from_fasta({dir.file("pos.fa"), dir.file("neg.fa")}, alphabet::dna()); });
  CHECK_MESSAGE(msg.find("neg.fa record 2 (line 3) has length 6, but ") != std::string::npos, msg);
  CHECK_MESSAGE(msg.find("pos.fa record 1 (line 1) has length 8") != std::string::npos, msg);
  DataOptions o;
  o.pad = true;
  const Data d = Data::from_fasta({dir.file("pos.fa"), dir.file("neg.fa")}, alphabet::dna(), o);
  CHECK(d.length() == 8);
  CHECK(d.record_length(3) == 6);
  CHECK(d.symbols(3)[5] == 1);
  CHECK(d.symbols(3)[6] == no_symbol);
  CHECK(d.symbols(3)[7] == no_symbol);
  CHECK(d.sequence_string(3) == "ACGTAC");
  const auto m = input_matrix(d, 3);
  CHECK(std::all_of(m.begin() + 6 * 4, m.end(), [](float v) { return v == 0.0f; }));  // no channel hot
  CHECK(std::count(m.begin(), m.end(), 1.0f) == 6);
  CHECK(d.summary().find("(shorter ones padded; shortest 6)") != std::string::npos);
  // Position-wise values: the record's own length or the padded length.
  test::write_file(dir.file("pos.txt"), "1 2 3 4 5 6 7 8\n1 2 3 4 5 6 7 8\n");
  test::write_file(dir.file("neg.txt"), "1 2 3 4 5 6 7 8\n1 2 3 4 5 6\n");
  Data e = d;
  e.add_positionwise({dir.file("pos.txt"), dir.file("neg.txt")}, "x");
  CHECK(e.dense(3)[5] == 6.0f);
  CHECK(e.dense(3)[6] == 0.0f);
  test::write_file(dir.file("neg7.txt"), "1 2 3 4 5 6 7 8\n1 2 3 4 5 6 7\n");
  CHECK_THROWS_WITH_AS(e.add_positionwise({dir.file("pos.txt"), dir.file("neg7.txt")}, "y"),
                       doctest::Contains("neg7.txt line 2: expected 6 values (one per position of record 4), found 7"), Error);
}

TEST_CASE("padding in place: many records of random lengths keep their letters") {
  TempDir dir;
  std::string text;
  std::vector<std::string> seqs;
  RandomStream rng(RandomKey(11, Purpose::simulate));
  for (int i = 0; i < 3000; ++i) {
    std::string s(1 + rng.below(150), 'A');
    for (char& c : s) c = "ACGT"[rng.below(4)];
    text += ">r" + std::to_string(i) + "\n" + s + "\n";
    seqs.push_back(s);
  }
  test::write_file(dir.file("var.fa"), text);
  DataOptions o;
  o.pad = true;
  const Data d = Data::from_fasta({dir.file("var.fa")}, alphabet::dna(), o);
  std::size_t longest = 0;
  for (const auto& s : seqs) longest = std::max(longest, s.size());
  CHECK(d.length() == static_cast<index_t>(longest));
  bool ok = true;
  for (index_t i = 0; i < d.size(); ++i) {
    const auto& s = at(seqs, i);
    ok = ok && d.sequence_string(i) == s && d.record_length(i) == static_cast<index_t>(s.size());
    const auto sym = d.symbols(i);
    ok = ok && std::all_of(sym.begin() + static_cast<std::ptrdiff_t>(s.size()), sym.end(), [](std::uint8_t v) { return v == no_symbol; });
  }
  CHECK(ok);
}

TEST_CASE("padded structure profiles and structures") {
  TempDir dir;
  test::write_file(dir.file("p.fa"), ">a\nAU\n0.5 1\n0.5 0\n0 0\n>b\nAUG\n1 0 0\n0 1 0\n0 0 1\n");
  DataOptions o;
  o.pad = true;
  o.structure_profile = true;
  const Data d = Data::from_fasta({dir.file("p.fa")}, Alphabet("ACGU", "()."), o);
  CHECK(d.length() == 3);
  CHECK(std::vector<float>(d.profile(0).begin(), d.profile(0).end()) == std::vector<float>{0.5f, 0.5f, 0, 1, 0, 0, 0, 0, 0});
  CHECK(d.symbols(0)[2] == no_symbol);
  CHECK(d.symbols(1)[2] == 2 * 3 + 2);  // G .
}

TEST_CASE("multi-label headers: names before the indices, bad and out-of-range indices") {
  TempDir dir;
  test::write_file(dir.file("ml.fa"), ">seq1 0,2\nACGT\n>seq2 1\nACGT\n>1, 2\nACGT\n");
  const Data d = Data::from_multilabel_fasta(dir.file("ml.fa"), 3, alphabet::dna());
  CHECK(d.labels(0) == std::vector<index_t>{0, 2});
  CHECK(d.labels(1) == std::vector<index_t>{1});
  CHECK(d.labels(2) == std::vector<index_t>{1, 2});
  CHECK(d.name(0) == "seq1 0,2");
  test::write_file(dir.file("bad.fa"), ">0\nACGT\n>0,x\nACGT\n");
  CHECK_THROWS_WITH_AS(Data::from_multilabel_fasta(dir.file("bad.fa"), 3, alphabet::dna()),
                       doctest::Contains("bad.fa record 2 (line 3): 'x' in the header is not a class index"), Error);
  test::write_file(dir.file("range.fa"), ">0\nACGT\n>0,3\nACGT\n");
  CHECK_THROWS_WITH_AS(Data::from_multilabel_fasta(dir.file("range.fa"), 3, alphabet::dna()),
                       doctest::Contains("range.fa record 2 (line 3): class index 3 is out of range (3 classes: 0 to 2)"), Error);
  test::write_file(dir.file("neg.fa"), ">-1\nACGT\n");
  CHECK_THROWS_WITH_AS(Data::from_multilabel_fasta(dir.file("neg.fa"), 3, alphabet::dna()),
                       doctest::Contains("neg.fa record 1 (line 1): '-1' in the header is not a class index"), Error);
}

TEST_CASE("bad input: errors name the file and the record, and nothing is half-loaded") {
  TempDir dir;
  auto expect = [&](const std::string& msg, const std::string& part) {
    CHECK_MESSAGE(msg.find(part) != std::string::npos, msg);
  };
  const auto rna2 = Alphabet("ACGU", "().");
  expect(error_of([&] { Data::from_fasta({dir.file("missing.fa")}, alphabet::dna()); }), "missing.fa: cannot open file");
  test::write_file(dir.file("empty.fa"), "");
  expect(error_of([&] { Data::from_fasta({pysster_file("dna_pos.fasta"), dir.file("empty.fa")}, alphabet::dna()); }),
         "empty.fa: the file is empty");
  test::write_file(dir.file("norec.fa"), "\n\n");
  expect(error_of([&] { Data::from_fasta({dir.file("norec.fa")}, alphabet::dna()); }), "norec.fa: no FASTA records");
  test::write_file(dir.file("nohead.fa"), ">a\nACGT\n>b\n>c\nACGT\n");
  expect(error_of([&] { Data::from_fasta({dir.file("nohead.fa")}, alphabet::dna()); }),
         "nohead.fa record 2 (line 3): header '>b' is not followed by a sequence");
  test::write_file(dir.file("st.fa"), ">a\nACGU\n(..)\n>b\nACGU\n(.J)\n");
  expect(error_of([&] { Data::from_fasta({dir.file("st.fa")}, rna2); }),
         "st.fa record 2 (line 6): 'J' (structure position 3) is not in the structure alphabet ().");
  test::write_file(dir.file("stlen.fa"), ">a\nACGU\n(..)\n>b\nACGU\n(...)\n");
  expect(error_of([&] { Data::from_fasta({dir.file("stlen.fa")}, rna2); }),
         "stlen.fa record 2 (line 6): the structure has length 5 but the sequence has length 4");
  DataOptions profile;
  profile.structure_profile = true;
  expect(error_of([&] { Data::from_fasta({pysster_file("rna_pwm1.fasta")}, alphabet::rna(), profile); }),
         "structure_profile needs an alphabet with structure letters");

  // Additional data: counts per file, numbers, and no partial update.
  Data d = dna_data();
  auto repeat_lines = [](const char* value, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += std::string(value) + "\n";
    return s;
  };
  test::write_file(dir.file("pos_add.txt"), repeat_lines("1", 40));
  test::write_file(dir.file("neg_add.txt"), repeat_lines("2", 59));
  expect(error_of([&] { d.add_additional({dir.file("pos_add.txt"), dir.file("neg_add.txt")}); }),
         "neg_add.txt: 59 values, but " + pysster_file("dna_neg.fasta") + " has 60 records");
  CHECK(d.extra_size() == 0);
  expect(error_of([&] { d.add_additional(dir.file("pos_add.txt")); }), "pos_add.txt: 40 values for 100 records");
  test::write_file(dir.file("text_add.txt"), "1\n2\nthree\n");
  expect(error_of([&] { d.add_additional(dir.file("text_add.txt")); }), "text_add.txt line 3: 'three' is not a number");
  test::write_file(dir.file("cat.txt"), "a\nb\nc\n");
  expect(error_of([&] { d.add_categorical(dir.file("cat.txt"), {"a", "b"}); }),
         "cat.txt line 3: 'c' is not one of the categories a, b");
  CHECK(d.extra_size() == 0);
  expect(error_of([&] { d.add_positionwise(pysster_file("rna_pwm1_pos.txt"), "p"); }),
         "rna_pwm1_pos.txt line 1: expected 32 values (one per position of record 1), found 10");
  CHECK(d.dense_channels() == 0);
  Data p = pwm_data();
  expect(error_of([&] { p.add_positionwise({pysster_file("rna_pwm1_pos.txt"), pysster_file("rna_pwm2_pos.txt")}, "feat1"); }),
         "identifier 'feat1' already exists");
  CHECK(p.dense_channels() == 2);
}

TEST_CASE("a truncated gzip FASTA file is an error, not a shorter data set") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += ">r" + std::to_string(i) + "\nACGTTGCAACGTTGCAGGCC\n";
  test::write_gz(dir.file("full.fa.gz"), text);
  const std::string gz = test::read_file(dir.file("full.fa.gz"));
  test::write_file(dir.file("cut.fa.gz"), gz.substr(0, gz.size() * 2 / 3));
  CHECK(Data::from_fasta({dir.file("full.fa.gz")}, alphabet::dna()).size() == 20000);
  CHECK_THROWS_WITH_AS(Data::from_fasta({dir.file("cut.fa.gz")}, alphabet::dna()),
                       doctest::Contains("cut.fa.gz: truncated gzip file"), Error);
}

TEST_CASE("from_sequences: in-memory sequences with structures") {
  const Data d = Data::from_sequences({"ACGU", "UGCA", "AAAA"}, {0, 1, 1}, 2, Alphabet("ACGU", "()."), {},
                                      {"(..)", "....", "(())"});
  CHECK(d.size() == 3);
  CHECK(d.name(1) == "seq_2");
  CHECK(d.symbols(0)[0] == 0);
  CHECK(d.structure_string(2) == "(())");
  CHECK(d.class_counts() == std::vector<index_t>{1, 2});
  CHECK_THROWS_WITH_AS(Data::from_sequences({"ACGU"}, {2}, 2, alphabet::rna()), doctest::Contains("sequences record 1: class index 2 is out of range"), Error);
  CHECK_THROWS_WITH_AS(Data::from_sequences({"ACGU", "ACG"}, {0, 1}, 2, alphabet::rna()),
                       doctest::Contains("sequences record 2 has length 3, but sequences record 1 has length 4"), Error);
}

TEST_CASE("save and load: everything round-trips; damaged files are rejected") {
  TempDir dir;
  Data d = pwm_data();
  d.set_split({0, 1, 2, 3, 20}, {4, 5}, {31});
  d.set_class_names({"pos", "neg"});
  d.save(dir.file("d.sstd"));
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  CHECK(files == 1);  // no temporary file left
  const Data e = Data::load(dir.file("d.sstd"));
  CHECK(e.alphabet() == d.alphabet());
  CHECK(e.size() == d.size());
  CHECK(e.length() == d.length());
  CHECK(e.classes() == d.classes());
  CHECK(e.multilabel() == d.multilabel());
  CHECK(e.class_names() == d.class_names());
  CHECK(e.has_profile());
  CHECK(e.dense_names() == d.dense_names());
  CHECK(e.extra_names() == d.extra_names());
  CHECK(e.split() == d.split());
  CHECK(e.files() == d.files());
  CHECK(e.file_records() == d.file_records());
  CHECK(e.class_weights() == d.class_weights());
  CHECK(e.summary() == d.summary());
  for (index_t i = 0; i < d.size(); ++i) {
    CHECK(std::ranges::equal(e.symbols(i), d.symbols(i)));
    CHECK(std::ranges::equal(e.targets(i), d.targets(i)));
    CHECK(std::ranges::equal(e.profile(i), d.profile(i)));
    CHECK(std::ranges::equal(e.dense(i), d.dense(i)));
    CHECK(std::ranges::equal(e.extra(i), d.extra(i)));
    CHECK(e.name(i) == d.name(i));
    CHECK(input_matrix(e, i) == input_matrix(d, i));
  }
  // A padded, multi-label, standardized set too.
  TempDir dir2;
  test::write_file(dir2.file("m.fa"), ">0\nACGTT\n>1,0\nACG\n");
  DataOptions o;
  o.pad = true;
  Data m = Data::from_multilabel_fasta(dir2.file("m.fa"), 2, alphabet::dna(), o);
  test::write_file(dir2.file("m.txt"), "1 2 3 4 5\n6 7 8\n");
  m.add_positionwise(dir2.file("m.txt"), "w", true);
  m.save(dir2.file("m.sstd"));
  const Data m2 = Data::load(dir2.file("m.sstd"));
  CHECK(m2.multilabel());
  CHECK(m2.record_length(1) == 3);
  CHECK(m2.dense_unscaled(1) == m.dense_unscaled(1));
  CHECK(m2.labels(1) == std::vector<index_t>{0, 1});

  const std::string raw = test::read_file(dir.file("d.sstd"));
  std::string flipped = raw;
  flipped[raw.size() / 2] = static_cast<char>(flipped[raw.size() / 2] ^ 0x10);
  test::write_file(dir.file("flip.sstd"), flipped);
  CHECK_THROWS_WITH_AS(Data::load(dir.file("flip.sstd")), doctest::Contains("flip.sstd: not a valid file"), Error);
  test::write_file(dir.file("cut.sstd"), raw.substr(0, raw.size() - 100));
  CHECK_THROWS_WITH_AS(Data::load(dir.file("cut.sstd")), doctest::Contains("cut.sstd: not a valid file"), Error);
  test::write_file(dir.file("magic.sstd"), "SSTR" + raw.substr(4));
  CHECK_THROWS_WITH_AS(Data::load(dir.file("magic.sstd")), doctest::Contains("does not start with 'SSTD'"), Error);
  std::string newer = raw;
  newer[4] = static_cast<char>(Data::file_version + 1);
  test::write_file(dir.file("newer.sstd"), newer);
  const std::string newer_message = "data file version " + std::to_string(Data::file_version + 1) + " is newer";
  CHECK_THROWS_WITH_AS(Data::load(dir.file("newer.sstd")), doctest::Contains(newer_message.c_str()), Error);
  CHECK_THROWS_WITH_AS(Data::load(dir.file("none.sstd")), doctest::Contains("none.sstd: cannot open file"), Error);
}

TEST_CASE("memory: one byte per position plus the name") {
  // 20000 records of length 200 with 12-character names; the budget for
  // 1 million such records is 400 MB, i.e. 400 bytes per record.
  TempDir dir;
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    text += ">read_" + std::to_string(1000000 + i) + "\n";
    for (int t = 0; t < 200; ++t) text += "ACGT"[(i * 31 + t * 7) % 4];
    text += '\n';
  }
  test::write_file(dir.file("big.fa"), text);
  const Data d = Data::from_fasta({dir.file("big.fa")}, alphabet::dna());
  CHECK(d.size() == 20000);
  const double per_record = static_cast<double>(d.memory_bytes()) / 20000.0;
  MESSAGE("bytes per record of length 200: " << per_record);
  CHECK(per_record < 300.0);
  CHECK(per_record >= 200.0);
}

TEST_CASE("record indices are checked") {
  const Data d = dna_data();
  CHECK_THROWS_WITH_AS(d.symbols(100), doctest::Contains("record index 100 is out of range"), Error);
  CHECK_THROWS_WITH_AS(d.name(-1), doctest::Contains("record index -1 is out of range"), Error);
  std::vector<float> small(3);
  CHECK_THROWS_AS(d.write_input(0, small), Error);
  CHECK(Data().size() == 0);
  TempDir dir;
  CHECK_THROWS_WITH_AS(Data().save(dir.file("e.sstd")), doctest::Contains("cannot save an empty data set"), Error);
}
