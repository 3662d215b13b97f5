#!/usr/bin/env bash
# Installs every tool the build, the demo and the tests need, from Debian's
# archive only. Safe to run again: it installs only what is missing.
# Debian 12 gets QEMU 10.x from bookworm-backports, using the archive URI that
# the machine's own apt sources already name (no host name is written here).
set -euo pipefail

SUDO=""
if [ "$(id -u)" != 0 ] && [ "${1:-}" != "--check" ]; then
	command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive

PKGS=(make gcc libc6-dev gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross
      device-tree-compiler u-boot-qemu u-boot-tools libcmocka-dev pkg-config
      expect cpio xz-utils mtools dosfstools fdisk e2fsprogs curl clang
      llvm python3) # llvm-cov and the report: make coverage

. "$(dirname "$0")/debian-archive.sh"
codename=$(debian_codename)

# Debian 12 gets QEMU 10 from backports (raspi4b, newer CPUs); elsewhere the
# distribution's own is used if it is at least 7.2-era (virt with EL2, LPA2).
qemu_ok() {
	command -v qemu-system-aarch64 >/dev/null || return 1
	local v want=7
	[ "$codename" = bookworm ] && want=9
	v=$(qemu-system-aarch64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p' | head -1)
	[ "${v:-0}" -ge "$want" ]
}

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done

# --check: only say whether anything is missing (exit 1 if so).
fuzzer_ok() {
	local a
	for a in x86_64 aarch64; do
		[ -f "$(clang -print-file-name=libclang_rt.fuzzer-$a.a 2>/dev/null)" ] && return 0
	done
	return 1
}
if [ "${1:-}" = "--check" ]; then
	[ ${#missing[@]} -eq 0 ] && qemu_ok && fuzzer_ok && exit 0
	exit 1
fi

need_update=1
if [ "$codename" = bookworm ] && ! qemu_ok; then
	list=/etc/apt/sources.list.d/hyp-backports.sources
	if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
		uri=$(debian_uri)
		[ -n "$uri" ] || { echo "install-deps: no Debian archive URI found in apt sources" >&2; exit 1; }
		printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
			"$uri" | $SUDO tee "$list" >/dev/null
	fi
	$SUDO apt-get update -qq
	need_update=0
	$SUDO apt-get install -y -qq -t bookworm-backports qemu-system-arm >/dev/null
elif ! qemu_ok; then
	missing+=(qemu-system-arm)
fi

if [ ${#missing[@]} -gt 0 ]; then
	[ "$need_update" = 1 ] && $SUDO apt-get update -qq
	need_update=0
	$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# libFuzzer (make fuzz, make test): clang's runtime libraries, packaged as
# libclang-rt-dev where the distribution has it, else per clang version.
if ! fuzzer_ok; then
	[ "$need_update" = 1 ] && $SUDO apt-get update -qq
	v=$(clang -dumpversion | cut -d. -f1)
	$SUDO apt-get install -y -qq libclang-rt-dev >/dev/null 2>&1 ||
		$SUDO apt-get install -y -qq "libclang-rt-$v-dev" >/dev/null
fi
qemu-system-aarch64 --version | head -1
echo "install-deps: all tools present"
