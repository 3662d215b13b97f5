#!/usr/bin/env bash
# Downloads (never installs) Debian's non-cloud arm64 kernel package, of the
# same version as the cloud kernel fetch-linux.sh uses, with the apt state
# that script set up, and keeps only the Raspberry Pi 4's device tree
# (bcm2711-rpi-4-b.dtb) in build/linux/rpi/. A second run reuses it.
set -euo pipefail
LINUX=$(realpath -m "${1:-build/linux}")
OUT=$LINUX/rpi
[ -s "$OUT/bcm2711-rpi-4-b.dtb" ] && exit 0
"$(dirname "$0")/fetch-linux.sh" "$LINUX"
APT=(-q -oAPT::Architecture=arm64 -oAPT::Architectures=arm64
     -oDir::State::Lists="$LINUX/apt/lists" -oDir::Cache="$LINUX/apt/cache"
     -oDir::State::status="$LINUX/apt/status" -oDebug::NoLocking=1)
kver=$(basename "$LINUX"/kernel/boot/vmlinuz-* | sed 's/^vmlinuz-//; s/-cloud-arm64$//')
mkdir -p "$OUT/deb"
cd "$OUT/deb"
apt-get "${APT[@]}" download "linux-image-${kver}-arm64-unsigned" >/dev/null 2>&1
dpkg-deb --fsys-tarfile linux-image-*-arm64-unsigned_*.deb |
	tar -x -C "$OUT" --wildcards --no-anchored --strip-components=5 '*/broadcom/bcm2711-rpi-4-b.dtb'
rm -rf "$OUT/deb"
[ -s "$OUT/bcm2711-rpi-4-b.dtb" ] || { echo "fetch-rpi: no bcm2711-rpi-4-b.dtb in linux-image-${kver}-arm64-unsigned" >&2; exit 1; }
echo "fetch-rpi: bcm2711-rpi-4-b.dtb (linux ${kver}) in $OUT"
