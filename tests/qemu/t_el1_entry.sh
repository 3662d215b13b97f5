# Started without EL2 (no virtualization=on): a clear message, then QEMU exits.
. "$(dirname "$0")/lib.sh"
bin=$(build demo "$ROOT/dts/qemu-virt-baremetal.dts") || exit 1
boot el1 60 -M virt -cpu max -smp 1 -m 1G -kernel "$bin"
expect "^hyp: entered at EL1, but a hypervisor needs EL2: start QEMU with -M virt,virtualization=on" "EL1 entry explained"
# No guest ever ran here, so no "all guests stopped" line: only the exit.
CHECKS=$((CHECKS + 1))
if [ "$RC" = 0 ]; then pass "QEMU exited by itself"; else fail "QEMU did not exit by itself (exit $RC)"; fi
expect_not "PANIC" "no panic"
exit $FAILED
