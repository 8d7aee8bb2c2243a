#pragma once
// RNA secondary structure helpers (pysster.utils):
//   annotate_structure   dot-bracket -> structural context per position, as
//                        forgi's BulgeGraph.to_element_string().upper():
//                        S stem (paired), H hairpin loop, I interior loop or
//                        bulge, M multiloop and exterior-loop segments between
//                        stems, F unpaired 5' end, T unpaired 3' end.
//   annotate_structures  the same for a FASTA file of sequence + structure.
//   predict_structures   runs ViennaRNA's RNAfold (must be on PATH).
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/tensor.hpp"
#include "sster/data/fasta.hpp"
#include "sster/data/text_file.hpp"

namespace sster {

namespace detail {
inline char closing_bracket(char c) {
  switch (c) {
    case '(': return ')';
    case '[': return ']';
    case '{': return '}';
    case '<': return '>';
    default: return '\0';
  }
}
inline bool is_closing_bracket(char c) { return c == ')' || c == ']' || c == '}' || c == '>'; }

// `where` prefixes error messages ("file record 3 (line 7)").
inline std::string annotate_structure_at(std::string_view db, const std::string& where) {
  const std::size_t n = db.size();
  // Pass 1: partners and, for each opening position, how many pairs it directly encloses.
  std::vector<std::size_t> stack;
  std::vector<int> branches(n, 0);
  std::vector<bool> paired(n, false);
  std::size_t first_pair = n, last_pair = 0;
  for (std::size_t p = 0; p < n; ++p) {
    const char c = db[p];
    if (c == '.') continue;
    if (closing_bracket(c) != '\0') {
      if (!stack.empty()) ++branches[stack.back()];
      stack.push_back(p);
    } else if (is_closing_bracket(c)) {
      if (stack.empty())
        throw Error(where + ": '" + std::string(1, c) + "' at structure position " + std::to_string(p + 1) +
                    " closes no open bracket");
      if (closing_bracket(db[stack.back()]) != c)
        throw Error(where + ": '" + std::string(1, c) + "' at structure position " + std::to_string(p + 1) +
                    " does not match '" + std::string(1, db[stack.back()]) + "' at position " +
                    std::to_string(stack.back() + 1) + " (pseudoknots are not supported)");
      paired[stack.back()] = paired[p] = true;
      first_pair = std::min(first_pair, stack.back());
      last_pair = p;
      stack.pop_back();
    } else {
      throw Error(where + ": '" + std::string(1, c) + "' at structure position " + std::to_string(p + 1) +
                  " is not a dot-bracket character (expected '.', '(', ')', '[', ']', '{', '}', '<', '>')");
    }
  }
  if (!stack.empty())
    throw Error(where + ": '" + std::string(1, db[stack.back()]) + "' at structure position " +
                std::to_string(stack.back() + 1) + " is never closed");
  // Pass 2: the loop an unpaired position lies in is closed by the innermost open pair.
  std::string out(n, 'S');
  for (std::size_t p = 0; p < n; ++p) {
    const char c = db[p];
    if (paired[p]) {
      if (closing_bracket(c) != '\0') stack.push_back(p);
      else stack.pop_back();
      continue;
    }
    if (stack.empty()) out[p] = p < first_pair ? 'F' : p > last_pair ? 'T' : 'M';
    else {
      const int b = branches[stack.back()];
      out[p] = b == 0 ? 'H' : b == 1 ? 'I' : 'M';
    }
  }
  return out;
}

// Python's str(float) for the energies RNAfold reports ("-3.3", "0.0").
inline std::string python_float(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}
}  // namespace detail

inline std::string annotate_structure(std::string_view dot_bracket) {
  return detail::annotate_structure_at(dot_bracket, "structure");
}

// Reads records of sequence + dot-bracket (RNAfold output, energies allowed)
// and writes ">name\nsequence\nANNOTATION\n" per record (gzip if the output
// name ends in .gz). Nothing is written if any record is malformed.
inline void annotate_structures(const std::string& input, const std::string& output) {
  FastaReader reader(input, FastaFormat::sequence_structure);
  FastaRecord rec;
  std::string text;
  while (reader.next(rec)) {
    const std::string annot = detail::annotate_structure_at(rec.structure, reader.where(rec, rec.structure_lines.front().second));
    text += '>';
    text += rec.name;
    text += '\n';
    text += rec.sequence;
    text += '\n';
    text += annot;
    text += '\n';
  }
  write_text_file(output, text);
}

// The full path of an executable found on PATH, or "".
inline std::string find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (!path) return "";
  std::string_view rest(path);
  while (true) {
    const auto colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/" + name;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return "";
}

// Predicts the minimum free energy structure of every sequence with RNAfold
// and writes pysster's format: ">name\nSEQ\n((..)) (-3.3)\n", or with
// annotate ">name\nSEQ\nSSHHSS\n". Throws if RNAfold is not on PATH.
inline void predict_structures(const std::string& input, const std::string& output, bool annotate = false) {
  const std::string rnafold = find_program("RNAfold");
  if (rnafold.empty())
    throw Error("predict_structures needs the RNAfold program of the ViennaRNA package, but RNAfold is not on "
                "PATH; install ViennaRNA (e.g. 'apt install vienna-rna' or 'conda install -c bioconda viennarna')");
  FastaReader reader(input);
  FastaRecord rec;
  std::vector<std::string> names, sequences;
  std::string lines;
  while (reader.next(rec)) {
    names.push_back(rec.name);
    sequences.push_back(rec.sequence);
    lines += rec.sequence;
    lines += '\n';
  }
  // RNAfold reads the sequences from a temporary file, one per line (no headers,
  // so it neither renames records nor writes files named after them).
  const auto tmp_dir = std::filesystem::temp_directory_path();
  std::string tmp = (tmp_dir / "sster-rnafold-XXXXXX").string();
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw Error("predict_structures: cannot create a temporary file in " + tmp_dir.string());
  struct Remove {
    std::string path;
    ~Remove() { std::remove(path.c_str()); }
  } remove_tmp{tmp};
  const bool written = ::write(fd, lines.data(), lines.size()) == static_cast<ssize_t>(lines.size());
  ::close(fd);
  require(written, "predict_structures: cannot write the temporary file " + tmp);

  const std::string command = detail::shell_quote(rnafold) + " --noPS < " + detail::shell_quote(tmp);
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw Error("predict_structures: cannot run " + rnafold);
  std::string out;
  char buf[1 << 16];
  std::size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, got);
  const int status = ::pclose(pipe);
  if (status != 0)
    throw Error("predict_structures: " + rnafold + " failed (exit status " +
                std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : status) + ")");

  // Per sequence RNAfold prints the sequence and "structure ( energy)".
  std::vector<std::string_view> out_lines;
  for (std::size_t at = 0; at < out.size();) {
    auto nl = out.find('\n', at);
    if (nl == std::string::npos) nl = out.size();
    std::string_view l(out.data() + at, nl - at);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (!l.empty() && l.front() != '>') out_lines.push_back(l);
    at = nl + 1;
  }
  require(out_lines.size() == 2 * sequences.size(),
          "predict_structures: RNAfold printed " + std::to_string(out_lines.size()) + " lines for " +
              std::to_string(sequences.size()) + " sequences (expected 2 per sequence)");
  std::string text;
  for (std::size_t i = 0; i < sequences.size(); ++i) {
    const std::string_view line = out_lines[2 * i + 1];
    const auto space = line.find(' ');
    const std::string structure(line.substr(0, space));
    const std::string where = fasta_location(input, static_cast<index_t>(i + 1), 0);
    require(structure.size() == sequences[i].size(),
            where + ": RNAfold returned a structure of length " + std::to_string(structure.size()) +
                " for a sequence of length " + std::to_string(sequences[i].size()));
    text += '>' + names[i] + '\n' + sequences[i] + '\n';
    if (annotate) {
      text += detail::annotate_structure_at(structure, where) + '\n';
      continue;
    }
    // The energy: the number inside the trailing parentheses.
    std::string_view e = space == std::string_view::npos ? std::string_view() : line.substr(space);
    while (!e.empty() && (e.front() == ' ' || e.front() == '(')) e.remove_prefix(1);
    while (!e.empty() && (e.back() == ' ' || e.back() == ')')) e.remove_suffix(1);
    double energy = 0;
    const auto [p, ec] = std::from_chars(e.data(), e.data() + e.size(), energy);
    require(ec == std::errc() && p == e.data() + e.size() && !e.empty(),
            where + ": cannot read the energy in RNAfold's output line " + quote_excerpt(line, 60));
    text += structure + " (" + detail::python_float(energy) + ")\n";
  }
  write_text_file(output, text);
}

}  // namespace sster
