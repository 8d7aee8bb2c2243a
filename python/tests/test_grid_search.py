"""pysster's tests/test_Grid_Search.py, ported (the C++ suite mirrors it in
tests/model/grid_search.test.cpp)."""

import pytest

import sster
from sster import Data, Model
from sster.Grid_Search import Grid_Search
from conftest import pysster_file

PARAMS = {"conv_num": [1], "kernel_num": [2, 4], "epochs": [1, 2]}
HEADERS = ["# conv_num: [1]", "# kernel_num: [2, 4]", "# epochs: [1, 2]"]


@pytest.fixture(scope="module")
def data():
    return Data([pysster_file("dna_pos.fasta"), pysster_file("dna_neg.fasta")], "ACGT")


def test_grid_search_init():
    searcher = Grid_Search(PARAMS)
    assert searcher.params == PARAMS
    assert len(searcher.candidates) == 4
    for c in [{"conv_num": 1, "kernel_num": 2, "epochs": 1}, {"conv_num": 1, "kernel_num": 2, "epochs": 2},
              {"conv_num": 1, "kernel_num": 4, "epochs": 1}, {"conv_num": 1, "kernel_num": 4, "epochs": 2}]:
        assert c in searcher.candidates


@pytest.mark.parametrize("pr_auc,metric", [(False, "roc-auc"), (True, "pre-auc")])
def test_grid_search_train(data, pr_auc, metric):
    model, table = Grid_Search(PARAMS).train(data, pr_auc=pr_auc, verbose=False)
    assert isinstance(model, Model)
    assert isinstance(table, str)
    table = table.split("\n")
    assert len(table) == 9
    assert table[0:3] == HEADERS
    assert table[3].split() == ["conv_num", "kernel_num", "epochs", metric]
    for line in table[4:8]:
        assert len(line.split()) == 4
    assert table[8] == ""
    # the best model is the first row's combination
    best = table[4].split()
    assert [model.params["conv_num"], model.params["kernel_num"], model.params["epochs"]] == \
        [int(best[0]), int(best[1]), int(best[2])]


def test_grid_search_verbose_prints_a_line_per_combination(data, capsys):
    """Through Python's print (what a notebook shows), not the process's stderr."""
    Grid_Search(PARAMS).train(data, verbose=True)
    lines = sorted(l for l in capsys.readouterr().out.splitlines() if l.startswith("combination"))
    assert len(lines) == 4
    assert lines[0].startswith("combination 1/4 (conv_num=1 kernel_num=2 epochs=1): ")


def test_grid_search_tuples_and_bad_values(data):
    searcher = Grid_Search({"conv_num": [2], "kernel_num": [(2, 3)], "kernel_len": [3], "epochs": [1]})
    model, table = searcher.train(data, verbose=False)
    assert model.params["kernel_num"] == [2, 3]
    assert table.split("\n")[1] == "# kernel_num: [(2, 3)]"
    with pytest.raises(sster.Error, match="kernel_num"):
        Grid_Search({"kernel_num": [0]})
    with pytest.raises(sster.Error, match="non-empty list"):
        Grid_Search({"kernel_num": 3})
