#!/usr/bin/env bash
# The folding benchmarks of bench/RESULTS.md ("Folding") in one run, so the
# ratios meet the same background load:
#   1. sster (bench/fold_bench speed) and ViennaRNA (bench/fold_reference.py
#      speed, bench/.venv) on 2 threads: MFE, partition function, RNAplfold's
#      windows at 100, 200, 500 nt;
#   2. sster and LinearFold (-V, beam 100; built outside the repository,
#      $LINEARFOLD, default /tmp/linearfold/linearfold_v) on 1 thread;
#   3. the whole PUM2 set (fold_bench pum2, 2 threads) and, if tools/sster is
#      built, training sster's default model on it (2 threads).
# Each step prints the CPU load before it; run on a machine as idle as you can.
#
#   bench/fold_run.sh            (SSTER_BUILD_DIR, default build; fold_bench built there)
set -euo pipefail
cd "$(dirname "$0")/.."

build=${SSTER_BUILD_DIR:-build}
bench="$build/bench/fold_bench"
python=bench/.venv/bin/python
linearfold=${LINEARFOLD:-/tmp/linearfold/linearfold_v}
shared="$(cd .. && pwd)/shared/data/tutorial"
pos="$shared/pum2_positives.fasta.gz"
neg="$shared/pum2_background.fasta.gz"
for f in "$bench" "$python" "$pos" "$neg"; do
  [ -e "$f" ] || { echo "fold_run: $f is missing (build fold_bench; python3 -m venv bench/.venv && bench/.venv/bin/pip install ViennaRNA)" >&2; exit 1; }
done

load() { echo "   (load $(cut -d' ' -f1-3 /proc/loadavg))"; }
count() { case "$1" in 100) echo 600 ;; 200) echo 200 ;; *) echo 40 ;; esac; }
now() { date +%s.%N; }

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
echo "== 1. sster and ViennaRNA, 2 threads"; load
"$bench" speed 2
for n in 100 200 500; do
  load
  "$python" bench/fold_reference.py speed "$n" "$(count "$n")" 2
done

echo "== 2. sster and LinearFold, 1 thread"; load
"$bench" speed 1
if [ -x "$linearfold" ]; then
  input=$(mktemp)
  trap 'rm -f "$input"' EXIT
  for n in 100 200 500; do
    c=$(count "$n")
    [ "$n" = 500 ] && c=20
    "$bench" write "$n" "$c" >"$input"
    start=$(now)
    "$linearfold" 100 0 0 0 0 0 5.0 "" 0 2 <"$input" >/dev/null
    awk -v n="$n" -v c="$c" -v s="$start" -v e="$(now)" 'BEGIN { printf "linearfold -V length %d: %.1f seq/s (1 thread)\n", n, c / (e - s) }'
  done
else
  echo "LinearFold not found at $linearfold (set LINEARFOLD)"
fi

echo "== 3. PUM2, 2 threads"; load
"$bench" pum2 "$pos" "$neg" 2
if [ -x "$build/tools/sster" ]; then
  load
  model=$(mktemp --suffix=.sster)
  start=$(now)
  "$build/tools/sster" train --class "$pos" --class "$neg" -o "$model" --threads 2 -q
  awk -v s="$start" -v e="$(now)" 'BEGIN { printf "PUM2 training (sster train, default model): %.1f s on 2 threads\n", e - s }'
  rm -f "$model" "$model.checkpoint"
fi
load
