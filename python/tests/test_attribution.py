"""Model.attribute: the attribution methods through the Python package (the
C++ suite checks the methods themselves against their oracles)."""

import numpy as np
import pytest

import sster
from sster import Data, Model
from conftest import tutorial_file

WINDOWS = [(20, 30), (50, 60), (80, 90), (110, 120)]  # pysster's tutorial: C, G, A, T runs


@pytest.fixture(scope="module")
def planted():
    data = Data([tutorial_file("artificial_pos.fasta.gz"), tutorial_file("artificial_neg.fasta.gz")], "ACGT")
    model = Model({"conv_num": 1, "kernel_num": 16, "kernel_len": 10, "neuron_num": 32, "epochs": 3}, data, seed=3)
    model.train(data, verbose=False)
    return data, model, data.get_symbols("all")[:20]  # positives: the first file's records come first


def in_window(t):
    return any(lo <= t < hi for lo, hi in WINDOWS)


@pytest.mark.parametrize("method", ["ism", "saliency", "gradxinput", "deeplift", "ig"])
def test_planted_bases_carry_the_attribution(planted, method):
    _, model, x = planted
    a = model.attribute(x, method=method, target_class=model.class_names[0], references=10, steps=32)
    assert a["hypothetical"].shape == (20, 140, 4) and a["hypothetical"].dtype == np.float32
    assert a["actual"].shape == (20, 140)
    top = np.argsort(-a["actual"], axis=1)[:, :10]
    assert np.mean([in_window(t) for t in top.ravel()]) >= 0.9


def test_deeplift_sums_to_delta_and_ism_is_centred(planted):
    _, model, x = planted
    d = model.attribute(x, method="deeplift", references=5, seed=7)
    np.testing.assert_allclose(d["actual"].sum(axis=1), d["output"] - d["reference"], atol=1e-4)
    i = model.attribute(x, method="ism")
    own = np.take_along_axis(i["deltas"], x[:, :, None].astype(np.intp), axis=2)
    assert np.all(own == 0)
    np.testing.assert_allclose(i["hypothetical"].sum(axis=2), 0, atol=1e-5)
    assert np.all(i["output"] == i["reference"])


def test_probabilities_class_names_and_errors(planted):
    _, model, x = planted
    p = model.attribute(x[:3], method="saliency", target_class=1, target="prob")
    assert np.all((p["output"] >= 0) & (p["output"] <= 1))
    with pytest.raises(sster.Error, match="the model's classes are"):
        model.attribute(x, target_class="nope")
    with pytest.raises(sster.Error, match="unknown attribution method 'lime'"):
        model.attribute(x, method="lime")
    with pytest.raises(sster.Error, match=r"expected symbols of shape \(records, 140\)"):
        model.attribute(x[:, :50])
