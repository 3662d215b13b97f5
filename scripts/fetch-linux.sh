#!/usr/bin/env bash
# Downloads (never installs) Debian's arm64 cloud kernel and busybox-static,
# using this machine's own apt sources with a private arm64 state, and
# unpacks them under build/linux/. A second run reuses the cache.
set -euo pipefail
OUT=$(realpath -m "${1:-build/linux}")
if [ -s "$OUT/Image" ] && [ -x "$OUT/root/bin/busybox" ]; then
	exit 0
fi
mkdir -p "$OUT/apt/lists/partial" "$OUT/apt/cache/archives/partial" "$OUT/debs"
touch "$OUT/apt/status"
APT=(-q -oAPT::Architecture=arm64 -oAPT::Architectures=arm64
     -oDir::State::Lists="$OUT/apt/lists" -oDir::Cache="$OUT/apt/cache"
     -oDir::State::status="$OUT/apt/status" -oDebug::NoLocking=1)
apt-get "${APT[@]}" update >/dev/null
# The cloud flavour's metapackage names the current versioned kernel.
kver=$(apt-cache "${APT[@]}" depends linux-image-cloud-arm64 2>/dev/null |
	sed -n 's/.*Depends: \(linux-image-[0-9].*-cloud-arm64\)$/\1/p' | head -1)
[ -n "$kver" ] || { echo "fetch-linux: no linux-image-*-cloud-arm64 in the apt sources" >&2; exit 1; }
cd "$OUT/debs"
apt-get "${APT[@]}" download "${kver}-unsigned" busybox-static >/dev/null
rm -rf "$OUT/kernel" "$OUT/root"
dpkg -x linux-image-*-unsigned_*.deb "$OUT/kernel"
dpkg -x busybox-static_*.deb "$OUT/root"
vmlinuz=$(ls "$OUT"/kernel/boot/vmlinuz-* | head -1)
# Debian's arm64 vmlinuz is a gzip-compressed arm64 Image.
if gzip -t "$vmlinuz" 2>/dev/null; then gzip -dc "$vmlinuz" >"$OUT/Image"; else cp "$vmlinuz" "$OUT/Image"; fi
echo "fetch-linux: $(basename "$vmlinuz") and busybox-static in $OUT"
