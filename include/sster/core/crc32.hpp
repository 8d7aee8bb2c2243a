#pragma once
// CRC-32 (zlib's polynomial, as gzip and PNG use it): the checksum that ends
// sster's model, checkpoint and data files, and the fingerprint of a data set
// that a resumed training run must match.
//
// zlib's crc32() takes its length as uInt, 32 bits: a buffer of 4 GiB or more
// passed whole would be checksummed modulo 2^32 bytes. crc32_update feeds it
// in chunks below that, so any length is covered.
#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sster {

// 1 GiB: far below zlib's 2^32 limit, and large enough that the loop costs nothing.
inline constexpr std::size_t crc32_chunk = std::size_t{1} << 30;

// The CRC-32 of the bytes before `data` (whose CRC is `crc`; 0 for none)
// followed by the n bytes at `data`. `chunk` is a parameter so that tests can
// check the chunking with tiny chunks; callers leave it.
inline std::uint32_t crc32_update(std::uint32_t crc, const void* data, std::size_t n,
                                  std::size_t chunk = crc32_chunk) {
  chunk = std::clamp<std::size_t>(chunk, 1, crc32_chunk);
  auto p = static_cast<const Bytef*>(data);
  while (n > 0) {
    const std::size_t part = std::min(n, chunk);
    crc = static_cast<std::uint32_t>(::crc32(crc, p, static_cast<uInt>(part)));
    p += part;
    n -= part;
  }
  return crc;
}

inline std::uint32_t crc32_of(std::string_view bytes) { return crc32_update(0, bytes.data(), bytes.size()); }

}  // namespace sster
