#pragma once
// Files sster writes for Python tools (npz for TF-MoDISco), read back by
// numpy itself: Debian's Python with python3-numpy (tools/run installs it).
#include <doctest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace sster::test {

// Runs `script` with /usr/bin/python3; returns what it prints (stdout and
// stderr), and its exit status in *status if given.
inline std::string run_python(const std::string& script, int* status = nullptr) {
  namespace fs = std::filesystem;
  const fs::path file = fs::temp_directory_path() / ("sster-python-" + std::to_string(::getpid()) + ".py");
  std::ofstream(file) << script;
  std::FILE* p = ::popen(("/usr/bin/python3 " + file.string() + " 2>&1").c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int s = ::pclose(p);
  if (status) *status = s;
  fs::remove(file);
  return out;
}

}  // namespace sster::test
