# Helpers for the QEMU tests: build a hypervisor for a config, boot it under
# QEMU with a timeout, and check the console log. A failed check prints the
# whole log.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LOGDIR=$ROOT/build/test-logs
mkdir -p "$LOGDIR"
QEMU=${QEMU:-qemu-system-aarch64}
FAILED=0
CHECKS=0

# build NAME CONFIG [PLATFORM]: builds build/tests/NAME/hyp.bin for CONFIG.
build() {
	local name=$1 config
	config=$(realpath "$2")
	# shellcheck disable=SC2086 # BUILD_VARS: extra make variables, split
	make -C "$ROOT" --no-print-directory -s BUILD="build/tests/$name" CONFIG="$config" \
		PLATFORM="${3:-qemu-virt}" ${BUILD_VARS:-} hyp \
		>"$LOGDIR/$name.build.log" 2>&1 || {
		echo "FAIL $name: build failed" >&2; cat "$LOGDIR/$name.build.log" >&2; return 1; }
	echo "$ROOT/build/tests/$name/hyp.bin"
}

# A line after which a run cannot pass: end it at once instead of waiting
# for the timeout (a hung machine costs minutes).
FATAL_RE='^hyp: (PANIC|FATAL)|^hyp: guest [^ ]+ stopped: (SError|reset failed)'

# run_watched SECONDS CMD...: runs CMD (output to $LOG) under a timeout,
# ending it early once a FATAL_RE line is logged; sets RC (125 if ended).
run_watched() {
	local secs=$1 pid
	shift
	timeout -k 5 "$secs" "$@" >"$LOG" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		if grep -Eq -- "$FATAL_RE" "$LOG" 2>/dev/null; then
			sleep 1 # let the rest of the report reach the log
			kill "$pid" 2>/dev/null
			wait "$pid"
			RC=125
			echo "(ended early: a fatal line was logged)" >>"$LOG"
			return
		fi
		sleep 0.2
	done
	wait "$pid"
	RC=$?
}

# boot NAME SECONDS QEMU-ARGS...: runs QEMU, log in $LOGDIR/NAME.log; sets RC.
boot() {
	local name=$1 secs=$2
	shift 2
	LOG=$LOGDIR/$name.log
	NAME=$name
	run_watched "$secs" "$QEMU" -nographic -monitor none "$@" </dev/null
	# The console uses CRLF line ends.
	sed -i 's/\r$//' "$LOG"
}

# boot_input NAME SECONDS INPUT-FILE QEMU-ARGS...: as boot, with the
# file's bytes typed on the console once the guests run (after 3 s).
boot_input() {
	local name=$1 secs=$2 input=$3
	shift 3
	LOG=$LOGDIR/$name.log
	NAME=$name
	{ sleep 3; cat "$input"; sleep "$secs"; } |
		timeout -k 5 "$secs" "$QEMU" -nographic -monitor none "$@" >"$LOG" 2>&1
	RC=$?
	sed -i 's/\r$//' "$LOG"
}

fail() {
	echo "FAIL $NAME: $*"
	echo "----- console log ($LOG) -----"
	cat "$LOG"
	echo "------------------------------"
	FAILED=$((FAILED + 1))
}

pass() { echo "ok   $NAME: $*"; }

# expect REGEX [what]: some line matches (extended regex).
expect() {
	CHECKS=$((CHECKS + 1))
	if grep -Eq -- "$1" "$LOG"; then pass "${2:-$1}"; else fail "no line matching: $1"; fi
}

# check WHAT CMD...: CMD succeeds (for checks on files, not on the console;
# a failure shows $LOG, so point it at what explains the failure).
check() {
	local what=$1
	shift
	CHECKS=$((CHECKS + 1))
	if "$@" >/dev/null 2>&1; then pass "$what"; else fail "$what: '$*' failed"; fi
}

# expect_not REGEX [what]: no line matches (and the log is not empty).
expect_not() {
	CHECKS=$((CHECKS + 1))
	if [ ! -s "$LOG" ]; then
		fail "empty console log"
	elif grep -Eq -- "$1" "$LOG"; then fail "unexpected line matching: $1"; else pass "${2:-no $1}"; fi
}

# expect_after FIRST SECOND [what]: a SECOND line comes after the first FIRST line.
expect_after() {
	CHECKS=$((CHECKS + 1))
	local a b
	a=$(grep -En -- "$1" "$LOG" | head -1 | cut -d: -f1)
	b=$(grep -En -- "$2" "$LOG" | tail -1 | cut -d: -f1)
	if [ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt "$a" ]; then pass "${3:-$2 after $1}"
	else fail "expected a line matching '$2' after '$1'"; fi
}

# expect_exit: QEMU exited by itself (the machine powered off), not by
# timeout, and in order: the hypervisor said every guest had stopped and
# never panicked (its panic path powers off too).
expect_exit() {
	CHECKS=$((CHECKS + 1))
	if [ "$RC" != 0 ]; then
		fail "QEMU did not power off by itself (exit $RC; 124 means timeout)"
	elif grep -Eq '^hyp: (PANIC|FATAL)' "$LOG"; then
		fail "the hypervisor panicked"
	elif ! grep -q '^hyp: all guests stopped, powering off$' "$LOG"; then
		fail "powered off without the orderly 'all guests stopped' line"
	else pass "machine powered off by itself, in order"; fi
}

# expect_stopped_cleanly: no unexpected trap, no panic, orderly power-off.
expect_stopped_cleanly() {
	expect_not '^hyp: (PANIC|FATAL)' "no panic"
	expect_exit
}

# run_expect NAME SCRIPT ARGS...: runs an expect script that logs the console
# to $LOGDIR/NAME.log and prints "step: ..." for each stage it passes and
# "FAIL: ..." when one fails; each becomes a check here.
run_expect() {
	NAME=$1
	LOG=$LOGDIR/$1.log
	local script=$2 out rc line
	shift 2
	out=$(command expect "$script" "$LOG" "$@" 2>&1)
	rc=$?
	[ -f "$LOG" ] && sed -i "s/\r*$//" "$LOG"
	while read -r line; do
		case "$line" in step:*) CHECKS=$((CHECKS + 1)); pass "${line#step: }" ;; esac
	done <<<"$out"
	[ $rc = 0 ] || fail "$(grep '^FAIL' <<<"$out")"
}
