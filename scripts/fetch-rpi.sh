#!/usr/bin/env bash
# Downloads (never installs) what a Raspberry Pi 4 boot partition needs, from
# Debian's archive, into build/linux/rpi/:
#   bcm2711-rpi-4-b.dtb   from the non-cloud arm64 kernel package, of the same
#                         version as the cloud kernel fetch-linux.sh uses
#   start4.elf fixup4.dat the Pi 4 firmware (raspi-firmware, component
#                         non-free-firmware)
#   u-boot.bin            Debian's U-Boot for 64-bit Pis (u-boot-rpi, rpi_arm64)
#   Image, kernel/        that non-cloud kernel's Image and the modules of the
#                         Pi's SD controllers, ext4 and the Ethernet (GENET),
#                         for a guest given them
# The firmware comes through a private apt state whose sources name the
# archive URI and release of this machine's own apt sources, with the
# non-free-firmware component added. A second run reuses what is there.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
LINUX=$(realpath -m "${1:-build/linux}")
OUT=$LINUX/rpi
have() {
	for f in bcm2711-rpi-4-b.dtb start4.elf fixup4.dat u-boot.bin Image; do [ -s "$OUT/$f" ] || return 1; done
	ls "$OUT"/kernel/lib/modules/*/kernel/drivers/net/ethernet/broadcom/genet/genet.ko >/dev/null 2>&1
}
have && exit 0
"$HERE/fetch-linux.sh" "$LINUX"
mkdir -p "$OUT/deb"
cd "$OUT/deb"

if ! have; then
	APT=(-q -oAPT::Architecture=arm64 -oAPT::Architectures=arm64
	     -oDir::State::Lists="$LINUX/apt/lists" -oDir::Cache="$LINUX/apt/cache"
	     -oDir::State::status="$LINUX/apt/status" -oDebug::NoLocking=1)
	kver=$(basename "$LINUX"/kernel/boot/vmlinuz-* | sed 's/^vmlinuz-//; s/-cloud-arm64$//')
	apt-get "${APT[@]}" download "linux-image-${kver}-arm64-unsigned" >/dev/null 2>&1
	dpkg-deb --fsys-tarfile linux-image-*-arm64-unsigned_*.deb |
		tar -x -C "$OUT" --wildcards --no-anchored --strip-components=5 '*/broadcom/bcm2711-rpi-4-b.dtb'
	[ -s "$OUT/bcm2711-rpi-4-b.dtb" ] || {
		echo "fetch-rpi: no bcm2711-rpi-4-b.dtb in linux-image-${kver}-arm64-unsigned" >&2; exit 1; }
	# The same kernel for a guest given the Pi's SD controllers (the
	# cloud kernel has no MMC drivers): its Image, and the modules of the
	# SD host controllers and ext4 (guests/linux/linux.mk picks them).
	rm -rf "$OUT/kernel" && mkdir -p "$OUT/kernel"
	dpkg-deb --fsys-tarfile linux-image-*-arm64-unsigned_*.deb | tar -x -C "$OUT/kernel" --wildcards \
		'./boot/vmlinuz-*' './lib/modules/*/kernel/drivers/mmc/*' './lib/modules/*/kernel/fs/ext4/*' \
		'./lib/modules/*/kernel/fs/jbd2/*' './lib/modules/*/kernel/fs/mbcache.ko' \
		'./lib/modules/*/kernel/lib/crc16.ko' './lib/modules/*/kernel/crypto/crc32c_generic.ko' \
		'./lib/modules/*/kernel/drivers/net/phy/*' './lib/modules/*/kernel/drivers/net/mdio/*' \
		'./lib/modules/*/kernel/drivers/net/ethernet/broadcom/genet/*'
	vmlinuz=$(ls "$OUT"/kernel/boot/vmlinuz-* | head -1)
	if gzip -t "$vmlinuz" 2>/dev/null; then gzip -dc "$vmlinuz" >"$OUT/Image"; else cp "$vmlinuz" "$OUT/Image"; fi
fi

. "$HERE/debian-archive.sh"
uri=$(debian_uri)
suite=$(debian_codename)
[ -n "$uri" ] && [ -n "$suite" ] || {
	echo "fetch-rpi: no Debian archive URI or release name in this machine's apt sources" >&2; exit 1; }
STATE=$OUT/apt
mkdir -p "$STATE/lists/partial" "$STATE/cache/archives/partial" "$STATE/sources"
touch "$STATE/status"
printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main non-free-firmware\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
	"$uri" "$suite" >"$STATE/sources/debian.sources"
APT=(-q -oAPT::Architecture=arm64 -oAPT::Architectures=arm64
     -oDir::State::Lists="$STATE/lists" -oDir::Cache="$STATE/cache"
     -oDir::State::status="$STATE/status" -oDebug::NoLocking=1
     -oDir::Etc::SourceList=/dev/null -oDir::Etc::SourceParts="$STATE/sources")
apt-get "${APT[@]}" update >/dev/null
apt-get "${APT[@]}" download raspi-firmware u-boot-rpi >/dev/null 2>&1 || {
	echo "fetch-rpi: could not download raspi-firmware and u-boot-rpi from $uri $suite" >&2; exit 1; }
rm -rf x && mkdir x
dpkg -x raspi-firmware_*.deb x
dpkg -x u-boot-rpi_*.deb x
cp x/usr/lib/raspi-firmware/start4.elf x/usr/lib/raspi-firmware/fixup4.dat "$OUT/"
cp x/usr/lib/u-boot/rpi_arm64/u-boot.bin "$OUT/u-boot.bin"
cd "$OUT" && rm -rf "$OUT/deb" "$STATE"
have || { echo "fetch-rpi: missing files in $OUT" >&2; exit 1; }
echo "fetch-rpi: bcm2711-rpi-4-b.dtb, start4.elf, fixup4.dat, u-boot.bin in $OUT"
