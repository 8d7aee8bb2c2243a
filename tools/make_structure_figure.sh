#!/usr/bin/env bash
# Redraws the README's "RNA structure" picture, docs/rna-structure/: the
# sequence+structure logo that sster learns from folded RNA. Simulates the
# planted-structure set (a loop motif in a hairpin in the positives, unpaired
# outside hairpins in the negatives), trains a sequence-only model and one
# with --fold, and keeps the best-scoring kernel of the positives' class as
# motif.png, with the test ROC-AUCs of both models in results.txt.
#   tools/make_structure_figure.sh [SSTER]     (default: build/tools/sster)
# Some two minutes on 2 cores; the same seeds give the same picture.
set -euo pipefail
cd "$(dirname "$0")/.."

sster=${1:-build/tools/sster}
out=docs/rna-structure
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$sster" simulate --structure -n 2000 --seed 1 -d "$work/data"
classes=(--class "$work/data/positives.fasta.gz" --class "$work/data/negatives.fasta.gz")
params=(--param conv_num=1 --param kernel_len=10 --param epochs=40 --seed 1 -q)
"$sster" train "${classes[@]}" "${params[@]}" -o "$work/sequence.sster"
"$sster" train --fold "${classes[@]}" "${params[@]}" -o "$work/folded.sster"

auc() {  # the positives' test ROC-AUC of a model
  "$sster" report "$1" "${classes[@]}" --group test -d "$work/report" 2>/dev/null |
    awk '$1 == "positives" { print $5 }'
}
"$sster" motifs "$work/folded.sster" "${classes[@]}" --group test -d "$work/motifs" 2>/dev/null >"$work/kernels.txt"
kernel=$(awk '$3 == "positives" { print $1; exit }' "$work/kernels.txt")

mkdir -p "$out"
cp "$work/motifs/motif_kernel_$kernel.png" "$out/motif.png"
{
  echo "test ROC-AUC, sequence only: $(auc "$work/sequence.sster")"
  echo "test ROC-AUC, sequence + folded structure: $(auc "$work/folded.sster")"
  echo "kernel $kernel (best-scoring kernel of the positives):"
  awk -v k="$kernel" '$1 == k' "$work/kernels.txt"
} | tee "$out/results.txt"
