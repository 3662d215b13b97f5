# Console input reaches the focused guest even when the CPU that takes the
# UART's interrupt has no running vCPU, and the switch key (Ctrl-]) works
# even after a guest that never reads let its input buffer fill.
. "$(dirname "$0")/lib.sh"
bin=$(build console "$(dirname "$0")/configs/console.dts") || exit 1
input=$(mktemp)
trap 'rm -f "$input"' EXIT
{ head -c 5000 /dev/zero | tr '\0' a; printf '\035hello\rq\r'; } >"$input"
boot_input console 60 "$input" -M virt,virtualization=on,gic-version=3 -cpu max -smp 4 -m 1G -kernel "$bin"
expect "^hyp: guest refused refused: ipa-bits=29" "the bad guest is refused"
expect "^hyp: console input goes to guest deaf" "deaf has focus first"
expect_not "^hyp: console input goes to guest refused" "a refused guest never gets focus"
expect "^hyp: guest deaf input dropped: its receive buffer is full" "overflow reported, by name"
expect_after "^hyp: guest deaf input dropped" "^hyp: console input goes to guest echo" "Ctrl-] seen after the overflow"
expect "^\[echo\] ipa_view: input hello$" "typed line reached the focused guest"
expect "^\[echo\] ipa_view: input q$" "and the end of input"
expect_not "^\[deaf\] ipa_view: input" "the unfocused guest got nothing"
expect "^\[deaf\] ipa_view: heartbeat 4/4" "deaf kept running"
expect_not "PANIC|FATAL" "no panic"
expect "^hyp: all guests stopped, powering off" "orderly power-off"
expect_exit
exit $FAILED
