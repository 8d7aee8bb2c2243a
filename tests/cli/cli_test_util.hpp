#pragma once
// Runs the sster binary in a scratch folder and captures what it prints.
#include <doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sster/core/index.hpp"

namespace sster::test {

struct RunResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

// Runs a shell command line; returns its exit code and what it writes to
// stdout (redirect stderr inside the command line to capture it too).
inline RunResult run_command(const std::string& command_line) {
  RunResult r;
  std::FILE* p = ::popen(command_line.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline RunResult run_sster(const std::string& args) { return run_command(std::string(SSTER_EXE) + " " + args + " 2>&1"); }

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The probability columns of a predict TSV, row by row (the header and the
// ids left out).
inline std::vector<std::vector<double>> predict_scores(const std::string& tsv) {
  std::istringstream in(tsv);
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    std::istringstream cells(line);
    std::string id;
    cells >> id;
    std::vector<double> row;
    double v;
    while (cells >> v) row.push_back(v);
    rows.push_back(row);
  }
  return rows;
}

// The lines of a bedGraph track.
struct BedGraphLine {
  std::string chrom;
  index_t start, end;
  double value;
};
inline std::vector<BedGraphLine> bedgraph(const std::string& text) {
  std::vector<BedGraphLine> out;
  std::istringstream in(text);
  BedGraphLine l;
  while (in >> l.chrom >> l.start >> l.end >> l.value) out.push_back(l);
  return out;
}

// A fresh folder under /tmp, removed when the test ends.
struct ScratchDir {
  std::filesystem::path path;
  explicit ScratchDir(const std::string& name)
      : path(std::filesystem::temp_directory_path() / ("sster-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~ScratchDir() { std::filesystem::remove_all(path); }
  std::string operator/(const std::string& f) const { return (path / f).string(); }
  // Writes `bytes` to the file `name` in the folder; returns its path.
  std::string write(const std::string& name, const std::string& bytes) const {
    const auto p = (path / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
};

}  // namespace sster::test
