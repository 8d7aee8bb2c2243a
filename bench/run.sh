#!/usr/bin/env bash
# The benchmarks behind `tools/run bench` (which builds build/ and installs
# python3-torch and an optimised BLAS first):
#   1. the PyTorch reference (../shared/bench/torch_reference.py) on PUM2 with
#      1 and 2 threads; a reference (netlib) BLAS fails the run here;
#   2. sster on the same data and thread counts (training, inference, peak RSS),
#      each run right after PyTorch's with the same thread count;
#   3. LSTM and GRU networks, 2 threads, against bench/torch_rnn_reference.py
#      (the reference extended with pysster's recurrent block);
#   4. accuracy: test ROC-AUC of the default model on the planted-motif set
#      and on PUM2, and of the PyTorch reference on PUM2 (its train mode);
#   5. genome scale (2 threads): stride-1 scan positions/s against scoring the
#      same windows one by one with predict, and variant effects variants/s;
#   6. the machine's GEMM peak (Eigen) and FMA peak, data parsing, kernels
#      (_ref vs fast), and a length x kernel_num scaling table (2 threads);
#   7. one report on stdout and in bench/RESULTS.md; its last line is
#      "ratio vs pytorch (2 threads): train X.XX, infer Y.YY".
# Every measurement runs in a process of its own. Throughput runs are repeated
# (--repeat N, default 3) and the best run of each kind counts, for PyTorch
# and sster alike: other work on the machine only ever slows a run down.
#
#   bench/run.sh [--repeat N] [--quick] [--results FILE]
#     --quick    no scaling table and a smaller parsing run (for a smoke test)
#     --results  where the Markdown report goes (default bench/RESULTS.md)
set -euo pipefail
cd "$(dirname "$0")/.."

repeat=3
quick=0
results=bench/RESULTS.md
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) repeat="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    --results) results="$2"; shift 2 ;;
    *) echo "usage: bench/run.sh [--repeat N] [--quick] [--results FILE]" >&2; exit 2 ;;
  esac
done

shared="$(cd .. && pwd)/shared"
build=${SSTER_BUILD_DIR:-build}
bench="$build/bench/sster_bench"
python=/usr/bin/python3
pos="$shared/data/tutorial/pum2_positives.fasta.gz"
neg="$shared/data/tutorial/pum2_background.fasta.gz"
for f in "$pos" "$neg" "$shared/bench/torch_reference.py"; do
  [ -f "$f" ] || { echo "bench FAILED: $f is missing" >&2; exit 1; }
done
if [ ! -x "$bench" ]; then
  [ -f "$build/build.ninja" ] || meson setup "$build" --buildtype=release >&2
  meson compile -C "$build" sster_bench >&2
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
step() { echo "== $*" >&2; }

# 1-2. PyTorch and sster, interleaved so both meet the same background load;
# PyTorch's first run comes first: a crippled baseline fails the run before
# the long part.
for r in $(seq "$repeat"); do
  for t in 1 2; do
    step "PyTorch reference, $t thread(s), run $r/$repeat"
    if ! "$python" "$shared/bench/torch_reference.py" --mode throughput --threads "$t" --pos "$pos" --neg "$neg" \
        --json "$out/torch_${t}_$r.json" >/dev/null 2>"$out/torch.err"; then
      cat "$out/torch.err" >&2
      echo "bench FAILED: the PyTorch reference did not run (see above)" >&2
      exit 1
    fi
    grep -i "warning" "$out/torch.err" >&2 || true
    "$bench" check-torch "$out/torch_${t}_$r.json"
    step "sster, $t thread(s), run $r/$repeat"
    "$bench" throughput --threads "$t" --pos "$pos" --neg "$neg" --json "$out/sster_${t}_$r.json" >/dev/null
  done
done

# 3. Recurrent networks (pysster's rnn_type LSTM and GRU, 32 units,
# bidirectional) against the reference extended with the same layers.
for r in $(seq "$repeat"); do
  for rnn in LSTM GRU; do
    step "$rnn: PyTorch and sster, 2 threads, run $r/$repeat"
    if ! "$python" bench/torch_rnn_reference.py --rnn-type "$rnn" --mode throughput --threads 2 --pos "$pos" \
        --neg "$neg" --json "$out/torch_${rnn}_$r.json" >/dev/null 2>"$out/torch.err"; then
      cat "$out/torch.err" >&2
      echo "bench FAILED: the PyTorch $rnn reference did not run (see above)" >&2
      exit 1
    fi
    "$bench" throughput --threads 2 --rnn "$rnn" --pos "$pos" --neg "$neg" --json "$out/sster_${rnn}_$r.json" >/dev/null
  done
done

# 4. Accuracy: the default model with early stopping on seeded 70/15/15
# splits; PUM2 against the PyTorch reference's train mode.
step "accuracy: sster on the planted-motif set and on PUM2"
"$bench" accuracy --threads 2 --alphabet dna --pos "$shared/data/tutorial/artificial_pos.fasta.gz" \
  --neg "$shared/data/tutorial/artificial_neg.fasta.gz" --json "$out/accuracy_artificial_sster.json" >/dev/null
"$bench" accuracy --threads 2 --pos "$pos" --neg "$neg" --json "$out/accuracy_pum2_sster.json" >/dev/null
if [ "$quick" = 0 ]; then
  step "accuracy: PyTorch on PUM2 (train mode, several minutes)"
  "$python" "$shared/bench/torch_reference.py" --mode train --threads 2 --pos "$pos" --neg "$neg" --quiet \
    --json "$out/accuracy_pum2_torch.json" >/dev/null
fi

# 5. Genome scale: stride-1 scan against per-window predict, variants/s.
for r in $(seq "$repeat"); do
  step "genome scale: scan vs per-window predict, variant effects, 2 threads, run $r/$repeat"
  "$bench" genome --threads 2 --json "$out/genome_$r.json" >/dev/null
done

# 6. Machine peaks, parsing, kernels, scaling.
for t in 1 2; do
  step "GEMM and FMA peak, $t thread(s)"
  "$bench" gemm --threads "$t" --json "$out/gemm_$t.json" >/dev/null
done
step "data parsing"
if [ "$quick" = 1 ]; then records=100000; else records=1000000; fi
"$bench" parse --records "$records" --json "$out/parse.json" >/dev/null
step "kernels: _ref vs fast"
"$bench" kernels --json "$out/kernels.json" >/dev/null
if [ "$quick" = 0 ]; then
  for L in 100 200 500 1000; do
    for K in 30 100 300; do
      step "scaling: length $L, kernel_num $K"
      "$bench" scaling --threads 2 --length "$L" --kernels "$K" --json "$out/scaling_${L}_$K.json" >/dev/null
    done
  done
fi

# 7. The report (the BLAS is checked once more there).
"$bench" report --dir "$out" --results "$results" --load-before "$load_before" --load "$(cut -d' ' -f1-3 /proc/loadavg)"
