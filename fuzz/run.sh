#!/usr/bin/env bash
# Builds sster's libFuzzer targets with clang (AddressSanitizer and
# UndefinedBehaviorSanitizer, so a bad read, an overflow or undefined
# behaviour counts as a crash) into build-fuzz/ and runs each for a while,
# starting from a corpus made from the test data. `tools/run fuzz` calls this
# after installing clang and its fuzzing runtime.
#   fuzz/run.sh [SECONDS [TARGET...]]    60 seconds each, every target by default
# Targets: fasta extra data_file model_file meme seqlets genome_fasta bed vcf (fuzz/<target>.fuzz.cpp). A crash,
# a timeout (20 s on one input) or an allocation past 2 GB is saved under
# build-fuzz/crashes/<target>/; replay it with `build-fuzz/<target> FILE`.
# The grown corpus stays in build-fuzz/corpus/<target>/ for the next run.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fasta extra data_file model_file meme seqlets genome_fasta bed vcf)
out=build-fuzz
mkdir -p "$out"

# sster/version.hpp is generated from meson.build's project version, as the
# meson build does (fuzz/ builds without meson).
mkdir -p "$out/include/sster"
version=$(meson introspect --projectinfo meson.build 2>/dev/null |
          /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])')
sed "s/@VERSION@/$version/" include/sster/version.hpp.in > "$out/include/sster/version.hpp"

CXX=${CXX:-clang++}
deps="eigen3 tbb xsimd zlib nlohmann_json stb htslib"
# shellcheck disable=SC2046 # pkg-config prints one flag per word
flags=(-std=c++20 -O1 -g -march=native -DEIGEN_DONT_PARALLELIZE -Iinclude -I"$out/include" -Ifuzz $(pkg-config --cflags $deps))
# shellcheck disable=SC2046
libs=($(pkg-config --libs $deps))
sanitizers=(-fsanitize=address,undefined -fno-sanitize-recover=undefined)

echo "== seeds" >&2
"$CXX" "${flags[@]}" fuzz/make_corpus.cpp -o "$out/make_corpus" "${libs[@]}"
rm -rf "$out/seeds"
"$out/make_corpus" ../shared/data/pysster-tests "$out/seeds"

status=0
for t in "${targets[@]}"; do
  echo "== $t: building" >&2
  "$CXX" "${flags[@]}" "${sanitizers[@]}" -fsanitize=fuzzer "fuzz/$t.fuzz.cpp" -o "$out/$t" "${libs[@]}"
  mkdir -p "$out/corpus/$t" "$out/crashes/$t"
  echo "== $t: fuzzing for $seconds s" >&2
  if ! "$out/$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$out/crashes/$t/" "$out/corpus/$t" "$out/seeds/$t"; then
    echo "$t: found a problem; see $out/crashes/$t/" >&2
    status=1
  fi
done
exit $status
