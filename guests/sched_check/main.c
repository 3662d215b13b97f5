/*
 * Sharing a CPU (hyp/sched.c), seen from a guest. bootargs:
 * "spin-ms=N": count loop turns for N ms of counter time and print how
 * many (two such guests on one CPU should get as many each);
 * "timer=N period-us=P": N times, arm the EL1 virtual timer P us ahead,
 * sleep in WFI until its interrupt, and print the worst and mean delay
 * from the deadline to the acknowledge (a high-priority guest's is one
 * switch, whatever the low-priority guest beside it does);
 * "yield=N": N times WFE, which on a shared CPU hands the CPU to the
 * other guest there (on hardware: QEMU's WFE never traps);
 * "gaps-ms=N": spin for N ms and measure each stretch the CPU was away
 * (longer than 2,000 ticks): with two such guests on one CPU, each away
 * stretch is the other's time slice and two switches (make bench);
 * "hog-ms=N": spin for N ms with every interrupt masked (PSTATE.DAIF):
 * the hypervisor's slice timer must still take the CPU from it;
 * "fp-ms=N": the same as gaps with FP/SIMD in use all along: q0-q31 and FPCR hold
 * values of this guest's own (from its IPA size), checked at every turn,
 * so a switch that loses them or shows another guest's is reported (and
 * a lazy switch pays its trap in every away stretch).
 */
#include "arch/mmio.h"
#include "gic_lite.h"
#include "libguest.h"

#define VTIMER 27

static uint64_t ticks(unsigned us)
{
	uint64_t hz = read_sysreg(cntfrq_el0);
	return hz / 1000000 * us + hz % 1000000 * us / 1000000;
}

static void spin(unsigned ms)
{
	uint64_t end = read_sysreg(cntvct_el0) + ticks(ms * 1000), turns = 0;
	while (read_sysreg(cntvct_el0) < end)
		turns++;
	gprintf("sched_check: spin turns=%llu in %u ms\n", (unsigned long long)turns, ms);
}

static void timer(unsigned n, unsigned period_us)
{
	mmio_write32(gicd, mmio_read32(gicd) | (gic_version == 3 ? 0x12u : 0x1u));
	gic_enable(0, VTIMER);
	uint64_t worst = 0, sum = 0;
	unsigned got = 0;
	for (unsigned i = 0; i < n; i++) {
		uint64_t deadline = read_sysreg(cntvct_el0) + ticks(period_us);
		write_sysreg(cntv_cval_el0, deadline);
		write_sysreg(cntv_ctl_el0, 1);
		unsigned iar = wait_irq(1u << 20);
		uint64_t late = read_sysreg(cntvct_el0) - deadline;
		write_sysreg(cntv_ctl_el0, 0);
		if (iar >= 1020)
			continue;
		gic_eoi(iar);
		if (iar != VTIMER)
			continue;
		got++;
		sum += late;
		if (late > worst)
			worst = late;
	}
	gprintf("sched_check: timer n=%u got=%u period-us=%u worst=%llu mean=%llu ticks\n", n, got,
		period_us, (unsigned long long)worst, (unsigned long long)(got ? sum / got : 0));
}

static void hog(unsigned ms)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	uint64_t end = read_sysreg(cntpct_el0) + ticks(ms * 1000);
	while (read_sysreg(cntpct_el0) < end)
		;
	__asm__ volatile("msr daifclr, #0xf" ::: "memory");
	gprintf("sched_check: hog done after %u ms masked\n", ms);
}

static void yield(unsigned n)
{
	uint64_t sum = 0, best = ~0ULL;
	for (unsigned i = 0; i < n; i++) {
		uint64_t t = read_sysreg(cntpct_el0);
		__asm__ volatile("sevl; wfe; wfe" ::: "memory"); /* the second one sleeps: it traps */
		uint64_t d = read_sysreg(cntpct_el0) - t;
		sum += d;
		if (d < best)
			best = d;
	}
	gprintf("sched_check: yield n=%u mean=%llu min=%llu ticks\n", n,
		(unsigned long long)(n ? sum / n : 0), (unsigned long long)best);
}

static void gaps(unsigned ms)
{
	uint64_t end = read_sysreg(cntpct_el0) + ticks(ms * 1000), last = read_sysreg(cntpct_el0);
	uint64_t n = 0, sum = 0, best = ~0ULL;
	for (uint64_t t; (t = read_sysreg(cntpct_el0)) < end; last = t) {
		uint64_t d = t - last;
		if (d <= 2000)
			continue;
		n++;
		sum += d;
		if (d < best)
			best = d;
	}
	gprintf("sched_check: gaps n=%llu mean=%llu min=%llu ticks\n", (unsigned long long)n,
		(unsigned long long)(n ? sum / n : 0), (unsigned long long)(n ? best : 0));
}

#define FP_PAIRS(op)                                                                  \
	op " q0, q1, [%0, #0]\n" op " q2, q3, [%0, #32]\n" op " q4, q5, [%0, #64]\n"      \
	op " q6, q7, [%0, #96]\n" op " q8, q9, [%0, #128]\n" op " q10, q11, [%0, #160]\n" \
	op " q12, q13, [%0, #192]\n" op " q14, q15, [%0, #224]\n"                        \
	op " q16, q17, [%0, #256]\n" op " q18, q19, [%0, #288]\n"                        \
	op " q20, q21, [%0, #320]\n" op " q22, q23, [%0, #352]\n"                        \
	op " q24, q25, [%0, #384]\n" op " q26, q27, [%0, #416]\n"                        \
	op " q28, q29, [%0, #448]\n" op " q30, q31, [%0, #480]\n"

static void fp(unsigned ms, unsigned seed)
{
	static uint64_t want[64], got[64];
	/* RMode (FPCR[23:22]) differs for IPA 32, 36, 40 and 44. */
	uint64_t fpcr = (uint64_t)((seed / 4) & 3) << 22, cr;
	for (unsigned i = 0; i < 64; i++)
		want[i] = (uint64_t)seed << 48 | (uint64_t)i << 32 | (i * 0x01010101u);
	write_sysreg(cpacr_el1, 3u << 20); /* FPEN: FP/SIMD for EL1 and EL0 */
	isb();
	__asm__ volatile(FP_PAIRS("ldp") "msr fpcr, %1" ::"r"(want), "r"(fpcr) : "memory");
	uint64_t end = read_sysreg(cntpct_el0) + ticks(ms * 1000), last = read_sysreg(cntpct_el0);
	uint64_t n = 0, sum = 0;
	unsigned bad = 0;
	while (!bad) {
		/* The registers first, then the counter: a lazy switch's trap
		 * (at the first access back) falls in the stretch measured. */
		uint64_t *p = got;
		__asm__ volatile(FP_PAIRS("stp") "mrs %1, fpcr" : "+r"(p), "=r"(cr) : : "memory");
		uint64_t t = read_sysreg(cntpct_el0);
		if (t >= end)
			break;
		if (t - last > 2000)
			n++, sum += t - last;
		last = t;
		for (unsigned i = 0; i < 64; i++)
			if (got[i] != want[i]) {
				gprintf("sched_check: fp q%u[%u] = %llx, not %llx\n", i / 2, i % 2,
					(unsigned long long)got[i], (unsigned long long)want[i]);
				bad++;
			}
		if (cr != fpcr) {
			gprintf("sched_check: fp fpcr = %llx, not %llx\n", (unsigned long long)cr,
				(unsigned long long)fpcr);
			bad++;
		}
	}
	gprintf("sched_check: fp n=%llu mean=%llu %s\n", (unsigned long long)n,
		(unsigned long long)(n ? sum / n : 0), bad ? "LOST" : "kept");
}

int main(const void *dtb)
{
	struct guest_info gi;
	guest_init(dtb, &gi);
	gic_find(gi.dtb);
	gic_cpu_init(0);
	gprintf("sched_check: up ipa-bits=%u\n", gi.ipa_bits);
	if (bootarg_u64(&gi, "spin-ms", 0))
		spin((unsigned)bootarg_u64(&gi, "spin-ms", 0));
	if (bootarg_u64(&gi, "timer", 0))
		timer((unsigned)bootarg_u64(&gi, "timer", 0),
		      (unsigned)bootarg_u64(&gi, "period-us", 2000));
	if (bootarg_u64(&gi, "gaps-ms", 0))
		gaps((unsigned)bootarg_u64(&gi, "gaps-ms", 0));
	if (bootarg_u64(&gi, "hog-ms", 0))
		hog((unsigned)bootarg_u64(&gi, "hog-ms", 0));
	if (bootarg_u64(&gi, "fp-ms", 0))
		fp((unsigned)bootarg_u64(&gi, "fp-ms", 0), gi.ipa_bits);
	if (bootarg_u64(&gi, "yield", 0))
		yield((unsigned)bootarg_u64(&gi, "yield", 0));
	delay_ms((unsigned)bootarg_u64(&gi, "linger-ms", 0));
	system_off();
}
