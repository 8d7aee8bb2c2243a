#!/usr/bin/env bash
# The benchmarks behind `tools/run bench` (which builds build/ and installs
# python3-torch and an optimised BLAS first):
#   1. two PyTorch builds of the reference (../shared/bench/torch_reference.py)
#      on PUM2 with 1 and 2 threads: Debian's (1.13, OpenBLAS) and the one a
#      user installs today from PyPI (2.x CPU build, oneDNN convolutions, in
#      bench/.venv); a reference (netlib) BLAS fails the run here;
#   2. ONNX Runtime (PyPI, bench/.venv) running the same network exported by
#      bench/onnx_reference.py: inference, 1 and 2 threads;
#   3. sster on the same data and thread counts (training, inference, peak RSS),
#      each run right after the references' with the same thread count;
#   4. wide networks: kernel_num 100 and 300 at length 200 (the first PUM2
#      sequences), both PyTorch builds, ONNX Runtime and sster, 2 threads;
#   5. LSTM and GRU networks, 2 threads, against bench/torch_rnn_reference.py
#      (the reference extended with pysster's recurrent block);
#   6. accuracy: test ROC-AUC of the default model on the planted-motif set
#      and on PUM2, and of the PyTorch reference on PUM2 (its train mode);
#   7. genome scale (2 threads): stride-1 scan positions/s against scoring the
#      same windows one by one with predict, and variant effects variants/s;
#   8. the machine's GEMM peak (Eigen) and FMA peak, data parsing, kernels
#      (_ref vs fast), RNA folding (MFE, partition function, RNAplfold) at
#      100, 200, 500 nt with its growth exponent, and a length x kernel_num
#      scaling table (2 threads);
#   9. the Python package against the C++ library: pysster's Model API on
#      PUM2 through Python and through C++ (bench/python_overhead.py), when
#      build-python/venv holds the package (tools/run bench installs it);
#  10. one report on stdout and in bench/RESULTS.md, headed by the CPU model
#      and the kernel set; its last two lines are
#      "ratio vs onnxruntime (2 threads): infer Z.ZZ" and
#      "ratio vs pytorch (2 threads): train X.XX, infer Y.YY", the latter
#      against the faster PyTorch build of each column;
#  11. attribution (bench/attribution_run.sh): fast vs naive ISM, every
#      method's sequences/s, and tangermeme on the same network when
#      bench/.venv has it; its section of bench/RESULTS.md.
# Every measurement runs in a process of its own. Throughput runs are repeated
# (--repeat N, default 3) and the best run of each kind counts, for the
# references and sster alike: other work on the machine only ever slows a run
# down. SSTER_KERNELS=avx2 (or generic) measures another kernel set than the
# widest this CPU runs; the report says which set ran.
#
#   bench/run.sh [--repeat N] [--quick] [--core] [--samples N] [--epochs E] [--results FILE]
#     --quick    no scaling table and a smaller parsing run (for a smoke test)
#     --core     the speed of the conv networks only (steps 1-4, 8 without
#                parsing): no recurrent, accuracy or parsing runs; e.g.
#                SSTER_KERNELS=avx2 bench/run.sh --core --results FILE
#     --samples  the first N sequences of each PUM2 class for the default
#                network's throughput runs (default: all 5,184)
#     --epochs   timed training epochs of those runs (default 3)
#     --results  where the Markdown report goes (default bench/RESULTS.md)
# On an AVX-512 CPU, sster's throughput, wide, kernel and scaling runs are
# also made with SSTER_KERNELS=avx2 (unless SSTER_KERNELS is set): the report
# shows the AVX2 set beside the widest, measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."

repeat=3
quick=0
core=0
samples=0
epochs=3
results=bench/RESULTS.md
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) repeat="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    --core) core=1; shift ;;
    --samples) samples="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    *) echo "usage: bench/run.sh [--repeat N] [--quick] [--core] [--samples N] [--epochs E] [--results FILE]" >&2
       exit 2 ;;
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
fold_bench="$build/bench/fold_bench"
if [ ! -x "$bench" ] || [ ! -x "$fold_bench" ] || [ ! -x "$build/bench/model_api_bench" ]; then
  [ -f "$build/build.ninja" ] || meson setup "$build" --buildtype=release -Dpython=disabled >&2
  meson compile -C "$build" bench/sster_bench bench/fold_bench bench/model_api_bench >&2
fi

# PyTorch 2.x, ONNX Runtime and tangermeme (the attribution anchor) from PyPI, in a venv of their own (the test
# suite never uses it). torch is pinned: that version's CPU wheel is what a
# plain `pip install torch` would not give (it fetches the CUDA build).
venv=bench/.venv
venv_python="$venv/bin/python"
if ! "$venv_python" -c "import torch, onnx, onnxruntime, tangermeme" 2>/dev/null; then
  echo "== PyTorch 2.x, ONNX and ONNX Runtime into $venv (pip)" >&2
  python3 -m venv "$venv"
  if ! "$venv/bin/pip" install --quiet "torch==2.13.0" onnx onnxruntime tangermeme >&2; then
    echo "bench FAILED: could not install torch 2.13.0 (CPU), onnx, onnxruntime and tangermeme into $venv" >&2
    exit 1
  fi
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
out=$(mktemp -d)
# A failed run keeps its measurements, so that the report can be re-run on them.
trap 'if [ $? -eq 0 ]; then rm -rf "$out"; else echo "bench/run.sh: the measurements are kept in $out" >&2; fi' EXIT
step() { echo "== $*" >&2; }
first_records() { zcat -f "$1" | awk -v n="$2" '/^>/ { ++seen } seen <= n'; }
if [ "$samples" -gt 0 ]; then
  first_records "$pos" "$samples" >"$out/pum2_pos.fa"
  first_records "$neg" "$samples" >"$out/pum2_neg.fa"
  pos="$out/pum2_pos.fa"
  neg="$out/pum2_neg.fa"
fi
# sster_runs NAME ARGS...: sster_bench ARGS into $out/NAME.json and, where
# the CPU runs a wider set, with the AVX2 set into $out/NAME.json with _avx2
# after its first word (sster_avx2_1_1, kernels_avx2, scaling_avx2_100_30_1).
also_avx2=0
if [ -z "${SSTER_KERNELS:-}" ] && grep -qw avx512f /proc/cpuinfo; then also_avx2=1; fi
sster_runs() {
  local name=$1
  shift
  "$bench" "$@" --json "$out/$name.json" >/dev/null
  if [ "$also_avx2" = 1 ]; then
    local first=${name%%_*}
    SSTER_KERNELS=avx2 "$bench" "$@" --json "$out/${first}_avx2${name#"$first"}.json" >/dev/null
  fi
}

# torch_run NAME PYTHON ARGS...: one PyTorch reference run into $out/NAME.json,
# failing the benchmark when it does not run or runs on a reference BLAS.
torch_run() {
  local name=$1 py=$2
  shift 2
  if ! "$py" "$shared/bench/torch_reference.py" --mode throughput "$@" --json "$out/$name.json" >/dev/null \
      2>"$out/torch.err"; then
    cat "$out/torch.err" >&2
    echo "bench FAILED: the PyTorch reference ($py) did not run (see above)" >&2
    exit 1
  fi
  grep -i "warning" "$out/torch.err" >&2 || true
  "$bench" check-torch "$out/$name.json"
}
ort_run() {
  local name=$1
  shift
  if ! "$venv_python" bench/onnx_reference.py "$@" --json "$out/$name.json" >/dev/null 2>"$out/ort.err"; then
    cat "$out/ort.err" >&2
    echo "bench FAILED: the ONNX Runtime reference did not run (see above)" >&2
    exit 1
  fi
}

# 1-3. PyTorch (both builds), ONNX Runtime and sster, interleaved so all
# meet the same background load; PyTorch's first run comes first: a crippled
# baseline fails the run before the long part.
for r in $(seq "$repeat"); do
  for t in 1 2; do
    step "PyTorch references (Debian, PyPI), ONNX Runtime, $t thread(s), run $r/$repeat"
    torch_run "torch_${t}_$r" "$python" --threads "$t" --pos "$pos" --neg "$neg" --epochs "$epochs"
    torch_run "torch2_${t}_$r" "$venv_python" --threads "$t" --pos "$pos" --neg "$neg" --epochs "$epochs"
    ort_run "ort_${t}_$r" --threads "$t" --pos "$pos" --neg "$neg"
    step "sster, $t thread(s), run $r/$repeat"
    sster_runs "sster_${t}_$r" throughput --threads "$t" --pos "$pos" --neg "$neg" --epochs "$epochs"
  done
done

# 4. Wide networks (pysster's grid-search range) at length 200: the first
# sequences of each PUM2 class, as many as keep a PyTorch epoch short, one
# timed epoch each.
for K in 100 300; do
  if [ "$K" = 100 ]; then per_class=512; else per_class=128; fi
  first_records "$pos" "$per_class" >"$out/wide_pos.fa"
  first_records "$neg" "$per_class" >"$out/wide_neg.fa"
  wide=(--threads 2 --pos "$out/wide_pos.fa" --neg "$out/wide_neg.fa")
  for r in $(seq "$repeat"); do
    step "kernel_num $K: PyTorch (Debian, PyPI), ONNX Runtime and sster, 2 threads, run $r/$repeat"
    torch_run "torch_k${K}_$r" "$python" "${wide[@]}" --kernel-num "$K" --epochs 1
    torch_run "torch2_k${K}_$r" "$venv_python" "${wide[@]}" --kernel-num "$K" --epochs 1
    ort_run "ort_k${K}_$r" "${wide[@]}" --kernel-num "$K"
    sster_runs "sster_k${K}_$r" throughput "${wide[@]}" --kernels "$K" --epochs 1
  done
done

# 5. Recurrent networks (pysster's rnn_type LSTM and GRU, 32 units,
# bidirectional) against the reference extended with the same layers.
for r in $(seq "$repeat"); do
  [ "$core" = 0 ] || break
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

# 6. Accuracy: the default model with early stopping on seeded 70/15/15
# splits; PUM2 against the PyTorch reference's train mode.
if [ "$core" = 0 ]; then
  step "accuracy: sster on the planted-motif set and on PUM2"
  "$bench" accuracy --threads 2 --alphabet dna --pos "$shared/data/tutorial/artificial_pos.fasta.gz" \
    --neg "$shared/data/tutorial/artificial_neg.fasta.gz" --json "$out/accuracy_artificial_sster.json" >/dev/null
  "$bench" accuracy --threads 2 --pos "$pos" --neg "$neg" --json "$out/accuracy_pum2_sster.json" >/dev/null
  if [ "$quick" = 0 ]; then
    step "accuracy: PyTorch on PUM2 (train mode, several minutes)"
    "$python" "$shared/bench/torch_reference.py" --mode train --threads 2 --pos "$pos" --neg "$neg" --quiet \
      --json "$out/accuracy_pum2_torch.json" >/dev/null
  fi
fi

# 7. Genome scale: stride-1 scan against per-window predict, variants/s.
if [ "$core" = 0 ]; then
  for r in $(seq "$repeat"); do
    step "genome scale: scan vs per-window predict, variant effects, 2 threads, run $r/$repeat"
    "$bench" genome --threads 2 --json "$out/genome_$r.json" >/dev/null
  done
fi

# 8. Machine peaks, parsing, kernels, scaling.
for t in 1 2; do
  step "GEMM and FMA peak, $t thread(s)"
  "$bench" gemm --threads "$t" --json "$out/gemm_$t.json" >/dev/null
done
if [ "$core" = 0 ]; then
  step "data parsing"
  if [ "$quick" = 1 ]; then records=100000; else records=1000000; fi
  "$bench" parse --records "$records" --json "$out/parse.json" >/dev/null
fi
step "kernels: _ref vs fast"
sster_runs kernels kernels
step "RNA folding: MFE, partition function, RNAplfold at 100, 200, 500 nt, 2 threads"
"$fold_bench" speed 2 --json "$out/fold_speed.json" >/dev/null
if [ "$quick" = 0 ]; then
  for r in $(seq "$repeat"); do
    for L in 100 200 500 1000; do
      for K in 30 100 300; do
        step "scaling: length $L, kernel_num $K, run $r/$repeat"
        sster_runs "scaling_${L}_${K}_$r" scaling --threads 2 --length "$L" --kernels "$K"
      done
    done
  done
fi

# 9. The Python package against the library; its section joins the report.
if build-python/venv/bin/python -c "import sster" 2>/dev/null; then
  step "Python package overhead: pysster's Model API through Python and C++"
  build-python/venv/bin/python bench/python_overhead.py --cxx "$build/bench/model_api_bench" --pos "$pos" \
    --neg "$neg" --repeat "$repeat" | tee "$out/python.md"
else
  echo "(no Python package in build-python/venv: tools/run bench installs it)" | tee "$out/python.md"
fi

# 10. The report (the BLAS is checked once more there; the Python section is
# read from $out/python.md).
"$bench" report --dir "$out" --results "$results" --load-before "$load_before" --load "$(cut -d' ' -f1-3 /proc/loadavg)"

# 11. Attribution, and its section of the results (needs tools/sster for export-json).
[ -x "$build/tools/sster" ] || meson compile -C "$build" tools/sster >&2
SSTER_BUILD_DIR="$build" bench/attribution_run.sh --results "$results" >/dev/null
