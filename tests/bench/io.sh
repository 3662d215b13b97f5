#!/usr/bin/env bash
# make bench, guest I/O: the Debian Linux guest reads 2 GiB from its
# virtio disk with O_DIRECT (1 MiB requests) and fetches 256 MiB over its
# virtio NIC from the host (HTTP), timed in its own clock, natively (QEMU
# virt, GICv3, no EL2, 256 MiB) and as a direct-mapped guest of the hypervisor
# (tests/bench/configs/io.dts). Under -icount shift=0 with a 1 GHz counter
# the guest's work is counted in instructions, but the devices complete in
# host time and the idle guest's clock follows the host's (sleep=on), so
# these figures vary from run to run by a few percent, unlike the trap
# figures: each is the best of BENCH_IO_RUNS (3).
# Prints "io NAME NATIVE_MS HYP_MS" lines. Usage: tests/bench/io.sh OUTDIR
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
OUT=${1:-build/bench}
QEMU=${QEMU:-qemu-system-aarch64}
rm -rf "$OUT/io" && mkdir -p "$OUT/io/www"
make -s linux-guest >/dev/null || exit 1
head -c 16M /dev/urandom >"$OUT/io/www/blob"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$OUT/io/www" "$port" >"$OUT/io/http.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
sed "s/PORT/$port/" tests/bench/configs/io.dts >"$OUT/io/io.dts"
make -s CHECKS=0 MITIGATIONS=0 BUILD="$OUT/io/hyp" CONFIG="$OUT/io/io.dts" hyp >"$OUT/io/build.log" 2>&1 || {
	cat "$OUT/io/build.log" >&2; exit 1; }

devices() { # DISK
	echo -drive "file=$1,if=none,format=raw,id=d0" -device virtio-blk-device,drive=d0 \
		-netdev user,id=n0 -device virtio-net-device,netdev=n0
}
run() { # LOG QEMU-ARGS...
	local log=$1
	shift
	rm -f "$OUT/io/disk.img" && truncate -s 512M "$OUT/io/disk.img" # read raw: no file system needed
	timeout 900 "$QEMU" -cpu cortex-a72,cntfrq=1000000000 -smp 2 -icount shift=0,align=off,sleep=on \
		-nographic -monitor none "$@" $(devices "$OUT/io/disk.img") </dev/null >"$log" 2>&1
	sed -i 's/\r$//' "$log"
	grep -q "io-bench: done" "$log" && ! grep -q "wget failed" "$log" || {
		echo "bench: the I/O run did not finish; its log:" >&2; cat "$log" >&2; exit 1; }
}
# Native and hypervisor runs alternate, so that a slow spell of the host
# hits both alike.
for r in $(seq "${BENCH_IO_RUNS:-3}"); do
	run "$OUT/io/native-$r.log" -M virt,gic-version=3 -m 256M -kernel build/linux/Image \
		-initrd build/linux/initramfs.cpio.gz -append "console=ttyAMA0 quiet guest.run=io-bench~$port"
	run "$OUT/io/hyp-$r.log" -M virt,virtualization=on,gic-version=3 -m 1G -kernel "$OUT/io/hyp/hyp.bin"
done
best() { # FIGURE LOGS...: the least ms
	local f=$1
	shift
	sed -n "s/.*io-bench: ${f}_ms=\([0-9]*\).*/\1/p" "$@" | sort -n | head -1
}
for f in disk_read_2gib http_256mib; do
	echo "io $f $(best $f "$OUT"/io/native-*.log) $(best $f "$OUT"/io/hyp-*.log)"
done
