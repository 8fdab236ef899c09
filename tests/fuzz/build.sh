#!/bin/sh
# Builds every tests/fuzz/fuzz_*.c as a libFuzzer binary with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer. gcc has no libFuzzer,
# so this stays outside automake. A target says what it needs in lines of
# its opening comment (" * key: value", "// key: value" or "# key: value"):
#   sources:  project .c files to compile with it, from the top of the tree
#   pkgs:     pkg-config modules to compile and link against (optional)
#   seeds:    folders under ../shared/interop that run.sh seeds from (optional)
# Usage: tests/fuzz/build.sh [name ...]   (default: every target)
# The binaries go to $FUZZ_OUT (default: build/fuzz in the source tree).
set -eu
set -f	# the lists below are split on spaces, never globbed

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${FUZZ_OUT:-$top/build/fuzz}
cc=${FUZZ_CC:-clang}
cflags=${FUZZ_CFLAGS:--g -O1 -fno-omit-frame-pointer}

# field KEY FILE: the value of the first "KEY:" comment line of FILE.
field() {
	sed -n "\\|^[[:space:]/*#]*$1:|{s|^[[:space:]/*#]*$1:[[:space:]]*||;s|[[:space:]]*\*/.*$||;p;q;}" "$2"
}

if [ $# -gt 0 ]; then
	targets=
	for name in "$@"; do
		targets="$targets $here/${name%.c}.c"
	done
else
	targets=$(find "$here" -maxdepth 1 -name 'fuzz_*.c' | sort)
fi
[ -n "$targets" ] || { echo "build.sh: no fuzz targets" >&2; exit 1; }
command -v "$cc" >/dev/null || { echo "build.sh: $cc not found" >&2; exit 1; }
mkdir -p "$out"

for f in $targets; do
	[ -f "$f" ] || { echo "build.sh: $f: no such target" >&2; exit 1; }
	name=$(basename "$f" .c)
	sources=$(field sources "$f")
	[ -n "$sources" ] || { echo "build.sh: $f has no 'sources:' line" >&2; exit 1; }
	pkgs=$(field pkgs "$f")
	pc_cflags=
	pc_libs=
	if [ -n "$pkgs" ]; then
		pc_cflags=$(pkg-config --cflags $pkgs)
		pc_libs=$(pkg-config --libs $pkgs)
	fi
	srcs=
	for s in $sources; do
		srcs="$srcs $top/$s"
	done
	echo "  FUZZ     $out/$name"
	# shellcheck disable=SC2086 # word splitting of the lists is intended
	$cc -std=c11 -D_GNU_SOURCE $cflags -Wall -Wextra -Wno-unused-parameter \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	    -I"$top/src" $pc_cflags -o "$out/$name" "$f" $srcs $pc_libs
done
