"""The README's Python section and the pysster-style tutorial
(examples/python/tutorial.py) run as they are."""

import os
import re
import shutil
import subprocess
import sys

from conftest import ROOT


def readme_python_block():
    text = (ROOT / "README.md").read_text()
    section = text[text.index("\n## Python\n"):]
    section = section[:section.index("\n## ", 1)]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_python_section_runs(tmp_path, cli, monkeypatch):
    subprocess.run([cli, "simulate", "-d", tmp_path, "-n", "300", "--length", "60", "--motif", "CACGTG@10"],
                   check=True, capture_output=True)
    shutil.move(tmp_path / "positives.fasta.gz", tmp_path / "pos.fasta.gz")
    shutil.move(tmp_path / "negatives.fasta.gz", tmp_path / "neg.fasta.gz")
    shutil.copy(tmp_path / "pos.fasta.gz", tmp_path / "reads.fa.gz")
    monkeypatch.chdir(tmp_path)
    code = readme_python_block()
    assert len([l for l in code.splitlines() if l.strip()]) <= 11
    scope = {}
    exec(compile(code, "README.md", "exec"), scope)
    assert scope["predictions"].shape == (90, 2)
    assert len(scope["names"]) == 300 and scope["scores"].shape == (300, 2)
    assert os.path.isfile(tmp_path / "motifs" / "summary.html")
    assert os.path.isfile(tmp_path / "model.sster")


def test_tutorial_script(tmp_path):
    """pysster's tutorial: ROC-AUC >= 0.99 on the test records, every kernel drawn (the script checks)."""
    r = subprocess.run([sys.executable, str(ROOT / "examples" / "python" / "tutorial.py"), str(tmp_path / "out")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "test ROC-AUC of the positives: " in r.stdout
    assert os.path.isfile(tmp_path / "out" / "motif_kernel_19.png")
