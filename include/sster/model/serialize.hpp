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
// The frame (magic, version, CRC-32) is the container of core/binary_file.hpp.
// Loading checks each part and says which one is wrong.
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sster/core/atomic_file.hpp"
#include "sster/core/binary_file.hpp"
#include "sster/core/error.hpp"
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

// Reading a model file, a short one names what it cut off.
[[noreturn]] inline void truncated_model(BinaryReader& in, const std::string& what) {
  throw in.short_of(Error(in.name() + ": truncated model file: " + what));
}
// Checks that n more bytes follow (the model file reads to its end and takes
// the checksum as its last field).
inline void need_model_bytes(BinaryReader& in, std::uint64_t n, const char* what) {
  if (n > in.left())
    truncated_model(in, std::string(what) + " needs " + std::to_string(n) + " bytes at offset " +
                            std::to_string(in.position()) + ", only " + std::to_string(in.left()) + " left");
}
template <class U>
U get_model_field(BinaryReader& in, const char* what) {
  need_model_bytes(in, sizeof(U), what);
  return in.get<U>();
}

inline void write_model(BinaryWriter& out, const ModelFile& file) {
  out.header(std::string_view(model_magic, 4), model_format_version);
  nlohmann::json header = file.header;
  header["arrays"] = nlohmann::json::array();
  for (const auto& [name, a] : file.arrays) header["arrays"].push_back(name);
  const std::string text = header.dump();
  out.put(static_cast<std::uint64_t>(text.size()));
  out.bytes(text.data(), text.size());
  for (const auto& [name, a] : file.arrays) {
    out.put(static_cast<std::uint64_t>(a.size()));
    out.array(a.data(), a.size());
  }
  out.finish();
}

}  // namespace detail

inline std::string model_file_bytes(const ModelFile& file) {
  std::string out;
  BinaryWriter writer(out);
  detail::write_model(writer, file);
  return out;
}

// `name` is the file name used in error messages. Each kind of damage has its
// own message: empty, not a model file (magic), a newer format (version),
// truncated (the content claims more bytes than there are), damaged
// (checksum mismatch), and malformed (checksum fine, content invalid).
inline ModelFile parse_model_file(std::string_view bytes, const std::string& name) {
  BinaryReader in(bytes, name);
  in.read_to_end();
  require(!bytes.empty(), name + ": the model file is empty (0 bytes)");
  require(bytes.size() >= 4 || std::memcmp(bytes.data(), model_magic, bytes.size()) != 0,
          name + ": truncated model file: it ends after " + std::to_string(bytes.size()) + " bytes");
  require(bytes.size() >= 4 && std::memcmp(bytes.data(), model_magic, 4) == 0,
          name + ": not an sster model file (it does not start with \"SSTR\")");
  if (bytes.size() < 8)
    detail::truncated_model(in, "the format version needs 4 bytes at offset 4, only " + std::to_string(bytes.size() - 4) +
                                    " left");
  const auto version = in.header().version;
  require(version <= model_format_version,
          name + ": model file format version " + std::to_string(version) + " is newer than this sster " +
              library_version + " reads (up to " + std::to_string(model_format_version) + "): update sster");
  require(version >= 1, name + ": invalid model file format version 0");
  ModelFile file;
  try {
    const auto header_size = detail::get_model_field<std::uint64_t>(in, "the header length");
    if (header_size > in.left())
      detail::truncated_model(in, "the header claims " + std::to_string(header_size) + " bytes, the file has " +
                                      std::to_string(bytes.size()));
    detail::need_model_bytes(in, header_size, "the header");
    std::string header_text(to_size(header_size), '\0');
    in.bytes(header_text.data(), header_text.size());
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
      const auto count = detail::get_model_field<std::uint64_t>(in, "the array size");
      if (count > in.left() / sizeof(float))
        detail::truncated_model(in, "array '" + what + "' has " + std::to_string(count) + " values, the file ends before");
      detail::need_model_bytes(in, count * sizeof(float), "an array");
      std::vector<float> values(to_size(count));
      in.array(values.data(), values.size());
      file.arrays.emplace_back(what, std::move(values));
    }
    detail::need_model_bytes(in, 4, "the checksum");
    require(in.left() == 4, name + ": " + std::to_string(in.left() - 4) + " unexpected bytes after the checksum");
  } catch (const Error&) {
    // The checksum tells a damaged file from a malformed one; running out of
    // bytes, a truncated one from a damaged one.
    if (in.diagnose() != BinaryReader::Failure::damaged) throw;
    throw Error(name + ": checksum mismatch: the model file is corrupted (damaged in transfer or on disk)");
  }
  require(in.matches_checksum(), name + ": checksum mismatch: the model file is corrupted (damaged in transfer or on disk)");
  return file;
}

// Streams the file: its weights are not copied into one more buffer first.
inline void write_model_file(const ModelFile& file, const std::string& path) {
  AtomicFile out(path);
  BinaryWriter writer(out);
  detail::write_model(writer, file);
  out.commit();
}

inline ModelFile read_model_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  require(static_cast<bool>(in), path + ": cannot open the model file");
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  require(!in.bad(), path + ": read error");
  return parse_model_file(bytes, path);
}

}  // namespace sster
