// sster motifs: what the first-layer kernels of a model learned, on labelled
// FASTA files: pysster's visualize_all_kernels (motif, position and
// activation plots per kernel, summary.html sorted by score) plus
// motifs.meme, the kernels' motifs in score order named kernel_<i>. With
// --tomtom DATABASE.meme each kernel is also matched against a motif
// database (what pysster's run_tomtom asks the MEME suite for): its best
// match goes into summary.html and the table, all matches into tomtom.tsv.
// With --from-seqlets FILE instead of a model: the seqlets of sster
// attribute clustered into motifs (interpret/seqlet_motifs.hpp), as
// motifs.meme, a logo per motif and seqlet_motifs.tsv (which seqlet went
// where).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/common.hpp"
#include "cli/dir_option.hpp"
#include "cli/subcommands.hpp"
#include "cli/tomtom_options.hpp"
#include "sster/interpret/kernel_meme.hpp"
#include "sster/interpret/kernel_tomtom.hpp"
#include "sster/interpret/seqlet_motifs.hpp"
#include "sster/interpret/seqlet_tsv.hpp"
#include "sster/interpret/visualize_kernel.hpp"
#include "sster/io/meme.hpp"

namespace sster::cli {

namespace {

// One line per kernel, best score first. Which class a motif comes from
// matters: a kernel can just as well learn what marks the other class.
// `matches` (kernel order, may be empty): each kernel's best database match.
void print_kernel_table(const std::vector<KernelResult>& results, const Data& data, const std::vector<std::string>& matches) {
  std::size_t width = 5;
  for (const auto& c : data.class_names()) width = std::max(width, c.size());
  const int w = static_cast<int>(width);
  std::printf("%-6s %7s  %-*s %6s  %s%s\n", "kernel", "score", w, "class", "sites", "consensus",
              matches.empty() ? "" : "  best match");
  for (index_t k : order_by_score(results)) {
    const auto& r = at(results, k);
    std::string consensus = r.motif.sequence.consensus();
    if (r.motif.structure) consensus += "  " + r.motif.structure->consensus();
    if (!matches.empty()) consensus += "  " + (at(matches, k).empty() ? std::string("-") : at(matches, k));
    std::printf("%-6lld %7.3f  %-*s %6lld  %s\n", static_cast<long long>(k), r.score, w,
                at(data.class_names(), r.top_class).c_str(), static_cast<long long>(r.sites), consensus.c_str());
  }
}

// Each kernel's best match in `database` (kernel order; "" for none), and
// every match in <out>/tomtom.tsv.
std::vector<std::string> match_kernels(const std::vector<KernelResult>& results, const TomtomArgs& tomtom,
                                       const std::filesystem::path& out) {
  std::vector<std::string> best(results.size());
  std::vector<TomtomMatch> rows;
  for (auto& m : annotate_kernels(results, tomtom.database, tomtom.options())) {
    if (m.best)
      at(best, m.kernel) = m.best->target_id + " (" + m.best->orientation + ", p=" + tomtom_number(m.best->p_value) +
                           ", q=" + tomtom_number(m.best->q_value) + ")";
    rows.insert(rows.end(), m.matches.begin(), m.matches.end());
  }
  write_file_atomic(out / "tomtom.tsv", tomtom_tsv(rows, tomtom.comments()));
  return best;
}

// The letters of the seqlets: --alphabet if given, else the file's
// "alphabet=" comment, else as their letters look (DNA, RNA or protein).
std::string seqlet_alphabet(const SeqletFile& file, const std::string& option, const std::string& path) {
  if (option != "auto") return parse_alphabet(option, "", {}).sequence();
  if (!file.alphabet.empty()) return file.alphabet;
  std::string seen;
  for (const auto& s : file.seqlets) seen += s.sequence;
  if (seen.find_first_not_of("ACGTN") == std::string::npos) return alphabet::dna().sequence();
  if (seen.find_first_not_of("ACGUN") == std::string::npos) return alphabet::rna().sequence();
  require(seen.find_first_not_of(alphabet::protein().sequence()) == std::string::npos,
          path + ": the seqlets' letters are not DNA, RNA or protein; give --alphabet");
  return alphabet::protein().sequence();
}

void write_seqlet_motifs(const std::string& path, const std::string& alphabet_option, const SeqletMotifOptions& o,
                   const std::filesystem::path& out) {
  const SeqletFile file = read_seqlets(path);
  require(!file.seqlets.empty(), path + ": no seqlets");
  const std::string alphabet = seqlet_alphabet(file, alphabet_option, path);
  const auto motifs = cluster_seqlets(file.seqlets, alphabet, o);
  require(!motifs.empty(), path + ": no cluster of at least " + std::to_string(o.min_seqlets) + " of the " +
                               std::to_string(file.seqlets.size()) + " seqlets (try --min-seqlets)");
  create_folders(out);
  const auto pwms = seqlet_motif_pwms(motifs);
  save_as_meme(pwms, out / "motifs.meme");
  std::string members = "motif\trecord\tstart\tend\tstrand\tscore\n";
  std::printf("%-15s %8s %7s %10s  %s\n", "motif", "sign", "seqlets", "mean score", "consensus");
  for (std::size_t i = 0; i < motifs.size(); ++i) {
    const auto& m = motifs[i];
    m.motif.plot(out / (pwms[i].id + ".png"));
    std::printf("%-15s %8s %7zu %10.4g  %s\n", pwms[i].id.c_str(), m.sign > 0 ? "positive" : "negative",
                m.members.size(), m.mean_score, m.motif.consensus().c_str());
    for (const auto& p : m.members) {
      const Seqlet& s = file.seqlets[to_size(p.seqlet)];
      const char strand = p.reverse == (s.strand == '+') ? '-' : '+';  // on the motif's strand
      members += pwms[i].id + "\t" + s.record + "\t" + std::to_string(s.start) + "\t" + std::to_string(s.end) +
                 "\t" + strand + "\t" + std::to_string(s.score) + "\n";
    }
  }
  write_file_atomic(out / "seqlet_motifs.tsv", members);
  std::cerr << "seqlet motifs in " << (out / "motifs.meme").string()
            << " (MEME format: ready for Tomtom against a motif database)\n";
}

}  // namespace

void add_motifs(CLI::App& app) {
  struct Args {
    ModelDataArgs in;
    std::string dir;
    std::string seqlets;
    SeqletMotifOptions seqlet;
    bool single_strand = false;
    TomtomArgs tomtom;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("motifs", "motifs, positions and activations of every first-layer kernel; or "
                                           "the motifs of seqlets (--from-seqlets)");
  args->in.add_to(cmd, false);
  add_dir_option(cmd, args->dir, "folder for summary.html, motif/position/activations_kernel_<i>.png and motifs.meme",
                 "-o,--output", true);
  cmd->add_option("--from-seqlets", args->seqlets,
                  "a seqlet TSV of sster attribute --seqlets: cluster its seqlets into motifs instead (no model)");
  cmd->add_option("--min-seqlets", args->seqlet.min_seqlets, "--from-seqlets: fewest seqlets per motif")
      ->check(CLI::Range(1, 100000000))
      ->capture_default_str();
  cmd->add_option("--max-shift", args->seqlet.max_shift, "--from-seqlets: positions a seqlet may slide to join")
      ->check(CLI::Range(0, 50))
      ->capture_default_str();
  cmd->add_option("--min-similarity", args->seqlet.min_similarity,
                  "--from-seqlets: mean letter frequency a seqlet needs to join a motif")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_flag("--single-strand", args->single_strand,
                "--from-seqlets: DNA/RNA seqlets join only as given, not as reverse complements");
  cmd->add_option("--tomtom", args->tomtom.database,
                  "motif database (MEME format, e.g. JASPAR): each kernel's best Tomtom match in summary.html and the "
                  "table, every match in tomtom.tsv");
  args->tomtom.add_to(cmd, "--tomtom-");
  cmd->callback([args] {
    const std::filesystem::path out = args->dir;
    if (!args->seqlets.empty()) {
      require(args->in.model_file.empty(), "--from-seqlets reads seqlets, not a model: leave the model file out");
      args->seqlet.both_strands = !args->single_strand;
      write_seqlet_motifs(args->seqlets, args->in.data.alphabet, args->seqlet, out);
      return;
    }
    require(!args->in.model_file.empty(), "give a model file (or --from-seqlets FILE)");
    Model model = args->in.load_model();
    if (!args->tomtom.database.empty()) read_meme(args->tomtom.database);  // a bad database fails before the pictures
    const Data data = args->in.load_data(model);
    const auto results = visualize_all_kernels(model, data, args->in.selected_group(), out);
    save_kernel_memes(results, out);
    std::vector<std::string> matches;
    if (!args->tomtom.database.empty()) {
      matches = match_kernels(results, args->tomtom, out);
      write_kernel_summary(out, results, data, matches);
    }
    print_kernel_table(results, data, matches);
    std::cerr << "open " << (out / "summary.html").string() << "\n";
  });
}

}  // namespace sster::cli
