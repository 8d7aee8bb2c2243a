#pragma once
// sster::Model: pysster's Model class. Builds pysster's network for a data
// set, trains it (Adam, max-norm, class weights, plateau LR schedule, early
// stopping, best weights restored), predicts, and exposes the first
// convolution's activations that the interpretation methods explain.
// Its file members (to_file, from_file, save, load) are defined in
// model/model_file.hpp, included at the end of this header; its summary
// table is model/summary.hpp.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "sster/core/eigen.hpp"
#include "sster/core/index.hpp"
#include "sster/core/json_fields.hpp"
#include "sster/data/dataset.hpp"
#include "sster/data/reverse_complement.hpp"
#include "sster/model/architecture.hpp"
#include "sster/model/batch.hpp"
#include "sster/model/engine.hpp"
#include "sster/model/input_json.hpp"
#include "sster/model/params.hpp"
#include "sster/model/serialize.hpp"
#include "sster/model/summary.hpp"
#include "sster/model/training_state.hpp"
#include "sster/optim/schedule.hpp"

namespace sster {

// What a model knows of its input: enough to check and encode new data
// without the training set.
struct ModelInfo {
  Alphabet alphabet = alphabet::dna();
  index_t length = 0;
  index_t dense_channels = 0;
  index_t extra = 0;
  std::vector<std::string> class_names;
  bool multilabel = false;
  index_t profile_channels = 0;  // structure profiles instead of structure letters
  // How the structure input was folded from plain RNA (the sster tool's
  // spelling, e.g. "annotate"); empty when the structures came with the data.
  // The tool folds new input the same way; the library only keeps the note.
  std::string fold;
  // How each additional input (its columns together: `extra`) and each
  // position-wise channel was encoded and scaled in the training data: new
  // data is encoded the same way.
  std::vector<AdditionalInput> additional;
  std::vector<PositionwiseInput> positionwise;
  // How the training data was split, when the trainer said (Model::set_split_recipe).
  std::optional<SplitRecipe> split;

  index_t classes() const { return static_cast<index_t>(class_names.size()); }
  InputSpec input_spec() const {
    return {.length = length,
            .symbols = alphabet.size(),
            .dense_channels = dense_channels,
            .extra = extra,
            .profile_channels = profile_channels};
  }
  static ModelInfo of(const Data& d) {
    return {.alphabet = d.alphabet(),
            .length = d.length(),
            .dense_channels = d.dense_channels(),
            .extra = d.extra_size(),
            .class_names = d.class_names(),
            .multilabel = d.multilabel(),
            .profile_channels = d.profile_channels(),
            .additional = d.additional_inputs(),
            .positionwise = d.positionwise_inputs()};
  }
  // The keys beyond the sizes appear only when there is something to say, so
  // files of models without such inputs stay as they were.
  nlohmann::json to_json() const {
    nlohmann::json j = {{"alphabet", alphabet.to_string()}, {"length", length},         {"dense_channels", dense_channels},
                        {"extra", extra},                   {"classes", class_names}, {"multilabel", multilabel},
                        {"profile_channels", profile_channels}};
    if (!fold.empty()) j["fold"] = fold;
    for (const auto& a : additional) j["additional"].push_back(sster::to_json(a));
    for (const auto& p : positionwise) j["positionwise"].push_back(sster::to_json(p));
    if (split) j["split"] = sster::to_json(*split);
    return j;
  }
  // Model files are input too: every size is range-checked before anything
  // is sized from it (2^31 positions, 2^24 extra channels: far beyond use).
  static ModelInfo from_json(const nlohmann::json& j) {
    constexpr index_t max_length = index_t{1} << 31, max_channels = index_t{1} << 24;
    ModelInfo m{.alphabet = Alphabet::from_string(j.at("alphabet").get<std::string>()),
                .length = json_integer<index_t>(j, "length", 1, max_length),
                .dense_channels = json_integer<index_t>(j, "dense_channels", 0, max_channels),
                .extra = json_integer<index_t>(j, "extra", 0, max_channels),
                .class_names = j.at("classes").get<std::vector<std::string>>(),
                .multilabel = j.at("multilabel").get<bool>(),
                .profile_channels = json_integer<index_t>(j, "profile_channels", 0, max_symbols),
                .fold = j.value("fold", std::string())};
    require(m.classes() >= 1, "the model has no classes");
    require(m.profile_channels == 0 || m.profile_channels == m.alphabet.structure_size(),
            std::to_string(m.profile_channels) + " structure profile channels for the structure alphabet '" +
                m.alphabet.structure() + "'");
    read_inputs(j, m);
    if (j.contains("split")) m.split = split_recipe_from_json(j.at("split"));
    return m;
  }

 private:
  // Files written before sster kept the encodings: plain numbers, unscaled.
  static void read_inputs(const nlohmann::json& j, ModelInfo& m) {
    if (j.contains("additional"))
      for (const auto& a : j.at("additional")) m.additional.push_back(additional_input_from_json(a));
    else
      for (index_t k = 0; k < m.extra; ++k) m.additional.push_back({.name = "additional_" + std::to_string(k + 1)});
    index_t columns = 0;
    for (const auto& a : m.additional) columns += a.columns();
    require(columns == m.extra, "the additional inputs' encodings give " + std::to_string(columns) + " columns, the model has " +
                                    std::to_string(m.extra));
    if (j.contains("positionwise"))
      for (const auto& p : j.at("positionwise")) m.positionwise.push_back(positionwise_input_from_json(p, m.length));
    else
      for (index_t k = 0; k < m.dense_channels; ++k) m.positionwise.push_back({.name = "positionwise_" + std::to_string(k + 1)});
    require(std::ssize(m.positionwise) == m.dense_channels,
            std::to_string(m.positionwise.size()) + " position-wise inputs described for " +
                std::to_string(m.dense_channels) + " position-wise channels");
  }
};

// Parameters of a network, counted in double: the shapes of a damaged or
// crafted model file could multiply past 2^63 in index_t.
inline double parameter_count_checked(const Network<float>& net) {
  double n = 0;
  for (std::size_t i = 0; i < net.size(); ++i)
    for (const auto& p : net.param_specs(i)) {
      double size = 1;
      for (index_t d : p.shape) size *= static_cast<double>(d);
      n += size;
    }
  return n;
}

// The arithmetic of inference: float32, or int8 convolutions
// (nn/quantized_conv_pool1d.hpp) after Model::calibrate_int8.
enum class Precision { float32, int8 };

inline const char* precision_name(Precision p) { return p == Precision::int8 ? "int8" : "float32"; }

inline Precision parse_precision(const std::string& name) {
  if (name == "float32") return Precision::float32;
  require(name == "int8", "precision '" + name + "': expected float32 or int8");
  return Precision::int8;
}

struct EpochRecord {
  int epoch = 0;
  double loss = 0, val_loss = 0, learning_rate = 0, seconds = 0;
};

class Model;

// An unfinished training run as a checkpoint file holds it: the model with
// the state its run resumes from. TrainObserver::on_epoch hands one over.
class Checkpoint {
 public:
  Checkpoint(const Model& model, const TrainingState& state) : model_(model), state_(state) {}
  // Where a resumed run starts: the epoch after the one just finished (or,
  // after early stopping, past the last: it only restores the best weights).
  const TrainingState& state() const { return state_; }
  ModelFile to_file() const;                 // model/model_file.hpp
  void save(const std::string& path) const;  // atomically, as Model::save

 private:
  const Model& model_;
  const TrainingState& state_;
};

// Progress callbacks for a training run (the CLI draws its progress bar here).
struct TrainObserver {
  // mean_loss: over the records of the epoch trained so far.
  std::function<void(int epoch, index_t batch, index_t batches, double mean_loss)> on_batch;
  // After each epoch, with the checkpoint of the run as it stands: save it to
  // resume from the next epoch.
  std::function<void(const EpochRecord&, const Checkpoint&)> on_epoch;
  // Asked after every batch; true interrupts training (resumable).
  std::function<bool()> stop_requested;
};

// get_max_activations: per record and first-layer kernel, the largest
// activation over positions and where it is (start of the input window).
struct MaxActivations {
  RowMatrix<float> activations;                                                   // (n, kernels)
  Eigen::Matrix<index_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> positions;  // (n, kernels)
  RowMatrix<float> labels;                                                        // (n, classes)
  Group group = Group::all;
  std::vector<index_t> indices;  // the records, as indices into the Data set
};

class Model {
 public:
  static constexpr double max_parameters = 2147483648.0;  // 2^31 floats: 8 GB of weights, 32 GB while training

  Model(Params params, const Data& data, std::uint64_t seed = 0) : Model(std::move(params), ModelInfo::of(data), seed) {}
  Model(Params params, ModelInfo info, std::uint64_t seed)
      : params_(std::move(params)), info_(std::move(info)), seed_(seed) {
    require(info_.classes() >= 2 || (info_.multilabel && info_.classes() >= 1),
            "model: a single-label classifier needs at least 2 classes, got " + std::to_string(info_.classes()));
    Network<float> net = build_network<float>(params_, info_.input_spec(), info_.classes());
    const double count = parameter_count_checked(net);
    require(count <= max_parameters, "model: the network has " + std::to_string(static_cast<std::uint64_t>(count)) +
                                         " parameters, more than the 2^31 sster supports (" +
                                         std::to_string(static_cast<std::uint64_t>(count * 16 / 1e9)) +
                                         " GB with gradients and optimiser state): use fewer or smaller layers");
    engine_ = std::make_unique<Engine<float>>(std::move(net), loss_kind(), seed_);
    learning_rate_ = params_.values().learning_rate;
  }

  const Params& params() const { return params_; }
  const ModelInfo& info() const { return info_; }
  std::uint64_t seed() const { return seed_; }
  const std::vector<EpochRecord>& history() const { return history_; }
  // Notes how the structure input was folded (ModelInfo::fold); saved with the model.
  void set_fold(std::string fold) { info_.fold = std::move(fold); }
  // Notes how the training data was split (ModelInfo::split); saved with the model.
  void set_split_recipe(SplitRecipe recipe) { info_.split = std::move(recipe); }
  Engine<float>& engine() { return *engine_; }
  // All weights, flat, in layer order (Keras shapes: network().param_specs(i)).
  const AlignedVector<float>& weights() const { return engine_->parameters(); }
  const Network<float>& network() const { return engine_->network(); }
  LossKind loss_kind() const {
    return info_.multilabel ? LossKind::sigmoid_cross_entropy : LossKind::softmax_cross_entropy;
  }

  // Keras-like table: layer, output shape, parameter count, total.
  std::string summary() const { return summary_table(network()); }
  void print_summary(std::ostream& out = std::cout) const { out << summary(); }

  void train(const Data& data, bool verbose = true) {
    TrainObserver observer;
    if (verbose) observer.on_epoch = [](const EpochRecord& r, const Checkpoint&) { std::cerr << format_epoch(r) << "\n"; };
    train(data, observer);
  }

  // pysster's Model.train: epochs over the shuffled training set (a new order
  // every epoch), validation loss after each, ReduceLROnPlateau,
  // EarlyStopping, and the best-val-loss weights restored at the end.
  // Returns false when observer.stop_requested interrupted it: the model then
  // holds the run's state (saved with it) and train() continues the run.
  bool train(const Data& data, const TrainObserver& observer) {
    check_compatible(data);
    int8_calibration_.clear();  // it describes weights training changes
    set_precision(Precision::float32);  // training and validation run in float
    const auto val = data.indices(Group::val);
    require(!data.indices(Group::train).empty(), "train: the data set has no training records");
    require(!val.empty(), "train: the data set has no validation records (needed for early stopping)");
    const auto rc = strand_augmentation(data, rc_augment());  // checked before a run starts
    if (!training_) start_run(data);
    auto& s = *training_;
    require(s.data_fingerprint == data_fingerprint(data),
            "train: this unfinished run was started on other data (or another split); give the same files");
    const auto class_weights = data.class_weights();
    const index_t batch = params_.values().batch_size;
    const int end = s.first_epoch + static_cast<int>(params_.values().epochs);
    while (s.epoch < end) {
      const auto start = std::chrono::steady_clock::now();
      const auto order = epoch_samples(data, s);
      const auto n = static_cast<index_t>(order.size());
      const index_t batches = (n + batch - 1) / batch;
      for (; s.next_batch < batches; ++s.next_batch) {
        const index_t b = s.next_batch;
        const std::span<const index_t> idx(order.data() + b * batch, to_size(std::min(batch, n - b * batch)));
        const double loss =
            engine_->train_step(buffer_.gather(data, idx, &class_weights, rc ? &*rc : nullptr),
                                static_cast<index_t>(idx.size()), adam(), kernel_constraint());
        if (!std::isfinite(loss)) diverged(loss, b, batches);
        s.loss_sum += loss;
        const auto trained = static_cast<double>(b * batch + std::ssize(idx));  // the last batch may be smaller
        if (observer.on_batch) observer.on_batch(s.epoch, b + 1, batches, s.loss_sum / trained);
        if (observer.stop_requested && observer.stop_requested()) {
          ++s.next_batch;
          s.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          return false;
        }
      }
      const EpochRecord record{
          .epoch = s.epoch,
          .loss = s.loss_sum / static_cast<double>(n),
          .val_loss = evaluate_loss(data, val),
          .learning_rate = learning_rate_,
          .seconds = s.seconds + std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
      history_.push_back(record);
      const auto decision = s.schedule.observe(record.val_loss);
      if (decision.improved) s.best = engine_->parameters();
      if (decision.halve_lr) learning_rate_ *= 0.5;
      // The run now stands at the start of the next epoch (past the last one
      // after early stopping): what a checkpoint saved now resumes from.
      s.epoch = decision.stop ? end : s.epoch + 1;
      s.next_batch = 0;
      s.loss_sum = s.seconds = 0;
      if (observer.on_epoch) observer.on_epoch(record, Checkpoint(*this, s));
    }
    engine_->parameters() = s.best;
    training_.reset();
    calibrate_int8(data, data.indices(Group::train));  // for int8 inference on these weights
    return true;
  }

  // Whether an interrupted run is waiting to be continued by train().
  bool training_in_progress() const { return training_.has_value(); }

  // Whether the next training run also trains on every training sequence's
  // reverse complement, every epoch (DNA and RNA sequences without
  // structure, profiles or position-wise values). A run resumed from a
  // checkpoint keeps the choice it started with.
  void set_rc_augment(bool on) { rc_augment_ = on; }
  bool rc_augment() const { return training_ ? training_->rc_augment : rc_augment_; }

  static std::string format_epoch(const EpochRecord& r) {
    char line[160];
    std::snprintf(line, sizeof line, "epoch %3d  loss %.4f  val_loss %.4f  lr %.2e  %.1fs", r.epoch, r.loss,
                  r.val_loss, r.learning_rate, r.seconds);
    return line;
  }

  // Mean unweighted loss over the records idx (Keras' validation loss).
  double evaluate_loss(const Data& data, std::span<const index_t> idx) {
    double total = 0;
    for_each_block(data, idx, [&](const Batch<float>& b, index_t n, index_t) { total += engine_->loss(b, n); });
    return total / static_cast<double>(idx.size());
  }

  // Probabilities (records of `group`, classes), in the group's record order.
  RowMatrix<float> predict(const Data& data, Group group) { return predict(data, data.indices(group)); }

  // Probabilities (records idx, classes), in idx's order.
  RowMatrix<float> predict(const Data& data, std::span<const index_t> idx) {
    check_compatible(data);
    RowMatrix<float> out(static_cast<index_t>(idx.size()), info_.classes());
    for_each_block(data, idx, [&](const Batch<float>& b, index_t n, index_t first) {
      Batch<float> inputs_only = b;
      inputs_only.targets = nullptr;
      engine_->predict(inputs_only, n, out.data() + first * info_.classes());
    });
    return out;
  }

  // Probabilities for an already encoded batch (B, classes): for callers
  // that stream records themselves.
  void predict(const InputBatch<float>& in, float* probs) { engine_->predict(Batch<float>{.input = in}, in.B, probs); }

  // ---- int8 inference (nn/quantized_conv_pool1d.hpp)
  // Records, for every convolution block that reads floats, the largest
  // value of its input over records idx (training data): its int8 scale.
  // Blocks whose input went negative stay in float. A finished train()
  // calibrates on its training records (one inference pass over them),
  // train() starting clears it (the weights change); saved with the model.
  void calibrate_int8(const Data& data, std::span<const index_t> idx) {
    check_compatible(data);
    require(!idx.empty(), "int8 calibration: no records to calibrate on");
    engine_->quantize({});  // calibrate the float network
    std::map<std::string, std::pair<float, float>> range;  // per block: smallest, largest input
    std::mutex merge;
    for_each_block(data, idx, [&](const Batch<float>& b, index_t n, index_t) {
      engine_->for_each_chunk(n, [&](std::size_t replica, index_t begin, index_t end) {
        auto& net = engine_->network(replica);
        Context ctx;
        net.forward(b.input.slice(info_.input_spec(), begin, end), ctx);
        net.for_each_quantizable_input([&](const std::string& name, const Tensor<float>& x) {
          const auto [lo, hi] = std::minmax_element(x.data(), x.data() + x.size());
          const std::lock_guard lock(merge);
          auto [it, fresh] = range.try_emplace(name, *lo, *hi);
          if (!fresh) it->second = {std::min(it->second.first, *lo), std::max(it->second.second, *hi)};
        });
      });
    });
    int8_calibration_.clear();
    for (const auto& [name, r] : range)
      if (r.first >= 0 && r.second > 0) int8_calibration_[name] = r.second;
    set_precision(precision_);
  }
  // Per calibrated convolution (its conv1d's Keras name): the largest input.
  const std::map<std::string, float>& int8_calibration() const { return int8_calibration_; }

  // How predict() (and the other inference) computes from now on; int8
  // needs a calibration.
  void set_precision(Precision p) {
    require(p == Precision::float32 || !int8_calibration_.empty(),
            "int8 precision: the model has no int8 calibration (a finished training run measures it on its "
            "training data; models saved before sster did, and models without a convolution block after the "
            "first, have none)");
    precision_ = p;
    engine_->quantize(p == Precision::int8 ? int8_calibration_ : std::map<std::string, float>{});
  }
  Precision precision() const { return precision_; }

  // Calls fn(record index, activations) for every record in idx, where
  // activations is the first convolution's (positions, kernels) output
  // after ReLU, row-major. Runs in parallel over chunks: fn must be safe to
  // call concurrently for different records.
  template <class Fn>
  void first_layer_activations(const Data& data, std::span<const index_t> idx, Fn&& fn) {
    check_compatible(data);
    require(first_conv() != nullptr, "the first layer is not a convolution: no kernel activations to show");
    for_each_block(data, idx, [&](const Batch<float>& b, index_t n, index_t first) {
      engine_->for_each_chunk(n, [&](std::size_t replica, index_t begin, index_t end) {
        auto& net = engine_->network(replica);
        Context ctx;
        const InputBatch<float> part = b.input.slice(info_.input_spec(), begin, end);
        const auto& acts = net.first_conv_activations(part, ctx);
        for (index_t s = 0; s < end - begin; ++s) fn(at(idx, first + begin + s), acts.sample(s));
      });
    });
  }

  // Kernel count, length and output positions of the first convolution.
  const Conv1D<float>* first_conv() const { return network().first_conv(); }

  MaxActivations get_max_activations(const Data& data, Group group) {
    const auto idx = data.indices(group);
    const auto* conv = first_conv();
    require(conv != nullptr, "get_max_activations: the first layer is not a convolution");
    const index_t n = static_cast<index_t>(idx.size()), K = conv->kernels;
    const index_t positions = info_.length - conv->width + 1;
    MaxActivations m;
    m.group = group;
    m.indices.assign(idx.begin(), idx.end());
    m.activations.resize(n, K);
    m.positions.resize(n, K);
    m.labels.resize(n, info_.classes());
    std::vector<index_t> row_of(to_size(data.size()), 0);
    for (index_t r = 0; r < n; ++r) {
      at(row_of, at(idx, r)) = r;
      const auto t = data.targets(at(idx, r));
      for (index_t c = 0; c < info_.classes(); ++c) m.labels(r, c) = at(t, c);
    }
    first_layer_activations(data, idx, [&](index_t record, const float* acts) {
      const index_t r = at(row_of, record);
      for (index_t k = 0; k < K; ++k) {
        index_t best = 0;
        for (index_t t = 1; t < positions; ++t)
          if (acts[t * K + k] > acts[best * K + k]) best = t;
        m.activations(r, k) = acts[best * K + k];
        m.positions(r, k) = best;
      }
    });
    return m;
  }

  // ---- files (model/model_file.hpp)
  // Saves to a .sster file (format in model/serialize.hpp), atomically; an
  // unfinished run is saved with it (a checkpoint).
  void save(const std::string& path) const;
  // Loads a .sster file; needs no data set.
  static Model load(const std::string& path);
  ModelFile to_file() const;
  // `name` names the file in messages.
  static Model from_file(const ModelFile& file, const std::string& name);

  // The data set must have the model's alphabet, length, inputs and classes.
  void check_compatible(const Data& data) const {
    require(data.alphabet() == info_.alphabet, "data alphabet " + data.alphabet().to_string() +
                                                   " differs from the model's " + info_.alphabet.to_string());
    require(data.length() == info_.length,
            "data sequences have length " + std::to_string(data.length()) + " but the model was trained on length " +
                std::to_string(info_.length) + " (sster, like pysster, needs the training length)");
    require(data.dense_channels() == info_.dense_channels,
            "data has " + std::to_string(data.dense_channels()) + " real-valued channels per position, the model " +
                std::to_string(info_.dense_channels));
    require(data.extra_size() == info_.extra, "data has " + std::to_string(data.extra_size()) +
                                                  " additional values per sequence, the model " +
                                                  std::to_string(info_.extra));
    require(data.classes() == info_.classes(), "data has " + std::to_string(data.classes()) +
                                                   " classes, the model " + std::to_string(info_.classes()));
    require(data.profile_channels() == info_.profile_channels,
            data.profile_channels() ? "data has structure profiles, the model was trained on structure letters"
                                    : "data has structure letters, the model was trained on structure profiles");
  }

 private:
  friend class Checkpoint;
  // The model's file, with `run` (may be null) as its unfinished run.
  ModelFile to_file(const TrainingState* run) const;

  Adam adam() const { return Adam{.learning_rate = learning_rate_}; }

  // The reverse complement a run with rc_augment trains on (checked against
  // the data), or nothing.
  static std::optional<ReverseComplement> strand_augmentation(const Data& data, bool rc_augment) {
    if (!rc_augment) return std::nullopt;
    require(data.dense_channels() == 0 && !data.has_profile(),
            "--rc-augment: position-wise values and structure profiles have no reverse complement");
    return ReverseComplement(data.alphabet(), "--rc-augment");
  }

  // The epoch's samples: the training records in a fresh order, and with
  // rc_augment their reverse complements too (reverse_sample), shuffled
  // among them.
  std::vector<index_t> epoch_samples(const Data& data, const TrainingState& s) const {
    std::vector<index_t> order = data.epoch_order(seed_, static_cast<std::uint64_t>(s.epoch));
    if (!s.rc_augment) return order;
    const std::size_t n = order.size();
    for (std::size_t i = 0; i < n; ++i) order.push_back(reverse_sample(order[i]));
    RandomStream rng(RandomKey(seed_, Purpose::shuffle).with({static_cast<std::uint64_t>(s.epoch), 1}));
    shuffle(order.begin(), order.end(), rng);
    return order;
  }

  void start_run(const Data& data) {
    TrainingState s;
    s.first_epoch = s.epoch = static_cast<int>(history_.size()) + 1;
    s.schedule = PlateauSchedule(static_cast<int>(params_.values().patience_lr),
                                 static_cast<int>(params_.values().patience_stopping));
    s.best = engine_->parameters();
    s.data_fingerprint = data_fingerprint(data);
    s.rc_augment = rc_augment_;
    training_ = std::move(s);
  }

  [[noreturn]] void diverged(double loss, index_t batch, index_t batches) {
    const int epoch = training_->epoch;
    engine_->parameters() = training_->best;
    training_.reset();
    throw Error("training diverged: the loss is " + std::to_string(loss) + " in epoch " + std::to_string(epoch) +
                ", batch " + std::to_string(batch + 1) + " of " + std::to_string(batches) +
                "; the best weights so far are kept (try a lower learning_rate)");
  }
  double kernel_constraint() const { return params_.values().kernel_constraint; }

  // Runs fn(batch, n, first) over idx in blocks of 1024 records (bounded
  // memory for any set size); first = offset of the block within idx.
  template <class Fn>
  void for_each_block(const Data& data, std::span<const index_t> idx, Fn&& fn) {
    constexpr index_t block = 1024;
    const auto n = static_cast<index_t>(idx.size());
    for (index_t first = 0; first < n; first += block) {
      const auto part = idx.subspan(to_size(first), to_size(std::min(block, n - first)));
      fn(buffer_.gather(data, part, nullptr), static_cast<index_t>(part.size()), first);
    }
  }

  Params params_;
  ModelInfo info_;
  std::uint64_t seed_;
  std::unique_ptr<Engine<float>> engine_;
  std::vector<EpochRecord> history_;
  double learning_rate_ = 0;
  bool rc_augment_ = false;
  std::optional<TrainingState> training_;
  std::map<std::string, float> int8_calibration_;
  Precision precision_ = Precision::float32;
  BatchBuffer buffer_;
};

}  // namespace sster

// The file members (see the top of this file).
#include "sster/model/model_file.hpp"
