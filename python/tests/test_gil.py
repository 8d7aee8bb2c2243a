"""Training and prediction run without the GIL, and Ctrl-C stops training.

Training and prediction run without the GIL: another Python thread keeps
running while they do. The other thread sleeps 1 ms between looks, so it
needs the GIL back after each: while a call holds the GIL it is stuck, and
counts at most the one look it took before the call began."""

import importlib
import os
import signal
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


@pytest.fixture
def sigint_handler():
    """Python's own SIGINT handler (KeyboardInterrupt), also when the test run
    inherited SIGINT ignored, as a shell's background job does."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_stops_after_the_batch_and_train_continues(data, monkeypatch, sigint_handler):
    """SIGINT while training (a notebook's interrupt): KeyboardInterrupt after
    the current batch, the run kept; train() again ends with the bits of an
    uninterrupted run."""
    params = {"conv_num": 1, "kernel_num": 10, "epochs": 8}
    whole = Model(params, data, seed=2)
    whole.train(data, verbose=False)

    sent = threading.Event()

    def interrupt():
        os.kill(os.getpid(), signal.SIGINT)
        sent.set()

    def interrupt_during_epoch_2(line):  # the progress line of each epoch
        if line.split()[1] == "1":
            threading.Timer(0.05, interrupt).start()
        else:  # a busy machine may delay the timer: wait for it, so the signal lands before the end
            sent.wait(60)

    monkeypatch.setattr(importlib.import_module("sster.Model"), "_print_line", interrupt_during_epoch_2)
    model = Model(params, data, seed=2)
    with pytest.raises(KeyboardInterrupt):
        model.train(data)
    assert model._native.training_in_progress
    assert 1 <= len(model.history) < 8
    assert model.predict(data, "test").shape == (len(data.get_indices("test")), 2)  # usable as it is
    model.train(data, verbose=False)
    assert not model._native.training_in_progress
    assert len(model.history) == len(whole.history)
    assert (model.weights == whole.weights).all()


def test_an_interrupt_inside_the_progress_line_stops_training_the_same_way(data, monkeypatch):
    """A KeyboardInterrupt raised while the progress line prints (Python code,
    where a signal's handler runs at once) stops training after the next batch
    with the run kept, as a signal during a batch does."""
    params = {"conv_num": 1, "kernel_num": 10, "epochs": 4}
    whole = Model(params, data, seed=3)
    whole.train(data, verbose=False)

    def interrupted_print(line):
        if line.split()[1] == "1":
            raise KeyboardInterrupt

    monkeypatch.setattr(importlib.import_module("sster.Model"), "_print_line", interrupted_print)
    model = Model(params, data, seed=3)
    with pytest.raises(KeyboardInterrupt):
        model.train(data)
    assert model._native.training_in_progress
    assert len(model.history) == 1
    model.train(data, verbose=False)
    assert len(model.history) == len(whole.history)
    assert (model.weights == whole.weights).all()
