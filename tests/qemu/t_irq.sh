# Interrupt delivery and vGIC state as the GIC architecture defines them
# (guests/irq_check, 3 vCPUs), on GICv3 and GICv2: exactly the expected
# checks pass, none fails.
. "$(dirname "$0")/lib.sh"
bin=$(build irq "$(dirname "$0")/configs/irq.dts") || exit 1
for gic in 3 2; do
	want=12
	boot irq-gicv$gic 120 -M virt,virtualization=on,gic-version=$gic -cpu max -smp 4 -m 1G -kernel "$bin"
	expect "^\[irq\] irq_check: gic=v$gic" "guest sees a GICv$gic"
	while read -r line; do
		CHECKS=$((CHECKS + 1))
		fail "${line#*FAIL }"
	done < <(grep -E '^\[irq\] irq_check: FAIL ' "$LOG")
	CHECKS=$((CHECKS + 1))
	n=$(grep -c '^\[irq\] irq_check: PASS ' "$LOG")
	if [ "$n" = "$want" ] && grep -q "^\[irq\] irq_check: done passed=$want failed=0$" "$LOG"
	then pass "all $want interrupt checks passed"; else fail "expected $want PASS lines, got $n"; fi
	expect_exit
done
exit $FAILED
