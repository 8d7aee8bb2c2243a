#pragma once
// The extra inputs of a FASTA file scored as a stream (sster predict): one
// value line per record from each input's file, read in step with the
// records and encoded as the model's training data was (its categories, its
// z-scores and robust scaling). A file with fewer or more lines than the
// FASTA file has records, a wrong number of values or a non-number is an
// Error naming the file and line.
#include <memory>
#include <string>
#include <vector>

#include "cli/input_files.hpp"
#include "sster/data/extra_inputs.hpp"
#include "sster/model/model.hpp"

namespace sster::cli {

class StreamedInputs {
 public:
  // fasta names the scored file in messages.
  StreamedInputs(const InputFiles& given, const ModelInfo& m, std::string fasta) : model_(m), fasta_(std::move(fasta)) {
    for (const auto& files : given.additional_files(m)) open(files);
    for (const auto& p : given.positionwise) open(InputFiles::named_files(p).second);
  }

  // Record `record` (1-based) of the FASTA file: its m.extra values to
  // extra, its length x dense_channels values to dense (position-major).
  void read(index_t record, float* extra, float* dense) {
    std::size_t r = 0;
    for (const auto& a : model_.additional) {
      const auto& path = readers_.at(r)->path();
      const auto [line, number] = next(r++, record);
      auto where = [&, number = number] { return path + " line " + std::to_string(number); };
      if (!a.categorical()) {
        *extra++ = static_cast<float>(a.scaled(sster::detail::parse_number_line(line, where)));
        continue;
      }
      const index_t column = a.category_column(line);
      if (column < 0)
        throw Error(where() + ": " + quote_excerpt(line) + " is not one of the categories the model was trained on (" +
                    a.category_list() + ")");
      for (index_t k = 0; k < a.columns(); ++k) *extra++ = k == column ? 1.0f : 0.0f;
    }
    const index_t L = model_.length, D = model_.dense_channels;
    row_.resize(to_size(L));
    for (index_t c = 0; c < D; ++c) {
      const auto& path = readers_.at(r)->path();
      const auto [line, number] = next(r++, record);
      const std::size_t n = FastaReader::parse_floats(line, row_.data(), row_.size(),
                                                      [&, number = number] { return path + " line " + std::to_string(number); });
      if (std::ssize(row_) != static_cast<index_t>(n))
        throw Error(path + " line " + std::to_string(number) + ": expected " + std::to_string(L) +
                    " values (one per position of record " + std::to_string(record) + "), found " + std::to_string(n));
      const auto& scaling = at(model_.positionwise, c);
      for (index_t t = 0; t < L; ++t) dense[t * D + c] = scaling.scaled(at(row_, t), t);
    }
  }

  // Passes over the lines of the first `records` records (the records
  // before one rank's share of the file).
  void skip(index_t records) {
    for (std::size_t r = 0; r < readers_.size(); ++r)
      for (index_t record = 1; record <= records; ++record) next(r, record);
  }

  // After the last record: no file may have lines left.
  void finish(index_t records) {
    for (auto& reader : readers_) {
      std::string_view line;
      index_t number = 0;
      if (reader->next(line, number))
        throw Error(reader->path() + " line " + std::to_string(number) + ": more lines than " + fasta_ + " has records (" +
                    std::to_string(records) + "); expected one line per record");
    }
  }

 private:
  struct Line {
    std::string_view text;
    index_t number;
  };

  void open(const std::vector<std::string>& files) {
    require(files.size() == 1, files.front() + ",...: give one file per input to predict a FASTA file (one line per record)");
    readers_.push_back(std::make_unique<ValueLineReader>(files.front()));
  }
  Line next(std::size_t reader, index_t record) {
    Line l{};
    auto& r = *readers_.at(reader);
    if (!r.next(l.text, l.number))
      throw Error(r.path() + ": " + std::to_string(r.lines()) + " lines, but " + fasta_ + " has more records (record " +
                  std::to_string(record) + " has no line); expected one line per record");
    return l;
  }

  const ModelInfo& model_;
  std::string fasta_;
  std::vector<std::unique_ptr<ValueLineReader>> readers_;  // additional inputs in the model's order, then position-wise
  std::vector<float> row_;
};

}  // namespace sster::cli
