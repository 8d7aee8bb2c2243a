// sster vep end to end: variants in and around a planted motif, scored by a
// model that detects it, against predicting the REF and ALT windows one by one.
#include <doctest.h>

#include <htslib/vcf.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "../cli/cli_test_util.hpp"
#include "genome_test_util.hpp"
#include "sster/genome/vcf.hpp"

using namespace sster;
using sster::test::read_text;
using sster::test::run_sster;
using sster::test::ScratchDir;

namespace {

const std::string vep_motif = "GATTACAGCA";
const index_t vep_window = 60, vep_centre = (vep_window - 1) / 2;

struct VariantGenome {
  ScratchDir dir{"vep"};
  std::string chr1 = test::random_bases(5000, 41), chr2 = test::random_bases(3000, 42);
  Model model = test::motif_model(vep_motif, vep_window);
  VariantGenome() {
    chr1.replace(1000, vep_motif.size(), vep_motif);
    chr2.replace(2000, vep_motif.size(), test::reverse_complement(vep_motif));
    dir.write("g.fa", test::fasta_text({{"chr1", chr1}, {"chr2", chr2}}));
    model.save(dir / "m.sster");
  }
  std::string base(const std::string& chrom, index_t pos1, index_t n = 1) const {
    return (chrom == "chr1" ? chr1 : chr2).substr(to_size(pos1 - 1), to_size(n));
  }
  // A base other than the genome's at pos1.
  std::string other(const std::string& chrom, index_t pos1) const { return base(chrom, pos1) == "A" ? "C" : "A"; }

  // The model's probability of "site" for the window of `allele` at 1-based pos1
  // (REF of ref_length bases), built by the centre rule of the docs.
  float oracle(const std::string& chrom, index_t pos1, index_t ref_length, const std::string& allele, bool minus = false) {
    const std::string& seq = chrom == "chr1" ? chr1 : chr2;
    const index_t p = pos1 - 1, left = vep_centre - ssize(allele) / 2;
    std::string text = seq.substr(to_size(p - left), to_size(left)) + allele +
                       seq.substr(to_size(p + ref_length), to_size(vep_window - left - ssize(allele)));
    REQUIRE(ssize(text) == vep_window);
    if (minus) text = test::reverse_complement(text);
    std::vector<std::uint8_t> x;
    for (char c : text) x.push_back(static_cast<std::uint8_t>(std::string("ACGT").find(c)));
    float probs[2];
    model.predict(InputBatch<float>{.B = 1, .symbols = x.data()}, probs);
    return probs[1];
  }
};

std::vector<std::map<std::string, std::string>> table(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::vector<std::string> header;
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::istringstream l(line);
    std::string cell;
    while (std::getline(l, cell, '\t')) cells.push_back(cell);
    if (header.empty()) {
      header = cells;
      continue;
    }
    REQUIRE(cells.size() == header.size());
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < cells.size(); ++i) row[header[i]] = cells[i];
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

TEST_CASE("vep: effects equal predicting REF and ALT windows separately; the motif's destroyers most negative") {
  VariantGenome g;
  const std::string del_ref = g.base("chr1", 1000, 3);  // the base before the motif and its first two
  std::string vcf = "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=5000>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
  vcf += "chr1\t1003\trs_destroy\tT\tC\t.\t.\t.\n";                                            // motif base 3
  vcf += "chr1\t1005\tmulti\tA\tC,G\t.\t.\tDP=3\n";                                             // motif base 5, two ALTs
  vcf += "chr1\t2501\tneutral\t" + g.base("chr1", 2501) + "\t" + g.other("chr1", 2501) + "\t.\t.\t.\n";
  vcf += "chr1\t3001\tmismatch\t" + g.other("chr1", 3001) + "\t" + g.base("chr1", 3001) + "\t.\t.\t.\n";
  vcf += "chr1\t1000\tdeletion\t" + del_ref + "\t" + del_ref.substr(0, 1) + "\t.\t.\t.\n";
  vcf += "chr1\t4000\tinsertion\t" + g.base("chr1", 4000) + "\t" + g.base("chr1", 4000) + vep_motif + "\t.\t.\t.\n";
  vcf += "chr1\t4990\tnear_end\t" + g.base("chr1", 4990) + "\t" + g.other("chr1", 4990) + "\t.\t.\t.\n";
  vcf += "chr1\t2001\tsymbolic\t" + g.base("chr1", 2001) + "\t<DEL>\t.\t.\t.\n";
  vcf += "2\t2003\t.\t" + g.base("chr2", 2003) + "\t" + g.other("chr2", 2003) + "\t.\t.\t.\n";  // 'chr' naming
  g.dir.write("v.vcf", vcf);
  auto r = run_sster("vep " + (g.dir / "m.sster") + " --vcf " + (g.dir / "v.vcf") + " --fasta " + (g.dir / "g.fa") +
                     " -o " + (g.dir / "out.tsv") + " --logits");
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  const auto rows = table(read_text(g.dir / "out.tsv"));
  REQUIRE(rows.size() == 8);  // 9 records, 10 ALTs, 2 not scored
  const std::vector<std::string> ids = {"rs_destroy", "multi", "multi", "neutral", "mismatch", "deletion", "insertion", "."};
  for (std::size_t i = 0; i < rows.size(); ++i) CHECK(rows[i].at("id") == ids[i]);
  CHECK(rows[1].at("alt") == "C");
  CHECK(rows[2].at("alt") == "G");
  CHECK(rows[7].at("chrom") == "2");
  for (const auto& row : rows) {
    CAPTURE(row.at("id"));
    const std::string chrom = row.at("chrom") == "2" ? "chr2" : row.at("chrom");
    const index_t pos = std::stol(row.at("pos"));
    const float ref = g.oracle(chrom, pos, ssize(row.at("ref")), row.at("ref"));
    const float alt = g.oracle(chrom, pos, ssize(row.at("ref")), row.at("alt"));
    CHECK(std::stod(row.at("ref_site")) == doctest::Approx(ref).epsilon(1e-5));
    CHECK(std::stod(row.at("alt_site")) == doctest::Approx(alt).epsilon(1e-5));
    CHECK(std::stod(row.at("diff_site")) == doctest::Approx(alt - ref).epsilon(1e-5));
    CHECK(std::stod(row.at("log2fc_site")) == doctest::Approx(std::log2(alt / ref)).epsilon(1e-4));
    CHECK(std::stod(row.at("logit_diff_site")) ==
          doctest::Approx(std::log(alt / (1 - alt)) - std::log(ref / (1 - ref))).epsilon(1e-4));
    CHECK(row.at("strand") == "+");
    CHECK(row.at("ref_match") == (row.at("id") == "mismatch" ? "false" : "true"));
    CHECK(row.at("contains_unk") == "false");
  }
  // the variants that destroy the motif have the most negative diff, the insertion of it the most positive
  std::map<std::string, double> diff;
  for (const auto& row : rows) diff[row.at("id") + row.at("alt")] = std::stod(row.at("diff_site"));
  for (const std::string& destroyer : {std::string("rs_destroyC"), std::string("multiC"), std::string("multiG"), "deletion" + del_ref.substr(0, 1)}) {
    CAPTURE(destroyer);
    CHECK(diff.at(destroyer) < -0.95);
  }
  CHECK(std::abs(diff.at("neutral" + g.other("chr1", 2501))) < 0.01);
  CHECK(diff.at("insertion" + g.base("chr1", 4000) + vep_motif) > 0.95);
  // what could not be scored, and why
  const auto na = table(read_text(g.dir / "out.na.tsv"));
  REQUIRE(na.size() == 2);
  CHECK(na[0].at("id") == "near_end");
  CHECK(na[0].at("reason").find("too close to an end of chr1") != std::string::npos);
  CHECK(na[1].at("id") == "symbolic");
  CHECK(na[1].at("reason") == "symbolic or missing ALT allele");
  CHECK(r.out.find("scored 8 of 10 ALT alleles in 9 records; 2 listed in") != std::string::npos);
  CHECK(r.out.find("1 records with a REF that differs from the genome") != std::string::npos);
}

TEST_CASE("vep: both strands, and the annotated VCF holds the TSV's values") {
  VariantGenome g;
  std::string vcf = "##fileformat=VCFv4.2\n##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n"
                    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
  vcf += "chr2\t2003\tminus_site\t" + g.base("chr2", 2003) + "\t" + g.other("chr2", 2003) + "\t.\t.\tDP=7\n";
  vcf += "chr1\t1003\tplus_site\tT\tC,G\t.\t.\t.\n";
  vcf += "chr1\t4995\tnear_end\t" + g.base("chr1", 4995) + "\t" + g.other("chr1", 4995) + "\t.\t.\t.\n";
  g.dir.write("v.vcf", vcf);
  const std::string common = "vep " + (g.dir / "m.sster") + " --vcf " + (g.dir / "v.vcf") + " --fasta " + (g.dir / "g.fa");
  auto r = run_sster(common + " --strand both --rc-merge none -o " + (g.dir / "s.tsv"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  const auto rows = table(read_text(g.dir / "s.tsv"));
  REQUIRE(rows.size() == 6);
  CHECK(rows[0].at("strand") == "+");
  CHECK(rows[1].at("strand") == "-");
  // the minus-strand site is seen on the minus strand only
  CHECK(std::abs(std::stod(rows[0].at("diff_site"))) < 0.01);
  CHECK(std::stod(rows[1].at("diff_site")) < -0.95);
  CHECK(std::stod(rows[1].at("ref_site")) == doctest::Approx(g.oracle("chr2", 2003, 1, g.base("chr2", 2003), true)).epsilon(1e-5));

  r = run_sster(common + " --strand both --rc-merge max -o " + (g.dir / "a.vcf.gz"));
  REQUIRE(r.exit_code == 0);
  r = run_sster(common + " --strand both --rc-merge max -o " + (g.dir / "a.tsv"));
  REQUIRE(r.exit_code == 0);
  const auto merged = table(read_text(g.dir / "a.tsv"));
  REQUIRE(merged.size() == 3);
  CHECK(merged[0].at("strand") == ".");
  VcfReader annotated(g.dir / "a.vcf.gz");
  VcfRecord rec;
  std::size_t row = 0;
  index_t records = 0;
  while (annotated.next(rec)) {
    ++records;
    float* values = nullptr;
    int n = 0;
    const int got = bcf_get_info_float(annotated.header(), rec.raw.get(), "SSTER_DIFF_site", &values, &n);
    REQUIRE(got == ssize(rec.alts));
    for (int i = 0; i < got; ++i) {
      if (rec.id == "near_end") {
        CHECK(bcf_float_is_missing(values[i]));
        continue;
      }
      CHECK(values[i] == doctest::Approx(std::stod(merged.at(row++).at("diff_site"))).epsilon(1e-5));
    }
    std::free(values);
    int32_t* dp = nullptr;
    n = 0;
    if (rec.id == "minus_site") CHECK(bcf_get_info_int32(annotated.header(), rec.raw.get(), "DP", &dp, &n) == 1);
    std::free(dp);
  }
  CHECK(records == 3);
  CHECK(row == 3);
  CHECK(read_text(g.dir / "a.na.tsv").find("near_end") != std::string::npos);
  r = run_sster(common + " --strand both --rc-merge none -o " + (g.dir / "b.vcf"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("-O vcf writes one score per ALT allele") != std::string::npos);
}

TEST_CASE("vep: bad input exits 2 naming the VCF line, and writes nothing") {
  VariantGenome g;
  const std::string head = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
  auto fails = [&](const std::string& body, const std::string& message) {
    g.dir.write("bad.vcf", head + "chr1\t100\tok\t" + g.base("chr1", 100) + "\tN\t.\t.\t.\n" + body);
    const auto r = run_sster("vep " + (g.dir / "m.sster") + " --vcf " + (g.dir / "bad.vcf") + " --fasta " +
                             (g.dir / "g.fa") + " -o " + (g.dir / "bad.tsv"));
    CAPTURE(body);
    CAPTURE(r.out);
    CHECK(r.exit_code == 2);
    CHECK(r.out.find(message) != std::string::npos);
    CHECK(!std::filesystem::exists(g.dir / "bad.tsv"));
    CHECK(!std::filesystem::exists(g.dir / "bad.na.tsv"));
  };
  fails("chr9\t10\t.\tA\tC\t.\t.\t.\n", "bad.vcf line 4: the contig 'chr9' is not in the genome");
  fails("chr1\t4999\t.\tACG\tC\t.\t.\t.\n", "bad.vcf line 4: chr1:4999 with a REF of 3 bases lies outside 'chr1'");
  fails("chr1\t10\t.\tA\tCJ\t.\t.\t.\n", "bad.vcf line 4: the ALT allele 'CJ' holds 'J', which is not a base");
  fails("chr1\tten\t.\tA\tC\t.\t.\t.\n", "bad.vcf line 4: POS must be a whole number from 1");
  fails("chr1\t99999999999999999999\t.\tA\tC\t.\t.\t.\n", "bad.vcf line 4: not a valid VCF record");
  fails("chr1\t10\t.\t\tC\t.\t.\t.\n", "bad.vcf line 4: the REF allele '.' is not a sequence of bases");
  g.dir.write("none.vcf", "chr1\t10\t.\tA\tC\n");
  const auto r = run_sster("vep " + (g.dir / "m.sster") + " --vcf " + (g.dir / "none.vcf") + " --fasta " +
                           (g.dir / "g.fa") + " -o " + (g.dir / "none.tsv"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("none.vcf") != std::string::npos);
}
