# The Raspberry Pi 4 boot card (make PLATFORM=rpi4 sdcard) on QEMU raspi4b,
# booted from the card's own files: the hypervisor image and the board's
# device tree (Debian's bcm2711-rpi-4-b.dtb) as the firmware would pass it.
# Devices are found through the buses' ranges, secondary CPUs through the
# spin table, a GIC-400; a Linux guest (IPA 36, 2 vCPUs) reaches its shell
# and a bare-metal one runs with IPA 44 beside one with IPA 40 on the same
# core (five guests on four cores); Linux and a third, bare-metal,
# guest talk through a channel (the PCI function on the Pi's GIC-400); the
# machine stops through the
# watchdog when both have stopped. Then the card itself is checked, in both
# variants (the firmware starting the hypervisor, and U-Boot's boot.scr).
. "$(dirname "$0")/lib.sh"
out=build/tests/rpi4
NAME=rpi4
LOG=$LOGDIR/rpi4.build.log
card=$ROOT/$out/sdcard
make -C "$ROOT" --no-print-directory -s linux-guest build/linux/rpi/start4.elf >"$LOG" 2>&1 || {
	fail "could not fetch the kernel or the Raspberry Pi files"; exit 1; }
make -C "$ROOT" --no-print-directory -s PLATFORM=rpi4 BUILD=$out \
	CONFIG="$(realpath "$(dirname "$0")/configs/rpi4.dts")" sdcard >"$LOG" 2>&1 || {
	fail "make PLATFORM=rpi4 sdcard failed"; exit 1; }
boot rpi4 180 -M raspi4b -no-reboot -dtb "$card/bcm2711-rpi-4-b.dtb" -kernel "$card/hyp.bin"
expect "^hyp: rpi4 EL2 boot cpu=0 of 4, PARange=44 bits, LPA2=no, .* gic=v2, psci=none \(spin table\)" "EL2 on a Cortex-A72 with a GIC-400 and a spin table"
expect "^hyp: guest linux36 ipa-bits=36 levels=3 start-level=1 roots=1 " "linux36: 36-bit stage 2"
expect "^hyp: guest bare44 ipa-bits=44 levels=4 start-level=0 roots=1 " "bare44: 44-bit stage 2"
expect "^hyp: guest wdt refused: device /soc/watchdog@7e100000 pa=0xfe100000 is the hypervisor's power-off watchdog \(watchdog@7e100000\)" "the power-off watchdog refused as a device"
expect "^hyp: guest wdtalias refused: passthrough 0 pa=0x47e100000 is the hypervisor's power-off watchdog" "the watchdog refused at its 35-bit alias"
expect "^hyp: guest armlocal refused: passthrough 0 pa=0xff800000 is the CPUs' local block" "the ARM local block refused"
expect "^\[bare44\] ipa_view: hello from EL1 .* PARange=4 ipa-bits=44 " "bare44 sees PARange 44 bits"
expect "^\[bare44\] ipa_view: ram walk pages=[1-9][0-9]* errors=0" "bare44 RAM walk clean"
expect "^hyp: cpu=2 shared by bare44/0\(p0\) bare40/0\(p0\)$" "more guests than cores: CPU 2 shared by bare44 and bare40"
expect "^\[bare40\] ipa_view: hello from EL1 .* PARange=2 ipa-bits=40 " "bare40 sees its own PARange on the shared Cortex-A72"
expect "^\[bare40\] ipa_view: heartbeat 3/3" "bare40 keeps its heartbeat beside bare44"
expect "^\[bare44\] ipa_view: heartbeat 3/3" "and bare44 its own"
expect "^\[linux36\] linux-guest: up kernel=[^ ]+ cpus=2 memtotal=[0-9]+kB ram=\[ 40000000-4fffffff \]" "Linux up with 2 CPUs (spin-table secondaries) and its RAM"
expect "^\[linux36\] .*shell-reached" "Linux userspace runs beside its shell"
expect "^hyp: channel talk size=0x[0-9a-f]+ pa=0x[0-9a-f]+ peers=2 memory=as each peer maps it$" "no FEAT_S2FWB on the Cortex-A72: the channel's memory is what each peer maps it as"
expect "^\[linux36\] .*peer 1: echo: hello$" "Linux asked through its channel and the bare-metal peer answered"
expect "^\[linux36\] chan: pingpong: id=0 rounds=1000 out-of-order=0 lost=0$" "1,000 messages through the channel each way, in order"
expect "^\[echo32\] chan_check: echo: served 1000 numbered messages, out-of-order=0$" "the bare-metal peer saw each in order"
expect "^hyp: guest linux36 stopped: PSCI SYSTEM_OFF" "Linux powered off"
expect_not "^hyp: guest .* (unhandled|unexpected)" "no unhandled trap"
expect_stopped_cleanly

# The card: what the firmware reads, in the folder and in the FAT image.
NAME=sdcard
LOG=$LOGDIR/sdcard.log
img=$ROOT/$out/sdcard.img
has_files() { for f in "$@"; do [ -s "$card/$f" ] || return 1; done; }
image_header() { [ "$(od -An -c -j 56 -N 4 "$1" | tr -d ' ')" = 'ARMd' ]; }
# mdir lists each file; its names must be exactly the folder's.
same_listing() {
	diff <(mdir -b -i "$img@@1M" ::/ | sed 's|^::/||' | sort) <(ls "$card" | sort)
}
config_has() { for k in "$@"; do grep -qx "$k" "$card/config.txt" || return 1; done; }
{ ls -l "$card"; cat "$card/config.txt"; sfdisk -l "$img" 2>&1; mdir -i "$img@@1M" ::/; } >"$LOG" 2>&1
check "firmware, device tree and hypervisor on the card" has_files start4.elf fixup4.dat bcm2711-rpi-4-b.dtb hyp.bin config.txt
check "config.txt: 64-bit, our image, PL011 on GPIO 14/15, GIC" \
	config_has arm_64bit=1 kernel=hyp.bin enable_uart=1 gpio=14,15=a0 init_uart_clock=48000000 enable_gic=1
check "the kernel file is an arm64 Image" image_header "$card/hyp.bin"
check "the card's device tree is a DTB" dtc -q -I dtb -O dts -o /dev/null "$card/bcm2711-rpi-4-b.dtb"
check "sdcard.img: one FAT32 (LBA) partition at 1 MiB" bash -c "PATH=\$PATH:/usr/sbin; sfdisk -d '$img' | grep -q 'start=        2048, .*type=c'"
check "sdcard.img: its FAT holds exactly the folder's files" same_listing
check "sdcard.img: hyp.bin in the FAT is the built one" \
	bash -c "mtype -i '$img@@1M' ::/hyp.bin | cmp -s - '$card/hyp.bin'"

make -C "$ROOT" --no-print-directory -s PLATFORM=rpi4 BUILD=$out \
	CONFIG="$(realpath "$(dirname "$0")/configs/rpi4.dts")" sdcard BOOT=uboot >"$LOG" 2>&1 || {
	fail "make PLATFORM=rpi4 sdcard BOOT=uboot failed"; exit 1; }
dumpimage -T script -p 0 -o "$ROOT/$out/boot.scr.txt" "$card/boot.scr" >>"$LOG" 2>&1
{ ls -l "$card"; cat "$card/config.txt"; mkimage -l "$card/boot.scr"; tr -cd "\11\12\40-\176" <"$ROOT/$out/boot.scr.txt"; } >>"$LOG" 2>&1
check "U-Boot card: U-Boot, boot.scr and the hypervisor" has_files u-boot.bin boot.scr hyp.bin start4.elf
check "U-Boot card: the firmware starts U-Boot" config_has kernel=u-boot.bin arm_64bit=1
check "U-Boot card: boot.scr is a script image" bash -c "mkimage -l '$card/boot.scr' | grep -q 'Script'"
check "U-Boot card: boot.scr loads hyp.bin and booti's it with the firmware's DTB" \
	bash -c "grep -q 'load .* 0x10000000 hyp.bin' '$ROOT/$out/boot.scr.txt' && grep -q 'booti 0x10000000 - \${fdt_addr}' '$ROOT/$out/boot.scr.txt'"
check "U-Boot card: sdcard.img holds boot.scr" same_listing

# The bring-up card (docs/rpi4.md): the firmware's log on the console pins,
# a line before the MMU, and the conformance guests with their verdicts,
# booted from the card's own files.
NAME=bringup
out=build/tests/rpi4-bringup
card=$ROOT/$out/sdcard
LOG=$LOGDIR/bringup.build.log
make -C "$ROOT" --no-print-directory -s PLATFORM=rpi4 BUILD=$out BRINGUP=1 sdcard >"$LOG" 2>&1 || {
	fail "make PLATFORM=rpi4 sdcard BRINGUP=1 failed"; exit 1; }
check "bring-up card: the firmware's own log on the same pins (uart_2ndstage=1)" config_has uart_2ndstage=1 gpio=14,15=a0
boot bringup 300 -M raspi4b -no-reboot -dtb "$card/bcm2711-rpi-4-b.dtb" -kernel "$card/hyp.bin"
expect "^hyp: bring-up: EL2 reached \(CurrentEL=2\), MMU off, device tree at 0x" "a line before the MMU is on"
expect "^hyp: mitigations=v1,bhb-k8$" "the A72's branch-history loop is on"
expect "^\[arch\] arch_check: done passed=[1-9][0-9]* failed=0$" "arch_check: its verdict, nothing failed"
expect "^\[irq\] irq_check: done passed=[1-9][0-9]* failed=0 " "irq_check (2 vCPUs): its verdict, nothing failed"
expect_stopped_cleanly
exit $FAILED
