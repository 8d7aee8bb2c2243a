#pragma once
// Reads MEME motif files (plain or gzip) as MEME, Tomtom, JASPAR
// (jaspar2meme), HOCOMOCO and pysster write them: the minimal format
//   MEME version 4
//   ALPHABET= ACGT                      or an ALPHABET ... END ALPHABET block
//   strands: + -
//   Background letter frequencies (...)
//   A 0.25 C 0.25 G 0.25 T 0.25
//   MOTIF id [alt]
//   letter-probability matrix: alength= 4 w= 6 nsites= 20 E= 0
//   (w rows of alength probabilities)
//   URL http://...
// and the motif sections of MEME's full text output. As MEME's own reader:
// lines it does not know are skipped, "log-odds matrix" blocks are skipped,
// a row may be off 1 by up to 0.1 and is then rescaled to sum 1 (rows within
// 1e-5 of 1 are kept as written). Anything else that is wrong — no
// "MEME version" line, a row with the wrong number of values, a negative
// value, fewer or more rows than w=, an alength= that does not fit the
// alphabet — is an Error naming the file, the line and what was expected.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/pwm.hpp"
#include "sster/data/line_reader.hpp"

namespace sster {

struct MemeFile {
  std::string alphabet;            // core letters in the matrices' column order, e.g. "ACGT"
  std::string complement;          // the complement of each letter ("TGCA"); empty when there is none
  bool both_strands = true;        // "strands: + -" (false for "strands: +")
  std::vector<double> background;  // frequency of each letter; uniform when the file gives none
  std::vector<Pwm> motifs;
};

namespace detail {

inline constexpr std::string_view meme_protein = "ACDEFGHIKLMNPQRSTVWY";

inline bool meme_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

inline std::string_view meme_trim(std::string_view s) {
  while (!s.empty() && meme_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && meme_space(s.back())) s.remove_suffix(1);
  return s;
}

inline std::vector<std::string_view> meme_tokens(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && meme_space(s[i])) ++i;
    const std::size_t from = i;
    while (i < s.size() && !meme_space(s[i])) ++i;
    if (i > from) out.push_back(s.substr(from, i - from));
  }
  return out;
}

// A whole token as a number ("0.25", "1e-05", "+3"), or nothing.
inline std::optional<double> meme_number(std::string_view t) {
  if (!t.empty() && t[0] == '+') t.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc{} || end != t.data() + t.size()) return std::nullopt;
  return v;
}

// Every token of the line as a number, or nothing when one is not.
inline std::optional<std::vector<double>> meme_numbers(std::string_view line) {
  std::vector<double> out;
  for (auto t : meme_tokens(line)) {
    const auto v = meme_number(t);
    if (!v) return std::nullopt;
    out.push_back(*v);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

inline bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

// MEME orders core symbols A-Z, a-z, 0-9, then '*', '-', '.'.
inline int meme_symbol_rank(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return 26 + (c - 'a');
  if (c >= '0' && c <= '9') return 52 + (c - '0');
  if (c == '*') return 62;
  if (c == '-') return 63;
  return 64;  // '.'
}

inline bool meme_symbol(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '*' || c == '-' || c == '.' || c == '?';
}

inline std::string standard_complement(std::string_view alphabet) {
  if (alphabet == "ACGT") return "TGCA";
  if (alphabet == "ACGU") return "UGCA";
  return {};
}

// "key= value key=value key =value" pairs of a matrix header line.
inline std::vector<std::pair<std::string, std::string>> meme_key_values(std::string_view s) {
  std::string spaced;
  for (char c : s) {
    if (c == '=') spaced += " = ";
    else spaced += c;
  }
  const auto t = meme_tokens(spaced);
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i + 2 < t.size(); ++i)
    if (t[i + 1] == "=" && t[i] != "=" && t[i + 2] != "=") out.emplace_back(std::string(t[i]), std::string(t[i + 2]));
  return out;
}

class MemeParser {
 public:
  explicit MemeParser(std::string name) : name_(std::move(name)) {}

  void line(std::string_view raw, index_t number) {
    line_ = number;
    const std::string_view s = meme_trim(raw);
    switch (state_) {
      case State::alphabet_block: alphabet_block_line(s); return;
      case State::background:
        if (background_line(s)) return;
        break;
      case State::probabilities:
        if (probability_line(s)) return;
        break;
      case State::after_probabilities:
        if (s.empty() || s[0] == '#') return;
        if (meme_numbers(s))
          fail("a row of numbers after the " + std::to_string(rows_wanted_) + " rows of motif '" + motif().id +
               "' (w= " + std::to_string(rows_wanted_) + "); expected w= to count every row");
        state_ = State::motif;
        break;
      case State::log_odds:
        if (log_odds_line(s)) return;
        break;
      default: break;
    }
    if (s.empty() || s[0] == '#') return;
    if (state_ == State::before_version) return before_version_line(s);
    keyword_line(s);
  }

  MemeFile finish() {
    if (state_ == State::before_version)
      throw Error(name_ + ": no 'MEME version' line; expected a MEME motif file");
    if (state_ == State::alphabet_block) fail("the file ends inside the ALPHABET block; expected 'END ALPHABET'");
    if (state_ == State::probabilities && (rows_wanted_ > 0 || rows_ == 0))
      fail("the file ends after " + std::to_string(rows_) + " rows of motif '" + motif().id + "'; expected " +
           (rows_wanted_ > 0 ? "w= " + std::to_string(rows_wanted_) + " rows" : std::string("at least one row")));
    if (state_ == State::background) {
      if (background_.empty() || (!file_.alphabet.empty() && ssize(background_) < ssize(file_.alphabet)))
        fail("the file ends inside the background frequencies; expected one for each letter");
      if (file_.alphabet.empty()) infer_background_alphabet();
    }
    close_motif();
    finish_background();
    return std::move(file_);
  }

 private:
  enum class State { before_version, header, alphabet_block, background, motif, probabilities, after_probabilities, log_odds };

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(name_ + " line " + std::to_string(line_) + ": " + what);
  }
  Pwm& motif() { return file_.motifs.back(); }

  void before_version_line(std::string_view s) {
    if (starts_with_nocase(s, "MEME version")) {
      const auto t = meme_tokens(s);
      if (t.size() < 3 || !std::isdigit(static_cast<unsigned char>(t[2][0])))
        fail("'" + std::string(s.substr(0, 40)) + "': expected 'MEME version <number>'");
      state_ = State::header;
      return;
    }
    if (motif_intro(s) || alphabet_intro(s) || matrix_intro(s, "letter"))
      fail("'" + std::string(s.substr(0, 40)) + "' before any 'MEME version' line; expected a MEME motif file");
  }

  void keyword_line(std::string_view s) {
    if (alphabet_intro(s)) return alphabet_line(s);
    if (starts_with_nocase(s, "strands") && meme_trim(s.substr(7)).starts_with(':')) return strands_line(s);
    if (starts_with_nocase(s, "Background letter frequencies")) {
      require_header("background frequencies");
      if (!background_.empty()) fail("a second 'Background letter frequencies' section");
      state_ = State::background;
      return;
    }
    if (motif_intro(s)) return motif_line(s);
    if (matrix_intro(s, "letter")) return probabilities_header(s);
    if (matrix_intro(s, "log")) return log_odds_header(s);
    if (s.size() > 3 && s.substr(0, 3) == "URL" && meme_space(s[3]) && !file_.motifs.empty()) {
      motif().url = std::string(meme_trim(s.substr(3)));
      return;
    }
    // anything else (MEME's sites, block diagrams, comments in prose) is not ours to read
  }

  void require_header(const char* what) {
    if (!file_.motifs.empty()) fail(std::string(what) + " after the first MOTIF; expected them in the header");
  }

  // --- header

  // "ALPHABET= ACGT", or the first line of a block: ALPHABET ["name"] [DNA-LIKE]
  static bool alphabet_intro(std::string_view s) {
    if (!starts_with_nocase(s, "ALPHABET")) return false;
    const std::string_view rest = meme_trim(s.substr(8));
    if (!rest.empty() && rest[0] == '=') return true;
    if (s.size() > 8 && !meme_space(s[8])) return false;
    const auto t = meme_tokens(rest);
    return rest.empty() || rest[0] == '"' || (t.size() == 1 && t[0].size() > 5 && starts_with_nocase(t[0].substr(t[0].size() - 5), "-LIKE"));
  }

  void alphabet_line(std::string_view s) {
    require_header("an alphabet");
    if (!file_.alphabet.empty()) fail("a second alphabet; the file already has '" + file_.alphabet + "'");
    std::string_view rest = meme_trim(s.substr(8));
    if (!rest.empty() && rest[0] == '=') {
      const auto t = meme_tokens(rest.substr(1));
      if (t.size() != 1) fail("'" + std::string(s) + "': expected 'ALPHABET= <letters>'");
      set_alphabet(std::string(t[0]), standard_complement(t[0]));
      return;
    }
    state_ = State::alphabet_block;  // ALPHABET "name" DNA-LIKE ... END ALPHABET
  }

  void set_alphabet(std::string letters, std::string complement) {
    if (letters.size() < 2) fail("alphabet '" + letters + "': expected at least 2 letters");
    for (std::size_t i = 0; i < letters.size(); ++i) {
      if (!meme_symbol(letters[i])) fail("alphabet '" + letters + "': '" + letters.substr(i, 1) + "' is not a letter");
      if (letters.find(letters[i]) != i) fail("alphabet '" + letters + "' repeats '" + letters.substr(i, 1) + "'");
    }
    file_.alphabet = std::move(letters);
    file_.complement = std::move(complement);
  }

  // One line of an ALPHABET block: "A", "A ~ T", "A "Adenine" CC0000 ~ T ...",
  // "N "Any base" = ACGT" (ambiguous: not a column), or "END ALPHABET".
  void alphabet_block_line(std::string_view s) {
    std::string plain;  // without the comment and the quoted names
    bool quoted = false;
    for (char c : s) {
      if (c == '"') quoted = !quoted;
      else if (!quoted && c == '#') break;
      else if (!quoted) plain += (c == '~' || c == '=') ? std::string(" ") + c + " " : std::string(1, c);
    }
    const auto t = meme_tokens(plain);
    if (t.empty()) return;
    if (t.size() == 2 && starts_with_nocase(t[0], "END") && starts_with_nocase(t[1], "ALPHABET")) return end_alphabet();
    if (t[0].size() != 1 || !meme_symbol(t[0][0])) fail("alphabet symbol '" + std::string(t[0]) + "': expected one letter");
    if (std::find(t.begin(), t.end(), "=") != t.end()) return;  // an ambiguous symbol or alias
    add_core(t[0][0]);
    const auto tilde = std::find(t.begin(), t.end(), "~");
    if (tilde == t.end()) return;
    if (tilde + 1 == t.end() || tilde[1].size() != 1 || !meme_symbol(tilde[1][0]))
      fail("'" + std::string(s) + "': expected a symbol after '~'");
    add_core(tilde[1][0]);
    pairs_.emplace_back(t[0][0], tilde[1][0]);
  }
  void add_core(char c) {
    if (core_.find(c) != std::string::npos) fail("the ALPHABET block defines '" + std::string(1, c) + "' twice");
    core_ += c;
  }
  void end_alphabet() {
    std::string letters = core_;
    std::stable_sort(letters.begin(), letters.end(),
                     [](char a, char b) { return meme_symbol_rank(a) < meme_symbol_rank(b); });
    std::string complement;
    for (char c : letters)
      for (const auto& [a, b] : pairs_)
        if (c == a || c == b) complement += c == a ? b : a;
    if (complement.size() != letters.size()) complement.clear();  // some letter has no complement
    set_alphabet(std::move(letters), std::move(complement));
    state_ = State::header;
  }

  void strands_line(std::string_view s) {
    const std::size_t colon = s.find(':');
    const std::string_view v = s.substr(colon + 1);
    if (v.find_first_not_of("+- \t") != std::string_view::npos)
      fail("'" + std::string(s) + "': expected 'strands: +' or 'strands: + -'");
    if (!meme_trim(v).empty()) file_.both_strands = v.find('-') != std::string_view::npos;
  }

  // Letter-frequency pairs "A 0.25 C 0.25 ..." on one or more lines; false
  // when the line is not such pairs (the section ended).
  bool background_line(std::string_view s) {
    if ((s.empty() && background_.empty()) || (!s.empty() && s[0] == '#')) return true;
    const auto t = meme_tokens(s);
    const bool pairs = !t.empty() && t.size() % 2 == 0 && t[0].size() == 1 && !meme_number(t[0]);
    if (!pairs) {
      if (file_.alphabet.empty() && !background_.empty()) {
        infer_background_alphabet();
        state_ = State::header;
        return false;
      }
      fail("background frequencies: '" + std::string(s.substr(0, 40)) + "'; expected pairs like 'A 0.25 C 0.25'");
    }
    for (std::size_t i = 0; i < t.size(); i += 2) {
      const auto v = meme_number(t[i + 1]);
      if (t[i].size() != 1 || !v || !std::isfinite(*v) || *v < 0)
        fail("background frequency '" + std::string(t[i]) + " " + std::string(t[i + 1]) +
             "': expected a letter and a frequency >= 0");
      if (background_letters_.find(t[i][0]) != std::string::npos)
        fail("background frequencies give '" + std::string(t[i]) + "' twice");
      background_letters_ += t[i][0];
      background_.push_back(*v);
    }
    if (!file_.alphabet.empty() && ssize(background_) >= ssize(file_.alphabet)) state_ = State::header;
    return true;
  }
  void infer_background_alphabet() {
    std::string letters = background_letters_;
    std::stable_sort(letters.begin(), letters.end(),
                     [](char a, char b) { return meme_symbol_rank(a) < meme_symbol_rank(b); });
    set_alphabet(letters, standard_complement(letters));
  }
  // The background in alphabet order, normalised (uniform when the file has none).
  void finish_background() {
    const std::size_t k = file_.alphabet.size();
    if (background_.empty()) {
      file_.background.assign(k, k == 0 ? 0.0 : 1.0 / static_cast<double>(k));
      return;
    }
    if (background_letters_.size() != k || !std::is_permutation(background_letters_.begin(), background_letters_.end(),
                                                                file_.alphabet.begin()))
      throw Error(name_ + ": the background frequencies are for '" + background_letters_ + "', expected one for each of '" +
                  file_.alphabet + "'");
    double sum = 0;
    for (double v : background_) sum += v;
    if (!(std::abs(sum - 1) <= 0.1))
      throw Error(name_ + ": the background frequencies sum to " + std::to_string(sum) + "; expected 1");
    file_.background.assign(k, 0.0);
    for (std::size_t i = 0; i < k; ++i) file_.background[file_.alphabet.find(background_letters_[i])] = background_[i] / sum;
  }

  // --- motifs

  // "MOTIF id [alt] ..." or "BL   MOTIF id ..."
  static bool motif_intro(std::string_view s) {
    if (s.size() > 2 && s.substr(0, 2) == "BL" && meme_space(s[2])) s = meme_trim(s.substr(2));
    return s.size() >= 5 && s.substr(0, 5) == "MOTIF" && (s.size() == 5 || meme_space(s[5]));
  }
  static bool matrix_intro(std::string_view s, std::string_view first) {
    if (!starts_with_nocase(s, first)) return false;
    std::string squeezed;
    for (char c : s.substr(0, s.find(':')))
      if (!meme_space(c)) squeezed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s.find(':') != std::string_view::npos &&
           (squeezed == "letter-probabilitymatrix" || squeezed == "log-oddsmatrix");
  }

  void motif_line(std::string_view s) {
    const bool bl = s.substr(0, 2) == "BL";
    if (bl) s = meme_trim(s.substr(2));
    const std::string_view rest = meme_trim(s.substr(5));
    const auto t = meme_tokens(rest);
    if (t.empty()) fail("MOTIF without a name; expected 'MOTIF <id> [<alternative name>]'");
    // MEME writes "MOTIF id ..." and "BL   MOTIF id ..." for one motif.
    if (!file_.motifs.empty() && motif().id == t[0] && bl != motif_started_bl_) return;
    close_motif();
    Pwm m;
    m.id = std::string(t[0]);
    if (t.size() > 1 && t[1].find('=') == std::string_view::npos) {
      const std::string_view after = meme_trim(rest.substr(to_size(t[1].data() + t[1].size() - rest.data())));
      if (after.empty() || after[0] != '=') m.alt = std::string(t[1]);  // "width = 15" is not a name
    }
    file_.motifs.push_back(std::move(m));
    motif_line_ = line_;
    motif_started_bl_ = bl;
    has_matrix_ = false;
    state_ = State::motif;
  }

  void close_motif() {
    if (file_.motifs.empty() || has_matrix_) return;
    throw Error(name_ + " line " + std::to_string(motif_line_) + ": motif '" + motif().id +
                "' has no letter-probability matrix");
  }

  // alength= and w= of a matrix header (0 when not given).
  std::pair<index_t, index_t> matrix_size(std::string_view header, const char* kind) {
    index_t alength = 0, w = 0;
    for (const auto& [key, value] : meme_key_values(header.substr(header.find(':') + 1))) {
      if (key != "alength" && key != "w" && key != "nsites") continue;
      const auto v = meme_number(value);
      if (!v || !std::isfinite(*v) || *v < 0 || (key != "nsites" && (*v != std::floor(*v) || *v < 1 || *v > 1e6)))
        fail(std::string(kind) + " matrix: " + key + "= " + value + "; expected a " +
             (key == "nsites" ? "number >= 0" : "whole number >= 1"));
      if (key == "alength") alength = static_cast<index_t>(*v);
      if (key == "w") w = static_cast<index_t>(*v);
      if (key == "nsites" && *v > 0 && std::string_view(kind) == "letter-probability") motif().nsites = *v;
    }
    return {alength, w};
  }

  void probabilities_header(std::string_view s) {
    if (file_.motifs.empty()) fail("a letter-probability matrix before any MOTIF line");
    if (has_matrix_) fail("a second letter-probability matrix for motif '" + motif().id + "'");
    const auto [alength, w] = matrix_size(s, "letter-probability");
    if (file_.alphabet.empty()) {
      if (alength == 4) set_alphabet("ACGT", "TGCA");
      else if (alength == 20) set_alphabet(std::string(meme_protein), {});
      else fail("alength= " + std::to_string(alength) + " and no ALPHABET line; expected alength= 4 (DNA) or 20 (protein)");
    }
    if (alength != 0 && alength != ssize(file_.alphabet))
      fail("alength= " + std::to_string(alength) + " but the alphabet '" + file_.alphabet + "' has " +
           std::to_string(file_.alphabet.size()) + " letters");
    motif().alphabet = file_.alphabet;
    has_matrix_ = true;
    rows_ = 0;
    rows_wanted_ = w;
    state_ = State::probabilities;
  }

  // A row of the probability matrix; false when the matrix ended (no w=).
  bool probability_line(std::string_view s) {
    const std::string_view what = s.substr(0, 40);
    if (s.empty() || s[0] == '#') {
      if (rows_wanted_ > 0 || rows_ == 0) return true;
      state_ = State::motif;
      return false;
    }
    const auto row = meme_numbers(s);
    if (!row) {
      if (rows_wanted_ > 0 || rows_ == 0)
        fail("'" + std::string(what) + "': expected row " + std::to_string(rows_ + 1) + " of motif '" + motif().id +
             "'" + (rows_wanted_ > 0 ? " (w= " + std::to_string(rows_wanted_) + ")" : std::string()));
      state_ = State::motif;
      return false;
    }
    add_row(*row);
    if (rows_wanted_ > 0 && rows_ == rows_wanted_) state_ = State::after_probabilities;
    return true;
  }

  void add_row(const std::vector<double>& row) {
    const index_t k = ssize(file_.alphabet);
    if (ssize(row) != k)
      fail(std::to_string(row.size()) + " values in row " + std::to_string(rows_ + 1) + " of motif '" + motif().id +
           "'; expected " + std::to_string(k) + ", one for each of '" + file_.alphabet + "'");
    double sum = 0;
    for (index_t j = 0; j < k; ++j) {
      const double v = at(row, j);
      if (!std::isfinite(v) || v < 0)
        fail("probability " + std::to_string(v) + " in row " + std::to_string(rows_ + 1) + " of motif '" + motif().id +
             "'; expected a number from 0 to 1");
      sum += v;
    }
    if (!(std::abs(sum - 1) <= 0.1))
      fail("row " + std::to_string(rows_ + 1) + " of motif '" + motif().id + "' sums to " + std::to_string(sum) +
           "; expected probabilities that sum to 1");
    // MEME's normalize_motif: rows within 1e-5 of 1 stay as written.
    const bool keep = std::abs(sum - 1) <= 1e-5;
    for (double v : row) motif().p.push_back(keep ? v : v / sum);
    ++rows_;
  }

  void log_odds_header(std::string_view s) {
    if (file_.motifs.empty()) fail("a log-odds matrix before any MOTIF line");
    rows_ = 0;
    rows_wanted_ = matrix_size(s, "log-odds").second;
    state_ = State::log_odds;
  }
  // Log-odds rows are skipped: sster reads probabilities only.
  bool log_odds_line(std::string_view s) {
    if (s.empty() || s[0] == '#') return true;
    if (meme_numbers(s) && (rows_wanted_ == 0 || rows_ < rows_wanted_)) {
      ++rows_;
      return true;
    }
    state_ = State::motif;
    return false;
  }

  std::string name_;
  State state_ = State::before_version;
  index_t line_ = 0;
  MemeFile file_;
  std::string core_;                       // ALPHABET block: core symbols in file order
  std::vector<std::pair<char, char>> pairs_;  // and their complements
  std::string background_letters_;
  std::vector<double> background_;
  index_t motif_line_ = 0;
  bool motif_started_bl_ = false;
  bool has_matrix_ = false;
  index_t rows_ = 0, rows_wanted_ = 0;
};

}  // namespace detail

// The motifs of MEME text; `name` stands for the file in error messages.
inline MemeFile parse_meme(std::string_view text, const std::string& name = "MEME text") {
  detail::MemeParser parser(name);
  index_t number = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    parser.line(text.substr(0, nl), ++number);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return parser.finish();
}

// The motifs of a MEME file, plain or gzip-compressed.
inline MemeFile read_meme(const std::filesystem::path& path) {
  LineReader reader(path.string());
  detail::MemeParser parser(path.string());
  std::string_view line;
  while (reader.next(line)) parser.line(line, reader.line_number());
  return parser.finish();
}

}  // namespace sster
