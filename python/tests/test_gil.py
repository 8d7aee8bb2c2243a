"""Training and prediction run without the GIL: another Python thread keeps
running while they do. The other thread sleeps 1 ms between looks, so it
needs the GIL back after each: while a call holds the GIL it is stuck, and
counts at most the one look it took before the call began."""

import threading
import time

import pytest

from sster import Data, Model
from conftest import tutorial_file


@pytest.fixture(scope="module")
def data():
    d = Data([tutorial_file("artificial_pos.fasta.gz"), tutorial_file("artificial_neg.fasta.gz")], "ACGT")
    d.train_val_test_split(0.1, 0.05, seed=3)  # 2000 training records: a few seconds
    return d


class Watcher:
    """Counts the looks of a second thread that find the main thread inside a call."""

    def __init__(self):
        self.inside = False
        self.looks_inside = 0
        self.done = False
        self.thread = threading.Thread(target=self._run)

    def _run(self):
        while not self.done:
            if self.inside:
                self.looks_inside += 1
            time.sleep(0.001)

    def run(self, call):
        self.thread.start()
        self.inside = True
        try:
            return call()
        finally:
            self.inside = False
            self.done = True
            self.thread.join()


def test_train_releases_the_gil(data):
    model = Model({"conv_num": 1, "kernel_num": 10, "epochs": 2}, data, seed=1)
    w = Watcher()
    w.run(lambda: model.train(data, verbose=False))
    assert w.looks_inside >= 10


def test_predict_releases_the_gil(data):
    model = Model({"conv_num": 1, "kernel_num": 10}, data, seed=1)
    w = Watcher()
    w.run(lambda: [model.predict(data, "all") for _ in range(3)])
    assert w.looks_inside >= 10
