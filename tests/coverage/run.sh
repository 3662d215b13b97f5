#!/usr/bin/env bash
# make coverage: what the tests execute.
#  - the hypervisor at EL2: every QEMU test (tests/qemu/run-all.sh) with a
#    QEMU that logs each block it translates; an instruction counts as run
#    when its address and opcode match the image the test booted (a guest
#    at the same address runs other code), mapped to source lines with
#    addr2line against that image's hyp.elf (a block is logged whole, so an
#    instruction after a fault inside it counts as run);
#  - the host: the unit tests (gcc) and every fuzz target over its
#    committed corpus (clang), built with --coverage, read back with gcov.
# Writes build/coverage/index.md: per file and function, whether a test
# runs it and which lines, and the functions no test reaches, each with
# the reason it cannot run here where tests/coverage/not-here.txt has one.
# Slow (the whole QEMU suite); not part of make test.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
OUT=build/coverage
rm -rf "$OUT"
mkdir -p "$OUT/el2" "$OUT/host" "$OUT/fuzz" "$OUT/gcov"

echo "coverage: the unit tests, built with --coverage"
make --no-print-directory -s UNIT_BUILD="$OUT/host" \
	UNIT_CFLAGS="-std=gnu11 -O0 -g -Wall -Wextra -Werror -I. -Iinclude --coverage" \
	unit-test >"$OUT/unit.log" 2>&1 || { echo "coverage: the unit tests failed" >&2; cat "$OUT/unit.log" >&2; exit 1; }

echo "coverage: the fuzz targets over their corpora, built with --coverage"
for src in tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	read -r -a parts <<<"$(make --no-print-directory -s "fuzz-print-$t")"
	mkdir -p "$OUT/fuzz/$t"
	(cd "$OUT/fuzz/$t" && clang -std=gnu11 -O0 -g -fsanitize=fuzzer --coverage -I"$ROOT" -I"$ROOT/include" \
		$(printf '%s\n' "${parts[@]}" | sed -n "s|^-I\(.*\)|-I$ROOT/\1|p; s|^-D.*|&|p") \
		-o "$t" "$ROOT/$src" $(printf '%s\n' "${parts[@]}" | grep -v -e '^-' -e '^$' | sed "s|^|$ROOT/|") \
		>build.log 2>&1 && "./$t" -runs=0 "$ROOT/tests/fuzz/corpus/$t" >run.log 2>&1) ||
		echo "coverage: $t did not build or run (see $OUT/fuzz/$t)" >&2
done

echo "coverage: the QEMU tests, logging what runs at EL2 ($OUT/qemu-tests.log)"
COVERAGE_DIR=$ROOT/$OUT/el2 QEMU=$ROOT/tests/coverage/qemu.sh tests/qemu/run-all.sh \
	>"$OUT/qemu-tests.log" 2>&1
tail -1 "$OUT/qemu-tests.log"

echo "coverage: reading the counts back"
# gcov finds the sources from where they were compiled (the tree's root,
# the unit tests' relative paths): run there, then keep each run's files.
n=0
for gcda in $(find "$OUT/host" "$OUT/fuzz" -name '*.gcda'); do
	n=$((n + 1))
	d=$OUT/gcov/$n
	mkdir -p "$d"
	case $gcda in
	"$OUT"/fuzz/*) llvm-cov gcov -b "$gcda" >/dev/null 2>&1 ;;
	*) gcov -b -o "$(dirname "$gcda")" "$gcda" >/dev/null 2>&1 ;;
	esac
	mv ./*.gcov "$d"/ 2>/dev/null
done
python3 tests/coverage/report.py "$OUT" "${CROSS_COMPILE:-aarch64-linux-gnu-}" >"$OUT/index.md" || exit 1
echo "coverage: $OUT/index.md"
sed -n '1,/^## /p' "$OUT/index.md" | head -40
