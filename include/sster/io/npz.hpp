#pragma once
// NumPy .npz files (what numpy.savez_compressed writes and numpy.load
// reads): a ZIP archive of .npy arrays, each compressed with deflate (zlib,
// level 1: float attributions hardly compress, one-hot arrays shrink 20x and
// more even so). TF-MoDISco reads such files as they are
// (`modisco motifs -s ohe.npz -a attr.npz`, array arr_0).
//
// Arrays are streamed: begin_array(name, shape), write() the float32 values
// in C order as often as needed, end_array(). Nothing is held in memory; the
// ZIP entries carry their CRC and sizes in a data descriptor after the data,
// so the file is written front to back (pipes too), through AtomicFile: it
// appears on commit() and not at all on an error. Entries whose data may
// reach 4 GiB get ZIP64 records (numpy reads both).
//
// .npy format 1.0: "\x93NUMPY", version 1 0, a little-endian uint16 header
// length, then the header "{'descr': '<f4', 'fortran_order': False,
// 'shape': (N, A, L), }" padded with spaces and a newline to a multiple of
// 64 bytes, then the raw little-endian values.
#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "sster/core/atomic_file.hpp"
#include "sster/core/error.hpp"
#include "sster/core/index.hpp"

namespace sster {

static_assert(std::endian::native == std::endian::little, "the .npy writer stores values as they are in memory");

struct NpzOptions {
  bool zip64 = false;  // ZIP64 records for every entry (automatic when an entry may reach 4 GiB)
};

class NpzWriter {
 public:
  explicit NpzWriter(const std::filesystem::path& path, NpzOptions options = {})
      : file_(path), options_(options) {}
  NpzWriter(const NpzWriter&) = delete;
  NpzWriter& operator=(const NpzWriter&) = delete;
  ~NpzWriter() {
    if (open_) deflateEnd(&z_);
  }

  // Starts the array `name` (stored as name.npy) of float32 values of `shape`.
  void begin_array(const std::string& name, const std::vector<index_t>& shape) {
    require(!open_, "npz: " + file_.path() + ": array '" + entry_.name + "' is not finished");
    require(!name.empty() && name.find('/') == std::string::npos, "npz: bad array name '" + name + "'");
    index_t count = 1;
    std::string dims;  // Python's tuple: (), (5,), (2, 3)
    for (std::size_t i = 0; i < shape.size(); ++i) {
      require(shape[i] >= 0, "npz: negative dimension in array '" + name + "'");
      count *= shape[i];
      dims += (i ? ", " : "") + std::to_string(shape[i]);
    }
    if (shape.size() == 1) dims += ",";
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    const std::size_t total = 10 + header.size() + 1;
    header += std::string((64 - total % 64) % 64, ' ') + "\n";
    entry_ = Entry{.name = name + ".npy", .offset = written_, .remaining = count};
    const std::uint64_t data_bytes = header.size() + 10 + static_cast<std::uint64_t>(count) * 4;
    entry_.zip64 = options_.zip64 || data_bytes + data_bytes / 100 + 4096 >= 0xFFFFFFFFull;
    local_header();
    z_ = {};
    require(deflateInit2(&z_, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK, "npz: zlib failed to start");
    open_ = true;
    std::string magic = "\x93NUMPY\x01";
    magic += '\0';
    magic += static_cast<char>(header.size() & 0xFF);
    magic += static_cast<char>(header.size() >> 8);
    compress(magic.data(), magic.size());
    compress(header.data(), header.size());
  }

  void write(std::span<const float> values) {
    require(open_, "npz: " + file_.path() + ": no array begun");
    require(ssize(values) <= entry_.remaining, "npz: " + file_.path() + ": more values than the shape of '" +
                                                   entry_.name + "' holds");
    entry_.remaining -= ssize(values);
    compress(values.data(), values.size_bytes());
  }

  void end_array() {
    require(open_ && entry_.remaining == 0,
            "npz: " + file_.path() + ": array '" + entry_.name + "' is missing " + std::to_string(entry_.remaining) +
                " values");
    flush(Z_FINISH);
    deflateEnd(&z_);
    open_ = false;
    std::string d;  // the data descriptor
    put(d, 0x08074b50u, 4);
    put(d, entry_.crc, 4);
    put(d, entry_.compressed, entry_.zip64 ? 8 : 4);
    put(d, entry_.size, entry_.zip64 ? 8 : 4);
    emit(d);
    entries_.push_back(entry_);
  }

  // Writes the central directory and renames the file into place.
  void commit() {
    require(!open_, "npz: " + file_.path() + ": array '" + entry_.name + "' is not finished");
    const std::uint64_t start = written_;
    bool zip64 = options_.zip64;
    for (const Entry& e : entries_) {
      zip64 = zip64 || e.zip64;
      std::string h;
      put(h, 0x02014b50u, 4);
      put(h, e.zip64 ? 45 : 20, 2);  // made by
      put(h, e.zip64 ? 45 : 20, 2);  // needed
      put(h, 8, 2);                  // flags: data descriptor
      put(h, 8, 2);                  // deflate
      put(h, 0, 2);                  // time
      put(h, dos_date, 2);
      put(h, e.crc, 4);
      put(h, e.zip64 ? 0xFFFFFFFFu : e.compressed, 4);
      put(h, e.zip64 ? 0xFFFFFFFFu : e.size, 4);
      put(h, e.name.size(), 2);
      put(h, e.zip64 ? 28 : 0, 2);   // extra
      put(h, 0, 2);                  // comment
      put(h, 0, 2);                  // disk
      put(h, 0, 2);                  // internal attributes
      put(h, 0, 4);                  // external attributes
      put(h, e.zip64 ? 0xFFFFFFFFu : e.offset, 4);
      h += e.name;
      if (e.zip64) {
        put(h, 0x0001, 2);
        put(h, 24, 2);
        put(h, e.size, 8);
        put(h, e.compressed, 8);
        put(h, e.offset, 8);
      }
      emit(h);
    }
    const std::uint64_t size = written_ - start, count = entries_.size();
    std::string end;
    if (zip64) {
      const std::uint64_t record = written_;
      put(end, 0x06064b50u, 4);
      put(end, 44, 8);
      put(end, 45, 2);
      put(end, 45, 2);
      put(end, 0, 4);
      put(end, 0, 4);
      put(end, count, 8);
      put(end, count, 8);
      put(end, size, 8);
      put(end, start, 8);
      put(end, 0x07064b50u, 4);  // locator
      put(end, 0, 4);
      put(end, record, 8);
      put(end, 1, 4);
    }
    put(end, 0x06054b50u, 4);
    put(end, 0, 2);
    put(end, 0, 2);
    put(end, zip64 ? 0xFFFF : count, 2);
    put(end, zip64 ? 0xFFFF : count, 2);
    put(end, zip64 ? 0xFFFFFFFFu : size, 4);
    put(end, zip64 ? 0xFFFFFFFFu : start, 4);
    put(end, 0, 2);
    emit(end);
    file_.commit();
  }

 private:
  static constexpr std::uint64_t dos_date = (0 << 9) | (1 << 5) | 1;  // 1980-01-01: a fixed date, reproducible bytes

  struct Entry {
    std::string name;
    std::uint64_t offset = 0;       // of the local header
    index_t remaining = 0;          // values still to come
    std::uint64_t size = 0, compressed = 0;
    std::uint32_t crc = 0;
    bool zip64 = false;
  };

  static void put(std::string& out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
  }
  void emit(const std::string& bytes) {
    file_.write(bytes.data(), bytes.size());
    written_ += bytes.size();
  }

  void local_header() {
    std::string h;
    put(h, 0x04034b50u, 4);
    put(h, entry_.zip64 ? 45 : 20, 2);
    put(h, 8, 2);  // flags: sizes and CRC in the data descriptor
    put(h, 8, 2);  // deflate
    put(h, 0, 2);
    put(h, dos_date, 2);
    put(h, 0, 4);  // crc, sizes: in the descriptor
    put(h, entry_.zip64 ? 0xFFFFFFFFu : 0, 4);
    put(h, entry_.zip64 ? 0xFFFFFFFFu : 0, 4);
    put(h, entry_.name.size(), 2);
    put(h, entry_.zip64 ? 20 : 0, 2);
    h += entry_.name;
    if (entry_.zip64) {
      put(h, 0x0001, 2);
      put(h, 16, 2);
      put(h, 0, 8);
      put(h, 0, 8);
    }
    emit(h);
  }

  // Feeds bytes of the .npy stream to deflate (in pieces zlib's 32-bit
  // counters can take).
  void compress(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    while (n > 0) {
      const auto piece = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
      entry_.crc = static_cast<std::uint32_t>(crc32(entry_.crc, p, piece));
      entry_.size += piece;
      z_.next_in = const_cast<unsigned char*>(p);  // zlib's API is not const-correct
      z_.avail_in = piece;
      flush(Z_NO_FLUSH);
      p += piece;
      n -= piece;
    }
  }
  void flush(int mode) {
    unsigned char out[1 << 16];
    int status = Z_OK;
    do {
      z_.next_out = out;
      z_.avail_out = sizeof out;
      status = deflate(&z_, mode);
      require(status != Z_STREAM_ERROR, "npz: zlib failed while compressing");
      const std::size_t produced = sizeof out - z_.avail_out;
      file_.write(out, produced);
      written_ += produced;
      entry_.compressed += produced;
    } while (z_.avail_out == 0 || (mode == Z_FINISH && status != Z_STREAM_END));
  }

  AtomicFile file_;
  NpzOptions options_;
  z_stream z_{};
  bool open_ = false;
  Entry entry_;
  std::vector<Entry> entries_;
  std::uint64_t written_ = 0;
};

// One array in its own .npz file, as TF-MoDISco reads it (named arr_0).
inline void save_npz(const std::filesystem::path& path, std::span<const float> values,
                     const std::vector<index_t>& shape, const std::string& name = "arr_0") {
  NpzWriter out(path);
  out.begin_array(name, shape);
  out.write(values);
  out.end_array();
  out.commit();
}

}  // namespace sster
