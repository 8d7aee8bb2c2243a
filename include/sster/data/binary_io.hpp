#pragma once
// Files written so that a crash never leaves half of one, and read so that a
// damaged one is reported, not half-loaded.
//   (atomic writes: core/atomic_file.hpp)
//   BinaryOut    little-endian writer with a running CRC-32 (zlib).
//   BinaryIn     bounds-checked reader with the same CRC, for BinaryOut's files.
//   write_text_file  text (gzip-compressed when the name ends in .gz), atomically.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "sster/core/atomic_file.hpp"
#include "sster/core/error.hpp"
#include "sster/core/index.hpp"

namespace sster {

namespace detail {
inline std::uint32_t crc32_update(std::uint32_t crc, const void* data, std::size_t n) {
  auto p = static_cast<const Bytef*>(data);
  while (n > 0) {  // zlib takes uInt lengths
    const auto chunk = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
    crc = static_cast<std::uint32_t>(::crc32(crc, p, chunk));
    p += chunk;
    n -= chunk;
  }
  return crc;
}
}  // namespace detail

class BinaryOut {
 public:
  explicit BinaryOut(AtomicFile& file) : file_(file) {}

  void bytes(const void* data, std::size_t n) {
    crc_ = detail::crc32_update(crc_, data, n);
    file_.write(data, n);
  }
  template <class T>
  void put(T v) {
    static_assert(std::is_arithmetic_v<T>);
    unsigned char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    if constexpr (std::endian::native == std::endian::big) std::reverse(b, b + sizeof(T));
    bytes(b, sizeof(T));
  }
  void string(std::string_view s) {
    put(static_cast<std::uint32_t>(s.size()));
    bytes(s.data(), s.size());
  }
  template <class T>
  void array(const T* data, std::size_t n) {
    static_assert(std::is_arithmetic_v<T>);
    if constexpr (std::endian::native == std::endian::little || sizeof(T) == 1) {
      bytes(data, n * sizeof(T));
    } else {
      for (std::size_t i = 0; i < n; ++i) put(data[i]);
    }
  }
  // The checksum of everything written so far; written last, not part of itself.
  void finish() {
    const std::uint32_t c = crc_;
    unsigned char b[4] = {static_cast<unsigned char>(c), static_cast<unsigned char>(c >> 8),
                          static_cast<unsigned char>(c >> 16), static_cast<unsigned char>(c >> 24)};
    file_.write(b, 4);
  }

 private:
  AtomicFile& file_;
  std::uint32_t crc_ = 0;
};

class BinaryIn {
 public:
  explicit BinaryIn(std::string path) : path_(std::move(path)) {
    std::error_code ec;
    require(!std::filesystem::is_directory(path_, ec), path_ + ": is a directory, expected a file");
    file_ = std::fopen(path_.c_str(), "rb");
    if (!file_) throw Error(path_ + ": cannot open file (" + std::strerror(errno) + ")");
    std::fseek(file_, 0, SEEK_END);
    const long size = std::ftell(file_);
    std::fseek(file_, 0, SEEK_SET);
    if (size < 0) {
      std::fclose(file_);
      throw Error(path_ + ": cannot determine the file size");
    }
    size_ = static_cast<std::uint64_t>(size);
  }
  BinaryIn(const BinaryIn&) = delete;
  BinaryIn& operator=(const BinaryIn&) = delete;
  ~BinaryIn() {
    if (file_) std::fclose(file_);
  }

  const std::string& path() const { return path_; }
  std::uint64_t size() const { return size_; }
  // Bytes left before the 4-byte checksum at the end.
  std::uint64_t remaining() const { return size_ < 4 + pos_ ? 0 : size_ - 4 - pos_; }

  void bytes(void* data, std::size_t n) {
    if (n > remaining()) {
      ran_out_ = true;
      throw corrupt("it ends early (" + std::to_string(n) + " more bytes expected at offset " + std::to_string(pos_) + ")");
    }
    if (n > 0 && std::fread(data, 1, n, file_) != n) throw Error(path_ + ": read error (" + std::strerror(errno) + ")");
    crc_ = detail::crc32_update(crc_, data, n);
    pos_ += n;
  }
  template <class T>
  T get() {
    static_assert(std::is_arithmetic_v<T>);
    unsigned char b[sizeof(T)];
    bytes(b, sizeof(T));
    if constexpr (std::endian::native == std::endian::big) std::reverse(b, b + sizeof(T));
    T v;
    std::memcpy(&v, b, sizeof(T));
    return v;
  }
  std::string string() {
    const auto n = get<std::uint32_t>();
    std::string s(check_count(n, 1), '\0');
    bytes(s.data(), s.size());
    return s;
  }
  template <class T>
  void array(T* data, std::size_t n) {
    if constexpr (std::endian::native == std::endian::little || sizeof(T) == 1) {
      bytes(data, n * sizeof(T));
    } else {
      for (std::size_t i = 0; i < n; ++i) data[i] = get<T>();
    }
  }
  // A count read from the file, checked against the bytes left before anything
  // is allocated for it (a damaged count must not ask for terabytes).
  std::size_t check_count(std::uint64_t count, std::uint64_t bytes_each) {
    if (bytes_each > 0 && count > remaining() / bytes_each) {
      ran_out_ = true;
      throw corrupt("a count of " + std::to_string(count) + " at offset " + std::to_string(pos_) +
                    " does not fit in the file");
    }
    return to_size(count);
  }
  // Whether reading stopped because the content claimed more bytes than the
  // file has: with a checksum mismatch, the mark of a truncated file.
  bool ran_out() const { return ran_out_; }

  // The first n bytes of the file (fewer if it is shorter), read before
  // parsing to tell what kind of file it is; the read position stays put.
  std::string prefix(std::size_t n) {
    std::string head(to_size(std::min<std::uint64_t>(n, size_)), '\0');
    if (std::fseek(file_, 0, SEEK_SET) != 0 || std::fread(head.data(), 1, head.size(), file_) != head.size() ||
        std::fseek(file_, static_cast<long>(pos_), SEEK_SET) != 0)
      throw Error(path_ + ": read error (" + std::strerror(errno) + ")");
    return head;
  }

  // After a failed parse: whether the stored checksum matches the whole file
  // (reads the rest; no reads may follow). A match means the file is intact
  // but malformed; a mismatch, damaged or truncated.
  bool rest_matches_checksum() {
    if (verified_) return true;
    if (size_ < 4 || pos_ > size_ - 4) return false;
    std::uint32_t crc = crc_;
    std::vector<char> block(std::size_t{1} << 16);
    for (std::uint64_t left = size_ - 4 - pos_; left > 0;) {
      const std::size_t n = to_size(std::min<std::uint64_t>(left, block.size()));
      if (std::fread(block.data(), 1, n, file_) != n) return false;
      crc = detail::crc32_update(crc, block.data(), n);
      left -= n;
    }
    unsigned char b[4];
    if (std::fread(b, 1, 4, file_) != 4) return false;
    pos_ = size_;
    return crc == (static_cast<std::uint32_t>(b[0]) | static_cast<std::uint32_t>(b[1]) << 8 |
                   static_cast<std::uint32_t>(b[2]) << 16 | static_cast<std::uint32_t>(b[3]) << 24);
  }
  // Reads the stored checksum and compares it with the one of the data read.
  void verify_checksum() {
    if (remaining() != 0) throw corrupt(std::to_string(remaining()) + " unexpected bytes before the checksum");
    if (size_ < 4) throw corrupt("it is too short");
    unsigned char b[4];
    if (std::fread(b, 1, 4, file_) != 4) throw Error(path_ + ": read error (" + std::strerror(errno) + ")");
    const std::uint32_t stored = static_cast<std::uint32_t>(b[0]) | static_cast<std::uint32_t>(b[1]) << 8 |
                                 static_cast<std::uint32_t>(b[2]) << 16 | static_cast<std::uint32_t>(b[3]) << 24;
    if (stored != crc_) throw corrupt("checksum mismatch (the file is damaged)");
    verified_ = true;
  }
  Error corrupt(const std::string& what) const { return Error(path_ + ": not a valid file: " + what); }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  std::uint64_t size_ = 0, pos_ = 0;
  std::uint32_t crc_ = 0;
  bool ran_out_ = false;
  bool verified_ = false;  // verify_checksum() passed
};

// gzip-compresses text (level 6, the gzip default).
inline std::string gzip_compress(std::string_view text) {
  z_stream zs{};
  if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw Error("cannot initialise zlib");
  std::string out;
  std::vector<char> block(std::size_t{1} << 18);
  std::size_t in = 0;
  int ret = Z_OK;
  while (ret != Z_STREAM_END) {
    if (zs.avail_in == 0 && in < text.size()) {  // zlib takes uInt lengths: feed at most 1 GiB at a time
      const std::size_t chunk = std::min<std::size_t>(text.size() - in, std::size_t{1} << 30);
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data() + in));
      zs.avail_in = static_cast<uInt>(chunk);
      in += chunk;
    }
    zs.next_out = reinterpret_cast<Bytef*>(block.data());
    zs.avail_out = static_cast<uInt>(block.size());
    ret = deflate(&zs, in == text.size() ? Z_FINISH : Z_NO_FLUSH);
    if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR) {
      deflateEnd(&zs);
      throw Error("gzip compression failed (zlib error " + std::to_string(ret) + ")");
    }
    out.append(block.data(), block.size() - zs.avail_out);
  }
  deflateEnd(&zs);
  return out;
}

// Writes text atomically; gzip-compressed when the path ends in ".gz".
inline void write_text_file(const std::string& path, std::string_view text) {
  AtomicFile file(path);
  if (path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0) {
    const std::string gz = gzip_compress(text);
    file.write(gz.data(), gz.size());
  } else {
    file.write(text.data(), text.size());
  }
  file.commit();
}

}  // namespace sster
