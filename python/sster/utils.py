"""pysster's utils on sster's engine: performance report, ROC and
precision-recall curves (as scikit-learn computes them, with no scikit-learn
needed), structure annotation, and model and data files."""

import os

import numpy as np

from sster import _sster
from sster.Data import Data
from sster.Model import Model


def _matrix(a):
    return np.asarray(a, dtype=np.float64)


def get_performance_report(labels, predictions):
    """Precision, recall, F1, ROC-AUC and PR-AUC per class (one against the
    rest) and their support-weighted average, as pysster's table. labels:
    (records, classes) of 0/1; predictions: (records, classes) probabilities.
    With two classes each class is scored on its own column (pysster shows
    class 0's AUCs twice)."""
    return _sster.performance_report(_matrix(labels), _matrix(predictions))


def auROC(labels, predictions):
    """(fpr, tpr, ROC-AUC) of one class: labels 0/1, predictions its scores."""
    fpr, tpr, auc = _sster.roc_curve(_matrix(labels).ravel(), _matrix(predictions).ravel())
    return np.array(fpr), np.array(tpr), auc


def auPR(labels, predictions):
    """(precision, recall, average precision) of one class."""
    precision, recall, ap = _sster.precision_recall_curve(_matrix(labels).ravel(), _matrix(predictions).ravel())
    return np.array(precision), np.array(recall), ap


def plot_roc(labels, predictions, file_path):
    """ROC curves, one per class, AUCs in the legend, as a PNG."""
    _sster.plot_roc(_matrix(labels), _matrix(predictions), os.fspath(file_path))


def plot_prec_recall(labels, predictions, file_path):
    """Precision-recall curves, one per class, as a PNG."""
    _sster.plot_prec_recall(_matrix(labels), _matrix(predictions), os.fspath(file_path))


def annotate_structures(input_file, output_file):
    """Dot-bracket structures (FASTA: name, sequence, structure lines, as
    RNAfold writes them) annotated as pysster's contexts: F (5' end), T (3'
    end), S (stem), I (internal loop or bulge), M (multiloop), H (hairpin)."""
    _sster.annotate_structures(os.fspath(input_file), os.fspath(output_file))


def save_model(model, file_path):
    """Save a Model to an sster model file (one file, written atomically)."""
    model.save(file_path)


def load_model(file_path):
    """A Model from an sster model file (from save_model or `sster train`)."""
    return Model.from_file(file_path)


def save_data(data, file_path):
    """Save a Data set to an sster data file."""
    data.save(file_path)


def load_data(file_path):
    """A Data set from an sster data file."""
    return Data.load(file_path)
