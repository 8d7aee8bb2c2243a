#pragma once
// sster::write_file_atomic: output files appear whole or not at all. Bytes go to a
// temporary file in the target's folder (same file system, so the final rename is
// atomic), which is renamed over the target only after a successful write and close.
// On any failure the temporary file is removed and an sster::Error names the target.
// Targets that are not regular files (/dev/stdout, /dev/full, pipes) are written in
// place: renaming over a device would replace the device. No fsync: the rename
// protects against a crashing process, which is the failure that matters here.
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include <unistd.h>

#include "sster/core/error.hpp"

namespace sster {

namespace detail {

// Writes all bytes and closes; returns 0 or the errno of the first failure.
inline int write_and_close(std::FILE* f, std::string_view bytes) {
  int err = 0;
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) err = errno;
  if (std::fflush(f) != 0 && err == 0) err = errno;
  if (std::fclose(f) != 0 && err == 0) err = errno;
  return err == 0 ? 0 : err;
}

inline std::string errno_text(int err) { return err ? std::strerror(err) : "unknown error"; }

}  // namespace detail

inline void write_file_atomic(const std::filesystem::path& path, std::string_view bytes) {
  namespace fs = std::filesystem;
  const std::string name = path.string();
  require(!name.empty(), "cannot write a file with an empty name");
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  require(!fs::is_directory(st), "cannot write '" + name + "': it is a directory");
  if (fs::exists(st) && !fs::is_regular_file(st)) {
    std::FILE* f = std::fopen(name.c_str(), "wb");
    require(f != nullptr, "cannot write '" + name + "': " + detail::errno_text(errno));
    const int err = detail::write_and_close(f, bytes);
    require(err == 0, "cannot write '" + name + "': " + detail::errno_text(err));
    return;
  }
  static std::atomic<unsigned> counter{0};
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  // Built by appending: GCC 12 misreports `"literal" + std::string&&` (-Wrestrict, PR105329).
  std::string tmp_name = ".";
  tmp_name += path.filename().string();
  tmp_name += ".tmp-";
  tmp_name += std::to_string(::getpid());
  tmp_name += '-';
  tmp_name += std::to_string(counter++);
  const fs::path tmp = folder / tmp_name;
  // "x": never clobber an existing file of that name.
  std::FILE* f = std::fopen(tmp.c_str(), "wbx");
  require(f != nullptr, "cannot write '" + name + "': " + detail::errno_text(errno) + " (folder '" +
                            folder.string() + "')");
  const int err = detail::write_and_close(f, bytes);
  if (err != 0) {
    fs::remove(tmp, ec);
    throw Error("cannot write '" + name + "': " + detail::errno_text(err));
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw Error("cannot write '" + name + "': " + ec.message());
  }
}

}  // namespace sster
