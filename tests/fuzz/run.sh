#!/usr/bin/env bash
# run.sh SECONDS TARGET...: runs each libFuzzer target for SECONDS over its
# committed corpus (tests/fuzz/corpus/TARGET, every input run first) and a
# working corpus (build/fuzz/work/TARGET, where new inputs go). A crash,
# a leak, a hang (10 s per input) or a failed invariant stops with the log
# and the input that did it (build/fuzz/artifacts/TARGET/).
set -u
cd "$(dirname "$0")/../.."
secs=$1
shift
fail=0
for t in "$@"; do
	work=build/fuzz/work/$t art=build/fuzz/artifacts/$t log=build/fuzz/$t.log
	seeds=tests/fuzz/corpus/$t
	mkdir -p "$work" "$art" "$seeds"
	if build/fuzz/"$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
		-artifact_prefix="$art/" -print_final_stats=1 "$work" "$seeds" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
		echo "fuzz: $t: ${runs:-?} inputs in ${secs}s, $cov, $(ls "$seeds" | wc -l) seeds, no finding"
	else
		echo "fuzz: $t: FINDING (log $log, input in $art/):"
		grep -v '^#\|^INFO\|^Done' "$log" | tail -40
		fail=1
	fi
done
exit $fail
