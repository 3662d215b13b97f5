# A guest printing without pause does not hold up the guest with input
# focus: typed lines are answered while the flood runs (the time each
# took is shown, not judged), and not one line of the flood is lost.
. "$(dirname "$0")/lib.sh"
bin=$(build console_flood "$(dirname "$0")/configs/console_flood.dts") || exit 1
run_expect console-flood "$(dirname "$0")/console-flood.exp" \
	-M virt,virtualization=on,gic-version=3 -cpu max -smp 4 -m 1G -kernel "$bin"
expect "^\[echo\] ipa_view: input ping$" "the first line reached the focused guest"
expect_after "^\[echo\] ipa_view: input ping$" "^\[echo\] ipa_view: input pong$" "the second after it"
done_line=$(grep -E '^\[flood\] ipa_view: flood done' "$LOG")
lines=$(sed -n 's/.*flood done lines=\([0-9]*\) bytes=\([0-9]*\) ms=\([0-9]*\).*/\1/p' <<<"$done_line")
bytes=$(sed -n 's/.*bytes=\([0-9]*\).*/\1/p' <<<"$done_line")
# Numbered 1..lines, each once, in order.
flood_intact() {
	[ -n "$lines" ] && [ "$lines" -gt 2000 ] &&
		grep -E '^\[flood\] ipa_view: flood [0-9]+$' "$LOG" |
		awk -v n="$lines" '{ if ($4 != NR) exit 1 } END { exit NR != n }'
}
check "every one of the ${lines:-?} flood lines printed, in order (${bytes:-?} bytes in 8 s)" flood_intact
expect_not "PANIC|FATAL" "no panic"
exit $FAILED
