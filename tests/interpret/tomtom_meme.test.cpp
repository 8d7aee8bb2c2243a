#include <doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "sster/interpret/tomtom_meme.hpp"

using namespace sster;

namespace {

const std::filesystem::path tomtom_data = std::filesystem::path(SSTER_TEST_DATA) / "tomtom";

// The data lines of a tomtom.tsv (no header, no blank or # lines).
std::vector<std::string> tsv_rows(const std::string& text) {
  std::vector<std::string> rows;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#') rows.push_back(line);
  return rows;
}
std::vector<std::string> tsv_file_rows(const std::string& name) {
  std::ifstream in(tomtom_data / name);
  std::stringstream s;
  s << in.rdbuf();
  return tsv_rows(s.str());
}

// A row's columns, the q-value (column 6) left out.
std::string without_q_value(const std::string& row) {
  std::vector<std::string> cols;
  std::istringstream in(row);
  std::string c;
  while (std::getline(in, c, '\t')) cols.push_back(c);
  std::string out;
  for (std::size_t i = 0; i < cols.size(); ++i)
    if (i != 5) out += cols[i] + "\t";
  return out;
}
double q_value_of(const std::string& row) {
  std::istringstream in(row);
  std::string c;
  for (int i = 0; i < 6; ++i) std::getline(in, c, '\t');
  return std::stod(c);
}

}  // namespace

TEST_CASE("tomtom on MEME files: the MEME suite's own tomtom output, line for line") {
  // tomtom 5.5.6: `tomtom [-incomplete-scores] -dist pearson|ed sample.meme sample.meme`
  struct Mode {
    const char* file;
    bool complete;
    ColumnScore distance;
  };
  const std::vector<Mode> modes = {{"tomtom.complete.out.pearson.tsv", true, ColumnScore::pearson},
                                   {"tomtom.out.pearson.tsv", false, ColumnScore::pearson},
                                   {"tomtom.complete.out.ed.tsv", true, ColumnScore::euclidean},
                                   {"tomtom.out.ed.tsv", false, ColumnScore::euclidean}};
  const std::vector<std::filesystem::path> targets{tomtom_data / "sample.meme"};
  for (const auto& m : modes) {
    CAPTURE(m.file);
    TomtomOptions o;
    o.complete_scores = m.complete;
    o.distance = m.distance;
    const auto expected = tsv_file_rows(m.file);
    REQUIRE(expected.size() >= 15);
    CHECK(tsv_rows(tomtom_tsv(tomtom_files(tomtom_data / "sample.meme", targets, o))) == expected);
  }
}

TEST_CASE("tomtom on MEME files: the MEME suite's example against JASPAR 2018 (1404 motifs)") {
  // tomtom -min-overlap 5 -dist pearson -evalue -thresh 10 STRGGTCAN.meme JASPAR2018_CORE_non-redundant.meme
  TomtomOptions o;
  o.min_overlap = 5;
  o.evalue_threshold = true;
  o.threshold = 10;
  const std::vector<std::filesystem::path> targets{tomtom_data / "JASPAR2018_CORE_non-redundant.meme.gz"};
  const auto got = tsv_rows(tomtom_tsv(tomtom_files(tomtom_data / "STRGGTCAN.meme", targets, o)));
  const auto expected = tsv_file_rows("tomtom.example.tsv");
  REQUIRE(expected.size() == 28);
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CHECK(without_q_value(got[i]) == without_q_value(expected[i]));  // offsets, p, E, overlap, consensus, strand
    // tomtom scales its q-values by an estimate of the share of true nulls
    // (a bootstrap, here 0.9957); sster's Benjamini-Hochberg takes it as 1
    CHECK(q_value_of(got[i]) >= q_value_of(expected[i]));
    CHECK(q_value_of(got[i]) <= q_value_of(expected[i]) * 1.01);
  }
}

TEST_CASE("tomtom on MEME files: errors name the file") {
  const auto dir = std::filesystem::temp_directory_path() / ("sster-tomtom-files-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "rna.meme") << "MEME version 4\nALPHABET= ACDEFGHIKLMNPQRSTVWY\nMOTIF p\n"
                                     "letter-probability matrix: w= 1\n"
                                     "0.05 0.05 0.05 0.05 0.05 0.05 0.05 0.05 0.05 0.05 0.05 0.05 0.05 0.05 0.05 0.05 "
                                     "0.05 0.05 0.05 0.05\n";
  std::ofstream(dir / "empty.meme") << "MEME version 4\nALPHABET= ACGT\n";
  const std::vector<std::filesystem::path> protein{dir / "rna.meme"}, empty{dir / "empty.meme"};
  CHECK_THROWS_WITH_AS(tomtom_files(tomtom_data / "sample.meme", protein),
                       doctest::Contains("rna.meme: motifs over 'ACDEFGHIKLMNPQRSTVWY'; the query motifs in"), Error);
  CHECK_THROWS_WITH_AS(tomtom_files(dir / "empty.meme", protein), doctest::Contains("empty.meme: no motifs"), Error);
  CHECK_THROWS_WITH_AS(tomtom_files(tomtom_data / "sample.meme", empty), "tomtom: the target files hold no motifs",
                       Error);
  std::filesystem::remove_all(dir);
}
