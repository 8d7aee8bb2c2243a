// sster's RNA folding: speed and agreement with ViennaRNA (bench/fold_reference.py);
// bench/fold_run.sh runs it with ViennaRNA and LinearFold in one go.
//   fold_bench speed [THREADS] [--json FILE]  sequences/s of MFE, partition
//                                      function and RNAplfold's windows (W = L = 70)
//                                      at 100, 200, 500 nt (random ACGU), and the
//                                      growth exponent of the time per sequence;
//                                      --json also writes them for sster_bench's
//                                      report (tools/run bench)
//   fold_bench pum2 POS NEG [THREADS]  time to fold every record: MFE alone; MFE and
//                                      its forgi annotation (fold_records, what
//                                      train --fold needs); the partition function
//                                      with an FHIMST profile; RNAplfold's windows
//                                      with an EHIMS profile and the P/U string
//   fold_bench compare REF.tsv         agreement with ViennaRNA's records
//   fold_bench once mfe|pf|plfold LENGTH N   folds N random sequences on one thread,
//                                      for valgrind --tool=callgrind (instruction
//                                      counts are steady on a loaded machine, times
//                                      are not)
//   fold_bench write LENGTH N          the random sequences of `speed`, one a line
//                                      (input for other folding programs)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sster/core/atomic_file.hpp"
#include "sster/core/parallel.hpp"
#include "sster/core/random.hpp"
#include "sster/fold/records.hpp"

using namespace sster;
using Clock = std::chrono::steady_clock;

namespace {
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::vector<std::string> random_sequences(index_t length, index_t count) {
  RandomStream random(RandomKey(static_cast<std::uint64_t>(length), Purpose::fold_sample));
  std::vector<std::string> out(to_size(count));
  for (auto& s : out)
    for (index_t t = 0; t < length; ++t) s += "ACGU"[random.below(4)];
  return out;
}

// Sequences/s of `fold` over the sequences, in parallel over sequences.
template <class Fold>
double rate(const std::vector<std::string>& seqs, Fold&& fold) {
  tbb::enumerable_thread_specific<fold::detail::Folders> folders;
  const auto start = Clock::now();
  parallel_for_each_index(std::ssize(seqs), [&](index_t k) { fold(fold::encode_rna(at(seqs, k)), folders.local()); });
  return static_cast<double>(seqs.size()) / seconds_since(start);
}

fold::WindowOptions plfold_window() { return {70, 70}; }  // pysster's RNAplfold defaults

index_t speed_count(index_t n) { return n == 500 ? 40 : n == 200 ? 200 : 600; }

// least-squares slope of log(time per sequence) over log(length)
double growth(const std::vector<index_t>& lengths, const std::vector<double>& rates) {
  double mx = 0, my = 0;
  for (std::size_t k = 0; k < rates.size(); ++k) {
    mx += std::log(static_cast<double>(lengths[k]));
    my += -std::log(rates[k]);
  }
  mx /= static_cast<double>(rates.size());
  my /= static_cast<double>(rates.size());
  double sxy = 0, sxx = 0;
  for (std::size_t k = 0; k < rates.size(); ++k) {
    const double dx = std::log(static_cast<double>(lengths[k])) - mx;
    sxy += dx * (-std::log(rates[k]) - my);
    sxx += dx * dx;
  }
  return sxy / sxx;
}

// `json_file` (when given) gets the rates per length and the growth exponents.
int speed(const std::string& json_file) {
  const std::vector<index_t> lengths = {100, 200, 500};
  std::vector<double> mfe_rates, pf_rates, plfold_rates;
  for (index_t n : lengths) {
    const auto seqs = random_sequences(n, speed_count(n));
    mfe_rates.push_back(rate(seqs, [](const fold::Rna& r, fold::detail::Folders& f) { f.mfe.fold(r); }));
    pf_rates.push_back(rate(seqs, [](const fold::Rna& r, fold::detail::Folders& f) { f.partition.fold(r); }));
    plfold_rates.push_back(rate(seqs, [](const fold::Rna& r, fold::detail::Folders& f) { f.windows.fold(r, plfold_window()); }));
    std::printf("sster length %td: mfe %.1f seq/s, partition %.1f seq/s, plfold %.1f seq/s (%d threads)\n", n,
                mfe_rates.back(), pf_rates.back(), plfold_rates.back(), threads());
  }
  const double mfe_k = growth(lengths, mfe_rates), pf_k = growth(lengths, pf_rates),
               plfold_k = growth(lengths, plfold_rates);
  std::printf("growth exponent (time per sequence ~ n^k): mfe %.2f, partition %.2f, plfold %.2f\n", mfe_k, pf_k,
              plfold_k);
  if (!json_file.empty()) {
    const nlohmann::json j = {{"threads", threads()},     {"lengths", lengths},
                              {"mfe", mfe_rates},         {"partition", pf_rates},
                              {"plfold", plfold_rates},   {"growth", {{"mfe", mfe_k}, {"partition", pf_k}, {"plfold", plfold_k}}}};
    AtomicFile out(json_file);
    const std::string text = j.dump(1) + "\n";
    out.write(text);
    out.commit();
  }
  return 0;
}

int once(const std::string& kind, index_t length, index_t count) {
  const auto seqs = random_sequences(length, count);
  fold::detail::Folders folders;
  double sum = 0;
  for (const auto& s : seqs) {
    const fold::Rna rna = fold::encode_rna(s);
    if (kind == "mfe") sum += folders.mfe.fold(rna).energy();
    else if (kind == "pf") sum += folders.partition.fold(rna).energy;
    else sum += folders.windows.fold(rna, plfold_window()).contexts.front()[0];
  }
  std::printf("%s: %td sequences of %td nt, checksum %.4f\n", kind.c_str(), count, length, sum);
  return 0;
}

int write(index_t length, index_t count) {
  for (const auto& s : random_sequences(length, count)) std::printf("%s\n", s.c_str());
  return 0;
}

double fold_files(const std::vector<std::string>& files, const fold::FoldRequest& request, index_t& records) {
  records = 0;
  const auto start = Clock::now();
  for (const auto& file : files) {
    FastaReader reader(file);
    fold::fold_records(reader, request, [&](const FastaRecord&, const fold::FoldedRecord&) { ++records; });
  }
  return seconds_since(start);
}

int pum2(const std::vector<std::string>& files) {
  std::vector<std::string> seqs;  // MFE alone: the records read first, then folded
  for (const auto& file : files) {
    FastaReader reader(file);
    for (FastaRecord rec; reader.next(rec);) seqs.push_back(rec.sequence);
  }
  const double mfe_rate = rate(seqs, [](const fold::Rna& r, fold::detail::Folders& f) { f.mfe.fold(r); });
  std::printf("PUM2 MFE alone: %zu records, %.1f s on %d threads\n", seqs.size(),
              static_cast<double>(seqs.size()) / mfe_rate, threads());
  index_t records = 0;
  fold::FoldRequest request;
  double took = fold_files(files, request, records);
  std::printf("PUM2 MFE + annotation (fold_records): %td records, %.1f s on %d threads\n", records, took, threads());
  request.partition = true;
  request.profile_letters = "FHIMST";
  took = fold_files(files, request, records);
  std::printf("PUM2 partition function + FHIMST profile: %td records, %.1f s on %d threads\n", records, took,
              threads());
  request.partition = false;
  request.plfold = plfold_window();
  request.profile_letters = "EHIMS";
  took = fold_files(files, request, records);
  std::printf("PUM2 plfold (W = L = 70) + EHIMS profile + P/U: %td records, %.1f s on %d threads\n", records, took,
              threads());
  return 0;
}

int compare(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::fprintf(stderr, "cannot open %s\n", path.c_str()), 2;
  fold::PartitionFolder folder;
  int count = 0, same_mfe = 0, unique = 0, same_unique = 0, same_any = 0;
  double worst_ensemble = 0, worst_paired = 0, sum_paired = 0;
  index_t positions = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream f(line);
    std::string seq, db, paired;
    double mfe = 0, ensemble = 0;
    int ties = 0;
    f >> seq >> db >> mfe >> ties >> ensemble >> paired;
    const fold::Ensemble e = folder.fold(fold::encode_rna(seq));
    ++count;
    same_mfe += std::abs(e.mfe.energy() - mfe) < 0.005;
    same_any += e.mfe.structure == db;
    if (ties == 1) {
      ++unique;
      same_unique += e.mfe.structure == db;
    }
    worst_ensemble = std::max(worst_ensemble, std::abs(e.energy - ensemble));
    std::istringstream values(paired);
    index_t t = 0;
    for (std::string v; std::getline(values, v, ','); ++t) {
      const auto& c = at(e.contexts, t);
      const double d = std::abs(c[0] + c[1] - std::stod(v));
      worst_paired = std::max(worst_paired, d);
      sum_paired += d;
      ++positions;
    }
  }
  std::printf("%d sequences: MFE equal (0.01 kcal/mol) %d; structure identical %d (unique MFE: %d of %d)\n", count,
              same_mfe, same_any, same_unique, unique);
  std::printf("ensemble free energy: largest difference %.4f kcal/mol\n", worst_ensemble);
  if (positions > 0)
    std::printf("P(paired): largest difference %.4f, mean %.5f over %td positions\n", worst_paired,
                sum_paired / static_cast<double>(positions), positions);
  return same_mfe == count && same_unique == unique ? 0 : 1;
}
}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.size() >= 1 && args[0] == "speed") {
      std::vector<std::string> rest(args.begin() + 1, args.end());
      std::string json_file;
      if (rest.size() >= 2 && rest[rest.size() - 2] == "--json") {
        json_file = rest.back();
        rest.resize(rest.size() - 2);
      }
      if (rest.size() <= 1) {
        set_threads(rest.empty() ? 2 : std::atoi(rest[0].c_str()));
        return speed(json_file);
      }
    }
    if (args.size() >= 3 && args[0] == "pum2") {
      set_threads(args.size() > 3 ? std::atoi(args[3].c_str()) : 2);
      return pum2({args[1], args[2]});
    }
    if (args.size() == 2 && args[0] == "compare") return compare(args[1]);
    if (args.size() == 4 && args[0] == "once" && (args[1] == "mfe" || args[1] == "pf" || args[1] == "plfold"))
      return once(args[1], std::atoi(args[2].c_str()), std::atoi(args[3].c_str()));
    if (args.size() == 3 && args[0] == "write") return write(std::atoi(args[1].c_str()), std::atoi(args[2].c_str()));
  } catch (const Error& e) {
    std::fprintf(stderr, "fold_bench: %s\n", e.what());
    return 2;
  }
  std::fprintf(stderr, "usage: fold_bench speed [THREADS] [--json FILE] | pum2 POS NEG [THREADS] | compare REF.tsv | once mfe|pf|plfold LENGTH N | write LENGTH N\n");
  return 2;
}
