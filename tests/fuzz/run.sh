#!/bin/sh
# Builds and runs every fuzz target (or the ones named) for SECONDS seconds
# each, default 60. Seeds come from the folders a target names on its
# "seeds:" line under ../shared/interop (or $MEENT_INTEROP): whole files,
# each header value of the *.http* messages, and the string values of the
# JSON files, all written to a temporary directory that is removed
# afterwards; nothing is copied into the tree. A tests/fuzz/<name>.dict is
# passed to libFuzzer when present. Crashes land in
# $FUZZ_OUT/artifacts/<name>/ (default build/fuzz). Exits 1 if any target
# found a failure.
# Usage: tests/fuzz/run.sh [SECONDS] [name ...]
set -eu
set -f	# the lists below are split on spaces, never globbed

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${FUZZ_OUT:-$top/build/fuzz}
interop=${MEENT_INTEROP:-$top/../shared/interop}
secs=60
case "${1:-}" in
''|*[!0-9]*) ;;
*) secs=$1; shift ;;
esac

FUZZ_OUT=$out "$here/build.sh" "$@"

field() {
	sed -n "\\|^[[:space:]/*#]*$1:|{s|^[[:space:]/*#]*$1:[[:space:]]*||;s|[[:space:]]*\*/.*$||;p;q;}" "$2"
}

# seed_dir DIR CORPUS: copies seeds from DIR into CORPUS.
seed_dir() {
	i=0
	find "$1" -type f -size -65k | sort | while read -r file; do
		i=$((i + 1))
		cp "$file" "$2/file-$i"
		case "$file" in
		*.http|*.httpMessage)
			# Every header value on its own: what header parsers see.
			awk -v dir="$2" -v n="$i" '
				NR > 1 && NF == 0 { exit }
				NR > 1 && index($0, ": ") > 0 {
					f = dir "/hdr-" n "-" NR
					printf "%s", substr($0, index($0, ": ") + 2) > f
					close(f)
				}' "$file"
			;;
		*.json)
			# FUZZ_SEEDS=files (make check's short pass): whole files only.
			[ "${FUZZ_SEEDS:-all}" = files ] && continue
			command -v python3 >/dev/null || continue
			# Each string value, and each pair of neighbouring values
			# (such as a Signature-Input and its Signature).
			# A seed that is not JSON (the corpus has some) is skipped.
			python3 - "$file" "$2/json-$i" <<'PY' 2>/dev/null || :
import json, sys
out, n = sys.argv[2], 0
def emit(s):
    global n
    n += 1
    with open("%s-%d" % (out, n), "w") as f:
        f.write(s)
def walk(v):
    if isinstance(v, dict):
        prev = None
        for x in v.values():
            walk(x)
            if isinstance(x, str):
                if prev is not None:
                    emit(prev + "\n" + x)
                prev = x
    elif isinstance(v, list):
        for x in v:
            walk(x)
    elif isinstance(v, str) and len(v) >= 4:
        emit(v)
walk(json.load(open(sys.argv[1])))
PY
			;;
		esac
	done
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/meent-fuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

if [ $# -gt 0 ]; then
	targets=
	for name in "$@"; do
		targets="$targets $here/${name%.c}.c"
	done
else
	targets=$(find "$here" -maxdepth 1 -name 'fuzz_*.c' | sort)
fi

status=0
for f in $targets; do
	name=$(basename "$f" .c)
	corpus=$tmp/$name
	mkdir -p "$corpus" "$out/artifacts/$name"
	for d in $(field seeds "$f"); do
		if [ -d "$interop/$d" ]; then
			seed_dir "$interop/$d" "$corpus"
		else
			echo "run.sh: $name: no seed folder $interop/$d" >&2
		fi
	done
	set -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$out/artifacts/$name/"
	[ -f "$here/$name.dict" ] && set -- "$@" -dict="$here/$name.dict"
	echo "run.sh: $name for ${secs}s, $(ls "$corpus" | wc -l) seeds"
	if ! "$out/$name" "$@" "$corpus"; then
		echo "run.sh: $name FAILED; see $out/artifacts/$name/" >&2
		status=1
	fi
done
exit $status
