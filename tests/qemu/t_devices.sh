# Host device-tree nodes handed to guests: a Debian Linux guest given QEMU's
# PL031 by its node (devices = "/pl031@9010000") binds its driver from its
# own device tree, has /dev/rtc0 and reads a sane date; naming a missing
# node, the hypervisor's UART or another guest's device is refused, by
# name, while the Linux guest runs. On GICv3 and GICv2.
. "$(dirname "$0")/lib.sh"
make -C "$ROOT" --no-print-directory -s linux-guest >/dev/null || {
	echo "FAIL devices: could not fetch the Linux kernel"; exit 1; }
bin=$(build devices "$(dirname "$0")/configs/devices.dts") || exit 1
for gic in 3 2; do
	boot devices-gicv$gic 120 -M virt,virtualization=on,gic-version=$gic -cpu max -smp 4 -m 2G -kernel "$bin"
	expect "^hyp: guest missing refused: device /pl031@9999000: no such node in the host device tree" "missing node refused"
	expect "^hyp: guest hypuart refused: device /pl011@9000000 pa=0x9000000 is the hypervisor's UART" "the hypervisor's UART refused"
	expect "^hyp: guest thief refused: device /pl031@9010000 pa=0x9010000 is already passed through to guest rtc" "another guest's device refused"
	expect "^\[rtc\] .*rtc-check: /dev/rtc0 rtc-pl031 9010000.pl031 date=20[2-9][0-9]-[01][0-9]-[0-3][0-9]$" "Linux binds the PL031 from its device tree and reads a sane date"
	expect "^hyp: guest rtc stopped: PSCI SYSTEM_OFF" "Linux powered off"
	expect_not "^hyp: guest .* (unhandled|unexpected)" "no unhandled trap"
	expect_stopped_cleanly
done
exit $FAILED
