#!/usr/bin/env bash
# make bench, guest I/O: the Debian Linux guest reads 256 MiB from its
# virtio disk with O_DIRECT and fetches 64 MiB over its virtio NIC from the
# host, timed in its own clock (under -icount shift=0 with a 1 GHz
# counter: instructions, though I/O completes in host time, so these vary
# a little between runs), natively (QEMU virt, no EL2, 256 MiB) and as a
# direct-mapped guest of the hypervisor (tests/bench/configs/io.dts).
# Prints "io NAME NATIVE_MS HYP_MS" lines. Usage: tests/bench/io.sh OUTDIR
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
OUT=${1:-build/bench}
QEMU=${QEMU:-qemu-system-aarch64}
mkdir -p "$OUT/io/www"
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
	scripts/mk-io-disk.sh "$OUT/io/disk.img" bench >/dev/null
	timeout 900 "$QEMU" -cpu cortex-a72,cntfrq=1000000000 -smp 2 -icount shift=0,align=off,sleep=off \
		-nographic -monitor none "$@" $(devices "$OUT/io/disk.img") </dev/null >"$log" 2>&1
	sed -i 's/\r$//' "$log"
	grep -q "io-bench: done" "$log" && ! grep -q "wget failed" "$log" || {
		echo "bench: the I/O run did not finish; its log:" >&2; cat "$log" >&2; exit 1; }
}
run "$OUT/io/native.log" -M virt -m 256M -kernel build/linux/Image -initrd build/linux/initramfs.cpio.gz \
	-append "console=ttyAMA0 quiet guest.run=io-bench~$port"
run "$OUT/io/hyp.log" -M virt,virtualization=on -m 1G -kernel "$OUT/io/hyp/hyp.bin"
for f in disk_read_256mib http_64mib; do
	n=$(sed -n "s/.*io-bench: ${f}_ms=\([0-9]*\).*/\1/p" "$OUT/io/native.log" | head -1)
	h=$(sed -n "s/.*io-bench: ${f}_ms=\([0-9]*\).*/\1/p" "$OUT/io/hyp.log" | head -1)
	echo "io $f ${n:-0} ${h:-0}"
done
