"""The same seed gives the same bits through Python as through the sster tool
(the C++ library): weights of `sster train` and Model.train, predictions of
`sster predict` and Model.predict_fasta, on any number of threads."""

import os
import subprocess

import numpy as np
import pytest

from sster import Data, Model, utils

PARAMS = {"conv_num": 1, "kernel_num": 8, "kernel_len": 10, "neuron_num": 16, "epochs": 3}


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
