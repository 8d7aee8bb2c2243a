"""pysster's tests/test_Model.py, ported to sster's Python API (the C++
suite mirrors it in tests/model/model.test.cpp), and sster's additions:
model files, numpy input, FASTA streaming, threads."""

import gzip
import os

import numpy as np
import pytest

import sster
from sster import Data, Model, utils
from conftest import png_size, pysster_file, tutorial_file

PARAMS = {"conv_num": 1, "kernel_num": 3, "kernel_len": 5, "neuron_num": 2, "epochs": 3}


@pytest.fixture(scope="module")
def data():
    return Data(pysster_file("rna.fasta"), ("ACGU", "()."))


@pytest.fixture(scope="module")
def models(data):
    return Model(PARAMS, data, seed=2), Model(PARAMS, data, seed=13), Model(PARAMS, data, seed=2)


@pytest.fixture(scope="module")
def trained(data):
    ms = Model(PARAMS, data, seed=2), Model(PARAMS, data, seed=13), Model(PARAMS, data, seed=2)
    for m in ms:
        m.train(data, verbose=False)
    return ms


def conv(m):
    return m.get_weights("conv1d_1")[0]


def dense(m):
    return m.get_weights("dense_1")[0]


def test_model_init(models):
    m1, m2, m3 = models
    assert m1.params["conv_num"] == 1
    assert m1.params["kernel_num"] == 3
    assert m1.params["kernel_len"] == 5
    assert m1.params["neuron_num"] == 2
    assert m1._native.multilabel  # pysster's "activation" == "sigmoid"
    assert conv(m1).shape == (5, 12, 3)
    assert np.allclose(conv(m1), conv(m3))
    assert not np.allclose(conv(m2), conv(m3))
    assert np.allclose(dense(m1), dense(m3))
    assert not np.allclose(dense(m2), dense(m3))


def test_model_train_predict(data, trained):
    m1, m2, m3 = trained
    for obj in trained:
        for group, n in [("test", 3), ("all", 20)]:
            predictions = obj.predict(data, group)
            assert predictions.shape == (n, 3)
            assert (predictions > 0.49).all()
            assert (predictions < 0.51).all()
    assert np.allclose(conv(m1), conv(m3), atol=0.001)
    assert not np.allclose(conv(m2), conv(m3), atol=0.001)
    assert np.allclose(dense(m1), dense(m3), atol=0.001)
    assert not np.allclose(dense(m2), dense(m3), atol=0.001)
    # sster: the same seed gives the same bits
    assert (m1.weights == m3.weights).all()
    assert len(m1.history) == 3


def test_model_get_max_activations(data, models):
    acts = models[0].get_max_activations(data, "test")
    assert acts["activations"].shape == (3, 3)
    assert acts["labels"].shape == (3, 3)
    assert acts["group"] == "test"
    assert acts["positions"].shape == (3, 3)
    assert ((acts["positions"] >= 0) & (acts["positions"] <= 40 - 5)).all()
    assert (acts["labels"] == data.get_labels("test")).all()


def test_model_visualize_kernel(data, models, tmp_path):
    m1 = models[0]
    acts = m1.get_max_activations(data, "all")
    folder = str(tmp_path) + "/"
    for kernel in range(PARAMS["kernel_num"]):
        motif, score = m1.visualize_kernel(acts, data, kernel, folder)
        for name in ["motif", "position", "activations"]:
            path = folder + "{}_kernel_{}.png".format(name, kernel)
            assert os.path.isfile(path)
            os.remove(path)
        assert isinstance(motif, tuple)
        assert isinstance(motif[0], sster.Motif)
        assert motif[0].pwm.shape == (5, 4) and motif[1].pwm.shape == (5, 3)
        assert np.isclose(score, 0) or score > 0
    motifs = m1.visualize_all_kernels(acts, data, folder)
    assert len(motifs) == 3
    for x in range(3):
        assert isinstance(motifs[x], tuple)
        assert isinstance(motifs[x][0], sster.Motif)
    for kernel in range(PARAMS["kernel_num"]):
        for name in ["motif", "position", "activations"]:
            assert os.path.isfile(folder + "{}_kernel_{}.png".format(name, kernel))
    assert os.path.isfile(folder + "summary.html")
    # what `sster motifs` writes besides: the motifs in MEME format
    assert os.path.isfile(folder + "motifs.meme") and os.path.isfile(folder + "motifs_structure.meme")


def test_model_plot_clustering(data, models, tmp_path):
    # pysster prints a warning for multi-label data and draws nothing; sster
    # says so with an error
    acts = models[0].get_max_activations(data, "test")
    with pytest.raises(sster.Error, match="single-label"):
        models[0].plot_clustering(acts, tmp_path / "clust.png")
    assert not os.path.isfile(tmp_path / "clust.png")


def test_model_optimized_inputs(data, models, tmp_path):
    m1 = models[0]
    assert m1.layer_names[1] == "conv1d_1"  # pysster: m1.model.layers[2].name
    m1.visualize_optimized_inputs(data, "conv1d_1", tmp_path / "test.png", steps=100)
    m1.visualize_optimized_inputs(data, "conv1d_1", tmp_path / "test2.png", nodes=[0], steps=100)
    assert png_size(tmp_path / "test.png") == (1998, 1128)
    assert png_size(tmp_path / "test2.png") == (1998, 376)


def test_print_summary(models, capsys):
    models[0].print_summary()
    out = capsys.readouterr().out
    assert "conv1d_1" in out and "Total params" in out


def test_train_prints_a_line_per_epoch(data, capsys):
    m = Model(PARAMS, data, seed=4)
    m.train(data)
    lines = [l for l in capsys.readouterr().out.splitlines() if l.startswith("epoch")]
    assert len(lines) == 3
    assert lines[0].split()[:2] == ["epoch", "1"] and "val_loss" in lines[0]


# ---------------------------------------------------------------- sster's additions

@pytest.fixture(scope="module")
def dna():
    return Data([pysster_file("dna_pos.fasta"), pysster_file("dna_neg.fasta")], "ACGT")


@pytest.fixture(scope="module")
def dna_model(dna):
    m = Model({"conv_num": 1, "kernel_num": 4, "kernel_len": 6, "neuron_num": 8, "epochs": 2}, dna, seed=3)
    m.train(dna, verbose=False)
    return m


def test_save_and_load_model(dna, dna_model, tmp_path):
    path = tmp_path / "m.sster"
    utils.save_model(dna_model, path)
    again = utils.load_model(path)
    assert (again.weights == dna_model.weights).all()
    assert (again.predict(dna, "all") == dna_model.predict(dna, "all")).all()
    assert Model.from_file(str(path)).params == dna_model.params
    assert again.history == dna_model.history


def test_numpy_input_symbols_and_onehot(dna, dna_model):
    want = dna_model.predict(dna, "test")
    symbols = dna.get_symbols("test")
    assert symbols.dtype == np.uint8 and symbols.shape == (15, 32)
    assert (dna_model.predict(symbols) == want).all()
    onehot = dna.get_inputs("test")
    assert (dna_model.predict(onehot) == want).all()
    assert (dna_model.predict(onehot.astype(np.float64)) == want).all()
    assert (dna_model.predict(np.asfortranarray(symbols)) == want).all()
    assert dna_model.predict(symbols[:0]).shape == (0, 2)


def test_arrays_leave_without_a_copy(dna, dna_model):
    """Predictions own the library's buffer through a capsule; activations are
    views of the C++ result, so two reads share its memory."""
    p = dna_model.predict(dna, "test")
    assert not p.flags.owndata and type(p.base).__name__ == "PyCapsule"
    acts = dna_model.get_max_activations(dna, "test")
    assert np.shares_memory(acts["activations"], acts._native.activations)
    assert np.shares_memory(acts["positions"], acts._native.positions)


def test_predict_fasta_streams_blocks(dna, dna_model, tmp_path):
    path = tmp_path / "all.fa.gz"
    with gzip.open(path, "wt") as f:
        for i, s in enumerate(dna.get_sequences("all")):
            f.write(">r{}\n{}\n".format(i, s))
    want = dna_model.predict(dna, "all")
    names, probs = dna_model.predict_fasta(path)
    assert names == ["r{}".format(i) for i in range(100)]
    assert (probs == want).all()
    blocks = list(dna_model.predict_fasta(path, stream=True, block_size=30))
    assert [len(n) for n, _ in blocks] == [30, 30, 30, 10]
    assert (np.concatenate([p for _, p in blocks]) == want).all()


def test_threads():
    before = sster.threads()
    sster.set_threads(1)
    assert sster.threads() == 1
    sster.set_threads(before)
    with pytest.raises(sster.Error):
        sster.set_threads(0)


def test_metrics_match_sklearn_conventions():
    labels = np.array([[1, 0], [0, 1], [1, 0], [0, 1], [1, 0]])
    predictions = np.array([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7], [0.2, 0.8], [0.55, 0.45]])
    fpr, tpr, auc = utils.auROC(labels[:, 0], predictions[:, 0])
    assert auc == pytest.approx(4 / 6)
    assert fpr[0] == 0 and tpr[-1] == 1
    precision, recall, ap = utils.auPR(labels[:, 0], predictions[:, 0])
    assert ap == pytest.approx(1 / 3 + 2 / 9 + 1 / 4)
    assert recall[-1] == 0 and precision[-1] == 1
    report = utils.get_performance_report(labels, predictions)
    lines = report.split("\n")
    assert lines[0].split() == ["precision", "recall", "f1-score", "roc-auc", "pr-auc", "n"]
    assert lines[1].split()[0] == "class_0" and lines[1].split()[-1] == "3"


def test_plots_and_annotation(tmp_path):
    labels = np.array([[1, 0], [0, 1], [1, 0], [0, 1]])
    predictions = np.array([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7], [0.2, 0.8]])
    utils.plot_roc(labels, predictions, tmp_path / "roc.png")
    utils.plot_prec_recall(labels, predictions, tmp_path / "pr.png")
    assert png_size(tmp_path / "roc.png")[0] > 0 and png_size(tmp_path / "pr.png")[0] > 0
    # pysster's own test: rna_annot.fasta annotated is rna_annot_ref.fasta
    utils.annotate_structures(pysster_file("rna_annot.fasta"), tmp_path / "annot.fasta")
    assert open(tmp_path / "annot.fasta").read() == open(pysster_file("rna_annot_ref.fasta")).read()


def test_int8_precision(tmp_path):
    d = Data([tutorial_file("artificial_pos.fasta.gz"), tutorial_file("artificial_neg.fasta.gz")], "ACGT")
    d.train_val_test_split(0.2, 0.05, seed=3)  # 4000 training records: a model that tells them apart
    m = Model({"conv_num": 2, "kernel_num": 8, "kernel_len": 6, "neuron_num": 8, "epochs": 8}, d, seed=4)
    assert m.precision == "float32"
    with pytest.raises(sster.Error, match="no int8 calibration"):
        m.precision = "int8"
    m.train(d, verbose=False)  # ends calibrated: the second block reads the first's ReLU'd output
    assert list(m.int8_calibration) == ["conv1d_2"] and m.int8_calibration["conv1d_2"] > 0
    want = m.predict(d, "test")
    assert want[:, 0].max() - want[:, 0].min() > 0.5  # scores that mean something
    m.precision = "int8"
    got = m.predict(d, "test")
    assert 0 < np.abs(want - got).max() < 0.05
    m.save(tmp_path / "m.sster")
    again = Model.from_file(tmp_path / "m.sster")
    assert again.precision == "float32" and again.int8_calibration == m.int8_calibration
    again.precision = "int8"
    assert (again.predict(d, "test") == got).all()
    with pytest.raises(sster.Error, match="float32 or int8"):
        again.precision = "int4"
