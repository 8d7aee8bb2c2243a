"""The same seed gives the same bits through Python as through the sster tool
and the C++ library: weights of `sster train`, of a C++ program
(examples/train_and_predict) and of Model.train, predictions of `sster
predict` and Model.predict_fasta, on any number of threads; and the plots
Model writes are the bytes the tool writes."""

import filecmp
import os
import subprocess

import numpy as np
import pytest

import sster
from sster import Data, Model, utils

PARAMS = {"conv_num": 1, "kernel_num": 8, "kernel_len": 10, "neuron_num": 16, "epochs": 3}


@pytest.fixture(scope="module")
def cli(cli):
    """The tool, when it was compiled like this package: the bits agree only
    between builds of one instruction-set baseline (a -Dnative=true build
    vectorises the code outside the dispatched kernels differently)."""
    tool = subprocess.run([cli, "--version"], capture_output=True, text=True, check=True).stdout.splitlines()[1]
    package = "kernels: " + sster.kernels()
    if tool != package:
        pytest.skip("the tool was compiled for other instructions ({}) than the Python package ({}); "
                    "tools/run test builds both portable".format(tool, package))
    return cli


@pytest.fixture(scope="module")
def files(tmp_path_factory, cli):
    d = tmp_path_factory.mktemp("identity")
    subprocess.run([cli, "simulate", "-d", d, "-n", "400", "--length", "80", "--motif", "CACGTG@10",
                    "--motif", "TGACTCA@40"], check=True, capture_output=True)
    return d, [str(d / "positives.fasta.gz"), str(d / "negatives.fasta.gz")]


def read_tsv(path):
    with open(path) as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    return rows[0], rows[1:]


def test_train_and_predict_as_the_cli(files, cli):
    d, classes = files
    # the tool on one thread, Python on every core
    env = dict(os.environ, SSTER_THREADS="1")
    args = [cli, "train", "--class", classes[0], "--class", classes[1], "--seed", "5", "-q", "-o", d / "cli.sster"]
    for k, v in PARAMS.items():
        args += ["--param", "{}={}".format(k, v)]
    subprocess.run(args, check=True, env=env, capture_output=True)
    subprocess.run([cli, "predict", d / "cli.sster", classes[1], "-o", d / "cli.tsv"], check=True, env=env,
                   capture_output=True)

    data = Data(classes, "ACGT")
    model = Model(PARAMS, data, seed=5)
    model.train(data, verbose=False)
    cli_model = utils.load_model(d / "cli.sster")
    assert model.weights.size > 1000
    assert (model.weights == cli_model.weights).all()  # bit for bit
    assert [h["val_loss"] for h in model.history] == [h["val_loss"] for h in cli_model.history]

    header, rows = read_tsv(d / "cli.tsv")
    assert header == ["id", "positives", "negatives"]
    names, probs = model.predict_fasta(classes[1])
    assert names == [r[0] for r in rows]
    assert [["%.6g" % p for p in row] for row in probs.tolist()] == [r[1:] for r in rows]
    # the same records through a Data set and as numpy symbols: the same bits
    all_probs = model.predict(data, "all")
    assert (all_probs[400:] == probs).all()
    assert (model.predict(data.get_symbols("all")) == all_probs).all()


def test_train_and_predict_as_the_cxx_api(files, example, tmp_path):
    """examples/train_and_predict (C++: kernel_len 10, conv_num 1, 20 epochs,
    seed 7) on one thread, the same through Python on every core."""
    d, classes = files
    out = subprocess.run([example("train_and_predict"), classes[0], classes[1], tmp_path / "cxx.sster"], check=True,
                         env=dict(os.environ, SSTER_THREADS="1"), capture_output=True, text=True).stdout
    assert "saved model reproduces the predictions: yes" in out
    cxx = utils.load_model(tmp_path / "cxx.sster")

    data = Data(classes, "ACGT")
    model = Model({"kernel_len": 10, "conv_num": 1, "epochs": 20}, data, seed=7)
    model.train(data, verbose=False)
    assert model.params == cxx.params
    assert (model.weights == cxx.weights).all()  # bit for bit
    assert model.history == [dict(h, seconds=m["seconds"]) for h, m in zip(cxx.history, model.history)]
    assert (model.predict(data, "test") == cxx.predict(data, "test")).all()


@pytest.fixture(scope="module")
def trained(files):
    """A model trained through Python and saved, with its data."""
    d, classes = files
    data = Data(classes, "ACGT")
    model = Model(PARAMS, data, seed=3)
    model.train(data, verbose=False)
    model.save(d / "py.sster")
    return d / "py.sster", data, model


def same_files(a, b):
    """The names of the files in folder a, after checking that folder b has the same files, byte for byte."""
    names = sorted(os.listdir(a))
    assert names == sorted(os.listdir(b))
    match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    assert (mismatch, errors) == ([], [])
    return names


def test_kernel_files_as_the_cli(files, trained, cli, tmp_path):
    """visualize_all_kernels writes what `sster motifs` writes, byte for byte."""
    d, classes = files
    path, data, model = trained
    subprocess.run([cli, "motifs", path, "--class", classes[0], "--class", classes[1], "--group", "test", "-o",
                    tmp_path / "cli"], check=True, capture_output=True)
    model.visualize_all_kernels(model.get_max_activations(data, "test"), data, tmp_path / "py")
    names = same_files(tmp_path / "cli", tmp_path / "py")
    assert {"summary.html", "motifs.meme", "motif_kernel_7.png", "position_kernel_7.png",
            "activations_kernel_7.png"} <= set(names)


def test_optimized_inputs_and_clustering_as_the_cli(files, trained, cli, tmp_path):
    """visualize_optimized_inputs and plot_clustering write the PNGs `sster
    optimize` and `sster cluster` write, byte for byte."""
    d, classes = files
    path, data, model = trained
    (tmp_path / "cli").mkdir()
    (tmp_path / "py").mkdir()
    subprocess.run([cli, "optimize", path, "--layer", "conv1d_1", "--node", "0", "--node", "3", "--steps", "100", "-o",
                    tmp_path / "cli" / "optimized.png"], check=True, capture_output=True)
    model.visualize_optimized_inputs(data, "conv1d_1", tmp_path / "py" / "optimized.png", steps=100, nodes=[0, 3])
    subprocess.run([cli, "cluster", path, "--class", classes[0], "--class", classes[1], "--group", "val", "-o",
                    tmp_path / "cli" / "clustering.png"], check=True, capture_output=True)
    model.plot_clustering(model.get_max_activations(data, "val"), tmp_path / "py" / "clustering.png")
    assert same_files(tmp_path / "cli", tmp_path / "py") == ["clustering.png", "optimized.png"]
