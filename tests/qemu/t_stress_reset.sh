# Stress: one guest resets itself (PSCI SYSTEM_RESET) 50 times in a row,
# its RAM zeroed and its images reloaded each time, while another guest
# prints a counter that must never skip; the page pool is back where it
# was at boot.
. "$(dirname "$0")/lib.sh"
bin=$(build stress_reset "$(dirname "$0")/configs/stress_reset.dts") || exit 1
boot stress_reset 240 -M virt,virtualization=on,gic-version=3 -cpu max -smp 2 -m 1G -kernel "$bin"
expect "^\[resetter\] ipa_view: back after SYSTEM_RESET 50$" "the guest came back from its 50th reset"
CHECKS=$((CHECKS + 1))
n=$(grep -c '^\[resetter\] ipa_view: ram zeroed pages=[1-9][0-9]* dirty-words=0$' "$LOG")
if [ "$n" = 51 ]; then pass "its RAM read zeroed at each of its 51 starts"
else fail "RAM zeroed at $n of 51 starts"; fi
expect "^hyp: guest resetter stopped: PSCI SYSTEM_OFF" "then it powered off"
expect_after "^hyp: guest resetter stopped" "^\[counter\] ipa_view: heartbeat" "the counter ran on past all the resets"
# The bystander's counter: every heartbeat from 1 on, none skipped, none
# repeated, while the resets went on.
CHECKS=$((CHECKS + 1))
gaps=$(sed -n 's/^\[counter\] ipa_view: heartbeat \([0-9]*\)\/.*/\1/p' "$LOG" |
	awk 'NR != $1 { print "at line " NR ": " $1; exit }')
beats=$(grep -c '^\[counter\] ipa_view: heartbeat' "$LOG")
if [ -z "$gaps" ] && [ "$beats" -gt 50 ]; then pass "the other guest's counter never skipped ($beats beats)"
else fail "counter: $beats beats, first gap $gaps"; fi
CHECKS=$((CHECKS + 1))
at_boot=$(sed -n 's/^hyp: memory .*, \([0-9]*\) pages in use$/\1/p' "$LOG")
at_end=$(sed -n 's/^hyp: page pool: \([0-9]*\) pages in use$/\1/p' "$LOG")
if [ -n "$at_boot" ] && [ "$at_boot" = "$at_end" ]; then pass "page pool back where it was ($at_end pages)"
else fail "page pool at boot '$at_boot', at the end '$at_end'"; fi
expect_stopped_cleanly
exit $FAILED
