# Pairs of racing PSCI calls from two vCPUs, ten rounds each (psci_race),
# and a reset against CPU_ONs of the vCPUs it has already parked:
# every pair ends in a defined state, a reset never lets a vCPU of the old
# boot survive, a guest that stopped never runs again, and the bystander
# guest is untouched throughout. On GICv3 and GICv2.
. "$(dirname "$0")/lib.sh"
bin=$(build race "$(dirname "$0")/configs/race.dts") || exit 1
for gic in 3 2; do
	boot race-gicv$gic 60 -M virt,virtualization=on,gic-version=$gic -cpu max -smp 4 -m 1G -kernel "$bin"
	for p in double-reset reset-vs-cpu-on reset-vs-on-parked reset-vs-cpu-off; do
		expect "^\[race\] race: $p rounds=10 done$" "$p: 10 rounds, each a clean reset"
	done
	expect "^\[race\] race: off-vs-reset round 0$" "SYSTEM_OFF raced SYSTEM_RESET"
	expect_not "^\[race\] race: FAIL" "no check failed"
	expect "^hyp: guest race stopped: PSCI SYSTEM_OFF$" "the guest stopped once"
	CHECKS=$((CHECKS + 1))
	stop=$(grep -n "^hyp: guest race stopped" "$LOG" | head -1 | cut -d: -f1)
	if [ -n "$stop" ] && ! tail -n +"$stop" "$LOG" | grep -q '^\[race\]'; then
		pass "nothing of the guest ran after it stopped"
	else fail "guest output after its stop line (or no stop line)"; fi
	CHECKS=$((CHECKS + 1))
	n=$(grep -c "^hyp: guest race reset: reloading its images" "$LOG")
	if [ "$n" = 4 ] && grep -q "^hyp: guest race reset: .*(further resets not reported)" "$LOG"
	then pass "reset lines rate-limited to 4"; else fail "expected 4 reset lines, got $n"; fi
	expect "^\[bystander\] ipa_view: heartbeat 10/10" "bystander kept running"
	expect_not "PANIC|FATAL" "no panic"
	expect "^hyp: all guests stopped, powering off" "orderly power-off"
	expect_exit
done
exit $FAILED
