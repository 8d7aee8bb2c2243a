#include <doctest.h>

#include <htslib/vcf.h>

#include <string>
#include <vector>

#include "genome_test_util.hpp"
#include "sster/genome/vcf.hpp"

using namespace sster;
using namespace sster::test;

namespace {
const std::string vcf_text =
    "##fileformat=VCFv4.2\n##contig=<ID=chr1>\n##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n"
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
    "chr1\t10\trs1\tA\tC,GT\t50\tPASS\tDP=4\n"
    "chr2\t7\t.\tACG\tA\t.\t.\t.\n";

std::vector<VcfRecord> read_all(const std::string& path) {
  VcfReader r(path);
  std::vector<VcfRecord> out;
  VcfRecord rec;
  while (r.next(rec)) out.push_back(rec);
  return out;
}
}  // namespace

TEST_CASE("VcfReader: VCF plain, gzip, bgzip and BCF; records, alleles, lines") {
  TempDir dir;
  write_file(dir.file("v.vcf"), vcf_text);
  write_file(dir.file("v.vcf.gz"), gzip_compress(vcf_text));
  write_bgzip(dir.file("b.vcf.gz"), vcf_text);
  {  // a BCF made by htslib from the VCF (its header written once htslib declared chr2)
    VcfReader in(dir.file("v.vcf"));
    std::vector<VcfRecord> recs;
    VcfRecord rec;
    while (in.next(rec)) recs.push_back(rec);
    htsFile* out = hts_open(dir.file("v.bcf").c_str(), "wb");
    REQUIRE(bcf_hdr_write(out, in.header()) == 0);
    for (auto& r : recs) {
      r.raw->errcode = 0;
      REQUIRE(bcf_write(out, in.header(), r.raw.get()) == 0);
    }
    REQUIRE(hts_close(out) == 0);
  }
  for (const char* name : {"v.vcf", "v.vcf.gz", "b.vcf.gz", "v.bcf"}) {
    CAPTURE(name);
    const auto recs = read_all(dir.file(name));
    REQUIRE(recs.size() == 2);
    CHECK(recs[0].chrom == "chr1");
    CHECK(recs[0].pos == 10);
    CHECK(recs[0].id == "rs1");
    CHECK(recs[0].ref == "A");
    CHECK(recs[0].alts == std::vector<std::string>{"C", "GT"});
    CHECK(recs[1].chrom == "chr2");  // undeclared: htslib declares it
    CHECK(recs[1].id == ".");
    CHECK(recs[1].number == 1);
    const bool bcf = std::string(name).ends_with(".bcf");
    CHECK(recs[1].line == (bcf ? 0 : 6));
    VcfReader r(dir.file(name));
    CHECK(r.location(recs[1]) == dir.file(name) + (bcf ? " record 2" : " line 6"));
  }
}

TEST_CASE("VcfReader: damaged and foreign files are clear errors") {
  TempDir dir;
  CHECK_THROWS_WITH_AS(VcfReader(dir.file("none.vcf")), doctest::Contains("cannot open it"), Error);
  write_file(dir.file("x.vcf"), ">not a vcf\nACGT\n");
  CHECK_THROWS_AS(VcfReader(dir.file("x.vcf")), Error);
  write_file(dir.file("bad.vcf"), vcf_text + "chr1\t12\n");
  VcfReader r(dir.file("bad.vcf"));
  VcfRecord rec;
  CHECK(r.next(rec));
  CHECK(r.next(rec));
  CHECK_THROWS_WITH_AS(r.next(rec), doctest::Contains("bad.vcf line 7: no REF allele"), Error);
  CHECK(info_key("SSTER_DIFF_", "pum2 sites/1") == "SSTER_DIFF_pum2_sites_1");
}
