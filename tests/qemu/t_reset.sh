# PSCI SYSTEM_RESET restarts the guest from freshly reloaded images, with
# its virtual counter starting near zero again.
. "$(dirname "$0")/lib.sh"
bin=$(build reset "$(dirname "$0")/configs/reset.dts") || exit 1
boot reset 60 -M virt,virtualization=on,gic-version=3 -cpu max -smp 1 -m 1G -kernel "$bin"
expect "^\[phoenix\] ipa_view: requesting SYSTEM_RESET"
expect "^hyp: guest phoenix reset: reloading its images"
expect_after "^hyp: guest phoenix reset" "^\[phoenix\] ipa_view: back after SYSTEM_RESET" "guest came back"
# The guest scribbled over its own read-only data (1.5 s after its start)
# before resetting: the reload must have put it back.
CHECKS=$((CHECKS + 1))
after=$(sed -n '/^hyp: guest phoenix reset/,$p' "$LOG" | grep -m1 '^\[phoenix\] ipa_view: image canary')
case "$after" in
*"canary intact counter-ms="*) pass "images really reloaded (canary intact after the reset)" ;;
*) fail "after the reset: '$after'" ;;
esac
# CNTVOFF: the counter restarts near zero, though the machine ran > 1.5 s.
CHECKS=$((CHECKS + 1))
ms=${after##*counter-ms=}
if [ -n "$ms" ] && [ "$ms" -lt 1000 ] 2>/dev/null; then pass "virtual counter near zero after the reset ($ms ms)"
else fail "virtual counter after the reset: '$ms' ms (CNTVOFF not set at restart?)"; fi
# Zeroed before each start: the RAM walk before the reset wrote both ends
# of every page; after it, every one of them reads zero again.
expect "^hyp: guest phoenix ram .* zeroed-and-loaded-in=[0-9]+us" "RAM zeroed before the first start, timed"
expect "^hyp: guest phoenix reset: reloading its images \(RAM zeroed, in [0-9]+us; page pool: [0-9]+ pages in use\)" "and before the restart"
expect_after "^\[phoenix\] ipa_view: ram walk pages=[1-9]" "^\[phoenix\] ipa_view: requesting SYSTEM_RESET" "the guest wrote all its RAM before resetting"
# Every page but those the hypervisor loads (image, device tree, initrd):
# 32 MiB is 8192 pages, the device tree's 2 MiB slot and the gaps around
# the initrd included (the slot alone is 512).
CHECKS=$((CHECKS + 1))
pages=$(grep -m1 '^\[phoenix\] ipa_view: ram walk pages=' "$LOG" | sed 's/.*pages=\([0-9]*\).*/\1/')
if [ "${pages:-0}" -ge 8160 ]; then pass "the walk covers the device tree's slot and the initrd's gaps ($pages pages)"
else fail "the walk covered only ${pages:-no} pages of 8192"; fi
CHECKS=$((CHECKS + 1))
zeroed=$(sed -n '/^hyp: guest phoenix reset/,$p' "$LOG" | grep -m1 '^\[phoenix\] ipa_view: ram ')
case "$zeroed" in
*"ram zeroed pages="[1-9]*" dirty-words=0") pass "nothing of the previous boot readable after the reset ($zeroed)" ;;
*) fail "after the reset: '$zeroed'" ;;
esac
expect "^\[phoenix\] ipa_view: done, powering off"
expect_exit
exit $FAILED
