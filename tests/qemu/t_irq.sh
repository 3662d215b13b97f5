# Interrupt delivery and vGIC state as the GIC architecture defines them
# (guests/irq_check, 3 vCPUs), on GICv3 and GICv2: exactly the expected
# checks pass, none fails; and another guest's counter, printing all the
# while, never skips (stress: the SGI floods do not starve it). GICv2 runs
# twice: as QEMU's model needs (the hypervisor ends forwarded interrupts)
# and, built with GICV2_HW_LINK=1, through the list registers' hardware
# link as on a GIC-400, which QEMU's model handles for everything here.
. "$(dirname "$0")/lib.sh"
bin=$(build irq "$(dirname "$0")/configs/irq.dts") || exit 1
LOG=$LOGDIR/irq-hwlink.build.log
make -C "$ROOT" --no-print-directory -s BUILD=build/tests/irq-hwlink GICV2_HW_LINK=1 \
	CONFIG="$(realpath "$(dirname "$0")/configs/irq.dts")" hyp >"$LOG" 2>&1 || {
	echo "FAIL irq-hwlink: build failed"; exit 1; }
for variant in 3 2 2-hwlink; do
	gic=${variant%%-*} b=$bin
	[ "$variant" = 2-hwlink ] && b=$ROOT/build/tests/irq-hwlink/hyp.bin
	want=13 # with the PL031's edge SPI
	# another vCPU's timer PPI through its redistributor; IROUTER's Aff2/Aff3
	# the timer's fast path behind a queued SPI of higher priority
	[ "$gic" = 3 ] && want=16
	boot irq-gicv$variant 120 -M virt,virtualization=on,gic-version=$gic -cpu max -smp 4 -m 1G -kernel "$b"
	case $variant in
	2) expect "^hyp: gicv2 eoi=hypervisor$" "QEMU's GICv2: the soft path" ;;
	2-hwlink) expect "^hyp: gicv2 eoi=hw-link$" "the GIC-400's path (the list registers' hardware link), forced on QEMU" ;;
	esac
	expect "^\[irq\] irq_check: gic=v$gic" "guest sees a GICv$gic"
	while read -r line; do
		CHECKS=$((CHECKS + 1))
		fail "${line#*FAIL }"
	done < <(grep -E '^\[irq\] irq_check: FAIL ' "$LOG")
	CHECKS=$((CHECKS + 1))
	n=$(grep -c '^\[irq\] irq_check: PASS ' "$LOG")
	if [ "$n" = "$want" ] && grep -q "^\[irq\] irq_check: done passed=$want failed=0$" "$LOG"
	then pass "all $want interrupt checks passed"; else fail "expected $want PASS lines, got $n"; fi
	expect_after "^\[irq\] irq_check: gic=" "^\[counter\] ipa_view: heartbeat" "the other guest ran during the floods"
	CHECKS=$((CHECKS + 1))
	gaps=$(sed -n 's/^\[counter\] ipa_view: heartbeat \([0-9]*\)\/.*/\1/p' "$LOG" |
		awk 'NR != $1 { print NR ": " $1; exit } END { if (NR != 20) print "only " NR }')
	if [ -z "$gaps" ]; then pass "its counter never skipped (20 beats)"; else fail "counter: $gaps"; fi
	expect_stopped_cleanly
done
exit $FAILED
