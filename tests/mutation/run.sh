#!/usr/bin/env bash
# Applies each mutation of mutations.txt, one at a time, to a scratch copy
# of the tree and runs the test that should notice; prints one line per
# mutation and "N passed, N failed" where a pass is a mutation caught.
# Not part of `make test` (it takes several minutes).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LIST=${1:-$ROOT/tests/mutation/mutations.txt}
ONLY=${MUTATION_ONLY:-} # a regex: run only the mutations whose name matches
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# The tracked files (with uncommitted changes), plus the downloaded kernel.
(cd "$ROOT" && git ls-files -z | tar --null -T - -cf -) | tar xf - -C "$WORK"
mkdir -p "$WORK/build"
[ -d "$ROOT/build/linux" ] && ln -s "$ROOT/build/linux" "$WORK/build/linux"
LOGS=$ROOT/build/mutation
mkdir -p "$LOGS"

caught=0 missed=0 broken=0 n=0
name="" file="" test="" pairs=()

# Replaces each from/to pair once in $file; fails if a "from" is missing.
apply() {
	local i
	for ((i = 0; i < ${#pairs[@]}; i += 2)); do
		FROM=$(printf '%b' "${pairs[i]}") TO=$(printf '%b' "${pairs[i + 1]}") \
			perl -0pi -e '$n = s/\Q$ENV{FROM}\E/$ENV{TO}/; END { exit($n ? 0 : 1) }' \
			"$WORK/$file" || return 1
	done
}

run_one() {
	[ -n "$name" ] || return 0
	n=$((n + 1))
	if [ -n "$ONLY" ] && ! grep -Eq -- "$ONLY" <<<"$name"; then
		name="" file="" test="" pairs=()
		return 0
	fi
	local log=$LOGS/$n.log rc
	cp "$WORK/$file" "$WORK/$file.orig"
	if ! apply; then
		echo "BROKEN  $n $name: text not found in $file (update the list)"
		broken=$((broken + 1))
	else
		if [ "$test" = unit ]; then
			(cd "$WORK" && make -s unit-test) >"$log" 2>&1
		elif [ "${test#fuzz:}" != "$test" ]; then
			(cd "$WORK" && make -s "build/fuzz/${test#fuzz:}" &&
				tests/fuzz/run.sh 5 "${test#fuzz:}") >"$log" 2>&1
		else
			(cd "$WORK" && bash "tests/qemu/$test") >"$log" 2>&1
		fi
		rc=$?
		if [ $rc != 0 ]; then
			echo "caught  $n $name ($test)"
			caught=$((caught + 1))
		else
			echo "MISSED  $n $name ($test passed; log $log)"
			missed=$((missed + 1))
		fi
	fi
	mv "$WORK/$file.orig" "$WORK/$file"
	name="" file="" test="" pairs=()
}

while IFS= read -r line || [ -n "$line" ]; do
	case "$line" in
	"#"*) ;;
	"") run_one ;;
	name:*) name=${line#name: } ;;
	file:*) file=${line#file: } ;;
	from:*) pairs+=("${line#from: }") ;;
	to:*) pairs+=("${line#to: }") ;;
	test:*) test=${line#test: } ;;
	esac
done <"$LIST"
run_one
echo
echo "mutation: $caught passed, $((missed + broken)) failed"
[ $((missed + broken)) = 0 ]
