#pragma once
// fold_records: folds every record of a FASTA file, in parallel over records
// (oneTBB), and hands the results to a sink in file order. Records are read in
// batches, so memory stays bounded by one batch and one set of folding tables
// per thread, whatever the number of records; each record is folded on its
// own, so the results do not depend on the thread count.
#include <tbb/enumerable_thread_specific.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sster/core/parallel.hpp"
#include "sster/data/fasta.hpp"
#include "sster/data/structure.hpp"
#include "sster/fold/partition.hpp"
#include "sster/fold/plfold.hpp"
#include "sster/fold/profile.hpp"

namespace sster::fold {

struct FoldRequest {
  FoldOptions fold;
  bool partition = false;         // ensemble energy (and, with profile_letters, the profile)
  std::string profile_letters;    // non-empty: a structure profile over these letters (fold/profile.hpp)
  // RNAplfold's local folding (fold/plfold.hpp), as pysster's predict_structures_plfold
  // runs it: the profile is averaged over windows, and FoldedRecord::paired_unpaired
  // holds pysster's P/U string
  std::optional<WindowOptions> plfold;
  index_t batch = 256;            // records read and folded at a time
};

struct FoldedRecord {
  std::string letters;              // the sequence as folded: upper case, T read as U (Rna::letters)
  Mfe mfe;
  std::string annotation;           // the MFE structure as forgi's contexts (annotate_structure)
  double ensemble_energy = 0;       // kcal/mol, with FoldRequest::partition
  std::vector<float> profile;       // rows x length, with profile_letters
  std::string paired_unpaired;      // with FoldRequest::plfold: 'P' where a pair is likelier than 0.5
  index_t unknown = 0;              // N bases (left unpaired)
};

namespace detail {
struct Folders {
  MfeFolder mfe;
  PartitionFolder partition;
  WindowFolder windows;
};

inline FoldedRecord fold_one(const Rna& rna, const FoldRequest& request, Folders& folders) {
  FoldedRecord out;
  out.letters = rna.letters;
  out.unknown = rna.unknown;
  const bool whole_profile = !request.plfold && !request.profile_letters.empty();
  if (request.partition || whole_profile) {
    PartitionOptions options;
    options.fold = request.fold;
    options.pair_cutoff = 1.0;  // the pair list is not needed here
    Ensemble e = folders.partition.fold(rna, options);
    out.mfe = std::move(e.mfe);
    out.ensemble_energy = e.energy;
    if (whole_profile) out.profile = context_profile(e.contexts, request.profile_letters);
  } else {
    out.mfe = folders.mfe.fold(rna, request.fold);
  }
  out.annotation = annotate_structure(out.mfe.structure);
  if (request.plfold) {  // the windows' weights scaled by the MFE at hand
    const WindowEnsemble e = folders.windows.fold(rna, *request.plfold, 0.5, out.mfe.energy_dcal);
    out.paired_unpaired = paired_unpaired(rna.length(), e.pairs);
    if (!request.profile_letters.empty()) out.profile = context_profile(e.contexts, request.profile_letters);
  }
  return out;
}
}  // namespace detail

// Calls sink(const FastaRecord&, const FoldedRecord&) for every record in file
// order. Bad input (a letter that is not a base, an empty record, a sequence
// too long to fold without a span) throws Error naming the file and record,
// before any record of its batch is handed to the sink.
template <class Sink>
void fold_records(FastaReader& reader, const FoldRequest& request, Sink&& sink) {
  require(request.batch >= 1, "fold_records: batch must be at least 1");
  if (!request.profile_letters.empty()) context_rows(request.profile_letters);  // check the letters once
  if (request.plfold) detail::effective_window(1, *request.plfold);              // and the window
  tbb::enumerable_thread_specific<detail::Folders> folders;
  std::vector<FastaRecord> records(to_size(request.batch));
  std::vector<Rna> rnas(records.size());
  std::vector<FoldedRecord> folded(records.size());
  while (true) {
    index_t count = 0;
    while (count < request.batch && reader.next(at(records, count))) {
      const FastaRecord& rec = at(records, count);
      const std::string where = reader.where(rec);
      at(rnas, count) = encode_rna(rec.sequence, where);
      band_width(at(rnas, count).length(), request.fold, where);
      ++count;
    }
    if (count == 0) return;
    parallel_for_each_index(count, [&](index_t r) { at(folded, r) = detail::fold_one(at(rnas, r), request, folders.local()); });
    for (index_t r = 0; r < count; ++r) sink(std::as_const(at(records, r)), std::as_const(at(folded, r)));
    if (count < request.batch) return;
  }
}

}  // namespace sster::fold
