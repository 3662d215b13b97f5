# On a Cortex-A72 (PARange 44 bits, no LPA2) the 48- and 52-bit guests are
# refused with a clear line naming them; the 32- and 40-bit guests still run.
. "$(dirname "$0")/lib.sh"
bin=$(build demo "$ROOT/dts/qemu-virt-baremetal.dts") || exit 1
boot a72 120 -M virt,virtualization=on,gic-version=3 -cpu cortex-a72 -smp 4 -m 2G -kernel "$bin"
expect "^hyp: .*PARange=44 bits, LPA2=no" "host PARange read as 44 bits"
expect "^hyp: guest ipa48 refused: ipa-bits=48 exceeds what the CPU supports \(PARange 44 bits\)" "ipa48 refused"
expect "^hyp: guest ipa52 refused: ipa-bits=52 exceeds" "ipa52 refused"
expect "^\[ipa32\] ipa_view: ram walk pages=[1-9][0-9]* errors=0" "ipa32 runs"
expect "^\[ipa40\] ipa_view: ram walk pages=[1-9][0-9]* errors=0" "ipa40 runs"
expect_not "^\[ipa48\]|^\[ipa52\]" "refused guests never run"
expect_not "PANIC|FATAL"
expect_exit

# -cpu max without FEAT_LPA2: 52-bit PAs but 48-bit stage-2 descriptors,
# so only the 52-bit guest is refused, and says why.
boot nolpa2 120 -M virt,virtualization=on,gic-version=3 -cpu max,lpa2=off -smp 4 -m 2G -kernel "$bin"
expect "^hyp: .*LPA2=no" "host without LPA2"
expect "^hyp: guest ipa52 refused: ipa-bits=52 exceeds what the CPU supports \(PARange 48 bits, no FEAT_LPA2\)" "ipa52 refused: no LPA2"
expect "^\[ipa48\] ipa_view: ram walk pages=[1-9][0-9]* errors=0" "ipa48 runs"
expect_not "^\[ipa52\]" "the refused guest never runs"
expect_exit
exit $FAILED
