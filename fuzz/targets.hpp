#pragma once
// The bodies of sster's fuzz targets, shared by the libFuzzer programs in
// fuzz/ and by the deterministic mutation test (tests/reliability/). Each
// takes the bytes of one input, runs every reader that accepts that kind of
// file, and uses whatever loaded (encodes records, predicts, saves and
// reloads). The contract under test: any input loads or throws sster::Error.
// A crash, a hang, another exception type or a huge allocation is a bug.
//   fasta        FastaReader (3 layouts, plain or gzip), Data::from_fasta /
//                from_multilabel_fasta, structure annotation, folding
//                (fold_records: fold/sequence.hpp's letter check, MFE and
//                partition function with a short span, the text sster fold
//                writes)
//   extra        read_numbers / read_categories / read_number_rows,
//                Data::add_additional / add_categorical / add_positionwise,
//                split files
//   data_file    Data::load (as given, and with the checksum recomputed so
//                that damage reaches the parser behind it)
//   model_file   parse_model_file + Model::from_file (same two ways)
//   meme         read_meme (plain or gzip) and parse_meme; a file that loaded
//                must write (meme_string) and read back, and small ones go
//                through Tomtom against themselves
//   seqlets      read_seqlets (plain or gzip); a file that loaded must write
//                (seqlet_tsv) and read back the same seqlets, and small ones
//                are clustered into motifs (cluster_seqlets)
//   genome_fasta GenomeFasta (faidx: plain, bgzip, gzip, ragged lines) on the
//                bytes as a FASTA, and as the .fai index of a valid FASTA;
//                what loads is read whole and scanned
//   bed          read_bed against a fixed genome, then the scan of its regions
//   vcf          VcfReader (VCF, gzip, bgzip, BCF) and VariantEffects against
//                a fixed genome, as TSV and as an annotated VCF
#include <sys/mman.h>
#include <unistd.h>
#include <htslib/bgzf.h>
#include <htslib/hts_log.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sster/core/crc32.hpp"
#include "sster/core/error.hpp"
#include "sster/data/dataset.hpp"
#include "sster/data/structure.hpp"
#include "sster/fold/output.hpp"
#include "sster/genome/genome_fasta.hpp"
#include "sster/genome/regions.hpp"
#include "sster/genome/scanner.hpp"
#include "sster/genome/variant_effects.hpp"
#include "sster/genome/vcf.hpp"
#include "sster/interpret/seqlet_motifs.hpp"
#include "sster/interpret/seqlet_tsv.hpp"
#include "sster/interpret/tomtom.hpp"
#include "sster/io/meme.hpp"
#include "sster/io/meme_reader.hpp"
#include "sster/model/model.hpp"
#include "sster/model/serialize.hpp"

namespace sster::fuzz {

// Bytes as a file for readers that take a path: a memfd reached through
// /proc/self/fd (no disk), or a temporary file where memfd is missing.
class InputFile {
 public:
  InputFile() {
    fd_ = ::memfd_create("sster-fuzz-input", MFD_CLOEXEC);
    if (fd_ >= 0) {
      path_ = "/proc/self/fd/" + std::to_string(fd_);
    } else {
      std::string pattern = (std::filesystem::temp_directory_path() / "sster-fuzz-XXXXXX").string();
      fd_ = ::mkstemp(pattern.data());
      if (fd_ < 0) throw std::runtime_error("fuzz: cannot create an input file");
      path_ = temp_ = pattern;
    }
  }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile() {
    ::close(fd_);
    if (!temp_.empty()) ::unlink(temp_.c_str());
  }
  // Replaces the content; returns the path to read it from.
  const std::string& set(std::string_view bytes) {
    if (::ftruncate(fd_, 0) != 0) throw std::runtime_error("fuzz: ftruncate failed");
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t w = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
      if (w <= 0) throw std::runtime_error("fuzz: cannot write the input file");
      done += to_size(w);
    }
    return path_;
  }

 private:
  int fd_ = -1;
  std::string path_, temp_;
};

// One per thread, as are the genome folder, genome and model below: the
// corpus mutation test runs its campaigns on several threads.
inline InputFile& input_file() {
  thread_local InputFile file;
  return file;
}

// What one call did with its input, summed over the readers it ran.
struct Tally {
  long loaded = 0, rejected = 0;
  Tally& operator+=(const Tally& o) {
    loaded += o.loaded;
    rejected += o.rejected;
    return *this;
  }
};

// Runs fn: an sster::Error counts as rejected, anything else propagates.
template <class Fn>
bool attempt(Tally& t, Fn&& fn) {
  try {
    fn();
    ++t.loaded;
    return true;
  } catch (const Error&) {
    ++t.rejected;
    return false;
  }
}

// The input with its last 4 bytes replaced by the CRC-32 of the rest, as
// sster's model and data files end.
inline std::string with_fixed_checksum(std::string_view bytes) {
  std::string out(bytes);
  if (out.size() < 4) return out;
  const std::uint32_t crc = crc32_of(std::string_view(out).substr(0, out.size() - 4));
  for (int b = 0; b < 4; ++b) out[out.size() - 4 + to_size(b)] = static_cast<char>(crc >> (8 * b));
  return out;
}

// A tiny network for any data set, so loaded data also goes through prediction.
inline Params tiny_params() {
  return Params{}.conv_num(1).kernel_num(2).kernel_len(1).pool_size(1).pool_stride(1).neuron_num(2).batch_size(8).epochs(1);
}

// Exercises a data set that loaded: every accessor on a few records, the
// summary, and a prediction by a tiny model when the set is small.
inline void use_data(const Data& d) {
  (void)d.summary();
  (void)d.class_weights();
  (void)d.memory_bytes();
  const index_t n = std::min<index_t>(d.size(), 3);
  const index_t values = d.length() * d.input_channels();
  std::vector<float> input(values <= (index_t{1} << 20) ? to_size(values) : 0);
  for (index_t i = 0; i < n; ++i) {
    (void)d.sequence_string(i);
    (void)d.structure_string(i);
    (void)d.labels(i);
    (void)d.dense_unscaled(i);
    (void)d.extra(i);
    if (!input.empty()) d.write_input(i, input);
  }
  if (d.indices(Group::train).size() <= 4096) (void)d.epoch_order(1, 2);
  const bool trainable = d.classes() >= 2 || (d.multilabel() && d.classes() >= 1);
  if (trainable && d.size() <= 256 && d.length() <= 512) {
    Model model(tiny_params(), d, 1);
    (void)model.predict(d, Group::all);
  }
}

// A model that loaded: its summary, a prediction on two records of random
// symbols, and a save/reload round trip, which must succeed.
inline void use_model(Model& m) {
  (void)m.summary();
  const ModelInfo& info = m.info();
  const index_t L = info.length;
  if (L <= 4096) {
    const index_t B = 2, A = info.alphabet.size();
    std::vector<std::uint8_t> symbols(to_size(B * L));
    for (std::size_t i = 0; i < symbols.size(); ++i)
      symbols[i] = i % 7 == 6 ? no_symbol : static_cast<std::uint8_t>(i % to_size(A));
    std::vector<float> dense(to_size(B * L * info.dense_channels), 0.5f);
    std::vector<float> extra(to_size(B * info.extra), 0.5f);
    std::vector<float> profile(to_size(B * L * info.profile_channels), 0.25f);
    std::vector<float> probs(to_size(B * info.classes()));
    const InputBatch<float> batch{.B = B,
                                  .symbols = symbols.data(),
                                  .dense = dense.empty() ? nullptr : dense.data(),
                                  .extra = extra.empty() ? nullptr : extra.data(),
                                  .profile = profile.empty() ? nullptr : profile.data()};
    m.predict(batch, probs.data());
    if (!m.int8_calibration().empty()) {  // and in int8, on the file's calibration
      m.set_precision(Precision::int8);
      m.predict(batch, probs.data());
      m.set_precision(Precision::float32);
    }
  }
  const std::string again = model_file_bytes(m.to_file());
  try {
    (void)Model::from_file(parse_model_file(again, "round trip"), "round trip");
  } catch (const Error& e) {
    throw std::logic_error(std::string("a loaded model does not reload after saving: ") + e.what());
  }
}

inline Tally fasta(std::string_view bytes) {
  Tally t;
  const std::string& path = input_file().set(bytes);
  FastaRecord rec;
  attempt(t, [&] {
    FastaReader r(path);
    while (r.next(rec)) (void)rec.sequence_line(static_cast<index_t>(rec.sequence.size()) - 1);
  });
  attempt(t, [&] {
    FastaReader r(path, FastaFormat::sequence_structure);
    while (r.next(rec)) {
      (void)rec.structure_line(0);
      attempt(t, [&] { (void)annotate_structure(rec.structure); });
    }
  });
  attempt(t, [&] {
    FastaReader r(path, FastaFormat::sequence_profile, 3);
    while (r.next(rec)) (void)rec.profile.size();
  });
  attempt(t, [&] { use_data(Data::from_fasta({path}, alphabet::dna())); });
  attempt(t, [&] {
    DataOptions o;
    o.pad = true;
    o.replace_unknown = false;
    use_data(Data::from_fasta({path, path}, alphabet::rna(), o));
  });
  attempt(t, [&] { use_data(Data::from_multilabel_fasta(path, 0, alphabet::rna_dot_bracket())); });
  attempt(t, [&] {
    DataOptions o;
    o.structure_profile = true;
    use_data(Data::from_fasta({path, path}, alphabet::rna_dot_bracket(), o));
  });
  attempt(t, [&] {
    DataOptions o;
    o.pad = true;
    use_data(Data::from_multilabel_fasta(path, 4, alphabet::rna_annotated(), o));
  });
  attempt(t, [&] {
    FastaReader r(path);
    fold::FoldRequest request;
    // O(n span^2): damaged files can hold long sequences. What is at stake
    // here is the letters and the text written; the energies have their own
    // tests (tests/fold), and a span of 12 halves 24's folding time.
    request.fold.max_span = 12;
    request.partition = true;
    request.profile_letters = "FHIMST";
    request.batch = 4;
    std::string text;
    fold::fold_records(r, request, [&](const FastaRecord& rec, const fold::FoldedRecord& f) {
      fold::append_rnafold(text, rec.name, f);
      fold::append_ensemble(text, f);
      fold::append_profile(text, rec.name, f);
      text.clear();
    });
  });
  return t;
}

// The text of a gzip input (its first MiB, as far as it inflates), or the
// input itself when it is not gzip.
inline std::string gunzip_prefix(std::string_view bytes) {
  if (bytes.size() < 2 || static_cast<unsigned char>(bytes[0]) != 0x1f || static_cast<unsigned char>(bytes[1]) != 0x8b)
    return std::string(bytes);
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return {};
  std::string out(std::size_t{1} << 20, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  inflate(&zs, Z_FINISH);
  out.resize(out.size() - zs.avail_out);
  inflateEnd(&zs);
  return out;
}

// A data set whose record count and length match the input's lines, so that
// additional data reaches the deeper checks instead of failing on the count.
inline Data base_data_for(std::string_view text, bool pad) {
  index_t lines = 0, first_tokens = 0;
  std::size_t pos = 0;
  while (pos < text.size() && lines < 4096) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = detail::trim(text.substr(pos, end - pos));
    if (!line.empty()) {
      if (lines == 0) {
        bool in_token = false;
        for (char c : line) {
          const bool space = c == ' ' || c == '\t' || c == '\r';
          if (!space && !in_token) ++first_tokens;
          in_token = !space;
        }
      }
      ++lines;
    }
    pos = end + 1;
  }
  const index_t n = std::max<index_t>(lines, 2), L = std::clamp<index_t>(first_tokens, 1, 256);
  std::vector<std::string> seqs;
  std::vector<index_t> labels;
  for (index_t i = 0; i < n; ++i) {
    const index_t len = pad && i % 2 == 1 && L > 1 ? L - 1 : L;
    std::string s(to_size(len), 'A');
    for (index_t k = 0; k < len; ++k) at(s, k) = "ACGU"[(i + k) % 4];
    seqs.push_back(std::move(s));
    labels.push_back(i % 2);
  }
  DataOptions o;
  o.pad = pad;
  return Data::from_sequences(seqs, labels, 2, alphabet::rna(), o);
}

inline Tally extra(std::string_view bytes) {
  Tally t;
  const std::string& path = input_file().set(bytes);
  attempt(t, [&] { (void)read_numbers(path); });
  attempt(t, [&] { (void)read_categories(path); });
  attempt(t, [&] { (void)read_number_rows(path); });
  attempt(t, [&] {  // line by line, as sster predict reads inputs beside a FASTA file
    ValueLineReader reader(path);
    std::string_view line;
    index_t number = 0;
    while (reader.next(line, number)) (void)detail::parse_number_line(line, [] { return std::string("fuzz"); });
  });
  for (const bool pad : {false, true}) {
    Data d = base_data_for(gunzip_prefix(bytes), pad);
    // One data set through every reader: a failed call must leave it whole.
    attempt(t, [&] { d.add_additional(path); });
    attempt(t, [&] { d.add_additional(path, true); });
    attempt(t, [&] { d.add_categorical(path, {"0", "1", "2", "3", "a", "b"}); });
    attempt(t, [&] { d.add_positionwise(path, "x"); });
    attempt(t, [&] { d.add_positionwise(path, "y", true); });
    // Encoded as a model keeps it: given z-score, categories, robust scaling.
    attempt(t, [&] { d.add_additional({path}, AdditionalInput{.name = "z", .standardized = true, .mean = 2, .sd = 0.5}); });
    attempt(t, [&] { d.add_additional({path}, AdditionalInput{.name = "c", .categories = {"1", "a"}}); });
    attempt(t, [&] {
      const auto L = to_size(d.length());
      d.add_positionwise({path}, PositionwiseInput{.name = "r", .center = std::vector<float>(L, 1), .scale = std::vector<float>(L, 2)});
    });
    attempt(t, [&] { d.load_split(path); });
    use_data(d);
  }
  return t;
}

inline Tally data_file(std::string_view bytes) {
  Tally t;
  attempt(t, [&] { use_data(Data::load(input_file().set(bytes))); });
  attempt(t, [&] { use_data(Data::load(input_file().set(with_fixed_checksum(bytes)))); });
  return t;
}

inline Tally model_file(std::string_view bytes) {
  Tally t;
  auto load = [&](std::string_view b) {
    Model m = Model::from_file(parse_model_file(b, "fuzz.sster"), "fuzz.sster");
    use_model(m);
  };
  attempt(t, [&] { load(bytes); });
  attempt(t, [&] { load(with_fixed_checksum(bytes)); });
  return t;
}

inline Tally meme(std::string_view bytes) {
  Tally t;
  MemeFile file;
  const bool loaded = attempt(t, [&] { file = read_meme(input_file().set(bytes)); });
  attempt(t, [&] { (void)parse_meme(gunzip_prefix(bytes), "fuzz.meme"); });
  if (!loaded || file.motifs.empty()) return t;
  try {
    if (parse_meme(meme_string(file.motifs), "round trip").motifs.size() != file.motifs.size())
      throw std::logic_error("a loaded MEME file reads back with another number of motifs");
  } catch (const Error& e) {
    throw std::logic_error(std::string("a loaded MEME file does not read back after writing: ") + e.what());
  }
  index_t columns = 0, widest = 0;
  for (const auto& m : file.motifs) {
    columns += m.width();
    widest = std::max(widest, m.width());
  }
  if (columns > 300 || widest > 30 || ssize(file.motifs) > 40) return t;  // Tomtom's tables grow with width^3
  TomtomOptions o;
  o.threshold = 1;
  o.background = file.background;
  o.complement = file.complement;
  attempt(t, [&] { (void)tomtom_tsv(tomtom(file.motifs, file.motifs, o)); });
  o.complete_scores = false;
  o.distance = ColumnScore::euclidean;
  o.min_overlap = 3;
  attempt(t, [&] { (void)tomtom(file.motifs, file.motifs, o); });
  return t;
}

inline Tally seqlets(std::string_view bytes) {
  Tally t;
  SeqletFile file;
  const bool loaded = attempt(t, [&] { file = read_seqlets(input_file().set(bytes)); });
  if (!loaded || file.seqlets.empty()) return t;
  try {
    const SeqletFile again = read_seqlets(input_file().set(seqlet_tsv(file.seqlets, "alphabet=" + file.alphabet)));
    bool same = again.alphabet == file.alphabet && again.seqlets.size() == file.seqlets.size();
    for (std::size_t i = 0; same && i < file.seqlets.size(); ++i) {
      const Seqlet &a = file.seqlets[i], &b = again.seqlets[i];
      same = a.record == b.record && a.start == b.start && a.end == b.end && a.strand == b.strand &&
             a.sequence == b.sequence && std::abs(a.score - b.score) <= 1e-5 * std::max(1.0, std::abs(a.score));
    }
    if (!same) throw std::logic_error("a loaded seqlet TSV reads back different after writing");
  } catch (const Error& e) {
    throw std::logic_error(std::string("a loaded seqlet TSV does not read back after writing: ") + e.what());
  }
  if (ssize(file.seqlets) > 300) return t;
  // The file's alphabet, or the letters its seqlets use.
  std::string alphabet = file.alphabet;
  if (alphabet.empty()) {
    for (const auto& s : file.seqlets) alphabet += s.sequence;
    std::sort(alphabet.begin(), alphabet.end());
    alphabet.erase(std::unique(alphabet.begin(), alphabet.end()), alphabet.end());
  }
  attempt(t, [&] { (void)cluster_seqlets(file.seqlets, alphabet, {.min_seqlets = 1}); });
  return t;
}

// ---- genome files: readers that take paths next to each other (a FASTA
// and its index), a fixed genome and a tiny model to scan and score with

inline const detail::TempFolder& genome_folder() {
  // damaged inputs: htslib's own messages would only be noise
  [[maybe_unused]] static const bool quiet = [] {
    hts_set_log_level(HTS_LOG_OFF);
    return true;
  }();
  thread_local const detail::TempFolder folder("the genome fuzz targets");
  return folder;
}
inline std::string genome_file(const std::string& name, std::string_view bytes) {
  const std::string path = genome_folder().file(name);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) throw std::runtime_error("fuzz: cannot write " + path);
  std::fclose(f);
  return path;
}
// chr1 and chr2 with lower case, N and an IUPAC code; what the BED and VCF
// inputs refer to.
inline std::string fixed_genome_text() {
  std::string a, b;
  for (int i = 0; i < 300; ++i) a += "ACGTTGCA"[(i * 7 + i / 5) % 8];
  for (int i = 0; i < 120; ++i) b += "acgtNRGT"[(i * 3 + i / 7) % 8];
  return ">chr1 one\n" + a.substr(0, 150) + "\n" + a.substr(150) + "\n>chr2\n" + b + "\n";
}
inline const GenomeFasta& fixed_genome() {
  thread_local const GenomeFasta genome(genome_file("fixed.fa", fixed_genome_text()));
  return genome;
}
// A DNA model of windows of 12 bases, two classes.
inline Model& genome_model() {
  thread_local Model model(Params{}.conv_num(1).kernel_num(2).kernel_len(3).neuron_num(3),
                           ModelInfo{alphabet::dna(), 12, 0, 0, {"a", "b"}, false, 0}, 1);
  return model;
}
// Scans the regions (their first 2000 windows or so) both ways the options differ most.
inline void scan_some(const GenomeFasta& genome, std::vector<GenomeRegion> regions) {
  for (const bool both : {false, true}) {
    const ScanPlan plan(genome, regions, genome_model().info().length, both ? 3 : 1, 256);
    Scanner scanner(genome_model(), genome,
                    {.both_strands = both, .merge = RcMerge::none, .unknown = both ? UnknownBases::zero : UnknownBases::skip});
    scanner.run(plan, 0, std::min<index_t>(plan.size(), 8), [](const UnitScores& s) { (void)s.value(0, 0, 0); });
  }
}

inline Tally genome_fasta(std::string_view bytes) {
  Tally t;
  std::filesystem::remove(genome_folder().file("g.fa.fai"));
  const std::string path = genome_file("g.fa", bytes);
  attempt(t, [&] {
    const GenomeFasta g(path);
    index_t total = 0;
    for (index_t i = 0; i < g.size(); ++i) total += g.length(i);
    if (total > (index_t{1} << 20)) return;
    for (index_t i = 0; i < g.size(); ++i) {
      (void)g.fetch(i, 0, g.length(i));
      (void)g.location(i, g.length(i) / 2);
    }
    scan_some(g, whole_sequences(g));
  });
  // the bytes as the index of a valid FASTA
  genome_file("i.fa", fixed_genome_text());
  genome_file("i.fa.fai", bytes);
  attempt(t, [&] {
    const GenomeFasta g(genome_folder().file("i.fa"));
    for (index_t i = 0; i < g.size(); ++i) (void)g.fetch(i, 0, std::min<index_t>(g.length(i), 1 << 16));
  });
  return t;
}

inline Tally bed(std::string_view bytes) {
  Tally t;
  const std::string path = genome_file("r.bed", bytes);
  attempt(t, [&] { scan_some(fixed_genome(), read_bed(path, fixed_genome())); });
  return t;
}

inline Tally vcf(std::string_view bytes) {
  Tally t;
  const std::string path = genome_file("v.vcf", bytes);
  for (const bool both : {false, true})
    attempt(t, [&] {
      VcfReader reader(path);
      VariantEffects effects(genome_model(), fixed_genome(),
                             {.both_strands = both, .merge = both ? RcMerge::none : RcMerge::mean, .logits = both});
      std::string out = effects.tsv_header();
      effects.run(reader, 0, 500, [&](const RecordEffects& e) { out += effects.tsv_rows(e) + effects.na_rows(e); });
    });
  attempt(t, [&] {
    VcfReader reader(path);
    VariantEffects effects(genome_model(), fixed_genome(), {.unknown = UnknownBases::skip});
    VcfAnnotator out(genome_folder().file(reader.is_bcf() ? "out.bcf" : "out.vcf.gz"), reader,
                     {{"SSTER_DIFF_a", "a"}}, "SSTER_FLAG", "flag");
    effects.run(reader, 0, 500, [&](const RecordEffects& e) {
      auto values = effects.info_values(e);
      values.resize(1);
      out.write(e.record, values, !e.ref_match);
    });
    out.commit();
  });
  return t;
}

// ---- seeds: valid files of every kind, made in memory

inline std::string read_file_bytes(const std::string& path) {
  std::string out;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error("fuzz: cannot read " + path);
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  std::fclose(f);
  return out;
}

// Saves through a file, as users do, and returns the bytes.
template <class Save>
std::string saved_bytes(Save&& save) {
  const auto path = std::filesystem::temp_directory_path() / ("sster-fuzz-seed-" + std::to_string(::getpid()));
  save(path.string());
  std::string bytes = read_file_bytes(path.string());
  std::filesystem::remove(path);
  return bytes;
}

// Data files of every feature: plain, multi-label with structure, structure
// profiles with additional and position-wise inputs, padded.
inline std::vector<std::string> data_seeds(const std::string& pysster_tests) {
  auto f = [&](const char* name) { return pysster_tests + "/" + name; };
  std::vector<Data> sets;
  sets.push_back(Data::from_fasta({f("dna_pos.fasta"), f("dna_neg.fasta")}, alphabet::dna()));
  sets.push_back(Data::from_multilabel_fasta(f("rna.fasta"), 3, alphabet::rna_dot_bracket()));
  DataOptions profile;
  profile.structure_profile = true;
  Data pwm = Data::from_fasta({f("rna_pwm1.fasta"), f("rna_pwm2.fasta")}, alphabet::rna_dot_bracket(), profile);
  pwm.add_additional({f("rna_pwm1_add.txt"), f("rna_pwm2_add.txt")}, true);
  pwm.add_positionwise({f("rna_pwm1_pos.txt"), f("rna_pwm2_pos.txt")}, "feat", true);
  pwm.add_categorical({f("rna_pwm1_add.txt"), f("rna_pwm2_add.txt")},
                      {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16"});
  sets.push_back(std::move(pwm));
  DataOptions pad;
  pad.pad = true;
  sets.push_back(Data::from_sequences({"ACGTACGTAC", "ACG", "TTTTGGGG", "CA", "GATTACA"}, {0, 1, 0, 1, 1}, 2,
                                      alphabet::dna(), pad));
  std::vector<std::string> seeds;
  for (const auto& d : sets) seeds.push_back(saved_bytes([&](const std::string& p) { d.save(p); }));
  return seeds;
}

// Model files: a trained CNN, a checkpoint of an unfinished run, a recurrent
// multi-label model on structure letters, and one with structure profiles,
// additional and position-wise inputs.
inline std::vector<std::string> model_seeds(const std::string& pysster_tests) {
  auto f = [&](const char* name) { return pysster_tests + "/" + name; };
  std::vector<std::string> seeds;
  const Data dna = Data::from_fasta({f("dna_pos.fasta"), f("dna_neg.fasta")}, alphabet::dna());
  Params small = Params{}.conv_num(1).kernel_num(3).kernel_len(4).neuron_num(4).batch_size(16).epochs(1);
  Model trained(small, dna, 3);
  trained.train(dna, false);
  seeds.push_back(model_file_bytes(trained.to_file()));

  Model unfinished(Params(small).epochs(3), dna, 4);
  TrainObserver stop;
  int batches = 0;
  stop.stop_requested = [&] { return ++batches == 6; };  // inside epoch 2
  unfinished.train(dna, stop);
  seeds.push_back(model_file_bytes(unfinished.to_file()));

  const Data rna = Data::from_multilabel_fasta(f("rna.fasta"), 3, alphabet::rna_dot_bracket());
  Model recurrent(Params{}.conv_num(1).kernel_num(2).kernel_len(3).rnn_type("LSTM").rnn_units(3).neuron_num(3), rna, 5);
  seeds.push_back(model_file_bytes(recurrent.to_file()));

  // Inputs with their encodings (z-scores, categories, robust scaling) and a split recipe.
  DataOptions profile;
  profile.structure_profile = true;
  Data pwm = Data::from_fasta({f("rna_pwm1.fasta"), f("rna_pwm2.fasta")}, alphabet::rna_dot_bracket(), profile);
  pwm.add_additional({f("rna_pwm1_add.txt"), f("rna_pwm2_add.txt")}, true);
  pwm.add_categorical({f("rna_pwm1_add.txt"), f("rna_pwm2_add.txt")}, {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10",
                                                                     "11", "12", "13", "14", "15", "16"});
  pwm.add_positionwise({f("rna_pwm1_pos.txt"), f("rna_pwm2_pos.txt")}, "feat", true);
  pwm.add_positionwise({f("rna_pwm1_pos.txt"), f("rna_pwm2_pos.txt")}, "raw");
  Model inputs(Params{}.conv_num(1).kernel_num(2).kernel_len(3).neuron_num(3), pwm, 6);
  inputs.set_fold("profile (). W=70 L=70");  // as sster train --fold profile --structure "()." notes it
  inputs.set_split_recipe({.seed = 7, .file_records = pwm.file_records()});
  seeds.push_back(model_file_bytes(inputs.to_file()));
  Model held_out(Params{}.conv_num(1).kernel_num(2).kernel_len(3).rnn_type("GRU").rnn_units(2).neuron_num(3)
                     .rnn_dropout_masks("shared"),
                 pwm, 8);
  held_out.set_split_recipe({.kind = SplitRecipe::Kind::held_out, .file_records = {20, 6, 6}, .val_files = 1, .test_files = 1});
  seeds.push_back(model_file_bytes(held_out.to_file()));
  Model split_file(Params{}.conv_num(1).kernel_num(2).kernel_len(3).neuron_num(3), pwm, 9);
  split_file.set_split_recipe({.kind = SplitRecipe::Kind::file, .file_records = {32}, .split_file = "s.txt", .split_crc = 77});
  seeds.push_back(model_file_bytes(split_file.to_file()));

  // An int8 calibration (two blocks: the second reads floats).
  Model calibrated(Params(small).conv_num(2).kernel_len(3), dna, 10);
  calibrated.train(dna, false);
  calibrated.calibrate_int8(dna, dna.indices(Group::train));
  seeds.push_back(model_file_bytes(calibrated.to_file()));
  return seeds;
}

// Text seeds: the pysster test inputs, plus layouts they lack.
inline std::vector<std::string> fasta_inline_seeds() {
  return {">a 0,1\nACGT\n>b\nAC\nGT\n\n>c 2\nacgu\n",  // wrapped, a blank line, lower case
          ">s\nGGGAUCCC\n(((..))) (-1.2)\n>t\nGGGAUCCC\n<<<..>>>\n"};
}
inline std::vector<std::string> extra_inline_seeds() {
  return {"train\nval\ntest\ntrain\ntrain\nval\ntest\ntrain\ntrain\ntrain\n",  // a split file
          "a\nb\n1\n2\n3\na\n",                                                 // categories
          "0.5 -1e-3 +2 3e4\n1 2 3 4\n\n"};                                        // signs, exponents, a trailing blank
}
inline std::vector<std::string> fasta_seed_files() {
  return {"dna_pos.fasta",      "dna_neg.fasta",  "rna.fasta",          "rna_annot.fasta",
          "rna_annot_ref.fasta", "rna_pred.fasta", "rna_pred_ref.fasta", "rna_pred_ref_annot.fasta",
          "rna_pwm1.fasta",      "rna_pwm2.fasta"};
}
// Seqlet TSVs as sster attribute writes them, with and without the
// alphabet comment, positive and negative, DNA and protein.
inline std::vector<std::string> seqlet_inline_seeds() {
  return {"# sster seqlets: alphabet=ACGT method=ism class=pos target=logit width=6 threshold=0.5\n"
          "record\tstart\tend\tstrand\tscore\tsequence\n"
          "pos_1\t10\t16\t+\t2.5\tCACGTG\npos_1\t40\t46\t+\t1.75\tTGACTC\npos_2\t11\t17\t+\t2.25\tCACGTG\n"
          "pos_3\t0\t6\t-\t-0.8125\tAAAAAA\npos_4\t9\t15\t+\t3\tCCACGT\n",
          "record\tstart\tend\tstrand\tscore\tsequence\nr1\t3\t8\t+\t1e-3\tMKVLA\nr2\t0\t5\t+\t-2\tMKVLA\n"};
}

inline std::vector<std::string> meme_seed_files() { return {"ref.meme"}; }
// MEME files as JASPAR, the MEME suite (version 3 with log-odds blocks; full
// text output) and custom alphabets have them, and the minimal format without
// the optional lines.
inline std::vector<std::string> meme_inline_seeds() {
  return {"MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\nBackground letter frequencies\nA 0.3 C 0.2 G 0.2 T 0.3\n\n"
          "MOTIF MA0004.1 Arnt\nletter-probability matrix: alength= 4 w= 3 nsites= 20 E= 0\n"
          " 0.200000  0.800000  0.000000  0.000000\n 0.950000  0.000000  0.050000  0.000000\n"
          " 0.000000  1.000000  0.000000  0.000000\nURL http://jaspar2018.genereg.net/matrix/MA0004.1\n\n"
          "MOTIF MA0006.1 Ahr::Arnt\nletter-probability matrix: alength= 4 w= 2 nsites= 24 E= 0\n"
          " 0.125000  0.333333  0.083333  0.458333\n 0.000000  0.000000  0.958333  0.041667\n",
          "MEME version 3.0\n\nALPHABET= ACGT\n\nstrands: + -\n\n"
          "Background letter frequencies (from dataset with add-one prior applied):\n"
          "A 0.250000 C 0.250000 G 0.250000 T 0.250000\n\nMOTIF V_MYOD_01\n\nBL   MOTIF V_MYOD_01 width=2 seqs=5\n"
          "log-odds matrix: alength= 4 w= 2 n= 0 bayes= 0 E= 0\n -0.263   0.585   0.585  -2.585 \n"
          "  0.585  -0.263   0.585  -2.585 \nletter-probability matrix: alength= 4 w= 2 nsites= 5 E= 0\n"
          "  0.208   0.375   0.375   0.042 \n  0.375   0.208   0.375   0.042 \n",
          "MEME version 5.5.6 (Release date: Wed Jun 19 13:59:04 2024 -0700)\n\nALPHABET= ACGT\n"
          "Background letter frequencies (from file `x.bg'):\nA 0.302 C 0.198 G 0.198 T 0.302\n"
          "MOTIF TKTGA MEME-1\twidth =   2  sites =  18  llr = 193  E-value = 2.0e-011\n"
          "letter-probability matrix: alength= 4 w= 2 nsites= 18 E= 2.0e-011\n"
          "  0.000000  0.000000  0.055556  0.944444\n  0.055556  0.000000  0.555556  0.388889\n"
          "--------------------------------------------------------------------------------\n",
          "MEME version 5\nALPHABET \"DNA with covalent modifications\" DNA-LIKE\nA ~ T\nC ~ G\n"
          "m \"5-Methylcytosine\" D73027 ~ 1 \"Guanine:5-Methylcytosine\" 4575B4\nN = ACGTm1\nEND ALPHABET\n"
          "strands: +\nMOTIF x\nletter-probability matrix: alength= 6 w= 2\n0.1 0.1 0.1 0.1 0.5 0.1\n"
          "0.5 0.1 0.1 0.1 0.1 0.1\n",
          "MEME version 4\nBackground letter frequencies\nA 0.25 C 0.25 G 0.25 U 0.25\nMOTIF r\n"
          "letter-probability matrix:\n0.1 0.2 0.3 0.4\n1 0 0 0\n\nMOTIF s two\nletter-probability matrix: w= 1\n"
          "0 0 0 1\n"};
}
// Genome FASTA files (ragged, lower case, N, bgzip) and FASTA indexes.
inline std::vector<std::string> genome_fasta_inline_seeds() {
  std::string bgzip;
  {
    const std::string path = genome_folder().file("seed.fa.gz");
    BGZF* f = bgzf_open(path.c_str(), "w");
    const std::string text = fixed_genome_text();
    if (!f || bgzf_write(f, text.data(), text.size()) < 0 || bgzf_close(f) != 0)
      throw std::runtime_error("fuzz: cannot write a bgzip seed");
    bgzip = read_file_bytes(path);
  }
  return {fixed_genome_text(), ">a\nACGTNNNNacgt\nAC\n\n>b x\nGGGGCCCCAAAATTTTGGGGCC\n>c\n\n", bgzip,
          "chr1\t300\t10\t150\t151\nchr2\t120\t318\t120\t121\n"};
}
inline std::vector<std::string> bed_inline_seeds() {
  return {"track name=t\n# regions\nchr1\t0\t100\tx\t0\t+\nchr1\t50\t200\nchr1\t250\t300\nchr2\t10\t90\n",
          "chr2 0 120\nchr1 12 40\n"};
}
inline std::vector<std::string> vcf_inline_seeds() {
  const std::string head =
      "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=300>\n##INFO=<ID=DP,Number=1,Type=Integer,Description=\"d\">\n"
      "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"g\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ts1\n";
  const GenomeFasta& g = fixed_genome();
  auto ref = [&](index_t seq, index_t pos1, index_t n) { return g.fetch(seq, pos1 - 1, pos1 - 1 + n); };
  std::string body = "chr1\t40\trs1\t" + ref(0, 40, 1) + "\tA,C\t50\tPASS\tDP=4\tGT\t0/1\n";
  body += "chr1\t100\t.\t" + ref(0, 100, 3) + "\t" + ref(0, 100, 1) + "\t.\t.\t.\tGT\t1/1\n";
  body += "chr1\t120\tins\t" + ref(0, 120, 1) + "\t" + ref(0, 120, 1) + "GGT\t.\t.\t.\tGT\t0/1\n";
  body += "chr1\t3\tnear\t" + ref(0, 3, 1) + "\tT\t.\t.\t.\tGT\t0/1\n";
  body += "chr1\t200\tsym\t" + ref(0, 200, 1) + "\t<DEL>,*\t.\t.\t.\tGT\t0/1\n";
  body += "2\t60\tchr\tA\tG\t.\t.\t.\tGT\t0/1\n";
  return {head + body, "##fileformat=VCFv4.1\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchr2\t50\t.\tN\tA\t.\t.\t.\n"};
}
inline std::vector<std::string> extra_seed_files() {
  return {"rna_pwm1_add.txt", "rna_pwm2_add.txt", "rna_pwm1_pos.txt", "rna_pwm2_pos.txt"};
}

}  // namespace sster::fuzz
