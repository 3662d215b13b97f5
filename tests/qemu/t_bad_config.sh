# Every bad guest is refused with its name and reason; the good one runs.
. "$(dirname "$0")/lib.sh"
bin=$(build bad "$(dirname "$0")/configs/bad.dts") || exit 1
boot bad 60 -M virt,virtualization=on,gic-version=3 -cpu max -smp 4 -m 1G -kernel "$bin"
expect "^hyp: guest unaligned refused: memory ipa=0x40000800 size=0x2000000 not 4 KiB aligned"
expect "^hyp: guest toolarge refused: memory ipa=0xf0000000 size=0x20000000 does not fit in ipa-bits=32"
expect "^hyp: guest overlap refused: passthrough 0 ipa=0x41000000 overlaps memory or console"
expect "^hyp: guest samecpu refused: cpu 0 is listed twice or belongs to another guest"
expect "^hyp: guest hostram refused: passthrough 0 pa=0x40000000 is host RAM"
expect "^hyp: guest nokernel refused: kernel image missing"
expect "^\[good\] ipa_view: heartbeat 1/1" "the good guest runs"
expect_exit
exit $FAILED
