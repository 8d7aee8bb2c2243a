#include "sster/model/model_file.hpp"

#include <doctest.h>

#include <string>
#include <vector>

#include "temp_dir.hpp"

#ifndef SSTER_TEST_FILES
#error "tests/model/meson.build defines SSTER_TEST_FILES"
#endif

using namespace sster;

namespace {
// Written by sster 0.1.0 before the model file moved onto the shared
// container (tests/model/files/README.md): a trained model and a checkpoint.
std::string old_model_file(const std::string& name) { return std::string(SSTER_TEST_FILES) + "/" + name; }
}  // namespace

TEST_CASE("model files and checkpoints written by sster 0.1.0 load and save again byte for byte") {
  test::TempDir dir;
  for (const std::string name : {"trained.sster", "checkpoint.sster"}) {
    CAPTURE(name);
    const std::string before = test::read_file(old_model_file(name));
    const Model m = Model::load(old_model_file(name));
    CHECK(m.training_in_progress() == (name == "checkpoint.sster"));
    m.save(dir.file(name));
    CHECK(test::read_file(dir.file(name)) == before);
    // In memory: the same bytes, and they parse back to the same file.
    const ModelFile file = m.to_file();
    CHECK(model_file_bytes(file) == before);
    const ModelFile parsed = parse_model_file(before, name);
    CHECK(parsed.arrays == file.arrays);
    CHECK(model_file_bytes(parsed) == before);
  }
}
