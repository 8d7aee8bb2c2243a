"""Paths of the shared test data, of the command-line tool and of the compiled
examples (in build/, or $SSTER_BUILD), for every test."""

import os
import struct
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("SSTER_SHARED_DATA", ROOT.parent / "shared" / "data"))
BUILD = Path(os.environ.get("SSTER_BUILD", ROOT / "build"))
CLI = BUILD / "tools" / "sster"


def pysster_file(name):
    return str(SHARED / "pysster-tests" / name)


def tutorial_file(name):
    return str(SHARED / "tutorial" / name)


def png_size(path):
    """(width, height) from a PNG's IHDR chunk."""
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


@pytest.fixture(scope="session")
def cli():
    if not CLI.exists():
        pytest.skip("the sster tool is not built ({}); tools/run test builds it".format(CLI))
    return str(CLI)


@pytest.fixture(scope="session")
def example():
    """The path of a compiled example program (examples/NAME.cpp) in the build."""
    def path(name):
        exe = BUILD / "examples" / name
        if not exe.exists():
            pytest.skip("the example {} is not built ({}); tools/run test builds it".format(name, exe))
        return str(exe)
    return path
