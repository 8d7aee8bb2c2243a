#pragma once
// Output files appear whole or not at all.
//   AtomicFile          streams into a hidden temporary file in the target's
//                       folder (same file system, so the final rename is atomic)
//                       and renames it over the target on commit(); without
//                       commit() (an error, an exception) the temporary file
//                       is removed and the target left untouched.
//   write_file_atomic   the same for bytes already in memory.
//   A library that writes a file by name writes staging_path() instead.
//   create_folders      an output folder and its parents.
// Any failure is an sster::Error naming the target. Targets that are not
// regular files (/dev/stdout, /dev/full, pipes) are written in place:
// renaming over a device would replace the device. No fsync: the rename
// protects against a crashing process, which is the failure that matters here.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include "sster/core/error.hpp"

namespace sster {

class AtomicFile {
 public:
  explicit AtomicFile(const std::filesystem::path& target) : path_(target.string()) {
    namespace fs = std::filesystem;
    require(!path_.empty(), "cannot write a file with an empty name");
    std::error_code ec;
    const fs::file_status st = fs::status(target, ec);
    require(!fs::is_directory(st), "cannot write '" + path_ + "': it is a directory");
    if (fs::exists(st) && !fs::is_regular_file(st)) {  // a device or pipe: write in place
      file_ = std::fopen(path_.c_str(), "wb");
      require(file_ != nullptr, "cannot write '" + path_ + "': " + std::strerror(errno));
      return;
    }
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string name = ".";  // hidden; appended, not "." + string: GCC 12 -Wrestrict false positive (PR 105651)
    name += target.filename().string();
    name += ".tmp.XXXXXX";
    std::string pattern = (folder / name).string();
    const int fd = ::mkstemp(pattern.data());
    require(fd >= 0, "cannot write '" + path_ + "': " + std::strerror(errno) + " (folder '" + folder.string() + "')");
    temp_ = pattern;
    file_ = ::fdopen(fd, "wb");
    if (!file_) {
      const int err = errno;
      ::close(fd);
      std::remove(temp_.c_str());
      throw Error("cannot write '" + path_ + "': " + std::strerror(err));
    }
    // mkstemp creates 0600; give the file the permissions a plain fopen would.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
  }
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile() {
    if (file_) std::fclose(file_);
    if (!committed_ && !temp_.empty()) std::remove(temp_.c_str());
  }

  void write(const void* data, std::size_t n) {
    if (n > 0 && std::fwrite(data, 1, n, file_) != n) fail(errno);
  }
  void write(std::string_view text) { write(text.data(), text.size()); }
  std::FILE* stream() { return file_; }  // for fprintf-style writers; commit() checks for errors

  // Flushes, closes and renames the temporary file over the target.
  void commit() {
    const bool ok = std::fflush(file_) == 0 && !std::ferror(file_);
    const int err = errno;
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!ok || !closed) fail(ok ? errno : err);
    if (!temp_.empty() && std::rename(temp_.c_str(), path_.c_str()) != 0) fail(errno);
    committed_ = true;
  }
  const std::string& path() const { return path_; }
  // Where the bytes go until commit(), for writers that open the file by
  // name themselves (libBigWig, htslib); they must close it before commit().
  const std::string& staging_path() const { return temp_.empty() ? path_ : temp_; }

 private:
  [[noreturn]] void fail(int err) const {
    throw Error("cannot write '" + path_ + "': " + (err ? std::strerror(err) : "unknown error"));
  }

  std::string path_, temp_;  // temp_ empty: writing in place
  std::FILE* file_ = nullptr;
  bool committed_ = false;
};

inline void write_file_atomic(const std::filesystem::path& path, std::string_view bytes) {
  AtomicFile file(path);
  file.write(bytes);
  file.commit();
}

// Creates an output folder and its parents: an sster::Error naming the folder
// when that fails (std::filesystem would throw its own exception type).
inline void create_folders(const std::filesystem::path& folder) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) throw Error("cannot create folder '" + folder.string() + "': " + ec.message());
}

}  // namespace sster
