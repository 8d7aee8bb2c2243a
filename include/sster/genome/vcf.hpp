#pragma once
// VCF and BCF through htslib: VcfReader reads the variants (plain, gzip or
// bgzip VCF, BCF), VcfAnnotator writes them back with INFO fields added.
//
// Records are numbered from 0 in file order; a record's line is its line in
// a VCF's text (header lines counted), for messages. Contigs and INFO tags a
// VCF uses without declaring them are taken as htslib takes them (it adds
// them to the header it keeps in memory).
#include <htslib/hts.h>
#include <htslib/vcf.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "sster/core/atomic_file.hpp"
#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/data/line_reader.hpp"

namespace sster {

namespace detail {
struct HtsFileCloser {
  void operator()(htsFile* f) const { hts_close(f); }
};
struct BcfHeaderDeleter {
  void operator()(bcf_hdr_t* h) const { bcf_hdr_destroy(h); }
};
struct BcfRecordDeleter {
  void operator()(bcf1_t* r) const { bcf_destroy(r); }
};
using HtsFile = std::unique_ptr<htsFile, HtsFileCloser>;
}  // namespace detail

struct VcfRecord {
  index_t number = -1;  // 0-based, in file order
  index_t line = 0;     // in a VCF's text; 0 for BCF
  std::string chrom, id, ref;
  index_t pos = 0;      // 1-based, as VCF writes it
  std::vector<std::string> alts;
  std::shared_ptr<bcf1_t> raw;  // htslib's record, for VcfAnnotator
};

class VcfReader {
 public:
  explicit VcfReader(std::string path) : path_(std::move(path)) {
    file_.reset(hts_open(path_.c_str(), "r"));
    require(file_ != nullptr, path_ + ": cannot open it (no such file, or not readable)");
    const htsFormat* format = hts_get_format(file_.get());
    require(format->category == variant_data,
            path_ + ": not a VCF or BCF file (expected a '##fileformat=VCF' header, plain, gzip or bgzip, or BCF)");
    bcf_ = format->format == bcf;
    header_.reset(bcf_hdr_read(file_.get()));
    require(header_ != nullptr, path_ + ": cannot read the VCF header (damaged, or not a VCF file)");
    if (!bcf_) header_lines_ = count_header_lines();
  }

  const std::string& path() const { return path_; }
  bcf_hdr_t* header() { return header_.get(); }
  bool is_bcf() const { return bcf_; }

  // "v.vcf line 12" or "v.bcf record 5".
  std::string location(const VcfRecord& r) const {
    return bcf_ ? path_ + " record " + std::to_string(r.number + 1) : path_ + " line " + std::to_string(r.line);
  }

  // Records read so far: the number the next one gets.
  index_t records_read() const { return read_; }

  // The next record; false at the end of the file.
  bool next(VcfRecord& r) {
    std::shared_ptr<bcf1_t> raw(bcf_init(), detail::BcfRecordDeleter{});
    require(raw != nullptr, "out of memory reading " + path_);
    r.number = read_;
    r.line = bcf_ ? 0 : header_lines_ + read_ + 1;
    const int status = bcf_read(file_.get(), header_.get(), raw.get());
    if (status == -1) return false;
    const int benign = BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF;  // htslib declares those itself
    require(status == 0 && (raw->errcode & ~benign) == 0 && bcf_unpack(raw.get(), BCF_UN_ALL) == 0,
            location(r) + ": not a valid VCF record (expected CHROM, POS, ID, REF, ALT, QUAL, FILTER, INFO, "
                          "tab-separated), or the file is damaged or truncated here");
    ++read_;
    require(raw->pos >= 0, location(r) + ": POS must be a whole number from 1 (the first base)");
    r.chrom = bcf_seqname_safe(header_.get(), raw.get());
    r.pos = raw->pos + 1;
    r.id = raw->d.id ? raw->d.id : ".";
    require(raw->n_allele >= 1, location(r) + ": no REF allele");
    r.ref = raw->d.allele[0];
    r.alts.assign(raw->d.allele + 1, raw->d.allele + raw->n_allele);
    r.raw = std::move(raw);
    return true;
  }

 private:
  // The '#' lines at the top of the text (htslib's header adds lines of its own).
  index_t count_header_lines() const {
    LineReader reader(path_);
    std::string_view line;
    index_t n = 0;
    while (reader.next(line) && line.starts_with('#')) ++n;
    return n;
  }

  std::string path_;
  detail::HtsFile file_;
  std::unique_ptr<bcf_hdr_t, detail::BcfHeaderDeleter> header_;
  bool bcf_ = false;
  index_t header_lines_ = 0, read_ = 0;
};

// An INFO key from a class name: letters, digits, '_' and '.' only.
inline std::string info_key(const std::string& prefix, const std::string& name) {
  std::string key = prefix;
  for (char c : name) key += std::isalnum(static_cast<unsigned char>(c)) || c == '.' ? c : '_';
  return key;
}

// Writes a reader's records, with Float INFO fields (one value per ALT)
// added, to a VCF (.vcf), a bgzipped VCF (.vcf.gz) or a BCF (.bcf) file,
// atomically. The fields are declared in the reader's header before it is
// written, so they must all be named at construction.
class VcfAnnotator {
 public:
  struct Field {
    std::string key, description;
  };

  VcfAnnotator(const std::string& path, VcfReader& reader, const std::vector<Field>& fields, const std::string& flag = "",
               const std::string& flag_description = "")
      : out_(path), reader_(reader), header_(reader.header()), flag_(flag) {
    bcf_ = path.ends_with(".bcf");
    const char* mode = bcf_ ? "wb" : path.ends_with(".gz") ? "wz" : "w";
    for (const auto& f : fields) {
      keys_.push_back(f.key);
      const std::string line = "##INFO=<ID=" + f.key + ",Number=A,Type=Float,Description=\"" + f.description + "\">";
      require(bcf_hdr_append(header_, line.c_str()) == 0, "cannot declare the INFO field " + f.key);
    }
    if (!flag_.empty()) {
      const std::string line = "##INFO=<ID=" + flag_ + ",Number=0,Type=Flag,Description=\"" + flag_description + "\">";
      require(bcf_hdr_append(header_, line.c_str()) == 0, "cannot declare the INFO flag " + flag_);
    }
    require(bcf_hdr_sync(header_) == 0, "cannot update the VCF header of " + reader.path());
    file_.reset(hts_open(out_.staging_path().c_str(), mode));
    require(file_ != nullptr && bcf_hdr_write(file_.get(), header_) == 0, "cannot write '" + path + "'");
  }

  // Writes the record with each field's values (one per ALT; NaN: missing)
  // and the flag when `flagged`.
  void write(const VcfRecord& r, const std::vector<std::vector<float>>& values, bool flagged) {
    bcf1_t* rec = r.raw.get();
    require(!(bcf_ && (rec->errcode & BCF_ERR_CTG_UNDEF)),
            reader_.location(r) + ": the contig '" + r.chrom +
                "' has no ##contig line in the VCF header, which a BCF file needs; write .vcf or .vcf.gz");
    rec->errcode = 0;  // undeclared contigs and tags: declared by htslib on reading
    std::vector<float> v;
    for (std::size_t f = 0; f < values.size(); ++f) {
      v = values[f];
      for (float& x : v)
        if (x != x) bcf_float_set_missing(x);
      const std::string& key = keys_.at(f);  // in the order the fields were given
      require(bcf_update_info_float(header_, rec, key.c_str(), v.data(), static_cast<int>(v.size())) == 0,
              "cannot annotate " + reader_.location(r));
    }
    if (!flag_.empty() && flagged) require(bcf_update_info_flag(header_, rec, flag_.c_str(), nullptr, 1) == 0,
                                           "cannot annotate " + reader_.location(r));
    require(bcf_write(file_.get(), header_, rec) == 0, "cannot write '" + out_.path() + "' (is the disk full?)");
  }

  void commit() {
    const int closed = hts_close(file_.release());
    require(closed == 0, "cannot write '" + out_.path() + "' (is the disk full?)");
    out_.commit();
  }

 private:
  AtomicFile out_;
  VcfReader& reader_;
  bcf_hdr_t* header_;
  std::string flag_;
  bool bcf_ = false;
  detail::HtsFile file_;
  std::vector<std::string> keys_;
};

}  // namespace sster
