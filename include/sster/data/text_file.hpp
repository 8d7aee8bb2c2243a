#pragma once
// Text output files, written so that a crash never leaves half of one
// (core/atomic_file.hpp): split files, structure annotations, simulated
// FASTA. The binary model and data files are in core/binary_file.hpp.
//   gzip_compress    text to gzip bytes
//   write_text_file  text, gzip-compressed when the name ends in .gz, atomically
#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sster/core/atomic_file.hpp"
#include "sster/core/error.hpp"

namespace sster {

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
