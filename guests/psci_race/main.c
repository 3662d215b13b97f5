/* Races pairs of PSCI calls from two vCPUs of one guest, many times each,
 * and checks that every pair ends in a defined state (review findings
 * 9-11): both vCPUs calling SYSTEM_RESET; SYSTEM_RESET against a CPU_ON of
 * a third vCPU; SYSTEM_RESET from vCPU 1 against vCPU 2 starting again
 * the vCPUs the reset has already parked (0 and 1); SYSTEM_RESET against
 * CPU_OFF; SYSTEM_RESET against
 * SYSTEM_OFF (until SYSTEM_OFF wins once); and, to end, SYSTEM_OFF against
 * CPU_OFF. RAM is zeroed at every start: the progress follows from the
 * hypervisor's boot counter (/chosen/hyp,reset-count), one round a boot;
 * a failure is printed when seen. Needs 3 vCPUs. bootargs: rounds=N (10);
 * onoff=N instead: only N CPU_ON/CPU_OFF cycles of vCPU 1 (stress). */
#include "libguest.h"

#define PSCI_CPU_OFF	   0x84000002U
#define PSCI_CPU_ON	   0xc4000003U
#define PSCI_AFFINITY_INFO 0xc4000004U
#define PSCI_SYSTEM_OFF	   0x84000008U
#define PSCI_SYSTEM_RESET  0x84000009U
#define AFF_OFF		   1

enum phase {
	DOUBLE_RESET,
	RESET_VS_ON,
	RESET_VS_ON_PARKED,
	RESET_VS_CPU_OFF,
	OFF_VS_RESET,
	OFF_VS_CPU_OFF
};
static const char *const phase_name[] = {"double-reset",     "reset-vs-cpu-on",
					 "reset-vs-on-parked", "reset-vs-cpu-off",
					 "off-vs-reset",     "off-vs-cpu-off"};

/* What secondary_start needs first (the stack), then what the vCPU does. */
struct sec_ctx {
	uint64_t stack_top;
	uint64_t boot; /* the boot that started it */
	volatile uint64_t up;
};

struct record {
	uint64_t boots;
	uint32_t phase, round, stale;
	bool onoff; /* stress mode: vCPU 1 only comes up and goes off */
	volatile uint32_t stay; /* vCPU 2 stays on: it races the reset */
	volatile uint32_t go;
	struct sec_ctx ctx[3];
};

static uint8_t stacks[3][4096] __attribute__((aligned(16)));
static struct record *rec;
static unsigned rounds;

static struct record *record_page(const struct guest_info *gi)
{
	uint64_t dtb = (uintptr_t)gi->dtb & ~((1ULL << 21) - 1);
	return (struct record *)(uintptr_t)(dtb - 2 * 4096);
}

static void fail(const char *what, int64_t got)
{
	gprintf("race: FAIL %s %s round %u (%lld)\n", phase_name[rec->phase], what, rec->round,
		(long long)got);
}

static void wait_go(void)
{
	while (!rec->go)
		__asm__ volatile("yield");
}

static bool wait_up(struct sec_ctx *c)
{
	for (unsigned i = 0; i < 100000000 && !c->up; i++)
		__asm__ volatile("yield");
	return c->up;
}

static int64_t affinity(unsigned cpu)
{
	return psci_call(PSCI_AFFINITY_INFO, cpu, 0, 0);
}

static bool wait_off(unsigned cpu)
{
	for (unsigned i = 0; i < 1000000; i++)
		if (affinity(cpu) == AFF_OFF)
			return true;
	return false;
}

static int64_t start(unsigned cpu)
{
	extern void secondary_start(void);
	struct sec_ctx *c = &rec->ctx[cpu];
	c->stack_top = (uintptr_t)stacks[cpu] + sizeof(stacks[cpu]);
	c->boot = rec->boots;
	c->up = 0;
	return psci_call(PSCI_CPU_ON, cpu, (uintptr_t)secondary_start, (uintptr_t)c);
}

void secondary_main(struct sec_ctx *c, uint64_t daif, uint64_t el)
{
	(void)daif, (void)el;
	unsigned me = (unsigned)(read_sysreg(mpidr_el1) & 0xff);
	if (c->boot != rec->boots) {
		rec->stale++; /* started by a CPU_ON of an earlier boot */
		psci_call(PSCI_CPU_OFF, 0, 0, 0);
	}
	c->up = 1;
	/* Stress, or started by vCPU 1 during a reset (or to check it). */
	if (rec->onoff || (me == 2 && !rec->stay))
		psci_call(PSCI_CPU_OFF, 0, 0, 0);
	wait_go();
	switch (rec->phase) {
	case DOUBLE_RESET:
	case OFF_VS_RESET:
		psci_call(rec->phase == DOUBLE_RESET ? PSCI_SYSTEM_RESET : PSCI_SYSTEM_OFF, 0, 0,
			  0);
		break;
	case RESET_VS_ON:
		for (unsigned i = 0; i < 50; i++)
			start(2);
		break;
	case RESET_VS_ON_PARKED:
		/* vCPU 1 resets; the reset parks vCPU 0 before vCPU 2, which
		 * meanwhile starts vCPUs 0 and 1 again and again. */
		if (me == 1) {
			psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
			break;
		}
		for (unsigned i = 0; i < 200; i++)
			start(i % 2);
		break;
	case RESET_VS_CPU_OFF:
	case OFF_VS_CPU_OFF:
		psci_call(PSCI_CPU_OFF, 0, 0, 0);
		break;
	}
	for (;;) /* a reset or stop takes this vCPU away */
		__asm__ volatile("wfi");
}

/* After a reset: nothing of the old boot runs, a CPU_ON works at once. */
static void check_fresh_boot(void)
{
	for (unsigned cpu = 1; cpu < 3; cpu++)
		if (affinity(cpu) != AFF_OFF)
			fail("a vCPU of the old boot is still on", cpu);
	delay_ms(20);
	if (rec->stale)
		fail("a CPU_ON of the old boot started a vCPU", rec->stale);
	rec->stale = 0;
	int64_t r = start(2);
	if (r != 0)
		fail("CPU_ON after reset", r);
	else if (!wait_up(&rec->ctx[2]) || !wait_off(2))
		fail("vCPU 2 did not come up and go off", 0);
}

/* vCPU 1 started, and stopping itself, n times in a row. */
static void onoff(unsigned n)
{
	unsigned done = 0;
	rec->onoff = true;
	for (; done < n; done++) {
		int64_t r = start(1);
		if (r != 0 || !wait_up(&rec->ctx[1]) || !wait_off(1)) {
			fail("CPU_ON/CPU_OFF cycle", r);
			break;
		}
	}
	gprintf("race: onoff cycles=%u of %u\n", done, n);
}

int main(const void *dtb)
{
	struct guest_info gi;
	guest_init(dtb, &gi);
	rec = record_page(&gi);
	rounds = (unsigned)bootarg_u64(&gi, "rounds", 10);
	unsigned cycles = (unsigned)bootarg_u64(&gi, "onoff", 0);
	if (cycles) {
		onoff(cycles);
		system_off();
	}
	rec->boots = gi.resets;
	rec->phase = gi.resets / rounds;
	rec->round = gi.resets % rounds;
	if (!gi.resets) {
		gprintf("race: start rounds=%u\n", rounds);
	} else {
		check_fresh_boot();
		if (!rec->round)
			gprintf("race: %s rounds=%u done\n", phase_name[rec->phase - 1], rounds);
	}
	rec->go = 0;
	rec->stay = 0;
	int64_t r = start(1);
	if (r != 0 || !wait_up(&rec->ctx[1])) {
		fail("vCPU 1 did not start", r);
		system_off();
	}
	if (rec->phase == RESET_VS_ON_PARKED) {
		rec->stay = 1;
		r = start(2);
		if (r != 0 || !wait_up(&rec->ctx[2])) {
			fail("vCPU 2 did not start", r);
			system_off();
		}
	}
	gprintf("race: %s round %u\n", phase_name[rec->phase], rec->round);
	rec->go = 1;
	switch (rec->phase) {
	case DOUBLE_RESET:
	case RESET_VS_CPU_OFF:
	case OFF_VS_RESET:
		psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
		break;
	case RESET_VS_ON:
		for (volatile unsigned i = 0; i < (rec->round % 4) * 50; i++)
			;
		psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
		break;
	case RESET_VS_ON_PARKED:
		for (;;) /* the reset vCPU 1 makes takes this vCPU away */
			__asm__ volatile("wfi");
	case OFF_VS_CPU_OFF:
		psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
		break;
	}
	fail("PSCI call returned", 0);
	system_off();
}
