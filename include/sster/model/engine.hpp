#pragma once
// Engine<T>: runs a network over batches on several threads, deterministically.
//
// A batch is cut into chunks of `chunk_size` samples; chunk boundaries depend
// only on the batch size, never on the thread count. Each chunk runs on its
// own replica of the network (same parameter buffer, own activations and own
// gradient buffer), and the chunk gradients are summed in chunk order before
// the Adam step. Dropout masks are keyed by (seed, step, sample in batch).
// So 1 thread and N threads produce bit-identical weights. The same seam
// spreads the chunks over processes (share_chunks, model/chunk_sharing.hpp):
// 1 or N processes give bit-identical weights too.
//
// The larger members are defined after the class: not inline, so that a
// program can compile them once (model/compiled_runtime.cpp).
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sster/core/aligned.hpp"
#include "sster/core/index.hpp"
#include "sster/core/parallel.hpp"
#include "sster/core/simd.hpp"
#include "sster/model/chunk_sharing.hpp"
#include "sster/model/network.hpp"
#include "sster/nn/loss.hpp"
#include "sster/optim/adam.hpp"
#include "sster/optim/init.hpp"
#include "sster/optim/max_norm.hpp"

namespace sster {

// A batch: the network input plus what the loss needs.
template <class T>
struct Batch {
  InputBatch<T> input;
  const T* targets = nullptr;  // (B, classes)
  const T* weights = nullptr;  // (B) or null (unweighted)
};

template <class T>
class Engine {
 public:
  static constexpr index_t default_chunk = 32;

  Engine(Network<T> network, LossKind loss, std::uint64_t seed, index_t chunk_size = default_chunk);
  Engine(const Engine&) = delete;  // replicas point into params_
  Engine& operator=(const Engine&) = delete;

  Network<T>& network() { return replicas_[0]; }
  const Network<T>& network() const { return replicas_[0]; }
  AlignedVector<T>& parameters() { return params_; }
  const AlignedVector<T>& parameters() const { return params_; }
  const std::vector<ParamSpec>& param_specs() const { return specs_; }
  index_t classes() const { return network().output_shape(network().size() - 1).C; }
  std::uint64_t step() const { return step_; }
  AdamState& adam_state() { return adam_state_; }
  void set_step(std::uint64_t step) { step_ = step; }

  // Every replica, those to come too (copies of the first), runs these
  // convolutions in int8 when not training (Network::quantize).
  void quantize(const std::map<std::string, float>& input_max);

  // From now on every training step (and loss()) computes only this
  // process's chunks and `sharing` combines them with the other processes';
  // null: this process computes every chunk again.
  void share_chunks(std::shared_ptr<ChunkSharing<T>> sharing) { sharing_ = std::move(sharing); }

  // One optimiser step: forward, loss, backward on every chunk, gradients
  // summed in chunk order, Adam, max-norm. Returns the summed weighted loss.
  double train_step(const Batch<T>& batch, index_t B, const Adam& adam, double max_norm);

  // The summed loss of a batch against batch.targets, without gradients
  // (a validation loss); shared like a training step.
  double loss(const Batch<T>& batch, index_t B);

  // Probabilities (B, classes) for a batch of any size, and the summed loss
  // against batch.targets when they are given (0 otherwise).
  double predict(const Batch<T>& batch, index_t B, T* probs);

  // Keras' max_norm on every constrained kernel (not biases, not the output
  // layer), one parameter tensor per task.
  void apply_constraints(double max_norm);

  // Runs fn(replica, chunk_begin, chunk_end) for every chunk of B samples, in
  // parallel, each on its own replica (network(replica) inside fn). Every
  // replica takes the next chunk until none is left: no barrier between
  // rounds, and a chunk's result does not depend on the replica computing it.
  template <class Fn>
  void for_each_chunk(index_t B, Fn&& fn) {
    for_each_chunk_of({0, chunk_count(B)}, B, fn);
  }
  Network<T>& network(std::size_t replica) { return replicas_[replica]; }

 private:
  index_t chunk_count(index_t B) const { return (B + chunk_ - 1) / chunk_; }
  ChunkRange chunk_range_of(index_t c, index_t B) const { return {c * chunk_, std::min(B, (c + 1) * chunk_)}; }
  ChunkRange own_chunks(index_t chunks) const { return sharing_ ? sharing_->own_chunks(chunks) : ChunkRange{0, chunks}; }
  static double sum_in_order(const std::vector<double>& values) {
    double total = 0;
    for (double v : values) total += v;
    return total;
  }

  // for_each_chunk over the chunks [chunks.begin, chunks.end) only.
  template <class Fn>
  void for_each_chunk_of(ChunkRange chunks, index_t B, Fn&& fn) {
    const index_t count = chunks.end - chunks.begin;
    const index_t workers = std::min(count, std::max<index_t>(threads(), static_cast<index_t>(replicas_.size())));
    ensure_replicas(workers);
    std::atomic<index_t> next{chunks.begin};
    parallel_for_each_index(workers, [&](index_t i) {
      for (index_t c = next++; c < chunks.end; c = next++) {
        const auto r = chunk_range_of(c, B);
        fn(to_size(i), r.begin, r.end);
      }
    });
  }

  // Adam and max-norm with the gradient g + grads_[1] + ... + grads_[parts - 1],
  // summed in that order (g is grads_[0] itself, or a sum formed elsewhere
  // with parts = 1): in parallel over fixed blocks of parameters. Every
  // parameter's arithmetic is the same whichever thread runs its block, so
  // the weights do not depend on the thread count. (Serial, this step was 3%
  // of a 1-thread training step and 6% of a 2-thread one.)
  void optimizer_step(T* g, index_t parts, const Adam& adam, double max_norm);

  void ensure_replicas(index_t n);
  // Forward (and backward) of samples r of the batch on one replica. Returns
  // the chunk's summed loss (0 without targets); probabilities land in
  // chunk_probs_[replica].
  double run_chunk(std::size_t replica, const Batch<T>& batch, ChunkRange r, index_t B, Context& ctx, bool backward);

  LossKind loss_;
  std::uint64_t seed_;
  index_t chunk_;
  std::uint64_t step_ = 0;
  std::vector<ParamSpec> specs_;
  std::vector<index_t> spec_offsets_;  // where each spec's values start in params_
  AlignedVector<T> params_;
  std::vector<Network<T>> replicas_;
  std::vector<AlignedVector<T>> grads_;  // one per replica
  std::vector<std::vector<T>> chunk_probs_;
  std::vector<Tensor<T>> chunk_grad_;
  AdamState adam_state_;
  std::shared_ptr<ChunkSharing<T>> sharing_;
  AlignedVector<T> shared_sum_;  // the chunks' gradient sum a ChunkSharing forms
};

template <class T>
Engine<T>::Engine(Network<T> network, LossKind loss, std::uint64_t seed, index_t chunk_size)
    : loss_(loss), seed_(seed), chunk_(chunk_size) {
  index_t offset = 0;
  for (std::size_t i = 0; i < network.size(); ++i)
    for (auto& s : network.param_specs(i)) {
      specs_.push_back(s);
      spec_offsets_.push_back(offset);
      offset += s.size();
    }
  params_.resize(to_size(network.parameter_count()));
  initialize_parameters(specs_, params_.data(), seed);
  replicas_.push_back(std::move(network));
  grads_.emplace_back(params_.size());
  replicas_[0].bind(params_.data(), grads_[0].data());
  ensure_replicas(1);
}

template <class T>
void Engine<T>::quantize(const std::map<std::string, float>& input_max) {
  for (auto& r : replicas_) r.quantize(input_max);
}

template <class T>
double Engine<T>::train_step(const Batch<T>& batch, index_t B, const Adam& adam, double max_norm) {
  const index_t chunks = chunk_count(B);
  const ChunkRange own = own_chunks(chunks);
  ensure_replicas(own.end - own.begin);
  std::vector<double> losses(to_size(chunks));
  parallel_for_each_index(own.end - own.begin, [&](index_t i) {
    const auto r = chunk_range_of(own.begin + i, B);
    Context ctx{.training = true, .seed = seed_, .step = step_, .first_sample = r.begin};
    at(losses, own.begin + i) = run_chunk(to_size(i), batch, r, B, ctx, true);
  });
  if (sharing_) {
    std::vector<const T*> own_grads;
    for (index_t i = 0; i < own.end - own.begin; ++i) own_grads.push_back(at(grads_, i).data());
    shared_sum_.resize(params_.size());
    sharing_->sum_in_chunk_order(chunks, own_grads, static_cast<index_t>(params_.size()), shared_sum_.data(), losses);
    optimizer_step(shared_sum_.data(), 1, adam, max_norm);
  } else {
    optimizer_step(grads_[0].data(), chunks, adam, max_norm);
  }
  ++step_;
  return sum_in_order(losses);
}

template <class T>
double Engine<T>::loss(const Batch<T>& batch, index_t B) {
  const index_t chunks = chunk_count(B);
  std::vector<double> losses(to_size(chunks));
  for_each_chunk_of(own_chunks(chunks), B, [&](std::size_t replica, index_t begin, index_t end) {
    Context ctx{.first_sample = begin};
    at(losses, begin / chunk_) = run_chunk(replica, batch, {begin, end}, B, ctx, false);
  });
  if (sharing_) sharing_->share_losses(chunks, losses);
  return sum_in_order(losses);
}

template <class T>
double Engine<T>::predict(const Batch<T>& batch, index_t B, T* probs) {
  std::vector<double> losses(to_size(chunk_count(B)));
  for_each_chunk(B, [&](std::size_t replica, index_t begin, index_t end) {
    Context ctx{.first_sample = begin};
    at(losses, begin / chunk_) = run_chunk(replica, batch, {begin, end}, B, ctx, false);
    std::copy_n(chunk_probs_[replica].data(), (end - begin) * classes(), probs + begin * classes());
  });
  return sum_in_order(losses);
}

template <class T>
void Engine<T>::apply_constraints(double max_norm) {
  parallel_for_each_index(static_cast<index_t>(specs_.size()), [&](index_t i) {
    const auto& s = at(specs_, i);
    if (s.max_norm) apply_max_norm(params_.data() + at(spec_offsets_, i), s.shape[0],
                                   s.size() / s.shape[0], max_norm);
  });
}

template <class T>
void Engine<T>::optimizer_step(T* g, index_t parts, const Adam& adam, double max_norm) {
  constexpr index_t block = 16384;  // floats: 64 KiB, a multiple of every SIMD width
  const index_t n = static_cast<index_t>(params_.size());
  const auto coefficients = adam.begin_step(adam_state_, n);
  parallel_for_each_index((n + block - 1) / block, [&](index_t b) {
    const index_t begin = b * block, end = std::min(n, begin + block);
    for (index_t c = 1; c < parts; ++c)
      simd::add(end - begin, at(grads_, c).data() + begin, g + begin);
    Adam::update(coefficients, adam_state_, params_.data(), g, begin, end);
  });
  apply_constraints(max_norm);
}

template <class T>
void Engine<T>::ensure_replicas(index_t n) {
  while (static_cast<index_t>(replicas_.size()) < n) {
    replicas_.push_back(replicas_[0]);
    grads_.emplace_back(params_.size());
    replicas_.back().bind(params_.data(), grads_.back().data());
  }
  chunk_probs_.resize(replicas_.size());
  chunk_grad_.resize(replicas_.size());
}

template <class T>
double Engine<T>::run_chunk(std::size_t replica, const Batch<T>& batch, ChunkRange r, index_t B, Context& ctx,
                            bool backward) {
  auto& net = replicas_[replica];
  const index_t n = r.end - r.begin, K = classes();
  const InputBatch<T> part = batch.input.slice(net.input(), r.begin, r.end);
  const Tensor<T>& logits = net.forward(part, ctx);
  auto& probs = chunk_probs_[replica];
  probs.resize(to_size(n * K));
  if (!batch.targets) {
    output_probabilities(loss_, n, K, logits.data(), probs.data());
    return 0;
  }
  auto& grad = chunk_grad_[replica];
  if (backward) grad.resize({n, 1, K});
  const double loss = loss_forward_backward(loss_, n, K, logits.data(), batch.targets + r.begin * K,
                                            batch.weights ? batch.weights + r.begin : nullptr, probs.data(),
                                            backward ? grad.data() : nullptr, B);
  if (backward) net.backward(grad, ctx);
  return loss;
}

// Compiled once where SSTER_COMPILED_RUNTIME is defined (model/compiled_runtime.cpp).
#if defined(SSTER_COMPILED_RUNTIME)
extern template class Engine<float>;
#endif

}  // namespace sster
