#!/usr/bin/env bash
# report.sh RESULTS.tsv [BASELINE.tsv] [HYP-MEMORY-LINE]: the markdown
# report of a make bench run (tests/bench/run.sh writes the TSV).
set -u
tsv=$1 base=${2:-} mem=${3:-}
echo "# make bench results"
echo
echo "Guest-visible instructions (counter ticks under QEMU \`-icount shift=0\` with a"
echo "1 GHz counter; Cortex-A72, 2 vCPUs, IPA 40, 64 MiB), average of many iterations;"
echo "docs/performance.md explains each figure. Native: the same guest straight on"
echo "QEMU \`virt\`, no EL2."
echo
echo "| figure | GICv3 native | GICv3 hyp | GICv3 cost | GICv2 native | GICv2 hyp | GICv2 cost | target cost |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
awk -F'\t' '
	$1 == "v3" || $1 == "v2" { nat[$1, $2] = $3; hyp[$1, $2] = $4; if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } }
	END {
		target["hvc_null"] = "60"; target["mmio_trap"] = "80"; target["irq_latency"] = "100"
		target["boot_except_ram_load"] = "300000"
		for (i = 1; i <= n; i++) {
			f = order[i]; line = "| " f
			for (g = 3; g >= 2; g--) {
				a = nat["v" g, f]; b = hyp["v" g, f]
				line = line " | " a " | " b " | " (a != "" && b != "" ? b - a : "")
			}
			print line " | " (f in target ? "<= " target[f] : "") " |"
		}
	}' "$tsv"
echo
echo "The targets hold for the hypervisor built without speculation mitigations"
echo "(\`MITIGATIONS=0\`, as above). On the Raspberry Pi 4's Cortex-A72 the default"
echo "build clears the branch history on every guest exit (Spectre-BHB, 8 branches,"
echo "DSB, ISB) and clamps guest-chosen indexes (Spectre v1); what that costs, GICv3:"
echo
echo "| figure | cost, MITIGATIONS=0 | cost, MITIGATIONS=1 | added |"
echo "| --- | ---: | ---: | ---: |"
awk -F'\t' '$1 == "mit" { printf "| %s | %d | %d | %d |\n", $2, $4 - $3, $5 - $3, $5 - $4 }' "$tsv"
echo
echo "## Stage-2 variants (GICv3, under the hypervisor)"
echo
echo "QEMU's TCG does not model TLBs, so \`mem_walk\` (one dependent load per 4 KiB"
echo "page over 32 MiB) costs the same everywhere here; on hardware each TLB miss"
echo "walks stage 2 too, and the columns are kept for a board's run. IPA 48 runs on"
echo "\`-cpu max\` (the Cortex-A72 has 44 bits)."
echo
echo "| variant | levels | roots | stage-2 table pages | least possible | hvc_null | mmio_trap | irq_latency | mem_walk |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
awk -F'\t' '$1 == "s2" { print "| " $2 " | " $3 " | " $4 " | " $5 " | " $6 " | " $7 " | " $8 " | " $9 " | " $10 " |" }' "$tsv"
echo
echo "## Footprint"
echo
awk -F'\t' '$1 == "size" { v[$2] = $3 }
	END { printf "Hypervisor image: text %d, data %d, bss %d bytes. Page-pool pages in use with the\nbenchmark guest running: %s.\n", v["text"], v["data"], v["bss"], v["pool_pages_used"] }' "$tsv"
[ -n "$mem" ] && { echo; echo "Boot log: \`$mem\`"; }
echo
echo "## Raspberry Pi 4"
echo
if grep -q '^rpi4' "$tsv"; then
	echo "The benchmark card (\`build/bench/rpi4/sdcard\`) on a board, from its console"
	echo "(\`BENCH_RPI4_LOG\`): counter ticks and the same in ns. There is no native column:"
	echo "the Pi's firmware offers no PSCI, which the guest's \`hvc_null\` and \`sgi_ipi\` need."
	echo
	echo "| figure | ticks | ns |"
	echo "| --- | ---: | ---: |"
	awk -F'\t' '$1 == "rpi4" { printf "| %s | %s | %s |\n", $2, $3, ($4 > 0 && $3 != "" ? sprintf("%.0f", $3 * 1e9 / $4) : "") }' "$tsv"
else
	echo "\`build/bench/rpi4/sdcard\` (and \`sdcard.img\`) runs the same guest on the board; it"
	echo "booted on QEMU raspi4b here. Copy it to a FAT SD card, capture the serial console"
	echo "(115200 8N1, GPIO 14/15) and run \`make bench BENCH_RPI4_LOG=console.log\` to add the"
	echo "board's figures, where \`mem_walk\` shows what stage 2 costs a TLB miss."
fi
if grep -q '^linux' "$tsv"; then
	echo
	echo "## Debian Linux to userspace (wall clock, best of 3, -cpu max, GICv3)"
	echo
	echo "| vCPUs | native s | hypervisor s | ratio |"
	echo "| ---: | ---: | ---: | ---: |"
	awk -F'\t' '$1 == "linux" { printf "| %s | %s | %s | %.2f |\n", $2, $3, $4, ($3 > 0 ? $4 / $3 : 0) }' "$tsv"
fi
if grep -q '^chan' "$tsv"; then
	echo
	echo "## Channels (two bare-metal guests, GICv3, Cortex-A72, instructions)"
	echo
	awk -F'\t' '$1 == "chan" && $2 == "doorbell_latency" {
		printf "A doorbell, from the ring in one guest to the handler in the other: %s and %s (the two directions; target <= 900).\n", $3, $4 }
		$1 == "chan" && $2 == "doorbell_round_trip" {
		printf "A round trip (a doorbell each way, both handlers reading IntrStatus and ending the interrupt): %s.\n", $3 }
		$1 == "chan" && $2 == "stream_64mib" {
		printf "64 MiB through a 1 MiB channel in 64 KiB messages: %s; the same copies in one guest: %s (%.2f of it; target >= 0.8).\n", $3, $4, ($3 > 0 ? $4 / $3 : 0) }' "$tsv"
fi
if grep -q '^shared' "$tsv"; then
	echo
	echo "## Shared CPUs (two guests on one Cortex-A72, instructions)"
	echo
	echo "| GIC | world switch, FP lazy (kept) / eager (target <= 800) | both guests using FP/SIMD: lazy / eager | high-priority timer, deadline to handler: mean | worst |"
	echo "| --- | ---: | ---: | ---: | ---: |"
	awk -F'\t' '$1 == "shared" && $3 == "switch" { sw[$2] = $4 " / " $5 } $1 == "shared" && $3 == "switch_fp" { fp[$2] = $4 " / " $5 }
		$1 == "shared" && $3 == "timer" { m[$2] = $4; w[$2] = $5 }
		END { for (g in sw) printf "| %s | %s | %s | %s | %s |\n", g, sw[g], fp[g], m[g], w[g] }' "$tsv" | sort
	echo
	echo "A switch: the timer interrupt's exit, the outgoing vCPU saved, the scheduler, the incoming"
	echo "one loaded (the gap between a guest's turns, less the other's 100 us slice, halved)."
	echo "Lazy FP/SIMD moves at a vCPU's first use after a switch (a trap), eager at every switch;"
	echo "with both guests using FP/SIMD, lazy is the eager switch plus half the difference of"
	echo "their stretches (its trap less the eager moves)."
	echo "The dedicated-CPU figures above are the same paths as without sharing."
fi
if grep -q '^io' "$tsv"; then
	echo
	echo "## Guest I/O: a direct-mapped Linux guest's virtio disk and NIC (ms of guest time, best of 3)"
	echo
	echo "Guest time under -icount shift=0 (1 GHz): instructions while it runs, the host's"
	echo "time while it waits for the devices, so these vary by a few percent. Target <= 1.1x."
	echo
	echo "| workload | native ms | hypervisor ms | ratio |"
	echo "| --- | ---: | ---: | ---: |"
	awk -F'\t' '$1 == "io" { printf "| %s | %s | %s | %.2f |\n", $2, $3, $4, ($3 > 0 ? $4 / $3 : 0) }' "$tsv"
fi
if [ -n "$base" ]; then
	echo
	echo "## Change against $(basename "$base")"
	echo
	echo "| row | baseline | now | change |"
	echo "| --- | ---: | ---: | ---: |"
	awk -F'\t' 'function label(sec, i) {
			if (sec == "v3" || sec == "v2" || sec == "linux" || sec == "io") return i == 3 ? "native" : "hypervisor"
			if (sec == "s2") { split("levels roots table-pages least hvc_null mmio_trap irq_latency mem_walk", n, " "); return n[i - 2] }
			return "value"
		}
		NR == FNR { for (i = 3; i <= NF; i++) old[$1 FS $2 FS i] = $i; next }
		{ for (i = 3; i <= NF; i++) { k = $1 FS $2 FS i
			if ((k in old) && old[k] != $i && $i ~ /^[0-9.]+$/ && old[k] ~ /^[0-9.]+$/)
				printf "| %s %s %s | %s | %s | %+g |\n", $1, $2, label($1, i), old[k], $i, $i - old[k] } }' "$base" "$tsv"
fi
