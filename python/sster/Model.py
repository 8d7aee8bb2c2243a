"""pysster's Model class on sster's engine: pysster's network (convolutions,
optional recurrent layers, dense layers), trained with Adam, max-norm,
class weights, a plateau learning-rate schedule and early stopping, then
explained as sequence and structure motifs.

The same seed gives the same bits as `sster train --seed` on the same files,
on any number of threads. Training, prediction and activations run without
the GIL on sster's own threads (sster.set_threads).
"""

import json
import os

import numpy as np

from sster import _sster
from sster.Data import Data


def _json_value(value):
    """numpy scalars and tuples in a params dict, as JSON takes them."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError("parameter value {!r} is not a number, a tuple of numbers, a string or None".format(value))


def _params_json(params):
    if not isinstance(params, dict):
        raise _sster.Error("params: expected a dict such as {'conv_num': 1, 'kernel_num': 20}")
    return json.dumps(params, default=_json_value)


def _print_line(line):
    print(line, flush=True)


class MaxActivations(dict):
    """get_max_activations' result: pysster's dict ('activations', 'labels',
    'group') plus 'positions' (where each maximum starts). The arrays are views
    of the C++ result, which the plotting methods take as it is."""

    def __init__(self, native):
        super().__init__(activations=native.activations, labels=native.labels, group=native.group,
                         positions=native.positions)
        self._native = native


def _native_data(data):
    if not isinstance(data, Data):
        raise TypeError("expected a sster.Data, got {}".format(type(data).__name__))
    return data._native


def _native_activations(activations):
    native = getattr(activations, "_native", None)
    if native is None:
        raise _sster.Error("activations: pass what Model.get_max_activations returned")
    return native


def _motif(result):
    """pysster's motif value: a Motif, or (sequence Motif, structure Motif)."""
    if result.structure_motif is None:
        return result.sequence_motif
    return (result.sequence_motif, result.structure_motif)


def _folder(folder):
    return os.fspath(folder)


class Model:
    """A network for a data set.

    Model(params, data, seed=None)

    params: a dict of pysster's hyperparameters, e.g. {'conv_num': 2,
        'kernel_num': (30, 60), 'epochs': 100}; the rest keep pysster's
        defaults. Per-layer values as tuples.
    data: the Data set (its alphabet, length, inputs and classes).
    seed: initial weights, dropout and shuffling (None: 1, as `sster train`).
    """

    def __init__(self, params, data, seed=None):
        seed = 1 if seed is None else int(seed)
        self._native = _sster.Model(_params_json(params), _native_data(data), seed)

    @classmethod
    def _wrap(cls, native):
        model = cls.__new__(cls)
        model._native = native
        return model

    @classmethod
    def from_file(cls, file_path):
        """A model saved with save() or `sster train` (needs no data)."""
        return cls._wrap(_sster.Model.load(os.fspath(file_path)))

    def save(self, file_path):
        """Save to an sster model file (written atomically)."""
        self._native.save(os.fspath(file_path))

    # ---- pysster's methods
    def print_summary(self):
        """Print the layers, their output shapes and parameter counts."""
        print(self._native.summary(), end="")

    def train(self, data, verbose=True):
        """Train on data's training records, with early stopping on its
        validation records; the best weights are kept. verbose: a line per
        epoch. Ctrl-C (a notebook's interrupt) stops after the current batch
        and raises KeyboardInterrupt; the model keeps its weights, and train()
        continues the run."""
        self._native.train(_native_data(data), bool(verbose), _print_line)

    # ---- beyond pysster
    @property
    def precision(self):
        """'float32', or 'int8': predictions (and everything else that does
        not train) run the convolution blocks after the first in 8-bit
        integers, faster, on the calibration train() stores. Training always
        runs in float32 and ends calibrated."""
        return self._native.precision

    @precision.setter
    def precision(self, value):
        self._native.precision = value

    @property
    def int8_calibration(self):
        """Per int8 convolution block (its conv1d's name): the largest input
        value on the training data."""
        return dict(self._native.int8_calibration)

    def calibrate_int8(self, data, group="train"):
        """Measure the int8 calibration on a group of data (train() does this
        on its training records)."""
        self._native.calibrate_int8(_native_data(data), group)

    def predict(self, data, group="all"):
        """Class probabilities, (records, classes) float32.

        data: a Data set and the group ('train', 'val', 'test' or 'all'), or a
        numpy array of sequences of the model's length: symbol indices
        (records, length) uint8, as Data.get_symbols gives, or pysster's
        one-hot matrices (records, length, channels)."""
        if isinstance(data, np.ndarray):
            return self._predict_array(data)
        return self._native.predict(_native_data(data), group)

    def _predict_array(self, array):
        if array.ndim == 2:
            if array.dtype != np.uint8:
                raise _sster.Error("predict: symbol arrays are uint8 (records, length), got {}".format(array.dtype))
            return self._native.predict_symbols(np.ascontiguousarray(array))
        if array.ndim == 3:
            return self._native.predict_onehot(np.ascontiguousarray(array, dtype=np.float32))
        raise _sster.Error("predict: expected symbols (records, length) or one-hot matrices "
                           "(records, length, channels), got {} dimensions".format(array.ndim))

    def predict_fasta(self, file_path, stream=False, block_size=4096):
        """Class probabilities for every record of a FASTA file (plain or gzip),
        read and scored in blocks: (names, (records, classes) array), or with
        stream=True a generator of such pairs, one per block of block_size
        records, so a file of any size never sits in memory."""
        blocks = self._fasta_blocks(os.fspath(file_path), int(block_size))
        if stream:
            return blocks
        names, probs = [], []
        for block_names, block_probs in blocks:
            names += block_names
            probs.append(block_probs)
        if not probs:
            return names, np.zeros((0, len(self._native.class_names)), dtype=np.float32)
        return names, np.concatenate(probs)

    def _fasta_blocks(self, path, block_size):
        predictor = _sster.FastaPredictor(self._native, path, block_size)
        while True:
            block = predictor.next()
            if block is None:
                return
            yield block

    def get_max_activations(self, data, group):
        """Each record's maximum activation of every first-layer kernel:
        {'activations': (records, kernels), 'labels': (records, classes),
        'group': group, 'positions': (records, kernels)}."""
        return MaxActivations(self._native.get_max_activations(_native_data(data), group))

    def attribute(self, symbols, method="deeplift", target_class=0, target="logit", references=20, steps=50, seed=1):
        """Why each sequence scored as it did, per position and letter
        (docs/attribution.md): symbols (records, length) uint8, such as
        Data.get_symbols(group); method 'ism' (exact fast in-silico
        mutagenesis), 'saliency', 'gradxinput', 'deeplift' (DeepLIFT-SHAP
        against `references` dinucleotide shuffles, seeded) or 'ig'
        (integrated gradients, `steps`); target_class a class name or index;
        target 'logit' or 'prob'. Returns a dict: 'hypothetical' (records,
        length, letters) float32, 'actual' (records, length) the contribution
        of each sequence's own letter, 'output' and 'reference' (records)
        float64, and for ISM 'deltas', the raw change of every substitution."""
        if isinstance(target_class, str):
            if target_class not in self._native.class_names:
                raise _sster.Error("attribute: the model's classes are " + ", ".join(self._native.class_names) +
                                   ", not '" + target_class + "'")
            target_class = self._native.class_names.index(target_class)
        if target not in ("logit", "prob"):
            raise _sster.Error("attribute: target must be 'logit' or 'prob', not {!r}".format(target))
        symbols = np.ascontiguousarray(symbols, dtype=np.uint8)
        result = self._native.attribute(symbols, str(method), int(target_class), target == "prob", int(references),
                                        int(steps), int(seed))
        h = result["hypothetical"]
        result["actual"] = np.take_along_axis(h, symbols[:, :, None].astype(np.intp), axis=2)[:, :, 0]
        return result

    def visualize_kernel(self, activations, data, kernel, folder, colors_sequence={}, colors_structure={}):
        """motif_kernel_<k>.png, position_kernel_<k>.png, activations_kernel_<k>.png
        (and additional_features_kernel_<k>.png with position-wise inputs) in
        folder; returns (motif, score) as pysster: the Motif, or a tuple
        (sequence Motif, structure Motif), and the kernel's importance score."""
        result = _sster.visualize_kernel(self._native, _native_data(data), _native_activations(activations), int(kernel),
                                         _folder(folder), dict(colors_sequence), dict(colors_structure))
        return _motif(result), result.score

    def visualize_all_kernels(self, activations, data, folder, colors_sequence={}, colors_structure={}):
        """Every first-layer kernel's files, summary.html (kernels by score) and
        motifs.meme (motifs_structure.meme too with structures): what `sster
        motifs` writes. Returns the motifs in kernel order."""
        results = _sster.visualize_all_kernels(self._native, _native_data(data), _native_activations(activations),
                                               _folder(folder), dict(colors_sequence), dict(colors_structure))
        return [_motif(r) for r in results]

    def plot_clustering(self, activations, output_file, classes=None):
        """Heatmap of the maximum activations, records and kernels clustered
        (Ward), as a PNG. classes: the class indices to include (default all).
        Single-label data only: multi-label activations are an sster.Error."""
        if classes is not None and not isinstance(classes, (list, tuple)):
            raise _sster.Error("plot_clustering: 'classes' must be a list of integers")
        _sster.plot_clustering(self._native, _native_activations(activations), os.fspath(output_file),
                               [int(c) for c in (classes or [])])

    def visualize_optimized_inputs(self, data, layer_name, output_file, bound=0.1, lr=0.02, steps=600,
                                   colors_sequence={}, colors_structure={}, nodes=None):
        """The input that maximises each node of a layer (all nodes, or those in
        nodes), as logos, one row per node, in output_file (a PNG): what `sster
        optimize` writes."""
        return _sster.visualize_optimized_inputs(self._native, str(layer_name), os.fspath(output_file),
                                                 [int(n) for n in (nodes or [])], float(bound), float(lr),
                                                 int(steps), dict(colors_sequence), dict(colors_structure))

    # ---- what the model holds
    @property
    def params(self):
        """The hyperparameters, all of them (per-layer values as lists)."""
        return json.loads(self._native.params_json)

    @property
    def seed(self):
        return self._native.seed

    @property
    def class_names(self):
        return self._native.class_names

    @property
    def history(self):
        """One dict per trained epoch: epoch, loss, val_loss, learning_rate, seconds."""
        return self._native.history

    @property
    def layer_names(self):
        """Keras' layer names, as print_summary shows them (e.g. 'conv1d_1')."""
        return self._native.layer_names

    def get_weights(self, layer_name):
        """A layer's weights in Keras' shapes, e.g. [kernel (length, channels,
        kernels), bias] for a convolution."""
        return self._native.layer_weights(layer_name)

    @property
    def weights(self):
        """All weights, flat, in the model file's order."""
        return self._native.weights

    def __repr__(self):
        return "<sster.Model: {} classes, length {}>".format(len(self._native.class_names), self._native.length)
