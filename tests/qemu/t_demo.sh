# The default demo on -cpu max: every guest gets its own stage-2 geometry,
# sees its own IPA size, walks its RAM, and the machine powers off at the end.
. "$(dirname "$0")/lib.sh"
bin=$(build demo "$ROOT/dts/qemu-virt-baremetal.dts") || exit 1
boot demo 120 -M virt,virtualization=on,gic-version=3 -cpu max -smp 4 -m 2G -kernel "$bin"

hexre='0x[0-9a-f]+'
expect "^hyp: guest ipa32 ipa-bits=32 levels=2 start-level=2 roots=4 vtcr=$hexre vttbr=$hexre s2-table-pages=[0-9]+$" "ipa32 geometry line"
expect "^hyp: guest ipa40 ipa-bits=40 levels=3 start-level=1 roots=2 vtcr=$hexre vttbr=$hexre s2-table-pages=[0-9]+$" "ipa40 geometry line"
expect "^hyp: guest ipa48 ipa-bits=48 levels=4 start-level=0 roots=1 vtcr=$hexre vttbr=$hexre s2-table-pages=[0-9]+$" "ipa48 geometry line"
expect "^hyp: guest ipa52 ipa-bits=52 levels=4 start-level=0 roots=16 vtcr=$hexre vttbr=$hexre s2-table-pages=[0-9]+$" "ipa52 geometry line (FEAT_LPA2)"
# VTCR T0SZ = 64 - ipa-bits (low 6 bits), and the guest sees its own PARange.
for g in "32 0x20 0" "40 0x18 2" "48 0x10 5" "52 0x0c 6"; do
	set -- $g
	vtcr=$(grep -Eo "^hyp: guest ipa$1 .* vtcr=0x[0-9a-f]+" "$LOG" | grep -Eo '0x[0-9a-f]+$')
	CHECKS=$((CHECKS + 1))
	if [ -n "$vtcr" ] && [ $((vtcr & 0x3f)) = $(($2)) ]; then pass "ipa$1 VTCR.T0SZ=$(($2))"
	else fail "ipa$1 VTCR.T0SZ: vtcr=$vtcr"; fi
	expect "^\[ipa$1\] ipa_view: hello from EL1 .* PARange=$3 ipa-bits=$1 " "ipa$1 sees PARange=$3"
	expect "^\[ipa$1\] ipa_view: ram walk pages=[1-9][0-9]* errors=0 " "ipa$1 RAM walk clean"
	expect "^\[ipa$1\] ipa_view: heartbeat 3/3" "ipa$1 heartbeats"
done
expect "^hyp: all guests stopped, powering off"
expect_not "PANIC|FATAL|unexpected|refused"
expect_exit
exit $FAILED
