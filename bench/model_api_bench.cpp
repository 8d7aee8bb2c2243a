// model_api_bench: pysster's Model API from C++ on a FASTA pair, timed; the
// C++ side of bench/python_overhead.py, which runs the same steps through the
// Python package for the ratio python / C++.
//
//   model_api_bench POS NEG THREADS EPOCHS PREDICT_PASSES
//
// Reads the pair (RNA), builds pysster's default network (seed 1), trains
// EPOCHS epochs (no early stopping: patience beyond EPOCHS), then predicts
// every record PREDICT_PASSES times. Prints one JSON line of seconds, and the
// CRC-32 of the trained weights (the Python side must match it).
#include <chrono>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "sster/core/crc32.hpp"
#include "sster/core/parallel.hpp"
#include "sster/data/dataset.hpp"
#include "sster/model/model.hpp"

using namespace sster;

int main(int argc, char** argv) {
  if (argc != 6) {
    std::cerr << "usage: model_api_bench POS NEG THREADS EPOCHS PREDICT_PASSES\n";
    return 2;
  }
  try {
    set_threads(std::stoi(argv[3]));
    const int epochs = std::stoi(argv[4]), passes = std::stoi(argv[5]);
    const Data data = Data::from_fasta({argv[1], argv[2]}, alphabet::rna());
    Model model(Params{}.epochs(epochs).patience_lr(epochs + 1).patience_stopping(epochs + 1), data, 1);
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    model.train(data, false);
    const auto t1 = clock::now();
    for (int p = 0; p < passes; ++p) model.predict(data, Group::all);
    const auto t2 = clock::now();
    std::cout << nlohmann::json{{"train_seconds", std::chrono::duration<double>(t1 - t0).count()},
                                {"predict_seconds", std::chrono::duration<double>(t2 - t1).count()},
                                {"train_records", data.indices(Group::train).size()},
                                {"records", data.size()},
                                {"weights_crc32", crc32_update(0, model.weights().data(), model.weights().size() * sizeof(float))}}
              << "\n";
  } catch (const Error& e) {
    std::cerr << "model_api_bench: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
