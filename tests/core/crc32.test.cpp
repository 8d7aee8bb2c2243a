#include "sster/core/crc32.hpp"

#include <doctest.h>
#include <sys/mman.h>
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

using namespace sster;

namespace {

// zlib's CRC of a buffer short enough to pass whole: the reference.
std::uint32_t zlib_crc(const void* data, std::size_t n) {
  REQUIRE(n < (std::size_t{1} << 32));
  return static_cast<std::uint32_t>(::crc32(0L, static_cast<const Bytef*>(data), static_cast<uInt>(n)));
}

// The CRC of n zero bytes, by zlib's crc32_combine from the CRC of one zero
// byte (binary powers, then combined): nothing of length n is ever read.
std::uint32_t zeros_crc(std::uint64_t n) {
  const unsigned char zero = 0;
  uLong power = zlib_crc(&zero, 1);  // CRC of 2^k zero bytes, k = 0, 1, ...
  std::uint64_t power_len = 1;
  uLong crc = 0;
  for (; n > 0; n >>= 1) {
    if (n & 1) crc = crc32_combine(crc, power, static_cast<z_off_t>(power_len));
    power = crc32_combine(power, power, static_cast<z_off_t>(power_len));
    power_len *= 2;
  }
  return static_cast<std::uint32_t>(crc);
}

}  // namespace

TEST_CASE("crc32_update in small chunks equals zlib's CRC of the whole buffer") {
  std::vector<unsigned char> bytes(3000);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<unsigned char>(i * 37 + i / 7);
  for (std::size_t n : {0, 1, 2, 3, 7, 8, 63, 64, 65, 255, 1000, 1023, 1024, 1025, 2999, 3000}) {
    const std::uint32_t whole = zlib_crc(bytes.data(), n);
    CHECK(crc32_update(0, bytes.data(), n) == whole);
    for (std::size_t chunk : {1, 2, 3, 5, 16, 64, 1000, 4096}) {
      CAPTURE(n);
      CAPTURE(chunk);
      CHECK(crc32_update(0, bytes.data(), n, chunk) == whole);
    }
  }
  // Continuing a CRC: the two halves in turn give the CRC of the whole.
  const std::uint32_t first = crc32_update(0, bytes.data(), 1234, 7);
  CHECK(crc32_update(first, bytes.data() + 1234, 1766, 11) == zlib_crc(bytes.data(), 3000));
  CHECK(crc32_of("123456789") == 0xCBF43926u);  // the standard CRC-32 check value
}

TEST_CASE("the CRC of zero runs by crc32_combine matches zlib on short runs") {
  const std::vector<unsigned char> zeros(70000, 0);
  for (std::uint64_t n : {1, 2, 3, 4, 5, 100, 4096, 65537, 70000})
    CHECK(zeros_crc(n) == zlib_crc(zeros.data(), static_cast<std::size_t>(n)));
}

// A buffer of 2^32 + 4101 bytes (untouched pages of an anonymous mapping read
// as zeros and take no memory) with marks at its start, across the 2^32
// boundary and at its end. Its CRC by crc32_update must equal the CRC built
// by crc32_combine from the marks and the zero runs between them. A length
// cast to zlib's 32-bit uInt would checksum only the first 4101 bytes.
TEST_CASE("crc32_update covers buffers past 4 GiB") {
  const std::size_t n = (std::size_t{1} << 32) + 4101;
  void* map = ::mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (map == MAP_FAILED) {
    MESSAGE("skipped: cannot map 4 GiB of address space");
    return;
  }
  auto* bytes = static_cast<unsigned char*>(map);
  const std::string a = "start of the buffer", b = "across 2^32", c = "the end";
  const std::size_t at_b = (std::size_t{1} << 32) - 5, at_c = n - c.size();
  std::memcpy(bytes, a.data(), a.size());
  std::memcpy(bytes + at_b, b.data(), b.size());
  std::memcpy(bytes + at_c, c.data(), c.size());
  auto combine = [](std::uint32_t crc, std::uint32_t next, std::uint64_t next_len) {
    return static_cast<std::uint32_t>(crc32_combine(crc, next, static_cast<z_off_t>(next_len)));
  };
  std::uint32_t expected = zlib_crc(a.data(), a.size());
  expected = combine(expected, zeros_crc(at_b - a.size()), at_b - a.size());
  expected = combine(expected, zlib_crc(b.data(), b.size()), b.size());
  expected = combine(expected, zeros_crc(at_c - at_b - b.size()), at_c - at_b - b.size());
  expected = combine(expected, zlib_crc(c.data(), c.size()), c.size());

  const std::uint32_t got = crc32_update(0, bytes, n);
  const std::uint32_t truncated = zlib_crc(bytes, n % (std::size_t{1} << 32));
  ::munmap(map, n);
  CHECK(got == expected);
  CHECK(truncated != expected);  // the test can fail: a 32-bit length gives another CRC
}
