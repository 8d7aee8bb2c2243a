// sster._sster: sster's public C++ API for Python. The modules beside it
// (Data.py, Model.py, utils.py, Grid_Search.py) give it pysster's names and
// signatures; this file is one thin layer: arguments in, one library call,
// results out, no logic of its own.
//
// - Every call that reads data, trains, predicts or computes activations runs
//   without the GIL; sster's own thread pool does the parallel work.
// - Arrays leave without a copy where the library's layout is numpy's: the
//   result moves into a capsule that owns it (predictions), or the array is a
//   view of an object Python holds (maximum activations).
// - sster::Error becomes sster.Error, a ValueError with the CLI's message.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <chrono>
#include <map>
#include <optional>
#include <type_traits>
#include <string>
#include <utility>
#include <vector>

#include "sster/core/cpu.hpp"
#include "sster/data/dataset.hpp"
#include "sster/data/structure.hpp"
#include "sster/interpret/attribution.hpp"
#include "sster/interpret/kernel_meme.hpp"
#include "sster/interpret/optimize_input.hpp"
#include "sster/interpret/plot_clustering.hpp"
#include "sster/interpret/visualize_kernel.hpp"
#include "sster/metrics/class_curves.hpp"
#include "sster/metrics/report.hpp"
#include "sster/metrics/roc.hpp"
#include "sster/model/fasta_predictor.hpp"
#include "sster/search/grid_search.hpp"
#include "sster/model/model.hpp"
#include "sster/model/predict_symbols.hpp"
#include "sster/model/serialize.hpp"
#include "sster/core/parallel.hpp"

namespace py = pybind11;
using namespace sster;

namespace {

using release_gil = py::call_guard<py::gil_scoped_release>;
using Colors = std::map<std::string, std::string>;

// A container moved into a capsule that frees it: numpy reads its memory.
template <class T, class Container>
py::array_t<T> owning_array(Container&& c, std::vector<py::ssize_t> shape) {
  using Held = std::remove_cvref_t<Container>;
  auto* held = new Held(std::forward<Container>(c));
  py::capsule owner(held, [](void* p) { delete static_cast<Held*>(p); });
  return py::array_t<T>(std::move(shape), held->data(), owner);
}

// A view of memory that `owner` (a Python object) keeps alive.
template <class T>
py::array_t<T> view(T* data, std::vector<py::ssize_t> shape, py::handle owner) {
  return py::array_t<T>(std::move(shape), data, owner);
}

// Per-record rows of a group gathered into one (records, width) array.
// A matrix member of MaxActivations as a numpy view that keeps the object alive.
template <auto Member>
auto matrix_view(py::object self) {
  auto& a = self.cast<MaxActivations&>().*Member;
  return view(a.data(), {a.rows(), a.cols()}, self);
}

template <class T, class Row>
py::array_t<T> gather(const Data& d, Group g, py::ssize_t width, Row&& row) {
  const auto idx = d.indices(g);
  std::vector<T> out;
  out.reserve(idx.size() * to_size(width));
  for (index_t i : idx) {
    const auto r = row(i);
    out.insert(out.end(), r.begin(), r.end());
  }
  return owning_array<T>(std::move(out), {static_cast<py::ssize_t>(idx.size()), width});
}

std::map<char, Rgba> letter_colors(const Colors& given) {
  std::map<char, Rgba> out;
  for (const auto& [letter, hex] : given) {
    require(letter.size() == 1, "colours: '" + letter + "' is not a single letter");
    out[letter[0]] = Rgba::hex(hex);
  }
  return out;
}

py::array_t<float> probabilities(RowMatrix<float>&& p) {
  const auto rows = p.rows(), cols = p.cols();
  return owning_array<float>(std::move(p), {rows, cols});
}

// Probabilities (records, classes) of records given as symbols of the model's length.
py::array_t<float> predictions_of(Model& model, std::span<const std::uint8_t> symbols) {
  const index_t L = model.info().length, K = model.info().classes();
  const auto n = static_cast<py::ssize_t>(symbols.size()) / L;
  std::vector<float> p(to_size(n * K));
  {
    py::gil_scoped_release no_gil;
    predict_symbols(model, symbols, p);
  }
  return owning_array<float>(std::move(p), {n, K});
}

// pysster's Model.train with the CLI's progress line per epoch (through
// `print`, so a notebook shows it). Ctrl-C: Python's SIGINT handler only
// sets a flag; training looks at it at most every 100 ms, from its
// stop_requested hook, and stops after the current batch with the run
// kept (train() again continues it); then KeyboardInterrupt is raised. A
// signal handled while `print` runs (Python code: its KeyboardInterrupt
// comes out of print), or any other error of print, stops it the same way.
bool train(Model& model, const Data& data, bool verbose, const py::object& print) {
  std::optional<py::error_already_set> interrupt;
  auto last_look = std::chrono::steady_clock::now();
  TrainObserver observer;
  if (verbose)
    observer.on_epoch = [&](const EpochRecord& r, const Checkpoint&) {
      py::gil_scoped_acquire gil;
      try {
        print(Model::format_epoch(r));
      } catch (py::error_already_set& e) {
        interrupt.emplace(std::move(e));
      }
    };
  observer.stop_requested = [&] {
    if (interrupt) return true;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_look < std::chrono::milliseconds(100)) return false;
    last_look = now;
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() == 0) return false;
    interrupt.emplace();  // takes the exception the signal handler raised
    return true;
  };
  bool finished = false;
  {
    py::gil_scoped_release no_gil;
    finished = model.train(data, observer);
  }
  if (interrupt) throw *interrupt;
  return finished;
}

// Each layer's weights in Keras' shapes, in the model's flat parameter order.
py::list layer_weights(const Model& model, const std::string& layer) {
  const auto& net = model.network();
  const auto& all = model.weights();
  index_t offset = 0;
  for (std::size_t i = 0; i < net.size(); ++i) {
    const auto specs = net.param_specs(i);
    if (net.name(i) != layer) {
      for (const auto& s : specs) offset += s.size();
      continue;
    }
    py::list out;
    for (const auto& s : specs) {
      std::vector<float> w(all.begin() + offset, all.begin() + offset + s.size());
      offset += s.size();
      out.append(owning_array<float>(std::move(w), std::vector<py::ssize_t>(s.shape.begin(), s.shape.end())));
    }
    return out;
  }
  throw Error("no layer '" + layer + "'");
}

py::list history(const Model& model) {
  py::list out;
  for (const auto& r : model.history())
    out.append(py::dict(py::arg("epoch") = r.epoch, py::arg("loss") = r.loss, py::arg("val_loss") = r.val_loss,
                        py::arg("learning_rate") = r.learning_rate, py::arg("seconds") = r.seconds));
  return out;
}

// (n, classes) matrices from numpy, as the metrics read them.
using Matrix = py::array_t<double, py::array::c_style | py::array::forcecast>;
std::span<const double> flat(const Matrix& m) { return {m.data(), to_size(m.size())}; }
std::vector<std::string> class_names_of(const Matrix& labels) {
  require(labels.ndim() == 2, "labels: expected a (records, classes) matrix, got " + std::to_string(labels.ndim()) +
                                  " dimensions");
  return default_class_names(labels.shape(1));
}
void same_shape(const Matrix& labels, const Matrix& predictions) {
  require(labels.ndim() == predictions.ndim() && std::equal(labels.shape(), labels.shape() + labels.ndim(),
                                                            predictions.shape()),
          "labels and predictions differ in shape");
}
std::vector<Curve> curves(const Matrix& labels, const Matrix& predictions, CurveKind kind) {
  same_shape(labels, predictions);
  const auto names = class_names_of(labels);
  const std::vector<float> p(predictions.data(), predictions.data() + predictions.size()),
      y(labels.data(), labels.data() + labels.size());
  return class_curves(p, y, names, kind);
}

}  // namespace

PYBIND11_MODULE(_sster, m) {
  m.doc() = "sster's C++ engine; use the modules sster.Data, sster.Model, sster.utils, sster.Grid_Search";
  py::register_exception<Error>(m, "Error", PyExc_ValueError);
  m.attr("__version__") = library_version;
  m.def("set_threads", &set_threads, py::arg("n"), "Use n threads for training, prediction and plots.");
  m.def("threads", &threads, "The number of threads in use.");
  m.def("kernels", &kernel_set_description,
        "The SIMD kernel set in use and the ones this CPU supports (what `sster --version` prints).");

  py::class_<Data>(m, "Data")
      .def_static(
          "from_fasta",
          [](const std::vector<std::string>& files, const std::string& sequence, const std::string& structure,
             bool profile) {
            DataOptions o;
            o.structure_profile = profile;
            return Data::from_fasta(files, Alphabet(sequence, structure), o);
          },
          release_gil())
      .def_static(
          "from_multilabel_fasta",
          [](const std::vector<std::string>& files, index_t classes, const std::string& sequence,
             const std::string& structure, bool profile) {
            DataOptions o;
            o.structure_profile = profile;
            return Data::from_multilabel_fasta(files, classes, Alphabet(sequence, structure), o);
          },
          release_gil())
      .def_static("load", &Data::load, release_gil())
      .def("save", &Data::save, release_gil())
      .def("resplit", &Data::resplit, py::arg("train_fraction"), py::arg("val_fraction"), py::arg("seed"))
      .def("summary", &Data::summary)
      .def("add_additional", py::overload_cast<const std::vector<std::string>&, bool>(&Data::add_additional),
           release_gil())
      .def("add_categorical",
           py::overload_cast<const std::vector<std::string>&, std::vector<std::string>>(&Data::add_categorical),
           release_gil())
      .def("add_positionwise",
           py::overload_cast<const std::vector<std::string>&, const std::string&, bool>(&Data::add_positionwise),
           release_gil())
      .def_property_readonly("size", &Data::size)
      .def_property_readonly("length", &Data::length)
      .def_property_readonly("classes", &Data::classes)
      .def_property_readonly("multilabel", &Data::multilabel)
      .def_property_readonly("input_channels", &Data::input_channels)
      .def_property_readonly("has_profile", &Data::has_profile)
      .def_property_readonly("sequence_letters", [](const Data& d) { return d.alphabet().sequence(); })
      .def_property_readonly("structure_letters", [](const Data& d) { return d.alphabet().structure(); })
      .def_property_readonly("dense_names", &Data::dense_names)
      .def_property_readonly("extra_names", &Data::extra_names)
      .def_property("class_names", &Data::class_names, &Data::set_class_names)
      .def("class_weights", &Data::class_weights)
      .def("indices",
           [](const Data& d, const std::string& group) {
             const auto idx = d.indices(parse_group(group));
             return owning_array<index_t>(std::vector<index_t>(idx.begin(), idx.end()),
                                          {static_cast<py::ssize_t>(idx.size())});
           })
      .def("targets",
           [](const Data& d, const std::string& group) {
             return gather<float>(d, parse_group(group), d.classes(), [&](index_t i) { return d.targets(i); });
           })
      .def("symbols",
           [](const Data& d, const std::string& group) {
             return gather<std::uint8_t>(d, parse_group(group), d.length(), [&](index_t i) { return d.symbols(i); });
           })
      .def("extra",
           [](const Data& d, const std::string& group) {
             return gather<float>(d, parse_group(group), d.extra_size(), [&](index_t i) { return d.extra(i); });
           })
      .def("inputs",
           [](const Data& d, const std::string& group) {
             const auto idx = d.indices(parse_group(group));
             const index_t L = d.length(), C = d.input_channels();
             py::array_t<float> out({static_cast<index_t>(idx.size()), L, C});
             for (std::size_t r = 0; r < idx.size(); ++r)
               d.write_input(idx[r], std::span<float>(out.mutable_data() + r * to_size(L * C), to_size(L * C)));
             return out;
           })
      .def("sequence", &Data::sequence_string)
      .def("structure", &Data::structure_string);

  py::class_<MaxActivations>(m, "MaxActivations")
      .def_property_readonly("activations", &matrix_view<&MaxActivations::activations>)
      .def_property_readonly("positions", &matrix_view<&MaxActivations::positions>)
      .def_property_readonly("labels", &matrix_view<&MaxActivations::labels>)
      .def_property_readonly("indices",
                             [](py::object self) {
                               auto& a = self.cast<MaxActivations&>().indices;
                               return view(a.data(), {static_cast<py::ssize_t>(a.size())}, self);
                             })
      .def_property_readonly("group", [](const MaxActivations& a) { return std::string(group_name(a.group)); });

  py::class_<Motif>(m, "Motif")
      .def_property_readonly("alphabet", &Motif::alphabet)
      .def_property_readonly("pwm",
                             [](const Motif& mo) {
                               return owning_array<double>(mo.pwm(), {mo.length(), mo.letters()});
                             })
      .def("consensus", &Motif::consensus)
      .def("information_content", &Motif::information_content)
      .def("plot", [](const Motif& mo, const std::string& path) { plot_motifs(std::vector<Motif>{mo}, path); },
           release_gil());

  py::class_<KernelResult>(m, "KernelResult")
      .def_readonly("kernel", &KernelResult::kernel)
      .def_readonly("score", &KernelResult::score)
      .def_readonly("top_class", &KernelResult::top_class)
      .def_readonly("sites", &KernelResult::sites)
      .def_property_readonly("sequence_motif", [](const KernelResult& r) { return r.motif.sequence; })
      .def_property_readonly("structure_motif", [](const KernelResult& r) { return r.motif.structure; });

  py::class_<OptimizedInput>(m, "OptimizedInput")
      .def_readonly("node", &OptimizedInput::node)
      .def_readonly("loss", &OptimizedInput::loss)
      .def_readonly("converged", &OptimizedInput::converged)
      .def_readonly("attempts", &OptimizedInput::attempts);

  py::class_<Model>(m, "Model")
      .def(py::init([](const std::string& params_json, const Data& data, std::uint64_t seed) {
        return Model(Params::from_json(nlohmann::json::parse(params_json)), data, seed);
      }))
      .def_static("load", &Model::load, release_gil())
      .def("save", &Model::save, release_gil())
      .def("summary", &Model::summary)
      .def_property_readonly("params_json", [](const Model& mo) { return mo.params().to_json().dump(); })
      .def_property_readonly("seed", &Model::seed)
      .def_property_readonly("class_names", [](const Model& mo) { return mo.info().class_names; })
      .def_property_readonly("length", [](const Model& mo) { return mo.info().length; })
      .def_property_readonly("multilabel", [](const Model& mo) { return mo.info().multilabel; })
      .def_property_readonly("alphabet", [](const Model& mo) { return mo.info().alphabet.to_string(); })
      .def_property_readonly("layer_names",
                             [](const Model& mo) {
                               std::vector<std::string> names;
                               for (std::size_t i = 0; i < mo.network().size(); ++i)
                                 names.push_back(mo.network().name(i));
                               return names;
                             })
      .def("layer_weights", &layer_weights)
      .def_property_readonly("weights",
                             [](const Model& mo) {
                               const auto& w = mo.weights();
                               return owning_array<float>(std::vector<float>(w.begin(), w.end()),
                                                          {static_cast<py::ssize_t>(w.size())});
                             })
      .def_property_readonly("history", &history)
      .def_property_readonly("training_in_progress", &Model::training_in_progress)
      .def("train", &train, py::arg("data"), py::arg("verbose"), py::arg("print"))
      .def_property(
          "precision", [](const Model& mo) { return std::string(precision_name(mo.precision())); },
          [](Model& mo, const std::string& p) { mo.set_precision(parse_precision(p)); })
      .def_property_readonly("int8_calibration", &Model::int8_calibration)
      .def(
          "calibrate_int8",
          [](Model& mo, const Data& d, const std::string& group) { mo.calibrate_int8(d, d.indices(parse_group(group))); },
          release_gil())
      .def("predict",
           [](Model& mo, const Data& d, const std::string& group) {
             const Group g = parse_group(group);
             RowMatrix<float> p;
             {
               py::gil_scoped_release no_gil;
               p = mo.predict(d, g);
             }
             return probabilities(std::move(p));
           })
      .def("predict_symbols",
           [](Model& mo, const py::array_t<std::uint8_t, py::array::c_style>& symbols) {
             const index_t L = mo.info().length;
             require(symbols.ndim() == 2 && symbols.shape(1) == L,
                     "predict: expected symbols of shape (records, " + std::to_string(L) + ")");
             return predictions_of(mo, {symbols.data(), to_size(symbols.size())});
           })
      .def("predict_onehot",
           [](Model& mo, const py::array_t<float, py::array::c_style>& onehot) {
             const index_t L = mo.info().length, A = mo.info().alphabet.size();
             require(onehot.ndim() == 3 && onehot.shape(1) == L && onehot.shape(2) == A,
                     "predict: expected one-hot input of shape (records, " + std::to_string(L) + ", " +
                         std::to_string(A) + ")");
             std::vector<std::uint8_t> symbols;
             {
               py::gil_scoped_release no_gil;
               symbols = symbols_from_onehot({onehot.data(), to_size(onehot.size())}, L, A);
             }
             return predictions_of(mo, symbols);
           })
      .def("get_max_activations",
           [](Model& mo, const Data& d, const std::string& group) { return mo.get_max_activations(d, parse_group(group)); },
           release_gil())
      .def("attribute",
           [](Model& mo, const py::array_t<std::uint8_t, py::array::c_style>& symbols, const std::string& method,
              index_t class_index, bool probability, index_t references, index_t steps, std::uint64_t seed) {
             const index_t L = mo.info().length;
             require(symbols.ndim() == 2 && symbols.shape(1) == L,
                     "attribute: expected symbols of shape (records, " + std::to_string(L) + ")");
             const AttributionOptions o{.target = {.class_index = class_index,
                                                   .scale = probability ? OutputScale::probability : OutputScale::logit,
                                                   .multilabel = mo.info().multilabel},
                                        .references = references,
                                        .steps = steps,
                                        .seed = seed};
             const AttributionMethod m = parse_method(method);
             Attributions a;
             {
               py::gil_scoped_release no_gil;
               a = attribute(mo, {symbols.data(), to_size(symbols.size())}, symbols.shape(0), m, o);
             }
             const std::vector<py::ssize_t> shape{a.n, a.length, a.letters};
             py::dict r;
             r["output"] = owning_array<double>(std::move(a.output), {a.n});
             r["reference"] = owning_array<double>(std::move(a.reference), {a.n});
             if (!a.deltas.empty()) r["deltas"] = owning_array<float>(std::move(a.deltas), shape);
             r["hypothetical"] = owning_array<float>(std::move(a.hypothetical), shape);
             return r;
           },
           py::arg("symbols"), py::arg("method"), py::arg("class_index"), py::arg("probability"), py::arg("references"),
           py::arg("steps"), py::arg("seed"));

  py::class_<FastaPredictor>(m, "FastaPredictor")
      .def(py::init<Model&, std::string, index_t>(), py::keep_alive<1, 2>())
      .def("next", [](FastaPredictor& p) -> py::object {
        PredictedBlock b;
        bool more = false;
        {
          py::gil_scoped_release no_gil;
          more = p.next(b);
        }
        if (!more) return py::none();
        const auto K = static_cast<py::ssize_t>(p.class_names().size());
        const auto n = static_cast<py::ssize_t>(b.names.size());
        return py::make_tuple(std::move(b.names), owning_array<float>(std::move(b.probs), {n, K}));
      });

  m.def(
      "visualize_kernel",
      [](Model& mo, const Data& d, const MaxActivations& acts, index_t kernel, const std::string& folder,
         const Colors& seq, const Colors& str) {
        return visualize_kernel(mo, d, acts, kernel, folder, {letter_colors(seq), letter_colors(str)});
      },
      release_gil());
  // `sster motifs`: every kernel's files and summary.html, and the motifs in MEME format.
  m.def(
      "visualize_all_kernels",
      [](Model& mo, const Data& d, const MaxActivations& acts, const std::string& folder, const Colors& seq,
         const Colors& str) {
        auto results = visualize_all_kernels(mo, d, acts, folder, {letter_colors(seq), letter_colors(str)});
        save_kernel_memes(results, folder);
        return results;
      },
      release_gil());
  m.def(
      "plot_clustering",
      [](const Model& mo, const MaxActivations& acts, const std::string& file, const std::vector<index_t>& classes) {
        plot_clustering(acts, mo.info().class_names, file, classes);
      },
      release_gil());
  m.def(
      "visualize_optimized_inputs",
      [](Model& mo, const std::string& layer, const std::string& file, const std::vector<index_t>& nodes,
         double bound, double lr, int steps, const Colors& seq, const Colors& str) {
        return visualize_optimized_inputs(mo, layer, file, nodes,
                                          OptimizeOptions{.bound = bound, .lr = lr, .steps = steps}, letter_colors(seq),
                                          letter_colors(str));
      },
      release_gil());

  m.def("performance_report", [](const Matrix& labels, const Matrix& predictions) {
    same_shape(labels, predictions);
    return performance_report(flat(predictions), flat(labels), class_names_of(labels)).text();
  });
  m.def("roc_curve", [](const Matrix& truth, const Matrix& scores) {
    auto r = roc_curve(flat(scores), flat(truth));
    const double auc = trapezoid_area(r.fpr, r.tpr);
    return py::make_tuple(std::move(r.fpr), std::move(r.tpr), auc);
  });
  m.def("precision_recall_curve", [](const Matrix& truth, const Matrix& scores) {
    auto p = precision_recall_curve(flat(scores), flat(truth));
    return py::make_tuple(std::move(p.precision), std::move(p.recall), average_precision(flat(scores), flat(truth)));
  });
  m.def("plot_roc", [](const Matrix& labels, const Matrix& predictions, const std::string& file) {
    plot_roc(curves(labels, predictions, CurveKind::roc), file);
  });
  m.def("plot_prec_recall", [](const Matrix& labels, const Matrix& predictions, const std::string& file) {
    plot_prec_recall(curves(labels, predictions, CurveKind::precision_recall), file);
  });
  m.def("annotate_structures", &annotate_structures, release_gil());

  py::class_<GridSearch>(m, "GridSearch")
      .def(py::init<std::vector<std::pair<std::string, std::vector<std::string>>>>())
      .def_property_readonly("combinations", &GridSearch::combinations)
      // verbose: a line per trained combination through `print` (the training
      // threads take the GIL for it), so a notebook shows them.
      .def("train", [](GridSearch& g, const Data& d, bool pr_auc, bool verbose, const py::object& print) {
        const GridOptions o{.metric = pr_auc ? GridMetric::pr_auc : GridMetric::roc_auc,
                            .verbose = verbose,
                            .print = [&print](const std::string& line) {
                              py::gil_scoped_acquire gil;
                              print(line);
                            }};
        std::optional<std::pair<Model, std::vector<GridResult>>> result;
        {
          py::gil_scoped_release no_gil;
          result.emplace(g.train(d, o));
        }
        std::string table = g.table(result->second, o.metric);
        return py::make_tuple(std::move(result->first), std::move(table));
      });
}
