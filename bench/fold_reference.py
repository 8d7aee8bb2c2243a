#!/usr/bin/env python3
"""ViennaRNA's results as the reference for sster's folding (bench/ only).

Needs ViennaRNA's Python package in a venv under bench/ (never part of the
test suite):  python3 -m venv bench/.venv && bench/.venv/bin/pip install ViennaRNA

  bench/.venv/bin/python bench/fold_reference.py record N OUT.tsv [--seed S] [--pairs]
      N sequences (half random ACGU of length 50-500, half windows of length
      50-200 from the PUM2 tutorial set) with RNAfold's defaults: MFE
      structure and energy, how many structures share the MFE, ensemble free
      energy and per position the probability of being paired (--pairs).
  bench/.venv/bin/python bench/fold_reference.py speed LENGTH COUNT THREADS
      sequences/s of ViennaRNA's MFE and partition function (one process per
      thread) on random ACGU sequences, as bench/fold_bench speed measures sster.
"""
import gzip
import multiprocessing
import random
import sys
import time

import RNA

import os

# shared/ beside the checkout (or beside the directory of its worktrees)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = next((d for d in (os.path.join(ROOT, "..", "shared"), os.path.join(ROOT, "..", "..", "shared"))
               if os.path.isdir(d)), "shared") + "/data/tutorial/"


def pum2_sequences():
    out = []
    for name in ("pum2_positives.fasta.gz", "pum2_background.fasta.gz"):
        seq = []
        with gzip.open(SHARED + name, "rt") as f:
            for line in f:
                if line.startswith(">"):
                    if seq:
                        out.append("".join(seq))
                    seq = []
                else:
                    seq.append(line.strip().upper().replace("T", "U"))
        if seq:
            out.append("".join(seq))
    return out


def sequences(count, seed):
    rng = random.Random(seed)
    real = [s for s in pum2_sequences() if set(s) <= set("ACGU")]
    out = []
    for k in range(count):
        if k % 2 == 0:
            out.append("".join(rng.choice("ACGU") for _ in range(rng.randint(50, 500))))
        else:
            s = rng.choice(real)
            n = rng.randint(50, len(s))
            start = rng.randint(0, len(s) - n)
            out.append(s[start:start + n])
    return out


def reference(seq, pairs):
    md = RNA.md()
    md.uniq_ML = 1
    fc = RNA.fold_compound(seq, md)
    structure, mfe = fc.mfe()
    ties = len(fc.subopt(0)) if len(seq) <= 300 else 0  # 0: not counted
    fc.exp_params_rescale(mfe)
    _, ensemble = fc.pf()
    row = [seq, structure, "%.2f" % mfe, str(ties), "%.4f" % ensemble]
    if pairs:
        bpp = fc.bpp()
        n = len(seq)
        paired = [0.0] * (n + 1)
        for i in range(1, n + 1):
            for j in range(i + 1, n + 1):
                paired[i] += bpp[i][j]
                paired[j] += bpp[i][j]
        row.append(",".join("%.4f" % p for p in paired[1:]))
    return "\t".join(row)


def record(count, out, seed, pairs):
    with open(out, "w") as f:
        f.write("# RNAfold defaults via ViennaRNA %s: sequence, MFE structure, MFE (kcal/mol), "
                "structures sharing the MFE (0: not counted), ensemble free energy%s\n"
                % (RNA.__version__, ", P(paired) per position" if pairs else ""))
        for seq in sequences(count, seed):
            f.write(reference(seq, pairs) + "\n")


def random_sequences(length, count):
    rng = random.Random(length)
    return ["".join(rng.choice("ACGU") for _ in range(length)) for _ in range(count)]


def mfe_only(seq):
    return RNA.fold(seq)[1]


def pf_only(seq):
    fc = RNA.fold_compound(seq)
    _, mfe = fc.mfe()
    fc.exp_params_rescale(mfe)
    return fc.pf()[1]


def speed(length, count, threads):
    seqs = random_sequences(length, count)
    with multiprocessing.Pool(threads) as pool:
        for name, fn in (("mfe", mfe_only), ("partition", pf_only)):
            start = time.perf_counter()
            pool.map(fn, seqs, chunksize=max(1, count // (4 * threads)))
            took = time.perf_counter() - start
            print("vienna %s length %d: %.1f seq/s" % (name, length, count / took))


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["record"]:
        seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 1
        record(int(args[1]), args[2], seed, "--pairs" in args)
    elif args[:1] == ["speed"]:
        speed(int(args[1]), int(args[2]), int(args[3]))
    else:
        sys.exit(__doc__)
