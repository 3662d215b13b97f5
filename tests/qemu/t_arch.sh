# Architectural and PSCI/GIC-specification behaviour a non-Linux guest may
# rely on (guests/arch_check), on GICv3 and GICv2, with a passthrough PL031
# whose SPI is forwarded to the guest. The guest prints one PASS or FAIL
# line per check; exactly the expected number must pass, none fail.
. "$(dirname "$0")/lib.sh"
bin=$(build arch "$(dirname "$0")/configs/arch.dts") || exit 1
for gic in 3 2; do
	# v3 has two more GIC decode checks (byte and 64-bit reads) and the
	# MSR sweep over every register (ICC_SGI1R_EL1).
	want=$((gic == 3 ? 42 : 39))
	boot arch-gicv$gic 90 -M virt,virtualization=on,gic-version=$gic -cpu max -smp 4 -m 1G -kernel "$bin"
	expect "^\[arch\] arch_check: gic=v$gic" "guest sees a GICv$gic"
	expect "^hyp: W\^X on \(SCTLR_EL2.WXN, text read-only\), 8 stack guard pages unmapped$" "W^X and every CPU's stack guard page, asked of the MMU at boot"
	expect "^hyp: mitigations=v1$" "-cpu max: no branch-history loop"
	expect_not "^\[arch\] arch_check: (FAIL|SKIP)" "no check failed or was skipped"
	CHECKS=$((CHECKS + 1))
	n=$(grep -c '^\[arch\] arch_check: PASS ' "$LOG")
	if [ "$n" = "$want" ] && grep -q "^\[arch\] arch_check: done passed=$want failed=0$" "$LOG"
	then pass "all $want checks passed"; else fail "expected $want PASS lines and a clean summary, got $n"; fi
	expect "^hyp: guest arch cpu=[0-9] unhandled sysreg op0=3 op1=0 crn=15 crm=0 op2=0 read" "IMPLEMENTATION DEFINED register trapped (HCR_EL2.TIDCP)"
	expect "^hyp: guest arch cpu=[0-9] unhandled sysreg op0=3 op1=0 crn=10 crm=4 op2=7 read" "LORID_EL1 trapped (HCR_EL2.TLOR)"
	# QEMU has no trace or AMU registers: their UNDEF comes from EL1 before
	# CPTR_EL2.TTA/TAM are looked at, so only the guest-side check shows.
	expect_stopped_cleanly
done
# The Raspberry Pi 4's CPU: a Cortex-A72, whose PMUv3 has no MDCR_EL2.HPMD
# (it would count the hypervisor's events): hidden and trapped, no RAS.
boot arch-a72 90 -M virt,virtualization=on,gic-version=3 -cpu cortex-a72 -smp 4 -m 1G -kernel "$bin"
expect "^hyp: mitigations=v1,bhb-k8$" "Cortex-A72: the branch history cleared on every guest exit"
expect "^\[arch\] arch_check: PASS a PMU that could count EL2 is hidden and UNDEFINED" "Cortex-A72: its PMU is hidden and trapped"
expect_not "^\[arch\] arch_check: (FAIL|SKIP)" "Cortex-A72: no check failed or was skipped"
expect "^\[arch\] arch_check: done passed=42 failed=0$" "Cortex-A72: all 42 checks passed"
expect_stopped_cleanly
exit $FAILED
