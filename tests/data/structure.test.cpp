#include "sster/data/structure.hpp"

#include <doctest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "data_test_util.hpp"

using namespace sster;
using sster::test::pysster_file;
using sster::test::TempDir;

namespace {
// Sets PATH for the lifetime of the object.
class ScopedPath {
 public:
  explicit ScopedPath(const std::string& path) {
    if (const char* old = std::getenv("PATH")) old_ = old;
    ::setenv("PATH", path.c_str(), 1);
  }
  ~ScopedPath() { ::setenv("PATH", old_.c_str(), 1); }

 private:
  std::string old_;
};
}  // namespace

TEST_CASE("annotation of dot-bracket strings matches forgi's element strings") {
  CHECK(annotate_structure("(((..)))") == "SSSHHSSS");
  CHECK(annotate_structure("........") == "FFFFFFFF");
  CHECK(annotate_structure("") == "");
  // Examples from forgi's graph tutorial (element strings and "define" lines).
  CHECK(annotate_structure("(((((((((...((((((.........))))))........((((((.......))))))..)))))))))") ==
        "SSSSSSSSSMMMSSSSSSHHHHHHHHHSSSSSSMMMMMMMMSSSSSSHHHHHHHSSSSSSMMSSSSSSSSS");
  CHECK(annotate_structure("((..))..((..))") == "SSHHSSMMSSHHSS");  // exterior segment between stems: m0
  CHECK(annotate_structure("((((..(((..)))..))))...((..))") == "SSSSIISSSHHSSSIISSSSMMMSSHHSS");
  CHECK(annotate_structure(".((((..)).))..((..)).") == "FSSSSHHSSISSMMSSHHSST");  // f1, i0 (bulge), m0, t1
  CHECK(annotate_structure("..((..((..))..((..))..))..") == "FFSSMMSSHHSSMMSSHHSSMMSSTT");
  CHECK(annotate_structure("(.[..].)") == "SISHHSIS");  // other bracket types pair too
}

TEST_CASE("malformed dot-bracket strings are errors") {
  CHECK_THROWS_WITH_AS(annotate_structure("(()"), doctest::Contains("'(' at structure position 1 is never closed"), Error);
  CHECK_THROWS_WITH_AS(annotate_structure("())"), doctest::Contains("')' at structure position 3 closes no open bracket"), Error);
  CHECK_THROWS_WITH_AS(annotate_structure("([)]"), doctest::Contains("pseudoknots are not supported"), Error);
  CHECK_THROWS_WITH_AS(annotate_structure("(x)"), doctest::Contains("'x' at structure position 2 is not a dot-bracket character"), Error);
}

TEST_CASE("annotate_structures reproduces pysster's reference files") {
  TempDir dir;
  annotate_structures(pysster_file("rna_annot.fasta"), dir.file("out.fasta"));
  CHECK(test::read_file(dir.file("out.fasta")) == test::unix_lines(test::read_file(pysster_file("rna_annot_ref.fasta"))));
  // RNAfold output with energies -> pysster's annotated prediction reference.
  annotate_structures(pysster_file("rna_pred_ref.fasta"), dir.file("pred.fasta"));
  CHECK(test::read_file(dir.file("pred.fasta")) ==
        test::unix_lines(test::read_file(pysster_file("rna_pred_ref_annot.fasta"))));
  // gzip in, gzip out.
  test::write_gz(dir.file("in.gz"), test::read_file(pysster_file("rna_annot.fasta")));
  annotate_structures(dir.file("in.gz"), dir.file("out.fasta.gz"));
  gzFile f = gzopen(dir.file("out.fasta.gz").c_str(), "rb");
  REQUIRE(f != nullptr);
  char buf[256] = {};
  const int got = gzread(f, buf, sizeof buf);
  gzclose(f);
  CHECK(std::string(buf, to_size(got)) == test::read_file(dir.file("out.fasta")));
}

TEST_CASE("annotate_structures: a bad record names file and record, and writes nothing") {
  TempDir dir;
  test::write_file(dir.file("bad.fa"), ">a\nGGGAUCCC\n(((..)))\n>b\nGGGAUCCC\n(((..))) (-1.0)\n>c\nGGGAUCCC\n(((..)).\n");
  CHECK_THROWS_WITH_AS(annotate_structures(dir.file("bad.fa"), dir.file("out.fa")),
                       doctest::Contains("bad.fa record 3 (line 9): '(' at structure position 1 is never closed"), Error);
  CHECK_FALSE(std::filesystem::exists(dir.file("out.fa")));
}

TEST_CASE("predict_structures without RNAfold on PATH is a clear error") {
  TempDir dir;
  ScopedPath path(dir.path().string());  // an empty directory: no RNAfold
  CHECK(find_program("RNAfold").empty());
  CHECK_THROWS_WITH_AS(predict_structures(pysster_file("rna_pred.fasta"), dir.file("out.fa")),
                       doctest::Contains("RNAfold is not on PATH"), Error);
  CHECK_FALSE(std::filesystem::exists(dir.file("out.fa")));
}

TEST_CASE("predict_structures runs RNAfold and writes pysster's format") {
  // A stand-in RNAfold printing what RNAfold 2.x prints for sequences without
  // base pairs: the sequence, then dots and the energy ( 0.00).
  TempDir dir;
  const std::string fake = dir.file("RNAfold");
  test::write_file(fake,
                   "#!/bin/sh\n"
                   "[ \"$1\" = --noPS ] || exit 3\n"
                   "while read -r s; do echo \"$s\"; printf '%s ( 0.00)\\n' \"$(echo \"$s\" | tr 'A-Za-z' '.')\"; done\n");
  ::chmod(fake.c_str(), 0755);
  const char* old = std::getenv("PATH");
  ScopedPath path(dir.path().string() + ":" + (old ? old : "/usr/bin:/bin"));
  CHECK(find_program("RNAfold") == fake);
  predict_structures(pysster_file("rna_pred.fasta"), dir.file("pred.fa"));
  CHECK(test::read_file(dir.file("pred.fa")) == test::unix_lines(test::read_file(pysster_file("rna_pred_ref.fasta"))));
  predict_structures(pysster_file("rna_pred.fasta"), dir.file("annot.fa"), true);
  CHECK(test::read_file(dir.file("annot.fa")) ==
        test::unix_lines(test::read_file(pysster_file("rna_pred_ref_annot.fasta"))));
}

TEST_CASE("energies are printed like Python floats") {
  CHECK(detail::python_float(0.0) == "0.0");
  CHECK(detail::python_float(-3.3) == "-3.3");
  CHECK(detail::python_float(-12.0) == "-12.0");
  CHECK(detail::python_float(-0.05) == "-0.05");
}
