#pragma once
// The binary container of sster's model files, checkpoints and data files:
//   4 bytes   magic naming the kind of file ("SSTR" model, "SSTD" data)
//   4 bytes   format version, uint32
//   content   the format's fields: numbers little-endian, strings as a
//             uint32 length and the bytes, arrays as raw values
//   4 bytes   CRC-32 (core/crc32.hpp) of every byte before it
//   BinaryWriter  writes one to an AtomicFile (streamed, so a large data set
//                 is never copied whole) or to bytes in memory.
//   BinaryReader  reads one from a file (as needed) or from memory, checking
//                 every count against the bytes left before anything is
//                 sized from it. When a format's parse fails, diagnose() tells
//                 by the checksum whether the file is malformed (intact, but
//                 its content is wrong), truncated or damaged; each format
//                 words the message its users know.
#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "sster/core/atomic_file.hpp"
#include "sster/core/crc32.hpp"
#include "sster/core/error.hpp"
#include "sster/core/index.hpp"

namespace sster {

class BinaryWriter {
 public:
  explicit BinaryWriter(AtomicFile& file) : file_(&file) {}
  explicit BinaryWriter(std::string& bytes) : memory_(&bytes) {}

  // The container's first 8 bytes.
  void header(std::string_view magic, std::uint32_t version) {
    require(magic.size() == 4, "a file's magic has 4 letters");
    bytes(magic.data(), magic.size());
    put(version);
  }
  void bytes(const void* data, std::size_t n) {
    crc_ = crc32_update(crc_, data, n);
    raw(data, n);
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
    const unsigned char b[4] = {static_cast<unsigned char>(c), static_cast<unsigned char>(c >> 8),
                                static_cast<unsigned char>(c >> 16), static_cast<unsigned char>(c >> 24)};
    raw(b, 4);
  }

 private:
  void raw(const void* data, std::size_t n) {
    if (file_) {
      file_->write(data, n);
    } else if (n > 0) {
      memory_->append(static_cast<const char*>(data), n);
    }
  }

  AtomicFile* file_ = nullptr;
  std::string* memory_ = nullptr;
  std::uint32_t crc_ = 0;
};

class BinaryReader {
 public:
  // A file, read as the fields ask for it.
  explicit BinaryReader(std::string path) : name_(std::move(path)) {
    std::error_code ec;
    require(!std::filesystem::is_directory(name_, ec), name_ + ": is a directory, expected a file");
    file_ = std::fopen(name_.c_str(), "rb");
    if (!file_) throw Error(name_ + ": cannot open file (" + std::strerror(errno) + ")");
    std::fseek(file_, 0, SEEK_END);
    const long size = std::ftell(file_);
    std::fseek(file_, 0, SEEK_SET);
    if (size < 0) {
      std::fclose(file_);
      throw Error(name_ + ": cannot determine the file size");
    }
    size_ = static_cast<std::uint64_t>(size);
    content_end_ = checksum_at(size_);
  }
  // Bytes in memory; `name` stands for them in messages.
  BinaryReader(std::string_view bytes, std::string name)
      : name_(std::move(name)), memory_(bytes), size_(bytes.size()), content_end_(checksum_at(size_)) {}
  BinaryReader(const BinaryReader&) = delete;
  BinaryReader& operator=(const BinaryReader&) = delete;
  ~BinaryReader() {
    if (file_) std::fclose(file_);
  }

  const std::string& name() const { return name_; }
  std::uint64_t size() const { return size_; }
  std::uint64_t position() const { return pos_; }
  // Bytes after the read position, the checksum included.
  std::uint64_t left() const { return size_ - pos_; }
  // Bytes left for content. Fields end where the 4-byte checksum begins,
  // unless the format reads on to the end of the file (read_to_end()).
  std::uint64_t remaining() const { return content_end_ > pos_ ? content_end_ - pos_ : 0; }
  // For a format that takes the checksum as its last field and says itself
  // what a short file lacks (the model file): reads may run to the end.
  void read_to_end() { content_end_ = size_; }

  // The container's first 8 bytes, counted into the checksum. The format
  // has checked them with prefix() and its own messages.
  struct Header {
    std::string magic;
    std::uint32_t version = 0;
  };
  Header header() {
    if (size_ < 8 || pos_ != 0) throw corrupt("it has no complete header");
    unsigned char b[8];
    read_at(0, b, 8);
    crc_ = crc32_update(crc_, b, 8);
    pos_ = 8;
    return {.magic = std::string(reinterpret_cast<const char*>(b), 4), .version = little_endian_u32(b + 4)};
  }

  void bytes(void* data, std::size_t n) {
    if (n > remaining()) throw short_of(corrupt("it ends early (" + std::to_string(n) + " more bytes expected at offset " +
                                           std::to_string(pos_) + ")"));
    read_at(pos_, data, n);
    crc_ = crc32_update(crc_, data, n);
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
    static_assert(std::is_arithmetic_v<T>);
    if constexpr (std::endian::native == std::endian::little || sizeof(T) == 1) {
      bytes(data, n * sizeof(T));
    } else {
      for (std::size_t i = 0; i < n; ++i) data[i] = get<T>();
    }
  }
  // A count read from the file, checked against the bytes left before anything
  // is allocated for it (a damaged count must not ask for terabytes).
  std::size_t check_count(std::uint64_t count, std::uint64_t bytes_each) {
    if (bytes_each > 0 && count > remaining() / bytes_each)
      throw short_of(corrupt("a count of " + std::to_string(count) + " at offset " + std::to_string(pos_) +
                             " does not fit in the file"));
    return to_size(count);
  }

  // The first n bytes of the file (fewer if it is shorter), read before
  // parsing to tell what kind of file it is; the read position stays put.
  std::string prefix(std::size_t n) {
    std::string head(to_size(std::min<std::uint64_t>(n, size_)), '\0');
    read_at(0, head.data(), head.size());
    return head;
  }

  // For a format that words its own message: an error that the content
  // claims more bytes than the file has (see diagnose()).
  Error short_of(Error e) {
    ran_out_ = true;
    return e;
  }
  Error corrupt(const std::string& what) const { return Error(name_ + ": not a valid file: " + what); }
  // Whether reading stopped because the content claimed more bytes than the
  // file has: with a checksum mismatch, the mark of a truncated file.
  bool ran_out() const { return ran_out_; }

  // Whether the last 4 bytes hold the CRC-32 of all bytes before them. Needs
  // no complete parse: after a failed one it tells damage from malformed
  // content (it reads the rest of the file; no reads may follow).
  bool matches_checksum() {
    if (intact_) return *intact_;
    if (size_ < 4) return *(intact_ = false);
    if (pos_ > size_ - 4) {  // the parse read into the checksum: start over
      pos_ = 0;
      crc_ = 0;
    }
    std::vector<char> block(to_size(std::min<std::uint64_t>(size_ - 4 - pos_, std::uint64_t{1} << 16)));
    std::uint32_t crc = crc_;
    for (std::uint64_t at = pos_; at < size_ - 4; at += block.size()) {
      const std::size_t n = to_size(std::min<std::uint64_t>(size_ - 4 - at, block.size()));
      read_at(at, block.data(), n);
      crc = crc32_update(crc, block.data(), n);
    }
    pos_ = size_ - 4;
    return *(intact_ = crc == stored_checksum());
  }
  // At the end of the content: only the checksum may follow, and it must match.
  void verify_checksum() {
    if (pos_ < checksum_at(size_))
      throw corrupt(std::to_string(checksum_at(size_) - pos_) + " unexpected bytes before the checksum");
    if (size_ < 4 || pos_ > size_ - 4) throw corrupt("it is too short");
    if (stored_checksum() != crc_) throw corrupt("checksum mismatch (the file is damaged)");
    intact_ = true;
  }

  // Why a parse failed, told by the checksum: an intact file is malformed
  // (written by another program, or crafted); otherwise a file whose content
  // needed more bytes than it has is truncated, and any other is damaged.
  enum class Failure { malformed, truncated, damaged };
  Failure diagnose() {
    if (matches_checksum()) return Failure::malformed;
    return ran_out_ ? Failure::truncated : Failure::damaged;
  }

 private:
  void read_at(std::uint64_t at, void* data, std::size_t n) {
    if (n == 0) return;  // memcpy from an empty view's null pointer is undefined even for 0 bytes
    if (!file_) {
      std::memcpy(data, memory_.data() + at, n);
      return;
    }
    if (at != file_pos_ && std::fseek(file_, static_cast<long>(at), SEEK_SET) != 0) read_error();
    if (std::fread(data, 1, n, file_) != n) read_error();
    file_pos_ = at + n;
  }
  [[noreturn]] void read_error() const { throw Error(name_ + ": read error (" + std::strerror(errno) + ")"); }
  std::uint32_t stored_checksum() {
    unsigned char b[4];
    read_at(size_ - 4, b, 4);
    return little_endian_u32(b);
  }
  static std::uint64_t checksum_at(std::uint64_t size) { return size < 4 ? 0 : size - 4; }
  static std::uint32_t little_endian_u32(const unsigned char* b) {
    return static_cast<std::uint32_t>(b[0]) | static_cast<std::uint32_t>(b[1]) << 8 |
           static_cast<std::uint32_t>(b[2]) << 16 | static_cast<std::uint32_t>(b[3]) << 24;
  }

  std::string name_;
  std::FILE* file_ = nullptr;
  std::string_view memory_;
  std::uint64_t size_ = 0, pos_ = 0;
  std::uint64_t content_end_ = 0;  // reads stop here
  std::uint64_t file_pos_ = 0;  // where the next fread starts
  std::uint32_t crc_ = 0;       // of the bytes before pos_
  bool ran_out_ = false;
  std::optional<bool> intact_;  // matches_checksum(), once known
};

}  // namespace sster
