# The SD card on QEMU raspi4b: a direct-mapped Debian Linux guest (the
# non-cloud kernel, which has the Pi's SD drivers, with its own modules)
# owns the SD host controller QEMU plugs -drive if=sd into and mounts the
# ext4 partition of a card image made here, reading the file written here.
# Its controller's clock is the firmware's: the hypervisor asks the firmware
# (mailbox) for its rate and gives the guest a fixed clock of that rate.
# Beside it a bare-metal guest runs; a guest whose RAM the emmc2's
# dma-ranges cannot reach is refused.
. "$(dirname "$0")/lib.sh"
NAME=rpi4-sd
out=build/tests/rpi4-sd
LOG=$LOGDIR/rpi4-sd.build.log
make -C "$ROOT" --no-print-directory -s linux-rpi-guest build/linux/rpi/start4.elf >"$LOG" 2>&1 || {
	fail "could not fetch the Raspberry Pi kernel"; exit 1; }
make -C "$ROOT" --no-print-directory -s PLATFORM=rpi4 BUILD=$out \
	CONFIG="$(realpath "$(dirname "$0")/configs/rpi4_sd.dts")" hyp >>"$LOG" 2>&1 || {
	fail "make PLATFORM=rpi4 hyp failed"; exit 1; }

# The card: 64 MiB (QEMU wants a power of two), one Linux partition at
# 1 MiB holding an ext4 file system with hello.txt.
dir=$ROOT/$out
token="sd-token-$$-$RANDOM"
rm -rf "$dir/root" && mkdir -p "$dir/root"
echo "$token" >"$dir/root/hello.txt"
export PATH=$PATH:/sbin:/usr/sbin
truncate -s 0 "$dir/sd.img" && truncate -s 64M "$dir/sd.img"
echo 'start=2048, type=83' | sfdisk -q "$dir/sd.img" >>"$LOG" 2>&1 &&
	mke2fs -q -F -t ext4 -d "$dir/root" "$dir/part.img" 63M >>"$LOG" 2>&1 &&
	dd if="$dir/part.img" of="$dir/sd.img" bs=1M seek=1 conv=notrunc status=none || {
	fail "could not make the card image"; exit 1; }

boot rpi4-sd 400 -M raspi4b -no-reboot -dtb "$ROOT/build/linux/rpi/bcm2711-rpi-4-b.dtb" \
	-kernel "$dir/hyp.bin" -drive if=sd,format=raw,file="$dir/sd.img"
expect "^hyp: guest highsd refused: device /emmc2bus/mmc@7e340000: its bus's dma-ranges reach 0x0-0x3fffffff, not all of memory 0x40000000-0x43ffffff$" \
	"RAM the emmc2's dma-ranges cannot reach refused"
expect "^hyp: guest sd device /soc/mmc@7e300000: firmware clock 1 at [1-9][0-9]* Hz$" "the controller's clock rate from the firmware"
expect "^hyp: guest sd ram ipa=0x10000000 pa=0x10000000 \(direct-map\)" "RAM at IPA == PA, below 1 GiB"
expect "^\[sd\] .*sd: mmcblk0p1 mounted: $token$" "the card's ext4 partition mounted, the file written here read"
expect "^\[bystander\] ipa_view: heartbeat 10/10" "the bystander ran"
expect "^hyp: guest sd stopped: PSCI SYSTEM_OFF" "the SD guest powered off"
expect_not "^hyp: guest .* (unhandled|unexpected)" "no unhandled trap"
expect_stopped_cleanly
# The real board's configuration (emmc2, where a Pi 4's card is) builds.
check "dts/rpi4-io.dts builds" make -C "$ROOT" --no-print-directory -s PLATFORM=rpi4 \
	BUILD=build/tests/rpi4-io CONFIG=dts/rpi4-io.dts hyp
exit $FAILED
