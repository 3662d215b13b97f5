# More guests than CPUs (hyp/sched.c): four bare-metal guests with IPA
# sizes 32, 36, 40 and 44 on two Cortex-A72 CPUs, two per CPU, each with
# its own stage 2 loaded at every switch: each sees its PARange and walks
# its RAM cleanly while its CPU's other guest runs, and their lines
# interleave. irq_check and arch_check pass on shared CPUs. Two spinning
# guests on one CPU get the same share; a high-priority guest's timer
# interrupt comes at its deadline while a low-priority one spins beside it.
# Two Debian Linux guests on one CPU answer, and a 4-vCPU one on two CPUs
# reaches userspace with 4 CPUs and takes one off and on. GICv3 and GICv2.
. "$(dirname "$0")/lib.sh"

# interleaved A B: a line of B between A's first and last heartbeat.
interleaved() {
	local first last
	first=$(grep -n "^\[$1\] ipa_view: heartbeat 1/" "$LOG" | head -1 | cut -d: -f1)
	last=$(grep -n "^\[$1\] ipa_view: heartbeat 5/5" "$LOG" | head -1 | cut -d: -f1)
	[ -n "$first" ] && [ -n "$last" ] &&
		sed -n "${first},${last}p" "$LOG" | grep -q "^\[$2\] ipa_view: heartbeat"
}

bin=$(build shared "$(dirname "$0")/configs/shared.dts") || exit 1
for gic in 3 2; do
	boot shared-gicv$gic 120 -M virt,virtualization=on,gic-version=$gic -cpu cortex-a72 -smp 2 -m 1G -kernel "$bin"
	expect "^hyp: cpu=0 shared by ipa32/0\(p0\) ipa36/0\(p0\)$" "CPU 0 shared by ipa32 and ipa36"
	expect "^hyp: cpu=1 shared by ipa40/0\(p0\) ipa44/0\(p0\)$" "CPU 1 shared by ipa40 and ipa44"
	for g in "32 0" "36 1" "40 2" "44 4"; do
		set -- $g
		expect "^\[ipa$1\] ipa_view: hello from EL1 .* PARange=$2 ipa-bits=$1 " "ipa$1 sees its own PARange on a shared CPU"
		expect "^\[ipa$1\] ipa_view: ram walk pages=[1-9][0-9]* errors=0" "ipa$1 walks its RAM cleanly"
		expect "^\[ipa$1\] ipa_view: heartbeat 5/5" "ipa$1 keeps its heartbeat"
	done
	check "ipa32 and ipa36 (CPU 0) run in turns" interleaved ipa32 ipa36
	check "ipa40 and ipa44 (CPU 1) run in turns" interleaved ipa44 ipa40
	expect_not "^hyp: guest .* (unhandled|unexpected|abort)" "no fault"
	expect_stopped_cleanly
done

bin=$(build shared_conformance "$(dirname "$0")/configs/shared_conformance.dts") || exit 1
for gic in 3 2; do
	boot shared-conformance-gicv$gic 180 -M virt,virtualization=on,gic-version=$gic -cpu max -smp 2 -m 1G -kernel "$bin"
	expect "^hyp: cpu=0 shared by irq/0\(p0\) irq/2\(p0\) arch/1\(p0\)$" "CPU 0: irq's vCPUs 0 and 2, arch's vCPU 1"
	expect "^\[irq\] irq_check: done passed=[1-9][0-9]* failed=0" "irq_check passes with its vCPUs switching"
	expect "^\[arch\] arch_check: done passed=[1-9][0-9]* failed=0" "arch_check passes with its vCPUs switching"
	expect_not "^\[(irq|arch)\] .*FAIL" "no check failed"
	expect_stopped_cleanly
done

# Under -icount (1 GHz counter), so that shares and delays are counts of
# instructions, the same on every run.
ICOUNT="-icount shift=0,align=off,sleep=off"
bin=$(build shared_fair "$(dirname "$0")/configs/shared_fair.dts") || exit 1
boot shared-fair 180 -M virt,virtualization=on,gic-version=3 -cpu cortex-a72,cntfrq=1000000000 $ICOUNT -smp 1 -m 1G -kernel "$bin"
turns() { sed -n "s/^\[$1\] sched_check: spin turns=\([0-9]*\) in 2000 ms$/\1/p" "$LOG"; }
a=$(turns spinA) b=$(turns spinB)
check "two spinning guests on one CPU get the same share (spinA ${a:-?}, spinB ${b:-?} turns: within 10 %)" \
	awk -v a="${a:-0}" -v b="${b:-0}" 'BEGIN { exit !(a > 0 && b > 0 && a <= 1.1 * b && b <= 1.1 * a) }'
expect_stopped_cleanly

# FP/SIMD goes with each vCPU, moved at its first use after a switch (the
# default) or at every switch (FP_EAGER=1): neither loses a register or
# shows one guest's to another.
for mode in lazy eager; do
	vars=; [ "$mode" = eager ] && vars=FP_EAGER=1
	bin=$(BUILD_VARS=$vars build "shared_fp_$mode" "$(dirname "$0")/configs/shared_fp.dts") || exit 1
	boot "shared-fp-$mode" 180 -M virt,virtualization=on,gic-version=3 -cpu cortex-a72,cntfrq=1000000000 $ICOUNT -smp 1 -m 1G -kernel "$bin"
	for g in fp32 fp44; do
		expect "^\[$g\] sched_check: fp n=[1-9][0-9]* mean=[0-9]* kept$" "$mode: $g's FP/SIMD registers and FPCR survive every switch"
	done
	expect "^\[nofp\] sched_check: spin turns=[1-9][0-9]* in 400 ms$" "$mode: the guest beside them that never uses FP/SIMD runs"
	expect_not "sched_check: fp (q|fpcr)" "$mode: no register seen changed"
	expect_stopped_cleanly
done

# A guest cannot keep a shared CPU by masking interrupts: the slice timer
# is the hypervisor's (HCR_EL2.IMO), not the guest's to mask.
bin=$(build shared_hog "$(dirname "$0")/configs/shared_hog.dts") || exit 1
boot shared-hog 180 -M virt,virtualization=on,gic-version=3 -cpu cortex-a72,cntfrq=1000000000 $ICOUNT -smp 1 -m 1G -kernel "$bin"
expect "^\[victim\] sched_check: timer n=40 got=40 " "the guest beside a hog with interrupts masked took every timer interrupt"
worst=$(sed -n 's/^\[victim\] sched_check: timer .* worst=\([0-9]*\) .*/\1/p' "$LOG")
# Not a speed limit: kept out until the hog unmasks, it would wait 400 ms.
check "each within about a 1 ms slice of its deadline (worst ${worst:-?} ticks; the hog spins masked for 400,000,000)" \
	test "${worst:-999999999}" -lt 2000000
expect "^\[hog\] sched_check: hog done after 400 ms masked$" "the hog ran to its end"
expect_stopped_cleanly

bin=$(build shared_priority "$(dirname "$0")/configs/shared_priority.dts") || exit 1
for gic in 3 2; do
	boot shared-priority-gicv$gic 180 -M virt,virtualization=on,gic-version=$gic -cpu cortex-a72,cntfrq=1000000000 $ICOUNT -smp 1 -m 1G -kernel "$bin"
	expect "^\[hi\] sched_check: timer n=50 got=50 " "the high-priority guest took every timer interrupt"
	worst=$(sed -n 's/^\[hi\] sched_check: timer .* worst=\([0-9]*\) .*/\1/p' "$LOG")
	# Not a speed limit: without preemption at the deadline the spinner
	# would keep the CPU to the end of its 10 ms slice (10 M ticks).
	check "it preempted the spinner at its deadline (worst ${worst:-?} ticks, a switch; its slice is 10,000,000)" \
		test "${worst:-99999999}" -lt 100000
	expect "^\[lo\] sched_check: spin turns=[1-9][0-9]* in 300 ms$" "the spinners ran"
	expect "^\[lo2\] sched_check: spin turns=[1-9][0-9]* in 300 ms$" "both"
	expect_stopped_cleanly
done
make -C "$ROOT" --no-print-directory -s linux-guest >/dev/null || {
	echo "FAIL shared: could not fetch the Linux kernel"; exit 1; }
bin=$(build shared_linux "$(dirname "$0")/configs/shared_linux.dts") || exit 1
for gic in 3 2; do
	boot shared-linux-gicv$gic 300 -M virt,virtualization=on,gic-version=$gic -cpu max -smp 2 -m 2G -kernel "$bin"
	expect "^hyp: cpu=0 shared by one/0\(p0\) two/0\(p0\) quad/0\(p0\) quad/2\(p0\)$" "CPU 0 shared by two Linux guests and two vCPUs of a third"
	expect "^\[one\] .*one answers 42$" "Linux one answers on its shared CPU"
	expect "^\[two\] .*two answers 54$" "Linux two answers beside it"
	expect "^\[quad\] linux-guest: up kernel=[^ ]+ cpus=4 " "the 4-vCPU guest on two CPUs reaches userspace with 4 CPUs"
	expect "^\[quad\] .*quad online 0-2$" "it takes CPU 3 off (PSCI CPU_OFF)"
	expect "^\[quad\] quad back 0-3$" "and back on (CPU_ON)"
	for g in one two quad; do
		expect "^hyp: guest $g stopped: PSCI SYSTEM_OFF" "$g powers off (the last one alone on its CPU too)"
	done
	expect_not "^hyp: guest .* (unhandled|unexpected)" "no unhandled trap"
	expect_stopped_cleanly
done
exit $FAILED
