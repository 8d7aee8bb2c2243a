#pragma once
// The .sster model file (docs/model-file.md):
//   bytes 0-3    magic "SSTR"
//   bytes 4-7    format version, uint32 little-endian
//   bytes 8-15   header length H, uint64 little-endian
//   H bytes      JSON header: params, input description, class names,
//                layer names and shapes, training history, library version,
//                and "arrays": the names of the float arrays that follow
//   per array:   8 bytes count N (uint64 LE), then 4*N bytes float32 LE
//                ("weights" in layer order; a checkpoint adds the state of
//                an unfinished training run: "best", "adam_m", "adam_v")
//   4 bytes      CRC-32 (zlib) of everything before it
// Loading checks each part and says which one is wrong.
#include <zlib.h>

#include <bit>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/atomic_file.hpp"
#include "sster/core/index.hpp"
#include "sster/version.hpp"

namespace sster {

inline constexpr char model_magic[4] = {'S', 'S', 'T', 'R'};
inline constexpr std::uint32_t model_format_version = 1;
inline constexpr const char* library_version = version;

struct ModelFile {
  nlohmann::json header;
  std::vector<std::pair<std::string, std::vector<float>>> arrays;

  const std::vector<float>* find(const std::string& name) const {
    for (const auto& [n, a] : arrays)
      if (n == name) return &a;
    return nullptr;
  }
};

namespace detail {
static_assert(std::endian::native == std::endian::little, "sster's model files assume a little-endian machine");

template <class U>
void put(std::string& out, U value) {
  char bytes[sizeof(U)];
  std::memcpy(bytes, &value, sizeof(U));
  out.append(bytes, sizeof(U));
}

// Reads fixed-size fields and names the file and field when bytes run out.
class ModelReader {
 public:
  ModelReader(std::string_view bytes, std::string name) : bytes_(bytes), name_(std::move(name)) {}
  template <class U>
  U get(const char* what) {
    U value;
    std::memcpy(&value, take(sizeof(U), what).data(), sizeof(U));
    return value;
  }
  std::string_view take(std::size_t n, const char* what) {
    if (n > bytes_.size() - pos_) {
      ran_out_ = true;
      throw Error(name_ + ": truncated model file: " + what + " needs " + std::to_string(n) + " bytes at offset " +
                  std::to_string(pos_) + ", only " + std::to_string(bytes_.size() - pos_) + " left");
    }
    const auto s = bytes_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::size_t position() const { return pos_; }
  std::size_t left() const { return bytes_.size() - pos_; }
  // Reports that the content claims more bytes than the file has.
  [[noreturn]] void truncated(const std::string& what) {
    ran_out_ = true;
    throw Error(name_ + ": truncated model file: " + what);
  }
  // Whether reading stopped for lack of bytes: with a checksum mismatch, the
  // mark of a truncated file rather than a damaged one.
  bool ran_out() const { return ran_out_; }

 private:
  std::string_view bytes_;
  std::string name_;
  std::size_t pos_ = 0;
  bool ran_out_ = false;
};

inline std::uint32_t crc32_of(std::string_view bytes) {
  return static_cast<std::uint32_t>(
      ::crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

}  // namespace detail

inline std::string model_file_bytes(const ModelFile& file) {
  std::string out(model_magic, 4);
  detail::put(out, model_format_version);
  nlohmann::json header = file.header;
  header["arrays"] = nlohmann::json::array();
  for (const auto& [name, a] : file.arrays) header["arrays"].push_back(name);
  const std::string text = header.dump();
  detail::put(out, static_cast<std::uint64_t>(text.size()));
  out += text;
  for (const auto& [name, a] : file.arrays) {
    detail::put(out, static_cast<std::uint64_t>(a.size()));
    out.append(reinterpret_cast<const char*>(a.data()), a.size() * sizeof(float));
  }
  detail::put(out, detail::crc32_of(out));
  return out;
}

// `name` is the file name used in error messages. Each kind of damage has its
// own message: empty, not a model file (magic), a newer format (version),
// truncated (the content claims more bytes than there are), damaged
// (checksum mismatch), and malformed (checksum fine, content invalid).
inline ModelFile parse_model_file(std::string_view bytes, const std::string& name) {
  detail::ModelReader in(bytes, name);
  require(!bytes.empty(), name + ": the model file is empty (0 bytes)");
  require(bytes.size() >= 4 || std::memcmp(bytes.data(), model_magic, bytes.size()) != 0,
          name + ": truncated model file: it ends after " + std::to_string(bytes.size()) + " bytes");
  require(bytes.size() >= 4 && std::memcmp(bytes.data(), model_magic, 4) == 0,
          name + ": not an sster model file (it does not start with \"SSTR\")");
  in.take(4, "the magic");
  const auto version = in.get<std::uint32_t>("the format version");
  require(version <= model_format_version,
          name + ": model file format version " + std::to_string(version) + " is newer than this sster " +
              library_version + " reads (up to " + std::to_string(model_format_version) + "): update sster");
  require(version >= 1, name + ": invalid model file format version 0");
  std::uint32_t stored_crc = 0;
  std::memcpy(&stored_crc, bytes.data() + bytes.size() - 4, 4);
  const bool intact = detail::crc32_of(bytes.substr(0, bytes.size() - 4)) == stored_crc;
  ModelFile file;
  try {
    const auto header_size = in.get<std::uint64_t>("the header length");
    if (header_size > in.left())
      in.truncated("the header claims " + std::to_string(header_size) + " bytes, the file has " +
                   std::to_string(bytes.size()));
    const auto header_text = in.take(to_size(header_size), "the header");
    try {
      file.header = nlohmann::json::parse(header_text);
    } catch (const nlohmann::json::exception& e) {
      throw Error(name + ": the model header is not valid JSON: " + e.what());
    }
    require(file.header.is_object() && file.header.contains("arrays") && file.header["arrays"].is_array(),
            name + ": the model header does not list its arrays");
    for (const auto& a : file.header["arrays"]) {
      require(a.is_string(), name + ": the model header lists an array without a name");
      const auto what = a.get<std::string>();
      const auto count = in.get<std::uint64_t>("the array size");
      if (count > in.left() / sizeof(float))
        in.truncated("array '" + what + "' has " + std::to_string(count) + " values, the file ends before");
      std::vector<float> values(to_size(count));
      const auto raw = in.take(to_size(count) * sizeof(float), "an array");
      // An empty vector's data() may be null, and memcpy from or to null is
      // undefined even for 0 bytes.
      if (count > 0) std::memcpy(values.data(), raw.data(), raw.size());
      file.arrays.emplace_back(what, std::move(values));
    }
    in.take(4, "the checksum");
    require(in.left() == 0, name + ": " + std::to_string(in.left()) + " unexpected bytes after the checksum");
  } catch (const Error&) {
    // The checksum tells a damaged file from a malformed one; running out of
    // bytes, a truncated one from a damaged one.
    if (intact || in.ran_out()) throw;
    throw Error(name + ": checksum mismatch: the model file is corrupted (damaged in transfer or on disk)");
  }
  require(intact, name + ": checksum mismatch: the model file is corrupted (damaged in transfer or on disk)");
  return file;
}

inline void write_model_file(const ModelFile& file, const std::string& path) {
  write_file_atomic(path, model_file_bytes(file));
}

inline ModelFile read_model_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  require(static_cast<bool>(in), path + ": cannot open the model file");
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  require(!in.bad(), path + ": read error");
  return parse_model_file(bytes, path);
}

}  // namespace sster
