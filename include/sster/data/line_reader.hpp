#pragma once
// LineReader: lines of a plain or gzip-compressed text file, read in large
// blocks. Compression is detected by the gzip magic bytes (1f 8b), not by the
// file name; concatenated gzip members (bgzip, `cat a.gz b.gz`) are read as
// one stream. A gzip stream that ends before its end marker is an error, so a
// truncated download never looks like a shorter file.
#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "sster/core/error.hpp"
#include "sster/core/tensor.hpp"

namespace sster {

namespace detail {

// A buffer whose bytes start undefined (std::vector would zero them): a
// reader's 1 MiB block then faults in only the pages a file fills, so opening
// a small file costs microseconds, not a megabyte of memset.
template <class Byte>
class RawBuffer {
 public:
  RawBuffer() = default;
  explicit RawBuffer(std::size_t n) : data_(std::make_unique_for_overwrite<Byte[]>(n)), size_(n) {}
  Byte* data() { return data_.get(); }
  const Byte* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  Byte& operator[](std::size_t i) { return data_[i]; }
  Byte operator[](std::size_t i) const { return data_[i]; }
  // Grows to n bytes, keeping the first `keep`.
  void grow(std::size_t n, std::size_t keep) {
    auto bigger = std::make_unique_for_overwrite<Byte[]>(n);
    std::memcpy(bigger.get(), data_.get(), keep);
    data_ = std::move(bigger);
    size_ = n;
  }

 private:
  std::unique_ptr<Byte[]> data_;
  std::size_t size_ = 0;
};

// Bytes of a file, inflated if it is gzip. No virtual calls: one branch per block.
class ByteSource {
 public:
  static constexpr std::size_t input_block = std::size_t{1} << 18;  // 256 KiB of compressed input per read

  explicit ByteSource(std::string path) : path_(std::move(path)) {
    if (path_ == "-") {
      file_ = stdin;
    } else {
      std::error_code ec;
      require(!std::filesystem::is_directory(path_, ec), path_ + ": is a directory, expected a file");
      file_ = std::fopen(path_.c_str(), "rb");
      if (!file_) throw Error(path_ + ": cannot open file (" + std::strerror(errno) + ")");
      owns_file_ = true;
      struct stat st {};
      if (::fstat(::fileno(file_), &st) == 0 && S_ISREG(st.st_mode)) file_size_ = static_cast<std::uint64_t>(st.st_size);
    }
    // A small file needs no block larger than itself (+1 to see its end).
    in_ = RawBuffer<unsigned char>(file_size_ ? std::min<std::uint64_t>(file_size_ + 1, input_block) : input_block);
    refill();
    gz_ = in_end_ >= 2 && in_[0] == 0x1f && in_[1] == 0x8b;
    if (gz_) {
      std::memset(&zs_, 0, sizeof zs_);
      // 15 + 16: a window of 2^15 bytes and a gzip (not zlib) header.
      if (inflateInit2(&zs_, 15 + 16) != Z_OK) {
        close();
        throw Error(path_ + ": cannot initialise zlib");
      }
      zs_ready_ = true;
    }
  }
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;
  ~ByteSource() { close(); }

  bool gzipped() const { return gz_; }
  const std::string& path() const { return path_; }
  std::uint64_t bytes_in() const { return bytes_in_; }
  // About how many bytes read() will give (0: unknown, e.g. a pipe): the file
  // size, or four times it for gzip (FASTA typically compresses 3-4x).
  std::uint64_t size_hint() const { return gz_ ? 4 * file_size_ : file_size_; }

  // Up to n bytes into dst; 0 only at the end of the data.
  std::size_t read(char* dst, std::size_t n) {
    if (!gz_) {
      // The first block was read to look for the magic bytes: hand it out first.
      std::size_t got = 0;
      if (in_pos_ < in_end_) {
        got = std::min(n, in_end_ - in_pos_);
        std::memcpy(dst, in_.data() + in_pos_, got);
        in_pos_ += got;
        if (got == n) return got;
      }
      const std::size_t r = std::fread(dst + got, 1, n - got, file_);
      if (r < n - got && std::ferror(file_)) throw Error(path_ + ": read error (" + std::strerror(errno) + ")");
      bytes_in_ += r;
      return got + r;
    }
    zs_.next_out = reinterpret_cast<Bytef*>(dst);
    zs_.avail_out = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
    const uInt wanted = zs_.avail_out;
    while (zs_.avail_out > 0 && !done_) {
      if (member_done_) {
        // Another gzip member may follow (bgzip, concatenated files).
        if (in_end_ - in_pos_ < 2) refill();
        if (in_pos_ == in_end_) {
          done_ = true;
          break;
        }
        if (in_end_ - in_pos_ >= 2 && in_[in_pos_] == 0x1f && in_[in_pos_ + 1] == 0x8b) {
          inflateReset(&zs_);
          member_done_ = false;
        } else {
          done_ = true;  // trailing bytes after the last member are ignored, as gzip -d does
          break;
        }
      }
      if (in_pos_ == in_end_) refill();
      zs_.next_in = in_.data() + in_pos_;
      zs_.avail_in = static_cast<uInt>(in_end_ - in_pos_);
      const uInt before = zs_.avail_in, out_before = zs_.avail_out;
      const int ret = inflate(&zs_, Z_NO_FLUSH);
      in_pos_ += before - zs_.avail_in;
      if (ret == Z_STREAM_END) {
        member_done_ = true;
      } else if (ret == Z_OK || ret == Z_BUF_ERROR) {
        // No input left, none coming, and inflate can make no more output.
        if (in_pos_ == in_end_ && eof_ && zs_.avail_out == out_before)
          throw Error(path_ + ": truncated gzip file (the compressed data ends after " + std::to_string(bytes_in_) +
                      " bytes, before the end of the gzip stream)");
      } else {
        throw Error(path_ + ": corrupt gzip data (" + (zs_.msg ? zs_.msg : "zlib error " + std::to_string(ret)) +
                    ")");
      }
    }
    return wanted - zs_.avail_out;
  }

 private:
  // Moves unread input to the front and reads more after it.
  void refill() {
    if (eof_) return;
    if (in_pos_ > 0) {
      std::memmove(in_.data(), in_.data() + in_pos_, in_end_ - in_pos_);
      in_end_ -= in_pos_;
      in_pos_ = 0;
    }
    const std::size_t r = std::fread(in_.data() + in_end_, 1, in_.size() - in_end_, file_);
    if (r < in_.size() - in_end_) {
      if (std::ferror(file_)) throw Error(path_ + ": read error (" + std::strerror(errno) + ")");
      eof_ = true;
    }
    in_end_ += r;
    bytes_in_ += r;
  }
  void close() {
    if (zs_ready_) inflateEnd(&zs_);
    zs_ready_ = false;
    if (owns_file_ && file_) std::fclose(file_);
    file_ = nullptr;
  }

  std::string path_;
  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  bool gz_ = false;
  bool zs_ready_ = false;
  bool eof_ = false;          // no more bytes in the file
  bool member_done_ = false;  // the current gzip member ended
  bool done_ = false;         // no more output
  z_stream zs_{};
  std::uint64_t file_size_ = 0;  // 0: unknown (standard input, a pipe)
  RawBuffer<unsigned char> in_;
  std::size_t in_pos_ = 0, in_end_ = 0;
  std::uint64_t bytes_in_ = 0;
};

}  // namespace detail

class LineReader {
 public:
  // 1 MiB blocks: large enough that refills cost nothing measurable, small
  // enough to stay in L2/L3; a smaller file gets a block of about its size.
  // Lines longer than a block grow the buffer.
  explicit LineReader(std::string path, std::size_t block_size = std::size_t{1} << 20)
      : source_(std::move(path)), buf_(block_for(source_.size_hint(), block_size)) {}

  // The next line without its line break ("\n" or "\r\n"); false at the end.
  bool next(std::string_view& line) {
    for (;;) {
      if (scan_ < end_) {
        const void* nl = std::memchr(buf_.data() + scan_, '\n', end_ - scan_);
        if (nl) {
          const std::size_t at = to_size(static_cast<const char*>(nl) - buf_.data());
          line = make_line(pos_, at);
          pos_ = scan_ = at + 1;
          return true;
        }
        scan_ = end_;
      }
      if (eof_) {
        if (pos_ == end_) return false;
        line = make_line(pos_, end_);  // last line without a line break
        pos_ = scan_ = end_;
        return true;
      }
      fill();
    }
  }

  // 1-based number of the line last returned by next() (0 before the first).
  index_t line_number() const { return line_; }
  const std::string& path() const { return source_.path(); }
  bool gzipped() const { return source_.gzipped(); }
  // Bytes read from the file so far (compressed bytes for gzip) and bytes of text produced.
  std::uint64_t bytes_in() const { return source_.bytes_in(); }
  std::uint64_t bytes_out() const { return bytes_out_; }

 private:
  static std::size_t block_for(std::uint64_t size_hint, std::size_t block_size) {
    const std::uint64_t wanted = size_hint ? std::min<std::uint64_t>(size_hint + 1, block_size) : block_size;
    return to_size(std::max<std::uint64_t>(wanted, 16));
  }
  std::string_view make_line(std::size_t from, std::size_t to) {
    ++line_;
    if (to > from && buf_[to - 1] == '\r') --to;
    return {buf_.data() + from, to - from};
  }
  void fill() {
    if (pos_ > 0) {  // keep the unfinished line, drop what was handed out
      std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
      end_ -= pos_;
      scan_ -= pos_;
      pos_ = 0;
    }
    if (end_ == buf_.size()) buf_.grow(buf_.size() * 2, end_);  // a line longer than the buffer
    const std::size_t r = source_.read(buf_.data() + end_, buf_.size() - end_);
    if (r == 0) eof_ = true;
    end_ += r;
    bytes_out_ += r;
  }

  detail::ByteSource source_;
  detail::RawBuffer<char> buf_;
  std::size_t pos_ = 0;   // start of the next line
  std::size_t scan_ = 0;  // bytes before this hold no '\n' of the current line
  std::size_t end_ = 0;   // end of valid data
  bool eof_ = false;
  index_t line_ = 0;
  std::uint64_t bytes_out_ = 0;
};

}  // namespace sster
