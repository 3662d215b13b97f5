#!/usr/bin/env bash
# make bench: what the hypervisor costs its guests, beside the same guest
# run natively. The benchmark guest (guests/bench) runs under QEMU with
# -icount shift=0 and a 1 GHz counter, so one counter tick is one
# guest-visible instruction and every run gives the same figures:
#   natively  QEMU virt (no EL2) straight into the guest, PSCI from QEMU
#   hyp       the hypervisor with the guest alone on 2 vCPUs (configs/)
# on GICv3 and GICv2, then the stage-2 variants (IPA 32/40/48, 4 KiB
# pages), the footprint, and the Debian Linux guest's boot time natively
# and under the hypervisor (wall clock, scripts/linux-boot-time.sh).
# Writes build/bench/results.md, results.tsv and results.svg.
#   BENCH_BASELINE=old-results.tsv   adds the change against that run
#   BENCH_LINUX=0                    skips the Linux boot times and guest I/O
#   BENCH_N=1000                     iterations per figure
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
OUT=build/bench
mkdir -p "$OUT"
QEMU=${QEMU:-qemu-system-aarch64}
CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}
N=${BENCH_N:-1000}
ICOUNT=(-icount shift=0,align=off,sleep=off)
FIGS="boot hvc_null mmio_trap uart_tx sgi_ipi irq_latency mem_walk"
TSV=$OUT/results.tsv
: >"$TSV"
nstep=0
step() { nstep=$((nstep + 1)); echo "bench: [$nstep] $*" >&2; }

step "building the benchmark guest and the Linux guest"
make -s guests >/dev/null || exit 1
BENCH_BIN=build/qemu-virt/guests/bench.bin

# figures LOG: "name avg min max" per bench line.
figures() {
	sed -n 's/.*bench: \([a-z_]*\) n=[0-9]* avg=\([0-9]*\) min=\([0-9]*\) max=\([0-9]*\).*/\1 \2 \3 \4/p' "$1"
}
# avg LOG NAME
avg() { figures "$1" | awk -v n="$2" '$1 == n { print $2 }'; }

run_native() { # GIC CPU LOG
	timeout 600 "$QEMU" -M virt,gic-version="$1" -cpu "$2",cntfrq=1000000000 -smp 2 -m 128M \
		"${ICOUNT[@]}" -nographic -monitor none -kernel "$BENCH_BIN" -append "n=$N" \
		</dev/null >"$3" 2>&1
}

# The trap-path targets are for the hypervisor without speculation
# mitigations (MITIGATIONS=0); what they cost on the Pi 4's Cortex-A72 is
# measured beside (the "mitigations" section).
build_hyp() { # VARIANT [MITIGATIONS] -> prints hyp.bin
	local v=$1 m=${2:-0}
	sed "s/n=1000/n=$N/" "tests/bench/configs/$v.dts" >"$OUT/$v.dts"
	make -s CHECKS=0 MITIGATIONS="$m" BUILD="$OUT/hyp-$v-m$m" CONFIG="$OUT/$v.dts" hyp \
		>"$OUT/hyp-$v.build.log" 2>&1 || {
		cat "$OUT/hyp-$v.build.log" >&2; return 1; }
	echo "$OUT/hyp-$v-m$m/hyp.bin"
}

run_hyp() { # BIN GIC CPU LOG
	timeout 600 "$QEMU" -M virt,virtualization=on,gic-version="$2" -cpu "$3",cntfrq=1000000000 \
		-smp 2 -m 1G "${ICOUNT[@]}" -nographic -monitor none -kernel "$1" </dev/null >"$4" 2>&1
	sed -i 's/\r$//' "$4"
}

check_log() { # LOG WHAT
	grep -q "bench: done" "$1" || { echo "bench: $2 did not finish; its log:" >&2; cat "$1" >&2; exit 1; }
}

# --- the main table: IPA 40, Cortex-A72, GICv3 and GICv2 -----------------
hyp40=$(build_hyp ipa40) || exit 1
for gic in 3 2; do
	step "GICv$gic natively"
	run_native "$gic" cortex-a72 "$OUT/native-v$gic.log"
	check_log "$OUT/native-v$gic.log" "the native GICv$gic run"
	step "GICv$gic under the hypervisor"
	run_hyp "$hyp40" "$gic" cortex-a72 "$OUT/hyp-v$gic.log"
	check_log "$OUT/hyp-v$gic.log" "the GICv$gic run under the hypervisor"
	for f in $FIGS; do
		printf 'v%s\t%s\t%s\t%s\n' "$gic" "$f" "$(avg "$OUT/native-v$gic.log" "$f")" \
			"$(avg "$OUT/hyp-v$gic.log" "$f")" >>"$TSV"
	done
	# Of the boot: zeroing the guest's 64 MiB and loading it (the
	# hypervisor times it, in us: instructions at 1 GHz under icount).
	load_us=$(sed -n 's/.* zeroed-and-loaded-in=\([0-9]*\)us.*/\1/p' "$OUT/hyp-v$gic.log" | head -1)
	boot=$(avg "$OUT/hyp-v$gic.log" boot)
	printf 'v%s\tboot_except_ram_load\t%s\t%s\n' "$gic" "$(avg "$OUT/native-v$gic.log" boot)" \
		"$((boot - ${load_us:-0} * 1000))" >>"$TSV"
done

# --- speculation mitigations on the Cortex-A72 (GICv3) --------------------
step "GICv3 under the hypervisor with MITIGATIONS=1 (Spectre-BHB loop k=8, clamped indexes)"
hyp40m=$(build_hyp ipa40 1) || exit 1
run_hyp "$hyp40m" 3 cortex-a72 "$OUT/hyp-v3-mitigated.log"
check_log "$OUT/hyp-v3-mitigated.log" "the mitigated GICv3 run"
grep -q "^hyp: mitigations=v1,bhb-k8" "$OUT/hyp-v3-mitigated.log" || {
	echo "bench: the mitigated run did not use the Spectre-BHB loop" >&2; exit 1; }
for f in hvc_null mmio_trap irq_latency uart_tx sgi_ipi; do
	printf 'mit\t%s\t%s\t%s\t%s\n' "$f" "$(avg "$OUT/native-v3.log" "$f")" \
		"$(avg "$OUT/hyp-v3.log" "$f")" "$(avg "$OUT/hyp-v3-mitigated.log" "$f")" >>"$TSV"
done

# --- stage-2 variants (GICv3): table pages against the least possible ----
# least_tables LEVELS START ROOTS PAGES_ONLY RANGES...: roots plus every
# table a walk of the ranges ("base:size") must pass through, where a
# fully covered, aligned entry at level 1 or 2 is a block (unless
# PAGES_ONLY) and level 3 holds pages.
least_tables() {
	awk -v start="$2" -v roots="$3" -v pages="$4" -v ranges="${*:5}" '
	function walk(lo, hi, l,    span, e, elo, ehi) {
		span = 2 ^ (12 + 9 * (3 - l))
		for (e = int(lo / span) * span; e < hi; e += span) {
			elo = e > lo ? e : lo; ehi = e + span < hi ? e + span : hi
			if (l == 3 || (elo == e && ehi == e + span && l >= 1 && !pages)) continue
			used[(l + 1) ":" e] = 1
			walk(elo, ehi, l + 1)
		}
	}
	BEGIN {
		n = split(ranges, r, " ")
		for (i = 1; i <= n; i++) { split(r[i], p, ":"); walk(p[1] + 0, p[1] + p[2], start) }
		c = 0; for (k in used) c++
		print roots + c
	}'
}
RAM_SIZE=$((64 << 20))
for v in ipa32 ipa40 ipa48 ipa40-4k; do
	cpu=cortex-a72
	[ "$v" = ipa48 ] && cpu=max # PARange 44 on the A72: 48 bits needs another CPU
	step "stage-2 variant $v ($cpu) under the hypervisor"
	bin=$(build_hyp "$v") || exit 1
	run_hyp "$bin" 3 "$cpu" "$OUT/variant-$v.log"
	check_log "$OUT/variant-$v.log" "the $v run"
	geo=$(grep -m1 '^hyp: guest bench ipa-bits=' "$OUT/variant-$v.log")
	levels=$(sed -n 's/.* levels=\([0-9]*\).*/\1/p' <<<"$geo")
	start=$(sed -n 's/.* start-level=\([0-9]*\).*/\1/p' <<<"$geo")
	roots=$(sed -n 's/.* roots=\([0-9]*\).*/\1/p' <<<"$geo")
	pages=$(sed -n 's/.* s2-table-pages=\([0-9]*\).*/\1/p' <<<"$geo")
	ram=$(sed -n 's/.*memory = <\(0x[0-9a-f]*\) \(0x[0-9a-f]*\) .*/\1 \2/p' "tests/bench/configs/$v.dts")
	base=$(( ($(cut -d' ' -f1 <<<"$ram") << 32) | $(cut -d' ' -f2 <<<"$ram") ))
	least=$(least_tables "$levels" "$start" "$roots" "$([ "$v" = ipa40-4k ] && echo 1 || echo 0)" \
		"$base:$RAM_SIZE")
	printf 's2\t%s\t%s\t%s\t%s\t%s' "$v" "$levels" "$roots" "$pages" "$least" >>"$TSV"
	for f in hvc_null mmio_trap irq_latency mem_walk; do
		printf '\t%s' "$(avg "$OUT/variant-$v.log" "$f")" >>"$TSV"
	done
	printf '\n' >>"$TSV"
done

# --- footprint -----------------------------------------------------------
step "footprint"
read -r text data bss _ < <("${CROSS_COMPILE}size" "$OUT/hyp-ipa40-m0/hyp.elf" | tail -1)
mem=$(grep -m1 '^hyp: memory ' "$OUT/hyp-v3.log")
printf 'size\ttext\t%s\nsize\tdata\t%s\nsize\tbss\t%s\n' "$text" "$data" "$bss" >>"$TSV"
printf 'size\tpool_pages_used\t%s\n' "$(sed -n 's/.* \([0-9]*\) pages in use/\1/p' <<<"$mem")" >>"$TSV"

# --- Raspberry Pi 4 ------------------------------------------------------
# The same guest on the Pi 4 image: build/bench/rpi4/sdcard (and
# sdcard.img) is a card that runs it. QEMU raspi4b boots that card's files
# once to show it runs; its counter there is the Pi's 54 MHz and QEMU is no
# Cortex-A72, so those figures are not reported. BENCH_RPI4_LOG=FILE, the
# board's serial console captured while the card runs, adds the board's
# figures (in ns, from the counter frequency the guest prints).
step "the Raspberry Pi 4 card ($OUT/rpi4/sdcard), booted once on QEMU raspi4b"
sed "s/n=1000/n=$N/" tests/bench/configs/rpi4.dts >"$OUT/rpi4.dts"
make -s CHECKS=0 PLATFORM=rpi4 BUILD="$OUT/rpi4" CONFIG="$OUT/rpi4.dts" sdcard >"$OUT/rpi4.build.log" 2>&1 || {
	cat "$OUT/rpi4.build.log" >&2; exit 1; }
card=$OUT/rpi4/sdcard
timeout 600 "$QEMU" -M raspi4b -no-reboot -dtb "$card/bcm2711-rpi-4-b.dtb" -kernel "$card/hyp.bin" \
	-nographic -monitor none </dev/null >"$OUT/rpi4-qemu.log" 2>&1
sed -i 's/\r$//' "$OUT/rpi4-qemu.log"
check_log "$OUT/rpi4-qemu.log" "the Raspberry Pi 4 card on QEMU raspi4b"
if [ -n "${BENCH_RPI4_LOG:-}" ]; then
	freq=$(sed -n 's/.*bench: start .* freq=\([0-9]*\).*/\1/p' "$BENCH_RPI4_LOG" | head -1)
	for f in $FIGS; do
		printf 'rpi4\t%s\t%s\t%s\n' "$f" "$(avg "$BENCH_RPI4_LOG" "$f")" "${freq:-0}" >>"$TSV"
	done
fi

# --- channels: a doorbell's round trip, 64 MiB through a 1 MiB channel ----
step "channels: doorbell round trips and a 64 MiB stream between two bare-metal guests"
for mode in rounds=$N stream; do
	sed "s/MODE/$mode/" tests/bench/configs/channel.dts >"$OUT/channel.dts"
	make -s CHECKS=0 MITIGATIONS=0 BUILD="$OUT/hyp-channel" CONFIG="$OUT/channel.dts" hyp \
		>"$OUT/hyp-channel.build.log" 2>&1 || { cat "$OUT/hyp-channel.build.log" >&2; exit 1; }
	run_hyp "$OUT/hyp-channel/hyp.bin" 3 cortex-a72 "$OUT/channel-${mode%%=*}.log"
done
# Each peer reports the steady rounds' mean round trip and the mean time
# from the other's ring to its own handler (chan_check).
rt=$(sed -n 's/.*\[pong\] chan_check: id=1 rounds=.* ticks-per-round=\([0-9]*\).*/\1/p' "$OUT/channel-rounds.log")
lat=$(sed -n 's/.*\[\(ping\|pong\)\] chan_check: id=. rounds=.* ring-to-handler=\([0-9]*\).*/\2/p' "$OUT/channel-rounds.log" | sort -n | tr '\n' '\t')
st=$(sed -n 's/.*chan_check: stream: 64 MiB in 64 KiB messages in \([0-9]*\) ticks, the same copies in one guest \([0-9]*\) ticks.*/\1 \2/p' "$OUT/channel-stream.log")
[ -n "$rt" ] && [ -n "$st" ] && [ -n "$lat" ] || { echo "bench: the channel runs did not finish" >&2; cat "$OUT"/channel-*.log >&2; exit 1; }
printf 'chan\tdoorbell_latency\t%s\n' "${lat%$'\t'}" >>"$TSV"
printf 'chan\tdoorbell_round_trip\t%s\n' "$rt" >>"$TSV"
printf 'chan\tstream_64mib\t%s\t%s\n' $st >>"$TSV"

# --- shared CPUs: a world switch, a high-priority guest's timer ----------
step "shared CPUs: the world switch (FP/SIMD lazy and eager) and a high-priority timer beside a spinner"
shared_run() { # NAME PRIO_A ARGS_A ARGS_B GIC SLICE [MAKE-VARS]
	sed -e "s/PRIO_A/$2/" -e "s/ARGS_A/$3/" -e "s/ARGS_B/$4/" -e "s/SLICE/$6/" \
		tests/bench/configs/shared.dts >"$OUT/shared-$1.dts"
	# shellcheck disable=SC2086 # make variables, split
	make -s CHECKS=0 MITIGATIONS=0 ${7:-} BUILD="$OUT/hyp-shared-$1" CONFIG="$OUT/shared-$1.dts" hyp \
		>"$OUT/hyp-shared.build.log" 2>&1 || { cat "$OUT/hyp-shared.build.log" >&2; exit 1; }
	timeout 600 "$QEMU" -M virt,virtualization=on,gic-version="$5" -cpu cortex-a72,cntfrq=1000000000 \
		-smp 1 -m 1G "${ICOUNT[@]}" -nographic -monitor none -kernel "$OUT/hyp-shared-$1/hyp.bin" \
		</dev/null >"$OUT/shared-$1-v$5.log" 2>&1
	sed -i 's/\r$//' "$OUT/shared-$1-v$5.log"
}
# The mean away stretch of guest a (MODE gaps or fp) in run NAME.
shared_gap() { sed -n "s/^\[a\] sched_check: $2 n=[0-9]* mean=\([0-9]*\) .*/\1/p" "$OUT/shared-$1-v$3.log"; }
for gic in 3 2; do
	shared_run switch 0 gaps-ms=200 gaps-ms=200 "$gic" 100
	shared_run switch-eager 0 gaps-ms=200 gaps-ms=200 "$gic" 100 FP_EAGER=1
	shared_run fp 0 fp-ms=200 fp-ms=200 "$gic" 100
	shared_run fp-eager 0 fp-ms=200 fp-ms=200 "$gic" 100 FP_EAGER=1
	shared_run timer 10 "timer=200 period-us=3000" spin-ms=800 "$gic" 10000
	# Two switches and the other's 100 us slice (100,000 ticks) per gap.
	gap=$(shared_gap switch gaps "$gic") gap_e=$(shared_gap switch-eager gaps "$gic")
	fp=$(shared_gap fp fp "$gic") fp_e=$(shared_gap fp-eager fp "$gic")
	lat=$(sed -n 's/^\[a\] sched_check: timer .* worst=\([0-9]*\) mean=\([0-9]*\) .*/\2 \1/p' "$OUT/shared-timer-v$gic.log")
	[ -n "$gap" ] && [ -n "$gap_e" ] && [ -n "$fp" ] && [ -n "$fp_e" ] && [ -n "$lat" ] &&
		! grep -q LOST "$OUT"/shared-fp*-v"$gic".log ||
		{ echo "bench: the shared-CPU runs did not finish" >&2; cat "$OUT"/shared-*-v$gic.log >&2; exit 1; }
	printf 'shared\tv%s\tswitch\t%s\t%s\n' "$gic" $(((gap - 100000) / 2)) $(((gap_e - 100000) / 2)) >>"$TSV"
	# Both guests using FP/SIMD all along: the same loop in both builds, so
	# the difference of the stretches is the lazy switch's trap less the
	# eager switch's moves, per two switches.
	printf 'shared\tv%s\tswitch_fp\t%s\t%s\n' "$gic" $(((gap_e - 100000 + fp - fp_e) / 2)) $(((gap_e - 100000) / 2)) >>"$TSV"
	printf 'shared\tv%s\ttimer\t%s\t%s\n' "$gic" $lat >>"$TSV"
done

# --- guest I/O: a direct-mapped Linux guest's virtio disk and NIC ---------
if [ "${BENCH_LINUX:-1}" != 0 ]; then
	step "guest I/O: O_DIRECT disk reads and HTTP, natively and direct-mapped (best of 3)"
	tests/bench/io.sh "$OUT" >"$OUT/io.txt" || exit 1
	awk '$1 == "io" { printf "io\t%s\t%s\t%s\n", $2, $3, $4 }' "$OUT/io.txt" >>"$TSV"
fi

# --- Linux boot time (wall clock) ----------------------------------------
if [ "${BENCH_LINUX:-1}" != 0 ]; then
	step "Debian Linux to userspace with 1, 2 and 4 vCPUs, natively and under the hypervisor (best of 3)"
	scripts/linux-boot-time.sh 1 2 4 | tee "$OUT/linux-boot.txt" >&2
	awk 'NR > 1 && $2 != "-" { printf "linux\t%s\t%s\t%s\n", $1, $2, $3 }' "$OUT/linux-boot.txt" >>"$TSV"
fi

step "writing $OUT/results.md and $OUT/results.svg"
tests/bench/report.sh "$TSV" "${BENCH_BASELINE:-}" "$mem" >"$OUT/results.md" || exit 1
tests/bench/chart.sh "$TSV" >"$OUT/results.svg" || exit 1
cat "$OUT/results.md"
