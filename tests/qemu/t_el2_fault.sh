# Fail-stop: an exception taken at EL2 is a hypervisor bug. Built with
# SELFTEST=1, a guest's call makes EL2 overflow its stack into the guard
# page below it, write to its own (read-only, executable) text, or run
# code from its (writable, never executable) data; each
# time the report names the CPU, the guest served, ESR/FAR/ELR and the call
# chain, and the machine powers off while another guest was running.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run_case() { # NAME CALL
	sed "s/hvc=CALL/hvc=$2/" "$(dirname "$0")/configs/el2_fault.dts" >"$tmp/$1.dts"
	NAME=$1
	LOG=$LOGDIR/$1.build.log
	make -C "$ROOT" --no-print-directory -s guests >/dev/null 2>&1
	make -C "$ROOT" --no-print-directory -s BUILD="build/tests/$1" SELFTEST=1 \
		CONFIG="$tmp/$1.dts" hyp >"$LOG" 2>&1 || { fail "build failed"; return 1; }
	# Not boot(): that ends QEMU at the first PANIC line, and this test
	# needs to see the machine stop by itself.
	LOG=$LOGDIR/$1.log
	timeout -k 5 60 "$QEMU" -nographic -monitor none -M virt,virtualization=on,gic-version=3 \
		-cpu max -smp 2 -m 1G -kernel "$ROOT/build/tests/$1/hyp.bin" </dev/null >"$LOG" 2>&1
	RC=$?
	sed -i 's/\r$//' "$LOG"
}
check_stopped() {
	CHECKS=$((CHECKS + 1))
	if [ "$RC" = 0 ]; then pass "the machine powered off (fail-stop)"
	else fail "QEMU did not power off by itself (exit $RC; 124 means timeout)"; fi
	expect "^\[bystander\] ipa_view: hello" "the other guest was running"
	expect_not "^\[crasher\] fault_probe: call .* returned" "the failing call never returned to the guest"
	expect_after "^hyp: PANIC" "^hyp:   called from hyp\.elf\+0x[0-9a-f]+$" "a call chain follows the report"
	expect_not "^hyp: all guests stopped" "no orderly stop: the guests did not finish"
}

run_case el2-overflow $((0xc6000001)) && {
expect "^hyp: PANIC cpu=1 guest=crasher unexpected sync exception at EL2 esr=0x96000047 .*: stack overflow into the guard page$" \
	"stack overflow: a translation fault in the guard page, named"
check_stopped
}

run_case el2-wx $((0xc6000002)) && {
expect "^hyp: PANIC cpu=1 guest=crasher unexpected sync exception at EL2 esr=0x9600004[ef] " \
	"a write to the hypervisor's text: a permission fault (W^X)"
expect_not "stack overflow" "not taken for an overflow"
check_stopped
}
run_case el2-nx $((0xc6000003)) && {
expect "^hyp: PANIC cpu=1 guest=crasher unexpected sync exception at EL2 esr=0x8600000[ef] " \
	"a jump into the hypervisor's data: an instruction permission fault (W^X)"
check_stopped
}

# An exclusive (a lock) before the EL2 MMU is on would hang a Raspberry
# Pi 4 for ever (QEMU lets it pass): a checked build refuses it with a
# PANIC line before anything else runs.
NAME=el2-mmu-off
LOG=$LOGDIR/el2-mmu-off.build.log
make -C "$ROOT" --no-print-directory -s BUILD=build/tests/el2-mmu-off SELFTEST=mmu-off \
	CONFIG="$(realpath "$(dirname "$0")/configs/el2_fault.dts")" hyp >"$LOG" 2>&1 || fail "build failed"
LOG=$LOGDIR/el2-mmu-off.log
timeout -k 5 60 "$QEMU" -nographic -monitor none -M virt,virtualization=on,gic-version=3 \
	-cpu max -smp 2 -m 1G -kernel "$ROOT/build/tests/el2-mmu-off/hyp.bin" </dev/null >"$LOG" 2>&1
RC=$?
sed -i 's/\r$//' "$LOG"
expect "^hyp: PANIC mpidr=0x0 spin_lock \(an exclusive access\) with the EL2 MMU off \(SCTLR_EL2.M = 0\)" \
	"a lock before the MMU is on: refused with a PANIC line"
expect_not "^hyp: guest " "nothing went further"
CHECKS=$((CHECKS + 1))
if [ "$RC" = 0 ]; then pass "the machine powered off"; else fail "QEMU did not power off (exit $RC)"; fi
exit $FAILED
