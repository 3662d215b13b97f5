# Channels between guests (docs/config.md, /channels): two bare-metal peers
# of a 1 MiB channel, with different IPA sizes, find their PCI functions on
# the hypervisor's ECAM and ping-pong 10,000 messages through the shared
# memory and the doorbells, none lost or out of order; a guest that is not
# a peer aborts on the bridge's ECAM, window and memory; a bystander runs.
# Then two Debian Linux guests (IPA 32 and 40) exchange a word each way
# with busybox and the stock uio and uio_pci_generic modules only, and a
# Linux guest and a bare-metal one ping-pong 10,000 messages. GICv3
# and GICv2.
. "$(dirname "$0")/lib.sh"
bin=$(build channels "$(dirname "$0")/configs/channels.dts") || exit 1
for gic in 3 2; do
	boot channels-gicv$gic 120 -M virt,virtualization=on,gic-version=$gic -cpu max -smp 4 -m 2G -kernel "$bin"
	# QEMU's max CPU has FEAT_S2FWB: every peer sees the memory write-back
	# (the guests' RAM takes FWB's encoding too: test_pgtable.c checks
	# both; QEMU runs a guest whose RAM kept the other one all the same).
	expect "^hyp: channel pingpong size=0x100000 pa=0x[0-9a-f]+ peers=2 memory=write-back \(forced at stage 2\)$" "the channel's memory carved, forced write-back at stage 2 (FEAT_S2FWB)"
	expect "^\[ping\] chan_check: id=0 intid=40 mem=0x11000000 size=0x100000$" "ping: function 0 found, BAR2 sized"
	expect "^\[pong\] chan_check: id=1 intid=40 mem=0x11000000 size=0x100000$" "pong: its ID 1"
	expect "^\[ping\] chan_check: id=0 rounds=10000 out-of-order=0 lost=0 " "ping: 10,000 round trips, none lost or out of order"
	expect "^\[pong\] chan_check: id=1 rounds=10000 out-of-order=0 lost=0 " "pong: the same"
	expect "^\[outsider\] chan_check: nonpeer aborts=3 of 3$" "a guest that is not a peer aborts on the bridge"
	expect "^\[bystander\] ipa_view: heartbeat 5/5" "the bystander ran"
	expect_not "^hyp: guest (ping|pong) .*(unhandled|unexpected|abort)" "no fault in the peers"
	expect_stopped_cleanly
done
# A peer ringing in a loop beside one that resets: the target takes one
# interrupt per pending state, not one per ring; its reset puts its
# function back to power-on and leaves the memory as it was; doorbells
# while it resets reach no one and are counted; a bystander keeps its beat.
bin=$(build channels_storm "$(dirname "$0")/configs/channels_storm.dts") || exit 1
boot channels-storm 120 -M virt,virtualization=on,gic-version=3 -cpu max -smp 4 -m 2G -kernel "$bin"
expect "^\[target\] chan_check: reset: doorbell taken, mark left, resetting$" "the target takes a doorbell, marks the memory, resets"
expect "^\[target\] chan_check: after reset 1: Command=0x0$" "its function back to power-on after the reset"
expect "^\[target\] chan_check: reset: back \(reset 1\): mark kept$" "the memory kept across the reset"
expect "^\[storm\] chan_check: storm: 200000 doorbells rung" "200,000 doorbells rung"
expect "^\[target\] chan_check: reset: ([0-9]{1,4}|[0-9]{5}) interrupts taken for the rest of the storm$" "the target took far fewer interrupts than rings (not re-raised while pending)"
expect "^hyp: channels: [1-9][0-9]* doorbells reached no one$" "doorbells to a peer that was resetting counted"
expect "^\[bystander\] ipa_view: heartbeat 10/10" "the bystander kept its beat"
expect_stopped_cleanly

make -C "$ROOT" --no-print-directory -s linux-guest >/dev/null || {
	echo "FAIL channels: could not fetch the Linux kernel"; exit 1; }
bin=$(build channels_linux "$(dirname "$0")/configs/channels_linux.dts") || exit 1
for gic in 3 2; do
	boot channels-linux-gicv$gic 180 -M virt,virtualization=on,gic-version=$gic -cpu max -smp 4 -m 2G -kernel "$bin"
	expect "^\[linux32\] .*chan: id=0 uio[0-9]+ bar0=0x10000000 bar2=0x11000000$" "linux32: the function bound to uio_pci_generic, ID 0"
	expect "^\[linux40\] .*chan: id=1 uio[0-9]+ bar0=0x10000000 bar2=0x11000000$" "linux40: ID 1"
	expect "^\[linux40\] chan: id=1 read 0xC0DE0000 from peer 0$" "linux40 got linux32's word after its doorbell"
	expect "^\[linux32\] chan: id=0 read 0xC0DE0001 from peer 1$" "linux32 got linux40's word after its doorbell"
	expect "^\[linux40\] peer 0: hello from peer 0$" "the chan tool: send in one guest, recv in the other"
	expect "^\[linux32\] chan: bench: [0-9.]+ us per round trip, 64 MiB in " "the chan tool's bench ran both sides"
	expect_not "^hyp: guest .* (unhandled|unexpected|abort)" "no fault"
	expect_stopped_cleanly
done

# A Linux guest and a bare-metal one: the chan tool asks, the echo server
# answers; then 10,000 numbered messages each way.
bin=$(build channels_mixed "$(dirname "$0")/configs/channels_mixed.dts") || exit 1
for gic in 3 2; do
	boot channels-mixed-gicv$gic 180 -M virt,virtualization=on,gic-version=$gic -cpu max -smp 4 -m 2G -kernel "$bin"
	expect "^\[echo40\] chan_check: echo: serving peer 0$" "the bare-metal peer serves its channel"
	expect "^\[linux32\] .*peer 1: echo: hello$" "Linux asked through the chan tool and got the bare-metal guest's answer"
	expect "^\[linux32\] chan: pingpong: id=0 rounds=10000 out-of-order=0 lost=0$" "10,000 messages from Linux, each answered in order"
	expect "^\[echo40\] chan_check: echo: served 10000 numbered messages, out-of-order=0$" "the bare-metal side saw each in order"
	expect_not "^hyp: guest .* (unhandled|unexpected|abort)" "no fault"
	expect_stopped_cleanly
done

# A channel naming a guest that does not exist fails the build, by name.
tmpd=$(mktemp -d)
printf '/dts-v1/;\n/ { guests { a { ipa-bits = <40>; cpus = <0>; memory = <0 0x40000000 0 0x2000000>;\n kernel = /incbin/("ipa_view.bin"); }; };\n channels { c { size = <0 0x1000>; peers = "a", "zz"; }; }; };\n' >"$tmpd/bad.dts"
NAME=channels-build
LOG=$LOGDIR/channels-bad.build.log
make -C "$ROOT" --no-print-directory -s BUILD=build/tests/channels-bad CONFIG="$tmpd/bad.dts" hyp >"$LOG" 2>&1
check "a channel with an unknown peer fails the build" test $? -ne 0
check "and names it" grep -q "bad.dts: error: channel c: peer zz: no such guest" "$LOG"
rm -rf "$tmpd"
exit $FAILED
