#!/usr/bin/env python3
"""ViennaRNA's results as the reference for sster's folding (bench/ only).

Needs ViennaRNA's Python package in a venv under bench/ (never part of the
test suite):  python3 -m venv bench/.venv && bench/.venv/bin/pip install ViennaRNA

  bench/.venv/bin/python bench/fold_reference.py record N OUT.tsv [--seed S] [--pairs]
      N sequences (half random ACGU of length 50-500, half windows of length
      50-200 from the PUM2 tutorial set) with RNAfold's defaults: MFE
      structure and energy, how many structures share the MFE, ensemble free
      energy and per position the probability of being paired (--pairs).
  bench/.venv/bin/python bench/fold_reference.py plfold N OUT.tsv [--seed S]
      N sequences (random ACGU, some with N, and PUM2 windows, 20-300 nt)
      with RNAplfold's local folding: per sequence the window W and span L
      (mostly pysster's 70/70), per position the probabilities of being
      unpaired in the exterior loop, a hairpin, an interior loop (bulges
      included) and a multiloop (RNAplfold -u 1 split by loop type), and the
      pairs of probability >= 0.01 (RNAplfold's plfold_basepairs).
  bench/.venv/bin/python bench/fold_reference.py speed LENGTH COUNT THREADS
      sequences/s of ViennaRNA's MFE, partition function and RNAplfold (W = L =
      70) (one process per thread) on random ACGU sequences, as bench/fold_bench
      speed measures sster.
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


def plfold_reference(seq, window, span):
    md = RNA.md()
    md.window_size = window
    md.max_bp_span = span
    fc = RNA.fold_compound(seq, md, RNA.OPTION_WINDOW)
    up = {kind: [0.0] * (len(seq) + 1) for kind in "EHIM"}
    pairs = []

    def collect(values, size, i, maxsize, what, data):
        if what & RNA.PROBS_WINDOW_UP:
            kind = ("E" if what & RNA.EXT_LOOP else "H" if what & RNA.HP_LOOP else
                    "I" if what & RNA.INT_LOOP else "M")
            up[kind][i] = values[1]
        elif what & RNA.PROBS_WINDOW_BPP:
            for j, p in enumerate(values):
                if p is not None and j > i and p >= 0.01:
                    pairs.append("%d:%d:%.5g" % (i, j, p))

    fc.probs_window(1, RNA.PROBS_WINDOW_BPP | RNA.PROBS_WINDOW_UP | RNA.PROBS_WINDOW_UP_SPLIT, collect, None)
    row = [seq, str(window), str(span)]
    row += [",".join("%.6g" % p for p in up[kind][1:]) for kind in "EHIM"]
    row.append(",".join(pairs) if pairs else "-")
    return "\t".join(row)


def plfold_record(count, out, seed):
    rng = random.Random(seed)
    real = [s for s in pum2_sequences() if set(s) <= set("ACGU")]
    # (W, L): mostly pysster's RNAplfold defaults; a window longer than the sequence; a short span
    shapes = [(70, 70)] * 4 + [(100, 50), (40, 40), (150, 100), (30, 20)]
    with open(out, "w") as f:
        f.write("# RNAplfold (ViennaRNA %s, probs_window): sequence, W, L, P(unpaired) per position in the "
                "exterior loop, hairpins, interior loops, multiloops; pairs i:j:p with p >= 0.01\n" % RNA.__version__)
        for k in range(count):
            window, span = shapes[k % len(shapes)]
            if k % 3 == 0:
                s = rng.choice(real)
                n = rng.randint(20, len(s))
                start = rng.randint(0, len(s) - n)
                seq = s[start:start + n]
            else:
                seq = "".join(rng.choice("ACGU" if k % 7 else "ACGUN") for _ in range(rng.randint(20, 300)))
            f.write(plfold_reference(seq, window, span) + "\n")


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


def plfold_only(seq):
    # what sster's WindowFolder gives: pair probabilities and unpaired probabilities by loop type
    md = RNA.md()
    md.window_size = 70
    md.max_bp_span = 70
    fc = RNA.fold_compound(seq, md, RNA.OPTION_WINDOW)
    fc.probs_window(1, RNA.PROBS_WINDOW_BPP | RNA.PROBS_WINDOW_UP | RNA.PROBS_WINDOW_UP_SPLIT,
                    lambda *args: None, None)
    return 0


def speed(length, count, threads):
    seqs = random_sequences(length, count)
    with multiprocessing.Pool(threads) as pool:
        for name, fn in (("mfe", mfe_only), ("partition", pf_only), ("plfold", plfold_only)):
            start = time.perf_counter()
            pool.map(fn, seqs, chunksize=max(1, count // (4 * threads)))
            took = time.perf_counter() - start
            print("vienna %s length %d: %.1f seq/s" % (name, length, count / took))


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["record"]:
        seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 1
        record(int(args[1]), args[2], seed, "--pairs" in args)
    elif args[:1] == ["plfold"]:
        seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 1
        plfold_record(int(args[1]), args[2], seed)
    elif args[:1] == ["speed"]:
        speed(int(args[1]), int(args[2]), int(args[3]))
    else:
        sys.exit(__doc__)
