#!/usr/bin/env bash
# The Attribution section of bench/RESULTS.md in one run (bench/run.sh calls
# it last; it also runs on its own):
#   1. sster_bench attribution, 2 threads: pysster's default network trained
#      a few epochs on PUM2, fast vs naive ISM, sequences/s of every method,
#      and the model, sequences, attributions and references for step 2;
#   2. the anchor, bench/tangermeme_anchor.py on bench/.venv (PyTorch and
#      tangermeme from PyPI: python3 -m venv bench/.venv &&
#      bench/.venv/bin/pip install torch==2.13.0 tangermeme), same threads:
#      saturation_mutagenesis and deep_lift_shap on the same network,
#      sequences and references; skipped, and said so, without the venv;
#   3. the section, written into bench/RESULTS.md (or --results FILE).
#
#   bench/attribution_run.sh [--results FILE]   (SSTER_BUILD_DIR, default build)
set -euo pipefail
cd "$(dirname "$0")/.."

results=bench/RESULTS.md
[ "${1:-}" = --results ] && results="$2"
build=${SSTER_BUILD_DIR:-build}
bench="$build/bench/sster_bench"
sster="$build/tools/sster"
python=bench/.venv/bin/python
data="$(cd .. && pwd)/shared/data/tutorial"
for f in "$bench" "$sster" "$data/pum2_positives.fasta.gz"; do
  [ -e "$f" ] || { echo "attribution_run: $f is missing (meson compile -C $build sster_bench tools/sster)" >&2; exit 1; }
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "== attribution: sster, 2 threads (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
"$bench" attribution --threads 2 --pos "$data/pum2_positives.fasta.gz" --neg "$data/pum2_background.fasta.gz" \
  --export "$out" --json "$out/attribution.json" >/dev/null
"$sster" export-json "$out/model.sster" -o "$out/model.json"
if [ -x "$python" ] && "$python" -c "import torch, tangermeme" 2>/dev/null; then
  echo "== attribution: tangermeme, 2 threads (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  "$python" bench/tangermeme_anchor.py --dir "$out" --threads 2 --json "$out/tangermeme.json" >/dev/null
else
  echo "attribution_run: no torch and tangermeme in $python: the anchor is skipped" >&2
fi
"$bench" attribution-report --dir "$out" --results "$results"
