#!/usr/bin/env bash
# Data-parallel training on MPI (README, "MPI"): `sster train` on PUM2
# (pysster's default architecture) alone and under mpirun with 1 and 2 ranks,
# one thread per rank; for each, the training speed in samples per second
# (training records of an epoch over the epoch's time, validation included;
# the best of --repeat runs: other work only ever slows a run down), and on
# 2 ranks what the gradient exchanges cost per batch within training
# (waiting for the slower rank included) and on their own
# (bench/mpi_exchange: the fastest of 500 exchanges, and the bytes a rank
# sends: the figures the README's projection uses). On a machine shared with
# other work, ranks that spin while they wait (Open MPI's default) lose their
# core to it; "ranks2_yield" runs 2 ranks that yield instead
# (OMPI_MCA_mpi_yield_when_idle=1), and "threads2" one process of 2 threads,
# what the machine's second core gives without MPI. Needs the sster tool and
# mpi_exchange built with MPI (build/) and mpirun.
#
#   bench/mpi_run.sh [--repeat N] [--epochs E] [--batch B]   (SSTER_BUILD_DIR, default build)
set -euo pipefail
cd "$(dirname "$0")/.."

repeat=3
epochs=3
batch=128
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) repeat="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    *) echo "usage: bench/mpi_run.sh [--repeat N] [--epochs E] [--batch B]" >&2; exit 2 ;;
  esac
done
sster="${SSTER_BUILD_DIR:-build}/tools/sster"
exchange="${SSTER_BUILD_DIR:-build}/bench/mpi_exchange"
shared="$(cd .. && pwd)/shared/data/tutorial"
data="--class $shared/pum2_positives.fasta.gz --class $shared/pum2_background.fasta.gz"
for f in "$sster" "$exchange" "$shared/pum2_positives.fasta.gz"; do
  [ -e "$f" ] || { echo "mpi_run: $f is missing" >&2; exit 1; }
done
command -v mpirun >/dev/null || { echo "mpi_run: mpirun is missing (apt-get install openmpi-bin)" >&2; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The training speed a model file records: training records per second of
# its epochs (mean epoch time), and its parameter count.
speed() {
  python3 - "$1" "$2" <<'EOF'
import json, struct, sys
raw = open(sys.argv[1], "rb").read()
size = struct.unpack("<Q", raw[8:16])[0]
header = json.loads(raw[16:16 + size])
seconds = [e["seconds"] for e in header["history"]]
print(f"{int(sys.argv[2]) * len(seconds) / sum(seconds):.0f}")
EOF
}

# training records: the "training:" row of the data summary, summed over classes
train_records=$("$sster" --threads 1 train $data --param epochs=1 --param conv_num=1 --param kernel_num=1 \
                  --param neuron_num=1 -o "$work/probe.sster" 2>&1 | awk '/^training:/ { for (i = 2; i <= NF; i++) n += $i } END { print n }')
params="--param epochs=$epochs --param batch_size=$batch --seed 1"
echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; PUM2, $train_records training records," \
     "batch $batch ($(( (batch + 31) / 32 )) chunks), $epochs epochs"
best() { sort -n | tail -1; }
declare -A result
for kind in alone threads2 ranks1 ranks2 ranks2_yield; do
  for ((i = 0; i < repeat; i++)); do
    case $kind in
      alone) "$sster" --threads 1 train $data $params -q -o "$work/m.sster" 2>"$work/log" ;;
      threads2) "$sster" --threads 2 train $data $params -q -o "$work/m.sster" 2>"$work/log" ;;
      ranks1) mpirun -n 1 "$sster" --threads 1 train $data $params -q -o "$work/m.sster" 2>"$work/log" ;;
      ranks2) mpirun -n 2 "$sster" --threads 1 train $data $params -o "$work/m.sster" 2>"$work/log"
              grep "data-parallel on" "$work/log" >>"$work/traffic" ;;
      ranks2_yield) OMPI_MCA_mpi_yield_when_idle=1 mpirun -n 2 "$sster" --threads 1 train $data $params -o "$work/m.sster" \
                      2>"$work/log"
                    grep "data-parallel on" "$work/log" | sed 's/^/(yield) /' >>"$work/traffic" ;;
    esac
    speed "$work/m.sster" "$train_records" >>"$work/$kind"
    cp "$work/m.sster" "$work/$kind.sster"
  done
  result[$kind]=$(best <"$work/$kind")
  echo "  $kind: ${result[$kind]} samples/s (best of $repeat; load $(cut -d' ' -f1-3 /proc/loadavg))"
done
python3 - "${result[alone]}" "${result[ranks2]}" "${result[ranks2_yield]}" "${result[threads2]}" <<'EOF'
import sys
alone, two, two_yield, threads = map(float, sys.argv[1:])
print(f"speed-up on 2 ranks x 1 thread: {two / alone:.2f} (ranks that yield while waiting: {two_yield / alone:.2f}; "
      f"one process of 2 threads: {threads / alone:.2f})")
EOF
echo "gradient exchange on 2 ranks, each run:"
sed 's/^/  /' "$work/traffic"
parameters=$("$sster" summary "$work/alone.sster" | sed -n 's/^Total params: *//p' | tr -d ',')
echo "parameters: $parameters"
echo "the exchange alone (load $(cut -d' ' -f1-3 /proc/loadavg)):"
for chunks in $(( (batch + 31) / 32 )) 32; do
  echo "  $(mpirun -n 2 "$exchange" "$parameters" "$chunks" 500)"
done
