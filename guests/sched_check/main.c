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
 * stretch is the other's time slice and two switches (make bench).
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
	if (bootarg_u64(&gi, "yield", 0))
		yield((unsigned)bootarg_u64(&gi, "yield", 0));
	delay_ms((unsigned)bootarg_u64(&gi, "linger-ms", 0));
	system_off();
}
