#!/usr/bin/env bash
# Builds the project in tests/consumer/ (one program that uses sster) against
# this checkout both ways another project gets sster, and runs it:
#   1. as a meson subproject: subprojects/sster is a link to this checkout;
#   2. as an installed package: sster alone (no tool, tests, examples,
#      benchmark or Python module: the module alone compiles for two
#      minutes) installed with `meson install --destdir` into a temporary
#      folder, found through PKG_CONFIG_PATH.
# Neither may build anything of sster's own or need CLI11 or doctest: the
# consumer's build must hold its one program and nothing else.
# tools/run test runs this as one test case; exit code 0 means it passed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sster=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# build_and_run NAME [MESON SETUP OPTIONS...]: builds $tmp/NAME, checks its
# targets and runs the program.
build_and_run() {
  local name=$1
  shift
  meson setup "$tmp/$name/build" "$tmp/$name" "$@" >"$tmp/$name.log" 2>&1 ||
    { cat "$tmp/$name.log" >&2; echo "consumer ($name): meson setup failed" >&2; return 1; }
  local targets
  targets=$(meson introspect --targets "$tmp/$name/build" | /usr/bin/python3 -c \
    'import json, sys; print(" ".join(sorted(t["name"] for t in json.load(sys.stdin))))')
  if [ "$targets" != consumer ]; then
    echo "consumer ($name): the build holds '$targets'; sster must add nothing to a project that uses it" >&2
    return 1
  fi
  meson compile -C "$tmp/$name/build" >>"$tmp/$name.log" 2>&1 ||
    { cat "$tmp/$name.log" >&2; echo "consumer ($name): compiling failed" >&2; return 1; }
  local out
  out=$("$tmp/$name/build/consumer") || { echo "consumer ($name): the program failed" >&2; return 1; }
  echo "consumer ($name): $out" >&2
}

# 1. As a subproject.
mkdir -p "$tmp/subproject/subprojects"
cp "$here/meson.build" "$here/consumer.cpp" "$tmp/subproject/"
ln -s "$sster" "$tmp/subproject/subprojects/sster"
build_and_run subproject --force-fallback-for=sster

# 2. Installed, through pkg-config. A relocatable sster.pc finds its headers
# next to itself, wherever the staged tree lies.
meson setup "$tmp/sster-build" "$sster" -Dtool=disabled -Dexamples=disabled -Dbench=disabled -Dtests=disabled \
  -Dpython=disabled -Dpkgconfig.relocatable=true >"$tmp/install.log" 2>&1 &&
  meson install -C "$tmp/sster-build" --destdir "$tmp/stage" >>"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log" >&2; echo "consumer: installing sster failed" >&2; exit 1; }
pc=$(find "$tmp/stage" -name sster.pc)
[ -n "$pc" ] || { echo "consumer: no sster.pc installed" >&2; exit 1; }
[ -n "$(find "$tmp/stage" -path '*/include/sster/version.hpp')" ] ||
  { echo "consumer: sster/version.hpp is not installed" >&2; exit 1; }
# The one source file a program of many units compiles the network runtime
# from (SSTER_COMPILED_RUNTIME, README: Using sster from another project).
[ -n "$(find "$tmp/stage" -path '*/include/sster/model/compiled_runtime.cpp')" ] ||
  { echo "consumer: sster/model/compiled_runtime.cpp is not installed" >&2; exit 1; }
cflags=$(PKG_CONFIG_PATH="$(dirname "$pc")" pkg-config --cflags sster)
[[ "$cflags" == *"-I$tmp/stage/"* ]] ||
  { echo "consumer: pkg-config --cflags sster gives '$cflags', not the installed headers" >&2; exit 1; }
mkdir -p "$tmp/installed"
cp "$here/meson.build" "$here/consumer.cpp" "$tmp/installed/"
PKG_CONFIG_PATH="$(dirname "$pc")" build_and_run installed --wrap-mode=nofallback
