"""Bad input raises sster.Error (a ValueError) with the message the sster
tool prints for the same input (the cases of tests/cli), and never crashes
the interpreter."""

import os
import subprocess

import numpy as np
import pytest

import sster
from sster import Data, Model, utils
from conftest import pysster_file


def cli_error(cli, *args):
    """The message of `sster ARGS` failing with exit code 2."""
    r = subprocess.run([cli, *map(str, args)], capture_output=True, text=True)
    assert r.returncode == 2, r.stderr
    line = [l for l in r.stderr.splitlines() if l.startswith("sster: error: ")][-1]
    return line[len("sster: error: "):]


def message(call):
    with pytest.raises(sster.Error) as e:
        call()
    return str(e.value)


def write_fasta(path, sequences):
    with open(path, "w") as f:
        for i, s in enumerate(sequences):
            f.write(">s{}\n{}\n".format(i, s))
    return str(path)


@pytest.fixture(scope="module")
def planted(tmp_path_factory, cli):
    """`sster simulate` data (length 60), a 5-record set of length 50, and a model trained on the first."""
    d = tmp_path_factory.mktemp("planted")
    subprocess.run([cli, "simulate", "-d", d / "a", "-n", "300", "--length", "60", "--motif", "CACGTG@10"], check=True,
                   capture_output=True)
    subprocess.run([cli, "simulate", "-d", d / "b", "-n", "5", "--length", "50", "--seed", "2", "--motif",
                    "CACGTG@10"], check=True, capture_output=True)
    files = [str(d / "a" / "positives.fasta.gz"), str(d / "a" / "negatives.fasta.gz")]
    data = Data(files, "ACGT")
    model = Model({"conv_num": 1, "kernel_num": 4, "epochs": 1}, data, seed=1)
    model.train(data, verbose=False)
    model.save(d / "m.sster")
    return d, files, data, model


def test_error_is_a_value_error():
    assert issubclass(sster.Error, ValueError)


def test_missing_class_files(cli, tmp_path):
    py = message(lambda: Data(["/nonexistent.fa", "/nonexistent2.fa"], "ACGT"))
    assert "/nonexistent.fa" in py
    assert py == cli_error(cli, "train", "--class", "/nonexistent.fa", "--class", "/nonexistent2.fa", "--alphabet",
                           "ACGT", "-o", tmp_path / "m.sster")
    assert not os.path.exists(tmp_path / "m.sster")


def test_parameter_out_of_range(cli, tmp_path):
    data = Data([pysster_file("dna_pos.fasta"), pysster_file("dna_neg.fasta")], "ACGT")
    py = message(lambda: Model({"kernel_num": 0}, data))
    assert "kernel_num" in py
    assert py == cli_error(cli, "train", "--class", pysster_file("dna_pos.fasta"), "--class",
                           pysster_file("dna_neg.fasta"), "--param", "kernel_num=0", "-o", tmp_path / "m.sster")
    assert "unknown parameter 'kernels'" in message(lambda: Model({"kernels": 3}, data))
    with pytest.raises(sster.Error):
        Model([1, 2], data)
    with pytest.raises(TypeError):
        Model({"kernel_num": object()}, data)


def test_not_a_model_file(cli, tmp_path):
    junk = tmp_path / "junk.sster"
    junk.write_text("not a model")
    py = message(lambda: Model.from_file(junk))
    assert "not an sster model file" in py
    assert py == cli_error(cli, "predict", junk, pysster_file("dna_pos.fasta"), "-o", tmp_path / "out.tsv")
    assert "not an sster model file" not in message(lambda: utils.load_model(tmp_path / "missing.sster"))


def test_record_of_another_length(cli, planted, tmp_path):
    d, files, data, model = planted
    short = d / "b" / "positives.fasta.gz"
    py = message(lambda: model.predict_fasta(short))
    assert "record 1" in py and "length 50" in py
    assert py == cli_error(cli, "predict", d / "m.sster", short, "-o", tmp_path / "p.tsv")
    assert not os.path.exists(tmp_path / "p.tsv")
    # a Data set of another length: the model's compatibility check, as `sster report` says it
    other = Data([str(d / "b" / "positives.fasta.gz"), str(d / "b" / "negatives.fasta.gz")], "ACGT")
    py = message(lambda: model.predict(other, "all"))
    assert py == cli_error(cli, "report", d / "m.sster", "--class", d / "b" / "positives.fasta.gz", "--class",
                           d / "b" / "negatives.fasta.gz", "--alphabet", "ACGT", "-d", tmp_path / "r")


def test_optimize_and_cluster(cli, planted, tmp_path):
    d, files, data, model = planted
    py = message(lambda: model.visualize_optimized_inputs(data, "dense_9", tmp_path / "x.png"))
    assert "no layer 'dense_9' (layers: dropout_1, conv1d_1" in py
    assert py == cli_error(cli, "optimize", d / "m.sster", "--layer", "dense_9", "-o", tmp_path / "x.png")
    py = message(lambda: model.visualize_optimized_inputs(data, "dense_2", tmp_path / "x.png", nodes=[5]))
    assert "not node 5" in py
    assert py == cli_error(cli, "optimize", d / "m.sster", "--layer", "dense_2", "--node", "5", "-o",
                           tmp_path / "x.png")
    acts = model.get_max_activations(data, "all")
    py = message(lambda: model.plot_clustering(acts, tmp_path / "x.png", classes=[3]))
    assert "class 3 does not exist" in py
    assert py == cli_error(cli, "cluster", d / "m.sster", "--class", files[0], "--class", files[1], "--subset", "3",
                           "-o", tmp_path / "x.png")
    assert not os.path.exists(tmp_path / "x.png")
    assert "unknown data group 'everything'" in message(lambda: model.get_max_activations(data, "everything"))


def test_unequal_lengths(cli, tmp_path):
    a = write_fasta(tmp_path / "a.fa", ["ACGTACGT", "ACGTACGT"])
    b = write_fasta(tmp_path / "b.fa", ["ACGTACG"])
    py = message(lambda: Data([a, b], "ACGT"))
    assert "all sequences must have the same length" in py
    assert py == cli_error(cli, "train", "--class", a, "--class", b, "--alphabet", "ACGT", "-o", tmp_path / "m.sster")


def test_bad_fasta_files(cli, planted, tmp_path):
    """Damaged FASTA files: the tool's message, word for word, from Data."""
    d, files, data, model = planted
    no_header = tmp_path / "no_header.fa"
    no_header.write_text("ACGT\n>r1\nACGT\n")
    no_sequence = tmp_path / "no_sequence.fa"
    no_sequence.write_text(">r1\nACGT\n>r2\n")
    cut_gzip = tmp_path / "cut.fa.gz"
    raw = open(files[0], "rb").read()
    cut_gzip.write_bytes(raw[:len(raw) // 2])
    for bad, expected in [(no_header, "line 1: expected a FASTA header"), (no_sequence, "record 2 (line 3)"),
                          (cut_gzip, "cut.fa.gz")]:
        py = message(lambda: Data([str(bad), files[1]], "ACGT"))
        assert expected in py
        assert py == cli_error(cli, "train", "--class", bad, "--class", files[1], "--alphabet", "ACGT", "-o",
                               tmp_path / "m.sster")
    assert not os.path.exists(tmp_path / "m.sster")


def test_bad_arrays_and_arguments(planted, tmp_path):
    d, files, data, model = planted
    symbols = data.get_symbols("test")
    bad = symbols.copy()
    bad[1, 4] = 7
    assert message(lambda: model.predict(bad)).startswith("symbols: record 2 position 5 holds 7")
    assert "shape (records, 60)" in message(lambda: model.predict(symbols[:, :50]))
    assert "uint8" in message(lambda: model.predict(symbols.astype(np.int64)))
    onehot = data.get_inputs("test")
    onehot[0, 0, 0] = 0.5
    assert "record 1 position 1 is not one-hot" in message(lambda: model.predict(onehot))
    assert "shape (records, 60, 4)" in message(lambda: model.predict(onehot[:, :, :3]))
    assert "dimensions" in message(lambda: model.predict(np.zeros(5, dtype=np.uint8)))
    acts = model.get_max_activations(data, "test")
    assert "does not exist" in message(lambda: model.visualize_kernel(acts, data, 99, tmp_path))
    assert "does not exist" in message(lambda: model.visualize_kernel(acts, data, -1, tmp_path))
    assert "get_max_activations" in message(lambda: model.visualize_kernel(dict(acts), data, 0, tmp_path))
    assert "single letter" in message(lambda: model.visualize_kernel(acts, data, 0, tmp_path, {"AC": "#ff0000"}))
    with pytest.raises(sster.Error):
        model.visualize_kernel(acts, data, 0, tmp_path, {"A": "red"})
    with pytest.raises(TypeError):
        model.predict(None, "all")
    with pytest.raises(sster.Error):
        utils.get_performance_report(np.zeros((3, 2)), np.zeros((4, 2)))
    with pytest.raises(sster.Error):
        utils.auROC([1, 1, 1], [0.2, 0.3, 0.4])  # no negatives
    with pytest.raises(sster.Error):
        data.load_additional_data(str(tmp_path / "missing.txt"))
    with pytest.raises(sster.Error):
        data.load_additional_data([files[0]], is_categorical=True)


def test_damaged_files(planted, tmp_path):
    d, files, data, model = planted
    model_bytes = open(d / "m.sster", "rb").read()
    data.save(tmp_path / "d.sstd")
    data_bytes = open(tmp_path / "d.sstd", "rb").read()
    for name, raw, load in [("m", model_bytes, Model.from_file), ("d", data_bytes, Data.load)]:
        for cut in [0, 3, 8, 20, len(raw) // 2, len(raw) - 1]:
            path = tmp_path / "{}_cut{}".format(name, cut)
            path.write_bytes(raw[:cut])
            with pytest.raises(sster.Error):
                load(path)
        flipped = bytearray(raw)
        flipped[len(raw) // 2] ^= 0x40
        path = tmp_path / "{}_flipped".format(name)
        path.write_bytes(bytes(flipped))
        with pytest.raises(sster.Error):
            load(path)
