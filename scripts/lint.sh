#!/usr/bin/env bash
# What QEMU's TCG cannot show, checked in the source (make lint, part of
# make test):
#  - every SEV comes from send_event() (include/arch/sysreg.h): "dsb ish;
#    sev", so that a waiter never wakes to the old value;
#  - every WFE comes from wait_event_until() (include/wait.h): bounded by
#    the counter, so that a lost event never hangs a CPU;
#  - every read-modify-write atomic comes from include/atomic.h, and every
#    exclusive (LDXR/STXR family) from it, spinlock.h or the panic path
#    that skips it with the MMU off (boot/vectors.S): in checked builds they
#    refuse to run with the EL2 MMU off, where a BCM2711 never completes them.
# Prints each offending line; exits 1 if there is one.
set -u
cd "$(dirname "$0")/.." || exit 2
SRC=(boot hyp mm drivers lib include)
found=$(mktemp)
trap 'rm -f "$found"' EXIT
report() { # WHAT, then grep output on stdin (runs in a pipeline: logs to $found)
	local what=$1 line
	while IFS= read -r line; do
		echo "lint: $line: $what" | tee -a "$found"
	done
}
code() { # grep -En PATTERN over the hypervisor's sources, comments stripped
	grep -rEn --include='*.c' --include='*.h' --include='*.S' "$1" "${SRC[@]}" |
		grep -Ev '^[^:]+:[0-9]+:\s*(/?\*|//)'
}
code '\bsev\b' | grep -v '^include/arch/sysreg.h:.*#define send_event()' |
	report "SEV outside send_event()"
code '\bwfe\b' | grep -Ev '^include/arch/sysreg.h:.*#define wfe\(\)|^include/wait.h:.*\bwfe\(\);|^include/spinlock.h:' |
	report "WFE outside wait_event_until() (unbounded wait)"
code '__atomic_(compare_exchange|exchange|fetch_|add_fetch|sub_fetch|and_fetch|or_fetch|xor_fetch|test_and_set)' |
	grep -v '^include/atomic.h:' | report "read-modify-write atomic outside include/atomic.h"
code '\b(ldx|ldax|stx|stlx)r[bh]?\b' | grep -Ev '^include/spinlock.h:|^boot/vectors.S:' |
	report "exclusive access outside include/spinlock.h"
[ -s "$found" ] && exit 1
echo "lint: send_event, bounded waits, atomics: clean"
