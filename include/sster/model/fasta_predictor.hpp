#pragma once
// FastaPredictor: a model's class probabilities for every record of a FASTA
// file, read, encoded and scored in blocks (4096 records by default), so a
// file of millions of sequences never sits in memory. Letters outside the
// alphabet are replaced as Data replaces them, keyed by the model's seed and
// the record number; every record must have the model's length.
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/data/encoding.hpp"
#include "sster/data/fasta.hpp"
#include "sster/model/model.hpp"

namespace sster {

struct PredictedBlock {
  std::vector<std::string> names;  // the headers ("record_<n>" for an empty one)
  std::vector<float> probs;        // (names.size(), classes) row-major
};

class FastaPredictor {
 public:
  static constexpr index_t default_block = 4096;

  FastaPredictor(Model& model, std::string path, index_t block = default_block)
      : model_(model),
        path_(std::move(path)),
        reader_(path_, input_format(model)),
        encoder_(model.info().alphabet, model.seed()),
        block_(block) {
    require(block_ > 0, "FastaPredictor: the block size must be at least 1, got " + std::to_string(block_));
    symbols_.resize(to_size(block_ * model.info().length));
  }

  const std::vector<std::string>& class_names() const { return model_.info().class_names; }

  // The next block of up to `block` records; false (and an empty block) after the last.
  bool next(PredictedBlock& out) {
    const index_t L = model_.info().length;
    out.names.clear();
    while (std::ssize(out.names) < block_ && reader_.next(rec_)) {
      require(std::ssize(rec_.sequence) == L,
              fasta_location(path_, rec_.number, rec_.line) + " has length " + std::to_string(rec_.sequence.size()) +
                  ", but the model was trained on length " + std::to_string(L) +
                  " (sster, like pysster, needs the training length)");
      encoder_.encode(rec_, path_, static_cast<std::uint64_t>(rec_.number), symbols_.data() + std::ssize(out.names) * L);
      out.names.push_back(rec_.name.empty() ? "record_" + std::to_string(rec_.number) : rec_.name);
    }
    const auto n = std::ssize(out.names);
    out.probs.resize(to_size(n * model_.info().classes()));
    if (n > 0) model_.predict(InputBatch<float>{.B = n, .symbols = symbols_.data()}, out.probs.data());
    return n > 0;
  }

 private:
  // Checked before the file is opened: what the records hold.
  static FastaFormat input_format(const Model& model) {
    const auto& info = model.info();
    require(info.dense_channels == 0 && info.extra == 0 && info.profile_channels == 0,
            "predicting FASTA files reads sequences only; this model also needs structure profiles or additional "
            "inputs (use a Data set)");
    return info.alphabet.has_structure() ? FastaFormat::sequence_structure : FastaFormat::sequence;
  }

  Model& model_;
  std::string path_;
  FastaReader reader_;
  SequenceEncoder encoder_;
  index_t block_;
  FastaRecord rec_;
  std::vector<std::uint8_t> symbols_;
};

}  // namespace sster
