// Writes the seed corpus of every fuzz target into OUT/<target>/: pysster's
// test inputs (plain and gzip-compressed), split and additional-data files, MEME files, seqlet TSVs,
// genome FASTA, FASTA index, BED and VCF files,
// and data and model files of every feature, made in memory by
// fuzz/targets.hpp (the same seeds the mutation test starts from).
//   make_corpus PYSSTER_TESTS_FOLDER OUT_FOLDER
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "sster/data/text_file.hpp"
#include "targets.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: make_corpus PYSSTER_TESTS_FOLDER OUT_FOLDER\n";
    return 2;
  }
  const std::string tests = argv[1];
  const std::filesystem::path out = argv[2];
  namespace fuzz = sster::fuzz;
  try {
    auto put = [&](const std::string& target, const std::string& name, const std::string& bytes) {
      std::filesystem::create_directories(out / target);
      std::ofstream(out / target / name, std::ios::binary) << bytes;
    };
    auto text = [&](const std::string& target, const std::vector<std::string>& files,
                    const std::vector<std::string>& inline_seeds) {
      for (const auto& f : files) {
        const std::string bytes = fuzz::read_file_bytes(tests + "/" + f);
        put(target, f, bytes);
        put(target, f + ".gz", sster::gzip_compress(bytes));
      }
      for (std::size_t i = 0; i < inline_seeds.size(); ++i) put(target, "inline_" + std::to_string(i), inline_seeds[i]);
    };
    text("fasta", fuzz::fasta_seed_files(), fuzz::fasta_inline_seeds());
    text("extra", fuzz::extra_seed_files(), fuzz::extra_inline_seeds());
    text("meme", fuzz::meme_seed_files(), fuzz::meme_inline_seeds());
    text("seqlets", {}, fuzz::seqlet_inline_seeds());
    text("genome_fasta", {}, fuzz::genome_fasta_inline_seeds());
    text("bed", {}, fuzz::bed_inline_seeds());
    text("vcf", {}, fuzz::vcf_inline_seeds());
    const auto data = fuzz::data_seeds(tests);
    for (std::size_t i = 0; i < data.size(); ++i) put("data_file", "seed_" + std::to_string(i) + ".sstd", data[i]);
    const auto models = fuzz::model_seeds(tests);
    for (std::size_t i = 0; i < models.size(); ++i) put("model_file", "seed_" + std::to_string(i) + ".sster", models[i]);
  } catch (const std::exception& e) {
    std::cerr << "make_corpus: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
