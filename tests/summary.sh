#!/bin/sh
# Prints "N passed, N failed[, N skipped]" over every TAP test point of the
# last `make check`, from the .trs files automake's driver wrote.
dir=${1:-.}
find "$dir/tests" -name '*.trs' -exec cat {} + 2>/dev/null | awk '
	/^:test-result: (PASS|XFAIL)/ { p++ }
	/^:test-result: (FAIL|XPASS|ERROR)/ { f++ }
	/^:test-result: SKIP/ { s++ }
	END {
		line = sprintf("%d passed, %d failed", p, f)
		if (s) line = line sprintf(", %d skipped", s)
		print line
	}'
