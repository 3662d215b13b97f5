# Architectural and PSCI/GIC-specification behaviour a non-Linux guest may
# rely on (guests/arch_check), on GICv3 and GICv2, with a passthrough PL031
# whose SPI is forwarded to the guest.
. "$(dirname "$0")/lib.sh"
bin=$(build arch "$(dirname "$0")/configs/arch.dts") || exit 1
for gic in 3 2; do
	boot arch-gicv$gic 90 -M virt,virtualization=on,gic-version=$gic -cpu max -smp 4 -m 1G -kernel "$bin"
	expect "^\[arch\] arch_check: gic=v$gic" "guest sees a GICv$gic"
	while read -r line; do
		CHECKS=$((CHECKS + 1))
		pass "${line#*PASS }"
	done < <(grep -E '^\[arch\] arch_check: PASS ' "$LOG")
	expect_not "^\[arch\] arch_check: FAIL" "no check failed"
	expect "^\[arch\] arch_check: done passed=2[0-9] failed=0" "all checks ran"
	expect_exit
done
exit $FAILED
