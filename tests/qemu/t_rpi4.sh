# The Raspberry Pi 4 build on QEMU raspi4b, with the board's own device tree
# (Debian's bcm2711-rpi-4-b.dtb): devices found through the buses' ranges,
# secondary CPUs from the spin table, a GIC-400; a Linux guest (IPA 36, 2
# vCPUs) reaches its shell and a bare-metal one runs with IPA 44; the
# machine stops through the watchdog when both have stopped.
. "$(dirname "$0")/lib.sh"
make -C "$ROOT" --no-print-directory -s linux-guest build/linux/rpi/bcm2711-rpi-4-b.dtb >/dev/null || {
	echo "FAIL rpi4: could not fetch the kernel or the Raspberry Pi device tree"; exit 1; }
bin=$(build rpi4 "$(dirname "$0")/configs/rpi4.dts" rpi4) || exit 1
boot rpi4 180 -M raspi4b -no-reboot -dtb "$ROOT/build/linux/rpi/bcm2711-rpi-4-b.dtb" -kernel "$bin"
expect "^hyp: rpi4 EL2 boot cpu=0 of 4, PARange=44 bits, LPA2=no, .* gic=v2, psci=none \(spin table\)" "EL2 on a Cortex-A72 with a GIC-400 and a spin table"
expect "^hyp: guest linux36 ipa-bits=36 levels=3 start-level=1 roots=1 " "linux36: 36-bit stage 2"
expect "^hyp: guest bare44 ipa-bits=44 levels=4 start-level=0 roots=1 " "bare44: 44-bit stage 2"
expect "^\[bare44\] ipa_view: hello from EL1 .* PARange=4 ipa-bits=44 " "bare44 sees PARange 44 bits"
expect "^\[bare44\] ipa_view: ram walk pages=[1-9][0-9]* errors=0" "bare44 RAM walk clean"
expect "^\[linux36\] linux-guest: up kernel=[^ ]+ cpus=2 memtotal=[0-9]+kB ram=\[ 40000000-4fffffff \]" "Linux up with 2 CPUs (spin-table secondaries) and its RAM"
expect "^\[linux36\] .*shell-reached" "Linux userspace runs beside its shell"
expect "^hyp: guest linux36 stopped: PSCI SYSTEM_OFF" "Linux powered off"
expect_not "^hyp: guest .* (unhandled|unexpected)" "no unhandled trap"
expect_stopped_cleanly
exit $FAILED
