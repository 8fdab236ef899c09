#!/bin/sh
# make check's fuzz pass: builds every libFuzzer target with clang and runs
# each for MEENT_FUZZ_SECONDS (default 10) from the interop seed files
# (whole files only, to stay quick), one TAP line a target. Longer runs
# with every seed: tests/fuzz/run.sh SECONDS [name ...].
here=$(cd "$(dirname "$0")" && pwd)
secs=${MEENT_FUZZ_SECONDS:-10}
out=${MEENT_BUILDDIR:-$here/../../build}/fuzz
if ! command -v clang >/dev/null 2>&1; then
	echo "1..0 # SKIP clang is not installed"
	exit 0
fi
mkdir -p "$out"
n=0
for f in "$here"/fuzz_*.c; do
	name=$(basename "$f" .c)
	n=$((n + 1))
	log=$out/$name.check.log
	# Niced: the integration tests beside it measure latencies.
	if FUZZ_SEEDS=files FUZZ_OUT=$out nice -n 15 "$here/run.sh" "$secs" "$name" >"$log" 2>&1; then
		echo "ok $n - $name: ${secs}s of fuzzing without a failure"
	else
		echo "not ok $n - $name (log: $log)"
		tail -40 "$log" | sed 's/^/# /'
	fi
done
echo "1..$n"
