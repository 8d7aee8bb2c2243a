"""pysster's tests/test_Data.py, ported to sster's Python API (the C++ suite
mirrors the same assertions in tests/data/dataset.test.cpp)."""

import os

import numpy as np
import pytest

import sster
from sster import Data, Model
from conftest import png_size, pysster_file


@pytest.fixture(scope="module")
def data_dna():
    return Data([pysster_file("dna_pos.fasta"), pysster_file("dna_neg.fasta")], "ACGT")


@pytest.fixture(scope="module")
def data_rna_dot():
    return Data(pysster_file("rna.fasta"), ("ACGU", "()."))


def make_pwm():
    d = Data([pysster_file("rna_pwm1.fasta"), pysster_file("rna_pwm2.fasta")], ("ACGU", "()."), structure_pwm=True)
    add = [pysster_file("rna_pwm1_add.txt"), pysster_file("rna_pwm2_add.txt")]
    d.load_additional_data(add, is_categorical=False)
    d.load_additional_data(add, is_categorical=True, categories=[str(x) for x in range(1, 17)])
    d.load_additional_positionwise_data([pysster_file("rna_pwm1_pos.txt"), pysster_file("rna_pwm2_pos.txt")], "feat1")
    d.load_additional_positionwise_data([pysster_file("rna_pwm2_pos.txt"), pysster_file("rna_pwm1_pos.txt")], "feat2")
    return d


@pytest.fixture(scope="module")
def data_pwm():
    return make_pwm()


def test_data_init_dna(data_dna):
    assert not data_dna.is_rna_pwm
    assert not data_dna.is_rna
    assert not data_dna.multilabel
    assert len(data_dna) == 100
    assert data_dna._shape() == (32, 4)
    assert data_dna.alphabet == "ACGT"
    labels = data_dna.get_labels("all")
    assert labels.shape == (100, 2)
    assert (labels[:40] == [1, 0]).all()
    assert (labels[40:] == [0, 1]).all()


def test_data_init_rna(data_rna_dot):
    obj = data_rna_dot
    assert not obj.is_rna_pwm
    assert len(obj) == 20
    assert obj._shape() == (40, 12)
    assert obj.alphabet == ("ACGU", "().")
    assert obj.is_rna
    assert obj.multilabel
    labels = obj.get_labels("all")
    assert labels.shape == (20, 3)
    for x in [0, 2, 4, 10, 11, 14, 18, 19]:
        assert labels[x][0] == 1
    for x in [1, 2, 5, 6, 9, 10, 12, 15, 16, 17, 19]:
        assert labels[x][1] == 1
    for x in [0, 2, 3, 6, 7, 8, 9, 10, 13, 14, 15, 16]:
        assert labels[x][2] == 1


def test_data_train_val_test_split(data_dna, data_rna_dot):
    for obj, sizes in [(data_rna_dot, (14, 3, 3)), (data_dna, (70, 15, 15))]:
        s = obj.splits
        assert (len(s["train"]), len(s["val"]), len(s["test"])) == sizes
        assert set(s["train"]) & set(s["val"]) & set(s["test"]) == set()
        assert len(set(s["train"]) | set(s["val"]) | set(s["test"])) == len(obj)


def test_train_val_test_split_reseeds():
    d = Data([pysster_file("dna_pos.fasta"), pysster_file("dna_neg.fasta")], "ACGT")
    before = d.splits["test"].copy()
    d.train_val_test_split(0.5, 0.25, seed=7)
    assert (len(d.splits["train"]), len(d.splits["val"]), len(d.splits["test"])) == (50, 25, 25)
    again = Data([pysster_file("dna_pos.fasta"), pysster_file("dna_neg.fasta")], "ACGT")
    again.train_val_test_split(0.5, 0.25, seed=7)
    assert all((d.splits[g] == again.splits[g]).all() for g in ("train", "val", "test"))
    assert len(before) == 15


def test_data_shape(data_dna, data_rna_dot, data_pwm):
    assert data_dna._shape() == (32, 4)
    assert data_rna_dot._shape() == (40, 12)
    assert data_pwm._shape() == (10, 14)


def test_data_get_sequences(data_dna):
    num_seqs = {"train": 70, "val": 15, "test": 15, "all": 100}
    for group, n in num_seqs.items():
        seqs = data_dna.get_sequences(group)
        assert len(seqs) == n
        assert all(s == "ACGTACGTACGTACGTACGTACGTACGTACGT" for s in seqs)


def test_data_get_data(data_dna, data_rna_dot):
    for obj, sizes, shape, classes in [(data_dna, {"train": 70, "val": 15, "test": 15, "all": 100}, (32, 4), 2),
                                       (data_rna_dot, {"train": 14, "val": 3, "test": 3, "all": 20}, (40, 12), 3)]:
        for group, n in sizes.items():
            inputs = obj.get_inputs(group)
            assert inputs.shape == (n,) + shape
            assert obj.get_labels(group).shape == (n, classes)
            assert (inputs.sum(axis=2) == 1).all()  # one-hot


def test_data_get_class_weights(data_dna, data_rna_dot):
    assert data_dna._get_class_weights() == pytest.approx({0: 1.5, 1: 1.0}, rel=1e-9)
    assert data_rna_dot._get_class_weights() == pytest.approx({0: 1.5, 1: 1.0909090909090908, 2: 1.0}, rel=1e-9)


def test_data_get_summary(data_dna, data_rna_dot):
    for obj, classes in [(data_dna, ["dna_pos", "dna_neg"]), (data_rna_dot, ["class_0", "class_1", "class_2"])]:
        text = obj.get_summary().split("\n")
        assert text[0].split() == classes
        assert text[1].split()[:2] == ["all", "data:"]
        assert text[2].split()[0] == "training:"
        assert text[3].split()[0] == "validation:"
        assert text[4].split()[0] == "test:"
        for x in range(len(classes)):
            assert int(text[2].split()[x + 1]) + int(text[3].split()[x + 1]) + int(text[4].split()[x + 1]) == \
                int(text[1].split()[x + 2])


def test_data_get_labels(data_dna, data_rna_dot):
    for group, n in [("test", 15), ("train", 70), ("val", 15), ("all", 100)]:
        labels = data_dna.get_labels(group)
        assert labels.shape == (n, 2)
        assert (labels.sum(axis=1) == 1).all()
    assert (data_dna.get_labels("all").sum(axis=0) == [40, 60]).all()
    labels = data_rna_dot.get_labels("test")
    assert labels.shape == (3, 3)
    assert (labels.sum(axis=1) <= 3).all()
    labels = data_rna_dot.get_labels("all")
    assert labels.shape == (20, 3)
    assert (labels.sum(axis=0) == [8, 11, 12]).all()


PWM_REF = np.array([0.9, 0, 0.1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0.8, 0, 0.2,
                    0.7, 0, 0.3, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0.9, 0, 0.1,
                    0.0, 0, 1.0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0.0, 0, 1.0,
                    0.0, 0.2, 0.8, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0.0, 0.7, 0.3,
                    0.0, 0.8, 0.2, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0.0, 0.9, 0.1]).reshape(10, 12)


def test_data_pwm_struct(data_pwm):
    assert data_pwm.is_rna_pwm
    assert len(data_pwm) == 32
    inputs = data_pwm.get_inputs("all")
    assert inputs.shape == (32, 10, 14)
    assert np.allclose(inputs[0, :, :12], PWM_REF)
    assert np.allclose(inputs[15, :, :12], PWM_REF)  # pysster: seqs[15] of class 0
    assert (data_pwm.get_labels("all").sum(axis=0) == [16, 16]).all()


def test_data_additional(data_pwm, tmp_path):
    extra = data_pwm.get_additional_data("all")
    assert extra.shape == (32, 17)  # 1 number + 16 one-hot categories
    assert list(extra[:, 0]) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    onehot = extra[:, 1:]
    assert (onehot.sum(axis=1) == 1).all()
    assert (onehot[0] == onehot[31]).all()
    assert (onehot[13] == onehot[18]).all()
    # position-wise inputs after the 12 sequence x structure channels
    dat = data_pwm.get_inputs("all")
    assert dat.shape == (32, 10, 14)
    assert np.allclose(dat[0, :, 12], [0.9, 0.8, 0.7, 0.9, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    assert np.allclose(dat[31, :, 13], [0.1, 0.2, 0.3, 0.1, 1.0, 1.0, 0.8, 0.3, 0.2, 0.1])
    assert np.allclose(dat[31, :, 12], [2.1, 2.2, 2.3, 2.1, 2.0, 2.0, 2.8, 2.3, 2.2, 2.1])

    mod = Model({"conv_num": 1, "kernel_num": 2, "kernel_len": 4, "neuron_num": 2, "epochs": 2}, data_pwm)
    mod.train(data_pwm, verbose=True)
    predictions = mod.predict(data_pwm, "all")
    assert predictions.shape == (32, 2)
    assert predictions.dtype == np.float32

    # the kernel plot of position-wise inputs
    acts = mod.get_max_activations(data_pwm, "all")
    motif, score = mod.visualize_kernel(acts, data_pwm, 0, tmp_path)
    assert isinstance(motif, tuple) and isinstance(motif[0], sster.Motif)
    for name in ["additional_features", "motif", "position", "activations"]:
        assert os.path.isfile(tmp_path / "{}_kernel_0.png".format(name))
    # pysster's figure is 500 x 1400 (matplotlib); sster draws its own, one panel per input
    width, height = png_size(tmp_path / "additional_features_kernel_0.png")
    assert width > 0 and height > 0


def test_save_load_data(data_pwm, tmp_path):
    path = tmp_path / "pwm.sstd"
    sster.utils.save_data(data_pwm, path)
    again = sster.utils.load_data(path)
    assert again._shape() == data_pwm._shape()
    assert (again.get_inputs("all") == data_pwm.get_inputs("all")).all()
    assert (again.get_additional_data("all") == data_pwm.get_additional_data("all")).all()
    assert all((again.splits[g] == data_pwm.splits[g]).all() for g in ("train", "val", "test"))
