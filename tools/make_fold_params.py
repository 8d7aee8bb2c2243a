#!/usr/bin/env python3
"""Writes include/sster/fold/turner2004.hpp from ViennaRNA's rna_turner2004.par.

The free energies (37 degC, dcal/mol) are the Turner 2004 nearest-neighbour
parameters (Mathews et al. 2004; NNDB) in the layout of ViennaRNA's parameter
file format v2.0, which RNAfold uses by default. Only the free energies are
kept (no enthalpies: sster folds at 37 degC only).

    tools/make_fold_params.py PATH/TO/rna_turner2004.par > include/sster/fold/turner2004.hpp

The .par file comes from ViennaRNA's repository (misc/rna_turner2004.par);
ViennaRNA's licence forbids redistribution for a fee, so sster ships the
generated numbers (published data) and not the file.
"""
import re
import sys

INF = 10000000  # sster::fold::inf, "no such loop"

# One known typo in the file: the GU->AU stack reads "-1i40"; ViennaRNA's
# compiled-in defaults and the symmetric entry (AU->GU) both say -140.
TYPO_FIXES = {("stack", "-1i40"): "-140"}

PAIRS = ["CG", "GC", "GU", "UG", "AU", "UA", "NS"]  # pair types 1..7
BASES = "NACGU"  # base codes 0..4


def sections(text):
    """{name: [tokens]} for every '# name' section, comments removed."""
    out, name = {}, None
    for line in text.splitlines():
        if line.startswith("# ") and line.strip() != "#END":
            name = line[2:].strip()
            out[name] = []
            continue
        if line.startswith("#") or name is None:
            continue
        line = re.sub(r"/\*.*?\*/", " ", line)
        out[name] += [TYPO_FIXES.get((name, t), t) for t in line.split()]
    return out


def value(token):
    return INF if token == "INF" else int(token)


def numbers(tokens, count, name):
    if len(tokens) < count:
        sys.exit(f"{name}: expected {count} numbers, found {len(tokens)}")
    return [value(t) for t in tokens[:count]]


def array(values, dims):
    """Nested C++ initialiser of `values` (row-major) with shape `dims`."""
    if len(dims) == 1:
        return "{" + ", ".join(str(v) for v in values) + "}"
    step = len(values) // dims[0]
    return "{" + ",\n ".join(array(values[k * step:(k + 1) * step], dims[1:]) for k in range(dims[0])) + "}"


def full(file_values, file_dims, offsets, dims, fill):
    """Places the file's table (dims file_dims, starting at index `offsets` in
    each dimension) into a table of `dims` filled with `fill` elsewhere."""
    out = [fill] * prod(dims)
    for flat, v in enumerate(file_values):
        idx, rest = [], flat
        for d in reversed(file_dims):
            idx.append(rest % d)
            rest //= d
        idx = [i + o for i, o in zip(reversed(idx), offsets)]
        pos = 0
        for i, d in zip(idx, dims):
            pos = pos * d + i
        out[pos] = v
    return out


def prod(dims):
    p = 1
    for d in dims:
        p *= d
    return p


def int22_with_n(table):
    """int22 from the file covers pairs CG..UA and bases A..U; a loop holding
    an N (code 0) gets the largest (least stable) energy of the loops the N
    could stand for, the convention of the file's own N rows and columns."""
    dims = [8, 8, 5, 5, 5, 5]

    def at(p, q, a, b, c, d):
        return table[((((p * 8 + q) * 5 + a) * 5 + b) * 5 + c) * 5 + d]

    out = list(table)
    for p in range(1, 7):
        for q in range(1, 7):
            for a in range(5):
                for b in range(5):
                    for c in range(5):
                        for d in range(5):
                            if 0 not in (a, b, c, d):
                                continue
                            choices = [x if x else None for x in (a, b, c, d)]
                            best = max(at(p, q, *[ch if ch else alt[k] for k, ch in enumerate(choices)])
                                       for alt in all_bases(4))
                            pos = ((((p * 8 + q) * 5 + a) * 5 + b) * 5 + c) * 5 + d
                            out[pos] = best
    return out


def all_bases(k):
    if k == 0:
        yield []
        return
    for rest in all_bases(k - 1):
        for b in range(1, 5):
            yield rest + [b]


def special_loops(tokens, length):
    """[(loop sequence, energy)] from 'SEQ dG dH' triples."""
    out = []
    for k in range(0, len(tokens), 3):
        seq = tokens[k]
        if len(seq) != length or not set(seq) <= set("ACGU"):
            sys.exit(f"special hairpin '{seq}': expected {length} letters of ACGU")
        out.append((seq, int(tokens[k + 1])))
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    text = open(sys.argv[1]).read()
    if not text.startswith("## RNAfold parameter file v2.0"):
        sys.exit(f"{sys.argv[1]}: not a ViennaRNA parameter file v2.0")
    s = sections(text)
    pair_mismatch = lambda name: full(numbers(s[name], 7 * 25, name), [7, 5, 5], [1, 0, 0], [8, 5, 5], 0)
    tables = [
        ("stack", "stacked pairs [outer pair][inner pair, read from the inside]",
         full(numbers(s["stack"], 49, "stack"), [7, 7], [1, 1], [8, 8], INF), [8, 8]),
        ("mismatch_hairpin", "[pair][5' mismatch i+1][3' mismatch j-1]", pair_mismatch("mismatch_hairpin"), [8, 5, 5]),
        ("mismatch_interior", "generic interior loops", pair_mismatch("mismatch_internal"), [8, 5, 5]),
        ("mismatch_interior_1n", "1xn interior loops", pair_mismatch("mismatch_internal_1n"), [8, 5, 5]),
        ("mismatch_interior_23", "2x3 interior loops", pair_mismatch("mismatch_internal_23"), [8, 5, 5]),
        ("mismatch_multi", "stems in multiloops (dangles d2)", pair_mismatch("mismatch_multi"), [8, 5, 5]),
        ("mismatch_exterior", "stems in the exterior loop (dangles d2)", pair_mismatch("mismatch_exterior"), [8, 5, 5]),
        ("dangle5", "[pair][base 5' of the pair]",
         full(numbers(s["dangle5"], 35, "dangle5"), [7, 5], [1, 0], [8, 5], 0), [8, 5]),
        ("dangle3", "[pair][base 3' of the pair]",
         full(numbers(s["dangle3"], 35, "dangle3"), [7, 5], [1, 0], [8, 5], 0), [8, 5]),
        ("int11", "1x1 loops [outer pair][inner pair][i+1][j-1]",
         full(numbers(s["int11"], 49 * 25, "int11"), [7, 7, 5, 5], [1, 1, 0, 0], [8, 8, 5, 5], INF), [8, 8, 5, 5]),
        ("int21", "2x1 loops [outer pair][inner pair][i+1][q+1][j-1] (one base 5', two 3')",
         full(numbers(s["int21"], 49 * 125, "int21"), [7, 7, 5, 5, 5], [1, 1, 0, 0, 0], [8, 8, 5, 5, 5], INF),
         [8, 8, 5, 5, 5]),
        ("int22", "2x2 loops [outer pair][inner pair][i+1][p-1][q+1][j-1]",
         int22_with_n(full(numbers(s["int22"], 36 * 256, "int22"), [6, 6, 4, 4, 4, 4], [1, 1, 1, 1, 1, 1],
                           [8, 8, 5, 5, 5, 5], INF)), [8, 8, 5, 5, 5, 5]),
        ("hairpin", "hairpin loop initiation by size", numbers(s["hairpin"], 31, "hairpin"), [31]),
        ("bulge", "bulge loop initiation by size", numbers(s["bulge"], 31, "bulge"), [31]),
        ("interior", "interior loop initiation by size", numbers(s["internal"], 31, "internal"), [31]),
    ]
    ml = numbers(s["ML_params"], 6, "ML_params")
    ninio = numbers(s["NINIO"], 3, "NINIO")
    misc = numbers(s["Misc"], 4, "Misc")
    scalars = [
        ("ml_base", ml[0], "per unpaired base in a multiloop"),
        ("ml_closing", ml[2], "per multiloop"),
        ("ml_intern", ml[4], "per stem in a multiloop, the closing one included"),
        ("ninio", ninio[0], "per nucleotide of interior-loop asymmetry"),
        ("max_ninio", ninio[2], "cap of the asymmetry penalty"),
        ("terminal_au", misc[2], "per AU or GU pair closing a helix"),
    ]
    loops = [("triloops", special_loops(s["Triloops"], 5)), ("tetraloops", special_loops(s["Tetraloops"], 6)),
             ("hexaloops", special_loops(s["Hexaloops"], 8))]

    w = sys.stdout.write
    w("#pragma once\n// Generated by tools/make_fold_params.py from ViennaRNA's misc/rna_turner2004.par;\n")
    w("// do not edit. Turner 2004 free energies at 37 degC in dcal/mol (Mathews et al.\n")
    w("// 2004, PNAS 101:7287; NNDB), as RNAfold uses them by default. Pair types:\n")
    w("// 1 CG, 2 GC, 3 GU, 4 UG, 5 AU, 6 UA, 7 other; bases: 0 N, 1 A, 2 C, 3 G, 4 U.\n")
    w("// Credit: the ViennaRNA Package (Lorenz et al. 2011), Institute for\n// Theoretical Chemistry, University of Vienna.\n")
    w("#include <array>\n#include <string_view>\n\nnamespace sster::fold::turner2004 {\n\n")
    w(f"inline constexpr int inf = {INF};\n")
    w("inline constexpr double lxc = 107.856;  // loop extrapolation: lxc * ln(n / 30) beyond 30\n")
    for name, v, why in scalars:
        w(f"inline constexpr int {name} = {v};  // {why}\n")
    for name, why, values, dims in tables:
        ctype = "int" + "".join(f"[{d}]" for d in dims)
        w(f"\n// {why}\ninline constexpr {ctype.replace('int', 'int ' + name, 1)} = ")
        w(array(values, dims) + ";\n")
    w("\nstruct SpecialHairpin {\n  std::string_view loop;  // closing pair included\n  int energy;\n};\n")
    for name, entries in loops:
        w(f"inline constexpr std::array<SpecialHairpin, {len(entries)}> {name} = {{{{\n")
        w(",\n".join(f'    {{"{seq}", {e}}}' for seq, e in entries))
        w("}};\n")
    w("\n}  // namespace sster::fold::turner2004\n")


if __name__ == "__main__":
    main()
