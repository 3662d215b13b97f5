#!/usr/bin/env bash
# mk-sdcard.sh HYP_BIN RPI_DIR OUT_DIR [firmware|uboot] [bringup]
# Makes a Raspberry Pi 4 boot card from the hypervisor image and the files
# fetch-rpi.sh put in RPI_DIR, without root:
#   OUT_DIR/sdcard/      the files of the FAT boot partition (copy them onto
#                        any FAT-formatted card)
#   OUT_DIR/sdcard.img   a whole card: an MBR with that one FAT32 partition
# "firmware": the Pi firmware starts the hypervisor itself (kernel=hyp.bin).
# "uboot": the firmware starts Debian's U-Boot, whose boot.scr loads hyp.bin
# and booti's it with the device tree the firmware passed.
set -euo pipefail
PATH=$PATH:/usr/sbin:/sbin # mkfs.vfat and sfdisk, for users without sbin in PATH
hyp=$1 rpi=$2 out=$3 boot=${4:-firmware} bringup=${5:-}
card=$out/sdcard img=$out/sdcard.img
case $boot in firmware | uboot) ;; *) echo "mk-sdcard: BOOT=$boot: use firmware or uboot" >&2; exit 1 ;; esac
rm -rf "$card" "$img"
mkdir -p "$card"
cp "$rpi/start4.elf" "$rpi/fixup4.dat" "$rpi/bcm2711-rpi-4-b.dtb" "$card/"
cp "$hyp" "$card/hyp.bin"
kernel=hyp.bin
if [ "$boot" = uboot ]; then
	cp "$rpi/u-boot.bin" "$card/u-boot.bin"
	kernel=u-boot.bin
	# U-Boot's distro boot finds boot.scr on the card and sets devtype,
	# devnum and distro_bootpart; fdt_addr is the firmware's device tree.
	# hyp.bin goes to 256 MiB, clear of U-Boot's own data.
	cat >"$out/boot.cmd" <<-'CMD'
		echo "Loading the hypervisor (hyp.bin)"
		load ${devtype} ${devnum}:${distro_bootpart} 0x10000000 hyp.bin
		booti 0x10000000 - ${fdt_addr}
	CMD
	mkimage -A arm64 -O linux -T script -C none -n "hypervisor boot" -d "$out/boot.cmd" "$card/boot.scr" >/dev/null
fi
cat >"$card/config.txt" <<CONFIG
# Raspberry Pi 4 firmware settings for the hypervisor (scripts/mk-sdcard.sh).
# 64-bit, entered at EL2 with the device tree's address in x0.
arm_64bit=1
kernel=$kernel
device_tree=bcm2711-rpi-4-b.dtb
# The console: the PL011 (UART0) on GPIO 14 (TX, header pin 8) and 15 (RX,
# pin 10), 115200 8N1; the hypervisor sets the baud rate from this clock.
enable_uart=1
gpio=14,15=a0
init_uart_clock=48000000
# The GIC-400 (the hypervisor needs its virtualization interface) and the
# peripherals at their low addresses (0xfe000000), as the device tree says.
enable_gic=1
arm_peri_high=0
CONFIG
if [ "$bringup" = bringup ]; then
	cat >>"$card/config.txt" <<-'CONFIG'
		# Bring-up: the firmware's own boot log on the same pins, before the
		# hypervisor's first line (docs/rpi4.md says what each stage prints).
		uart_2ndstage=1
	CONFIG
fi

# The FAT32 partition at 1 MiB: the files plus 16 MiB, in steps of 64 MiB.
kib=$(du -sk "$card" | cut -f1)
part_mib=$(((kib / 1024 + 16 + 63) / 64 * 64))
part=$out/sdcard.part
rm -f "$part"
mkfs.vfat -F 32 -s 1 -i 48595042 -n HYPBOOT -C "$part" $((part_mib * 1024)) >/dev/null
mcopy -i "$part" -s "$card"/* ::/
truncate -s $(((part_mib + 1) * 1024 * 1024)) "$img"
printf 'label: dos\nlabel-id: 0x48595042\nstart=2048, size=%d, type=c, bootable\n' $((part_mib * 2048)) | sfdisk -q "$img"
dd if="$part" of="$img" bs=1M seek=1 conv=notrunc status=none
rm -f "$part"
echo "sdcard ($boot): $card/ and $img ($((part_mib + 1)) MiB)"
