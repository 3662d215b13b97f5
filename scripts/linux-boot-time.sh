#!/usr/bin/env bash
# Wall-clock seconds from QEMU start to the Debian Linux guest's
# "linux-guest: up" line (userspace reached), with 1, 2 and 4 vCPUs,
# natively (QEMU straight into the kernel) and under the hypervisor (one
# guest owning every CPU), back to back, best of RUNS (default 3). A
# measurement, not a test: it prints the figures and the ratio.
# Usage: scripts/linux-boot-time.sh [CPUS...]   (default: 1 2 4)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
RUNS=${RUNS:-3}
OUT=build/bench/linux-boot
mkdir -p "$OUT"
make -s linux-guest >/dev/null || exit 1
IMAGE=build/linux/Image
INITRD=build/linux/initramfs.cpio.gz
ARGS="console=ttyAMA0 quiet"

# seconds LOG CMD...: runs CMD until the guest's up line, prints the time.
seconds() {
	local log=$1 t0 t1 pid
	shift
	t0=$(date +%s.%N)
	"$@" </dev/null >"$log" 2>&1 &
	pid=$!
	for _ in $(seq 1 1200); do
		if grep -q "linux-guest: up" "$log"; then
			t1=$(date +%s.%N)
			kill "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
			return 0
		fi
		sleep 0.05
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	echo "timeout"
}

best() { tr ' ' '\n' | grep -Ev '^(timeout)?$' | sort -n | head -1; }

printf '%-6s %8s %8s %7s\n' vcpus native hyp ratio
for n in "${@:-1 2 4}"; do
	cpus=$(seq -s ' ' 0 $((n - 1)))
	cat >"$OUT/linux$n.dts" <<DTS
/dts-v1/;
/ {
	guests {
		linux {
			ipa-bits = <40>;
			cpus = <$cpus>;
			memory = <0x0 0x40000000 0x0 0x10000000>;
			kernel = /incbin/("Image");
			initrd = /incbin/("initramfs.cpio.gz");
			bootargs = "$ARGS";
		};
	};
};
DTS
	make -s BUILD="$OUT/hyp$n" CONFIG="$OUT/linux$n.dts" hyp >/dev/null || exit 1
	nat="" hyp=""
	for r in $(seq 1 "$RUNS"); do
		nat="$nat $(seconds "$OUT/native$n-$r.log" qemu-system-aarch64 -M virt -cpu max \
			-smp "$n" -m 512M -nographic -monitor none -kernel "$IMAGE" -initrd "$INITRD" \
			-append "$ARGS")"
		hyp="$hyp $(seconds "$OUT/hyp$n-$r.log" qemu-system-aarch64 \
			-M virt,virtualization=on,gic-version=3 -cpu max -smp "$n" -m 1G -nographic \
			-monitor none -kernel "$OUT/hyp$n/hyp.bin")"
	done
	bn=$(echo "$nat" | best) bh=$(echo "$hyp" | best)
	ratio=-
	[ -n "$bn" ] && [ -n "$bh" ] && ratio=$(awk -v a="$bn" -v b="$bh" 'BEGIN { printf "%.2f", b / a }')
	printf '%-6s %8s %8s %7s   (runs: native%s, hyp%s)\n' "$n" "${bn:--}" "${bh:--}" "$ratio" "$nat" "$hyp"
done
