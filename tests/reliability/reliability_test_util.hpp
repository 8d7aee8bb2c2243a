#pragma once
// Helpers for the reliability tests: a file size limit that makes writes fail
// midway (as a full disk does), folder listings, and running the sster binary
// as a child process whose pid and resource use the test sees.
#include <doctest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "error_message.hpp"
#include "sster/core/error.hpp"

namespace sster::test {

// pysster's own test inputs in ../shared/data.
inline const std::string pysster_tests = std::string(SSTER_SHARED_DATA) + "/pysster-tests";

// Files of this process may not grow past `bytes`: a write past it fails with
// EFBIG, as on a full disk (SIGXFSZ, which would kill the process, is ignored).
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    ::getrlimit(RLIMIT_FSIZE, &old_);
    rlimit r = old_;
    r.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &r);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit old_{};
  void (*old_handler_)(int) = nullptr;
};

// Names of everything in a folder, sorted (temporary files start with '.').
inline std::vector<std::string> listing(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}


// The sster binary as a child process: its combined stdout/stderr is read
// through a pipe, and wait() reports its exit code and peak memory.
class Child {
 public:
  explicit Child(const std::vector<std::string>& args) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      ::dup2(fds[1], 2);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> argv;
      std::string exe = SSTER_EXE;
      argv.push_back(exe.data());
      std::vector<std::string> copy = args;
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(exe.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = ::fdopen(fds[0], "r");
    REQUIRE(out_ != nullptr);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (out_) std::fclose(out_);
    if (pid_ > 0 && !waited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  pid_t pid() const { return pid_; }
  // The next line of output (without '\n'); false at the end.
  bool line(std::string& text) {
    text.clear();
    int c;
    while ((c = std::fgetc(out_)) != EOF && c != '\n') text += static_cast<char>(c);
    return c != EOF || !text.empty();
  }
  // Reads the rest of the output, waits; returns the exit code (-1: killed by a signal).
  int wait(std::string* rest = nullptr) {
    std::string text;
    while (line(text))
      if (rest) *rest += text + "\n";
    int status = 0;
    rusage usage{};
    ::wait4(pid_, &status, 0, &usage);
    waited_ = true;
    peak_kib_ = usage.ru_maxrss;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  long peak_memory_kib() const { return peak_kib_; }

 private:
  pid_t pid_ = -1;
  std::FILE* out_ = nullptr;
  bool waited_ = false;
  long peak_kib_ = 0;
};

}  // namespace sster::test
