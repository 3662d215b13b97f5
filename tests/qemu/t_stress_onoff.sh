# Stress: a 2-vCPU guest takes its second vCPU through 10,000 CPU_ON/CPU_OFF
# cycles while another guest runs; every cycle completes and the machine
# stops in order. On GICv3 and GICv2.
. "$(dirname "$0")/lib.sh"
bin=$(build stress_onoff "$(dirname "$0")/configs/stress_onoff.dts") || exit 1
for gic in 3 2; do
	boot stress_onoff-gicv$gic 300 -M virt,virtualization=on,gic-version=$gic -cpu max -smp 3 -m 1G -kernel "$bin"
	expect "^\[onoff\] race: onoff cycles=10000 of 10000$" "10,000 CPU_ON/CPU_OFF cycles, all complete"
	expect_not "^\[onoff\] race: FAIL" "no cycle failed"
	expect "^\[bystander\] ipa_view: heartbeat 5/5" "the other guest ran"
	expect_stopped_cleanly
done
exit $FAILED
