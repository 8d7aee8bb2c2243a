#pragma once
// Options shared by the subcommands: which files hold the data, their extra
// inputs, how they split and whether they are folded first (DataArgs), and a
// model with labelled data to evaluate or explain it on (ModelDataArgs).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "cli/fold_input.hpp"
#include "cli/input_files.hpp"
#include "cli/split_choice.hpp"
#include "sster/data/dataset.hpp"
#include "sster/dist/job_error.hpp"
#include "sster/metrics/report.hpp"
#include "sster/model/model.hpp"

namespace sster::cli {

// "dna", "rna" or "protein" as the first record of `file` looks: U means
// RNA, letters beyond ACGTN protein.
inline std::string detect_alphabet(const std::string& file, const std::string& structure, bool profile) {
  FastaReader reader(file,
                     structure.empty() ? FastaFormat::sequence
                     : profile         ? FastaFormat::sequence_profile
                                       : FastaFormat::sequence_structure,
                     profile ? std::ssize(structure) : 0);
  FastaRecord rec;
  require(reader.next(rec), file + ": no records");
  std::string letters = "dna";
  for (char c : rec.sequence) {
    const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (u == 'U') letters = "rna";
    if (std::string("ACGTUN").find(u) == std::string::npos) return "protein";
  }
  return letters;
}

// "dna", "rna", "protein", or the letters themselves; "auto" detects the
// alphabet of every file, which must agree.
inline Alphabet parse_alphabet(const std::string& name, const std::string& structure,
                               const std::vector<std::string>& files, bool profile = false) {
  std::string letters = name;
  if (name == "auto") {
    letters = detect_alphabet(files.front(), structure, profile);
    for (std::size_t f = 1; f < files.size(); ++f) {
      const std::string other = detect_alphabet(files[f], structure, profile);
      require(other == letters, files[f] + ": its first sequence looks like " + other + ", but " + files.front() +
                                    " looks like " + letters + "; every file needs the same alphabet (or give --alphabet)");
    }
  }
  if (letters == "dna") letters = alphabet::dna().sequence();
  else if (letters == "rna") letters = alphabet::rna().sequence();
  else if (letters == "protein") letters = alphabet::protein().sequence();
  return Alphabet(letters, structure);
}

// Class names from the files, as Data::from_fasta makes them: each file's
// name without extensions, or class_<i> when two would be the same.
inline std::vector<std::string> class_names_of(const std::vector<std::string>& files) {
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(sster::detail::class_name_from_file(f));
  if (std::set<std::string>(names.begin(), names.end()).size() == names.size()) return names;
  for (std::size_t c = 0; c < names.size(); ++c) names[c] = "class_" + std::to_string(c);
  return names;
}

// Where the records come from and how they are split. Records are read in
// the order --class files (or --multilabel), then --val, then --test files.
// Without --val/--test: a seeded random 70/15/15 split (or --split FILE).
// With them, the given files are the validation / test group and the
// --class records fill the rest: with both, they all train; with only --val
// they split 85/15 into train/test; with only --test, 85/15 into train/val.
struct DataArgs {
  static constexpr double held_out_train_fraction = 0.85;

  std::vector<std::string> class_files;
  std::string multilabel_file;
  std::vector<std::string> val_files, test_files;
  index_t classes = 0;
  std::string alphabet = "auto";
  std::string structure;
  std::string split_file;
  bool pad = false;
  bool structure_profile = false;
  bool no_class_weights = false;
  std::uint64_t split_seed = 42;
  // Folding plain RNA first (fold_input.hpp): --fold and --fold-span, or a
  // model's fold settings (fold_settings, FoldSpec's text).
  std::string fold_mode, fold_settings;
  index_t fold_span = 0;
  bool quiet = false;  // no folding messages or progress
  std::string files_option = "--class";  // the option naming the class files
  std::string split_fractions;              // "TRAIN,VAL" as given; sets the two below
  double train_fraction = 0.7, val_fraction = 0.15;
  std::string class_names = "files";        // or "index": class_0, class_1, ... (pysster)
  std::string unknown_structure = "error";  // or "random" (pysster)
  InputFiles inputs;

  // training: also the split options. files_option: "--class", or another
  // name where --class means something else (sster attribute's target class).
  void add_to(CLI::App* cmd, bool training, const std::string& files = "--class") {
    files_option = files;
    cmd->add_option(files, class_files, "FASTA file of one class (plain or gzip); repeat, class order = file order");
    cmd->add_option("--multilabel", multilabel_file, "one FASTA file with class indices in the headers (e.g. >0,2)");
    cmd->add_option("--classes", classes, "number of classes of --multilabel");
    cmd->add_option("--alphabet", alphabet, "dna, rna, protein, the letters themselves, or auto")->capture_default_str();
    cmd->add_option("--structure", structure, "structure letters after each sequence line, e.g. '().' or 'FHIMST'");
    cmd->add_flag("--structure-profile", structure_profile,
                  "the structure is a profile: one line of probabilities per --structure letter after each "
                  "sequence (pysster's structure_pwm files, sster fold --profile)");
    cmd->add_option("--unknown-structure", unknown_structure,
                    "a structure letter outside --structure: an error, or replaced by a random letter (seeded by "
                    "--split-seed), as pysster does")
        ->check(CLI::IsMember({"error", "random"}))
        ->capture_default_str();
    cmd->add_flag("--pad", pad, "pad shorter sequences at the end instead of rejecting unequal lengths");
    add_fold_options(cmd, training);
    inputs.add_to(cmd, training);
    if (!training) return;
    cmd->add_option("--class-names", class_names,
                    "name the classes after their files, or by index (class_0, class_1, ... as pysster); kept in the model")
        ->check(CLI::IsMember({"files", "index"}))
        ->capture_default_str();
    cmd->add_option("--split", split_file, "split file (one train/val/test per record) instead of a random 70/15/15");
    add_held_out_options(cmd);
    add_seed_options(cmd);
    cmd->add_flag("--no-class-weights", no_class_weights, "weight every class equally in the loss");
  }

  void add_seed_options(CLI::App* cmd) {
    cmd->add_option("--split-seed", split_seed, "seed of the random split")->capture_default_str();
    cmd->add_option("--split-fractions", split_fractions,
                    "TRAIN,VAL: the random split's training and validation shares (e.g. 0.6,0.2; the test group "
                    "gets the rest), as pysster's train_val_test_split; default 0.7,0.15");
  }

  // The split rule, for a subcommand's --help.
  static constexpr const char* split_help =
      "Split: records are read --class files (or --multilabel) first, then --val, then --test files. Without "
      "--val/--test they split at random 70/15/15 into train/val/test (--split-seed), or as --split FILE says. "
      "With --val and --test, those files are the validation and test groups and every --class record trains; "
      "with only --val, the --class records split 85/15 into train/test; with only --test, 85/15 into train/val.";

  void add_fold_options(CLI::App* cmd, bool training) {
    cmd->add_option("--fold", fold_mode,
                    std::string("fold plain RNA files first (cached next to them): 'annotate' (the default) reads "
                                "the MFE structure as pysster's contexts FHIMST, 'profile' RNAplfold's structure "
                                "profiles (-W 70 -L 70; letters from --structure, default FHIMST)") +
                        (training ? "; the model remembers it, and predict, report and motifs fold new input the same way"
                                  : "; default: as the model was trained (give --structure to read structures from "
                                    "the files instead)"))
        ->expected(0, 1)
        ->default_str("annotate")
        ->check(CLI::IsMember({"annotate", "profile"}));
    cmd->add_option("--fold-span", fold_span,
                    "with --fold: the largest base-pair span (local folding, for long RNAs); with profile "
                    "RNAplfold's L (then W = max(70, L))");
  }

  // The fold settings of --fold/--fold-span or a model; none without either.
  std::optional<FoldSpec> fold_spec() const {
    require(fold_span == 0 || !fold_mode.empty(), "--fold-span needs --fold");
    if (fold_mode.empty()) return fold_settings.empty() ? std::nullopt : std::optional(FoldSpec::parse(fold_settings, "the model's fold settings"));
    FoldSpec spec;
    spec.profile = fold_mode == "profile";
    spec.span = fold_span;
    if (!structure.empty()) spec.letters = structure;
    spec.check("--fold " + fold_mode);
    return spec;
  }

  void add_held_out_options(CLI::App* cmd) {
    const std::string& f = files_option;
    cmd->add_option("--val", val_files,
                    "validation sequences: one FASTA file per " + f + ", in " + f + " order (repeat), or one "
                    "multi-label file with --multilabel. The " + f + " records then split 85/15 into train/test, or "
                    "all train if --test is given too");
    cmd->add_option("--test", test_files,
                    "test sequences, given like --val. The " + f + " records then split 85/15 into train/val, or all "
                    "train if --val is given too");
  }

  // model: encode the extra inputs as the model's training data was; without
  // one, fit their encodings on these records.
  Data load(const ModelInfo* model = nullptr) const {
    require(class_files.empty() != multilabel_file.empty(), "give either " + files_option + " files or one --multilabel file");
    const bool multilabel = !multilabel_file.empty();
    const std::size_t per_group = multilabel ? 1 : class_files.size();
    for (const auto* given : {&val_files, &test_files}) {
      const std::string option = given == &val_files ? "--val" : "--test";
      const std::string count = std::to_string(given->size()) + (given->size() == 1 ? " file" : " files");
      if (multilabel)
        require(given->size() <= 1, option + ": " + count + " given; with --multilabel give one multi-label FASTA file");
      else
        require(given->empty() || given->size() == per_group,
                option + ": " + count + " given for " + std::to_string(class_files.size()) +
                    " " + files_option + " files; give one per class, in " + files_option + " order");
    }
    const bool held_out = !val_files.empty() || !test_files.empty();
    require(split_file.empty() || !held_out, "--split assigns every record a group; it cannot be combined with --val or --test");
    std::vector<std::string> files = multilabel ? std::vector<std::string>{multilabel_file} : class_files;
    files.insert(files.end(), val_files.begin(), val_files.end());
    files.insert(files.end(), test_files.begin(), test_files.end());

    require(split_fractions.empty() || (split_file.empty() && !held_out),
            "--split-fractions sets the shares of a random split; --split, --val and --test give the groups instead");
    DataOptions o;
    o.seed = split_seed;
    o.pad = pad;
    o.class_weights = !no_class_weights;
    o.structure_profile = structure_profile;
    o.replace_unknown_structure = unknown_structure == "random";
    std::tie(o.train_fraction, o.val_fraction) =
        split_fractions.empty() ? std::pair(train_fraction, val_fraction) : parse_split_fractions(split_fractions);
    const auto fold = fold_spec();
    if (fold) {  // read the folded copies: sequences in ACGU, with structures or profiles
      for (auto& f : files) f = folded_input(f, *fold, quiet);
      o.structure_profile = fold->profile;
    }
    const Alphabet a = fold ? parse_alphabet(alphabet == "auto" ? "rna" : alphabet, fold->letters, files)
                            : parse_alphabet(alphabet, structure, files, structure_profile);
    Data d;
    if (multilabel) {
      d = Data::from_multilabel_fasta(files, classes, a, o);
    } else {
      std::vector<index_t> file_classes;  // --class, --val, --test files, each in class order
      for (std::size_t f = 0; f < files.size(); ++f) file_classes.push_back(static_cast<index_t>(f % per_group));
      d = Data::from_fasta(files, file_classes, a, o);
      if (fold) d.set_class_names(class_names_of(class_files));  // named after the inputs, not the copies
    }
    if (!split_file.empty()) d.load_split(split_file);
    if (held_out) {
      const auto& counts = d.file_records();
      auto records = [&](std::size_t from, std::size_t n) {
        return std::accumulate(counts.begin() + static_cast<std::ptrdiff_t>(from),
                               counts.begin() + static_cast<std::ptrdiff_t>(from + n), index_t{0});
      };
      const index_t val = records(per_group, val_files.size());
      const index_t test = records(per_group + val_files.size(), test_files.size());
      d.set_split(split_with_held_out(records(0, per_group), val_files.empty() ? std::nullopt : std::optional(val),
                                      test_files.empty() ? std::nullopt : std::optional(test),
                                      held_out_train_fraction, split_seed));
    }
    if (class_names == "index") d.set_class_names(default_class_names(d.classes()));  // pysster's class_0, ...
    if (model) inputs.add_as(d, *model);
    else inputs.add_fitted(d);
    return d;
  }

  // How load() split the records, for the model to keep.
  SplitRecipe split_recipe(const Data& d) const {
    SplitRecipe r{.seed = split_seed, .file_records = d.file_records()};
    if (!split_file.empty()) {
      r.kind = SplitRecipe::Kind::file;
      r.split_file = split_file;
      r.split_crc = split_crc32(d);
    } else if (!val_files.empty() || !test_files.empty()) {
      r.kind = SplitRecipe::Kind::held_out;
      r.train_fraction = held_out_train_fraction;
      r.val_files = std::ssize(val_files);
      r.test_files = std::ssize(test_files);
    } else {
      r.train_fraction = d.options().train_fraction;
      r.val_fraction = d.options().val_fraction;
    }
    return r;
  }
};

// The data of an MPI job's rank: every rank reads the files; with --fold,
// rank 0 folds them first, so that the others find the folds in the cache
// (a folder they share) instead of folding them again. Bad input is one
// JobError on every rank. Without MPI: args.load().
inline Data load_on_ranks(dist::Communicator& world, DataArgs& args, bool quiet) {
  args.quiet = quiet;
  std::optional<Data> data;
  const bool fold_first = world.distributed() && args.fold_spec().has_value();
  dist::run_together(world, [&] {
    if (world.root() || !fold_first) data.emplace(args.load());
  });
  dist::run_together(world, [&] {
    if (!data) data.emplace(args.load());
  });
  return std::move(*data);
}

// A model file and labelled data to evaluate or explain it on: the files,
// and which group of their records to use. The alphabet, structure letters,
// class count and extra inputs' encodings are the model's (and the folding,
// unless --structure or --fold say otherwise); the data must fit the model.
// Without --group: all records, or with test_by_default (report, predict)
// the model's test group when these are its training files split as in
// training (the model keeps how: SplitRecipe), with the model's split seed
// and fractions unless split options are given.
struct ModelDataArgs {
  std::string model_file;
  DataArgs data;
  std::string group;  // empty: as said above
  bool test_by_default = false;  // set before add_to
  std::vector<CLI::Option*> split_options;  // given: the model's split is not taken

  // model_required: false where the subcommand can do without a model
  // (motifs --from-seqlets); files: the option naming the class files.
  void add_to(CLI::App* cmd, bool model_required = true, const std::string& files = "--class") {
    auto* model = cmd->add_option("model", model_file, "model file (.sster)");
    if (model_required) model->required();
    data.add_to(cmd, false, files);
    cmd->add_option("--group", group,
                    std::string("records to use: all, or train/val/test of the split (the one training used with the "
                                "same files, --val/--test files and split options). Default: ") +
                        (test_by_default ? "test, when these are the files the model was trained on (it remembers "
                                           "how they were split), else all"
                                         : "all"))
        ->check(CLI::IsMember({"all", "train", "val", "test"}));
    split_options.push_back(cmd->add_option("--split", data.split_file, "split file (one train/val/test per record)"));
    data.add_held_out_options(cmd);
    data.add_seed_options(cmd);
    split_options.push_back(cmd->get_option("--split-seed"));
    split_options.push_back(cmd->get_option("--split-fractions"));
  }

  Model load_model() const { return Model::load(model_file); }

  // The data, read with the model's alphabet, class names and input
  // encodings (and folded as the model's training data was, unless
  // --structure or --fold say otherwise).
  Data load_data(const Model& m) {
    const auto& info = m.info();
    if (data.fold_mode.empty() && data.structure.empty()) data.fold_settings = info.fold;
    if (info.profile_channels > 0) data.structure_profile = true;
    if (data.alphabet == "auto") data.alphabet = info.alphabet.sequence();
    if (data.structure.empty()) data.structure = info.alphabet.structure();
    if (data.classes == 0) data.classes = info.classes();
    const bool split_given = std::any_of(split_options.begin(), split_options.end(), [](auto* o) { return o->count() > 0; });
    if (info.split && !split_given) adopt(*info.split);
    Data d = data.load(&info);
    require(d.classes() == info.classes(), "the model has " + std::to_string(info.classes()) + " classes, but " +
                                               std::to_string(d.classes()) + " class files were given");
    d.set_class_names(info.class_names);
    m.check_compatible(d);
    if (group.empty()) group = test_by_default ? default_group(d, info.split, data.split_recipe(d)) : "all";
    require(!d.indices(selected_group()).empty(), "the group '" + group + "' has no records");
    return d;
  }

  Group selected_group() const { return parse_group(group); }

 private:
  // The model's split seed and fractions, and its split file if it is still there.
  void adopt(const SplitRecipe& r) {
    data.split_seed = r.seed;
    if (r.kind == SplitRecipe::Kind::random) {
      data.train_fraction = r.train_fraction;
      data.val_fraction = r.val_fraction;
    }
    std::error_code ec;
    const bool held_out = !data.val_files.empty() || !data.test_files.empty();  // then not the training files
    if (r.kind == SplitRecipe::Kind::file && !held_out && std::filesystem::exists(r.split_file, ec))
      data.split_file = r.split_file;
  }
};

}  // namespace sster::cli
