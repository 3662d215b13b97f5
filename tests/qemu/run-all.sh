#!/usr/bin/env bash
# Runs every tests/qemu/t_*.sh scenario; prints "N passed, N failed".
cd "$(dirname "$0")" || exit 1
passed=0 failed=0
for t in t_*.sh; do
	echo "== $t"
	out=$(bash "$t" 2>&1)
	rc=$?
	echo "$out"
	passed=$((passed + $(grep -c '^ok ' <<<"$out")))
	nfail=$(grep -c '^FAIL ' <<<"$out")
	if [ "$rc" != 0 ] && [ "$nfail" = 0 ]; then
		echo "FAIL $t: exited $rc"
		nfail=1
	fi
	failed=$((failed + nfail))
done
echo
echo "qemu: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
