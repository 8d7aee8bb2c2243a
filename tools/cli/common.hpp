#pragma once
// Options shared by the subcommands: which files hold the data, which
// alphabet, threads.
#include <CLI/CLI.hpp>

#include <cctype>
#include <string>
#include <vector>

#include "sster/core/parallel.hpp"
#include "sster/data/dataset.hpp"

namespace sster::cli {

// "dna", "rna", "protein", or the letters themselves; "auto" looks at the
// first record of `first_file`: U means RNA, letters beyond ACGTN protein.
inline Alphabet parse_alphabet(const std::string& name, const std::string& structure, const std::string& first_file) {
  std::string letters = name;
  if (name == "auto") {
    FastaReader reader(first_file, structure.empty() ? FastaFormat::sequence : FastaFormat::sequence_structure);
    FastaRecord rec;
    require(reader.next(rec), first_file + ": no records");
    letters = "dna";
    for (char c : rec.sequence) {
      const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (u == 'U') letters = "rna";
      if (std::string("ACGTUN").find(u) == std::string::npos) {
        letters = "protein";
        break;
      }
    }
  }
  if (letters == "dna") letters = alphabet::dna().sequence();
  else if (letters == "rna") letters = alphabet::rna().sequence();
  else if (letters == "protein") letters = alphabet::protein().sequence();
  return Alphabet(letters, structure);
}

struct DataArgs {
  std::vector<std::string> class_files;
  std::string multilabel_file;
  index_t classes = 0;
  std::string alphabet = "auto";
  std::string structure;
  std::string split_file;
  bool pad = false;
  bool no_class_weights = false;
  std::uint64_t split_seed = 42;

  // training: also the split options
  void add_to(CLI::App* cmd, bool training) {
    cmd->add_option("--class", class_files, "FASTA file of one class (plain or gzip); repeat, class order = file order");
    cmd->add_option("--multilabel", multilabel_file, "one FASTA file with class indices in the headers (e.g. >0,2)");
    cmd->add_option("--classes", classes, "number of classes of --multilabel");
    cmd->add_option("--alphabet", alphabet, "dna, rna, protein, the letters themselves, or auto")->capture_default_str();
    cmd->add_option("--structure", structure, "structure letters after each sequence line, e.g. '().' or 'FHIMST'");
    cmd->add_flag("--pad", pad, "pad shorter sequences at the end instead of rejecting unequal lengths");
    if (!training) return;
    cmd->add_option("--split", split_file, "split file (one train/val/test per record) instead of a random 70/15/15");
    cmd->add_option("--split-seed", split_seed, "seed of the random split")->capture_default_str();
    cmd->add_flag("--no-class-weights", no_class_weights, "weight every class equally in the loss");
  }

  Data load() const {
    require(class_files.empty() != multilabel_file.empty(), "give either --class files or one --multilabel file");
    DataOptions o;
    o.seed = split_seed;
    o.pad = pad;
    o.class_weights = !no_class_weights;
    const std::string first = class_files.empty() ? multilabel_file : class_files.front();
    const Alphabet a = parse_alphabet(alphabet, structure, first);
    Data d = multilabel_file.empty() ? Data::from_fasta(class_files, a, o)
                                     : Data::from_multilabel_fasta(multilabel_file, classes, a, o);
    if (!split_file.empty()) d.load_split(split_file);
    return d;
  }
};

inline void add_threads_option(CLI::App* cmd, int& threads) {
  cmd->add_option("--threads", threads, "threads to use (default: $SSTER_THREADS or all cores)");
}
inline void apply_threads(int threads) {
  if (threads > 0) set_threads(threads);
}

}  // namespace sster::cli
