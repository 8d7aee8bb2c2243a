// Embedding a trained model in another tool: load a .sster file once, then
// score FASTA records read from standard input, block by block, printing one
// line per record (name and the probability of each class).
//   usage: embed MODEL.sster < reads.fa
#include <sster/sster.hpp>

#include <cstdio>
#include <iostream>

int main(int argc, char** argv) try {
  if (argc != 2) {
    std::cerr << "usage: embed MODEL.sster < reads.fa\n";
    return 2;
  }
  auto model = sster::Model::load(argv[1]);
  const auto& info = model.info();
  const sster::SequenceEncoder encoder(info.alphabet, /*seed=*/1);  // unknown letters: seeded random symbols
  sster::FastaReader reader("-");                                    // "-" is standard input

  constexpr sster::index_t block = 1024;
  std::vector<std::uint8_t> symbols(block * info.length);
  std::vector<float> probs(block * info.classes());
  std::vector<std::string> names;
  auto score = [&] {
    const auto n = static_cast<sster::index_t>(names.size());
    model.predict(sster::InputBatch<float>{.B = n, .symbols = symbols.data()}, probs.data());
    for (sster::index_t i = 0; i < n; ++i) {
      std::printf("%s", names[i].c_str());
      for (sster::index_t k = 0; k < info.classes(); ++k) std::printf("\t%.4f", probs[i * info.classes() + k]);
      std::printf("\n");
    }
    names.clear();
  };
  sster::FastaRecord rec;
  while (reader.next(rec)) {
    if (static_cast<sster::index_t>(rec.sequence.size()) != info.length)
      throw sster::Error(rec.name + ": length " + std::to_string(rec.sequence.size()) + ", the model needs " +
                         std::to_string(info.length));
    encoder.encode(rec, "stdin", rec.number, symbols.data() + names.size() * info.length);
    names.push_back(rec.name);
    if (static_cast<sster::index_t>(names.size()) == block) score();
  }
  if (!names.empty()) score();
  return 0;
} catch (const sster::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 2;
}
