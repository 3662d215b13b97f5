/* Benchmark guest: what a guest pays for each trap and interrupt path, in
 * counter ticks (under QEMU -icount shift=0 with a 1 GHz counter, one tick
 * is one instruction). The same binary runs natively (QEMU straight into
 * it, at EL2 or EL1) and under the hypervisor; tests/bench/run.sh compares.
 * Each figure prints as "bench: NAME n=N avg=A min=M max=X". */
#include "gic_lite.h"
#include "libguest.h"

#include "arch/mmio.h"
#include "drivers/fdt.h"
#include "drivers/platform.h"

#define GICD_TYPER   0x4
#define UART_DR	     0x00
#define SGI_BENCH    1
#define VTIMER_PPI   27
#define PSCI_VERSION 0x84000000U
#define PSCI_CPU_ON  0xc4000003U

void secondary_start(void);

static uint64_t uart_base;

static inline uint64_t now(void)
{
	uint64_t t;
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(t)::"memory");
	return t;
}

struct stat {
	uint64_t n, sum, min, max;
};

static void add(struct stat *s, uint64_t v)
{
	if (!s->n || v < s->min)
		s->min = v;
	if (v > s->max)
		s->max = v;
	s->sum += v;
	s->n++;
}

static void report(const char *name, const struct stat *s)
{
	gprintf("bench: %s n=%llu avg=%llu min=%llu max=%llu\n", name, (unsigned long long)s->n,
		(unsigned long long)(s->n ? s->sum / s->n : 0), (unsigned long long)s->min,
		(unsigned long long)s->max);
}

#define WARMUP 8

/* Times op into *s, n times after a warm-up, with a counter read on
 * each side. */
#define MEASURE(s, n, op)                                        \
	do {                                                     \
		for (unsigned i_ = 0; i_ < (n) + WARMUP; i_++) { \
			uint64_t t0_ = now();                    \
			op;                                      \
			uint64_t t1_ = now();                    \
			if (i_ >= WARMUP)                        \
				add((s), t1_ - t0_);             \
		}                                                \
	} while (0)

static void bench_traps(unsigned n)
{
	struct stat hvc = {0}, mmio = {0}, uart = {0};
	MEASURE(&hvc, n, psci_call(PSCI_VERSION, 0, 0, 0));
	report("hvc_null", &hvc);
	MEASURE(&mmio, n, (void)mmio_read32(gicd + GICD_TYPER));
	report("mmio_trap", &mmio);
	gprintf("bench: uart_tx writes ");
	MEASURE(&uart, n / 10, mmio_write32(uart_base + UART_DR, '.'));
	gprintf("\n");
	report("uart_tx", &uart);
}

/* Interrupts: the handler stamps the counter first thing. */
static volatile uint64_t irq_at;
static volatile unsigned irqs_seen;

void guest_irq(void)
{
	uint64_t t = now();
	unsigned iar = gic_ack_iar();
	unsigned intid = iar & 0x3ff;
	if (intid == VTIMER_PPI)
		write_sysreg(cntv_ctl_el0, 0); /* its output falls: level interrupt */
	if (intid < 1020) {
		irq_at = t;
		irqs_seen++;
		gic_eoi(iar);
		__asm__ volatile("sev");
	}
}

static void bench_irq_latency(unsigned n)
{
	struct stat s = {0};
	gic_enable(0, VTIMER_PPI);
	__asm__ volatile("msr daifclr, #2" ::: "memory");
	for (unsigned i = 0; i < n + WARMUP; i++) {
		unsigned seen = irqs_seen;
		uint64_t deadline = now() + 2000;
		write_sysreg(cntv_cval_el0, deadline);
		write_sysreg(cntv_ctl_el0, 1);
		while (irqs_seen == seen)
			;
		if (i >= WARMUP)
			add(&s, irq_at - deadline);
	}
	__asm__ volatile("msr daifset, #2" ::: "memory");
	gic_disable(0, VTIMER_PPI);
	report("irq_latency", &s);
}

/* vCPU 1 sleeps in WFI with interrupts unmasked; vCPU 0 sends it an SGI
 * and waits (WFE: under TCG it yields) for its handler to have run. */
struct secondary_ctx {
	uint64_t stack_top;
	volatile bool up;
};
static uint8_t stack1[8192] __attribute__((aligned(16)));
static struct secondary_ctx ctx1 = {0, false};

void secondary_main(struct secondary_ctx *c, uint64_t daif, uint64_t el)
{
	(void)daif, (void)el;
	gic_cpu_init(1);
	gic_enable(1, SGI_BENCH);
	c->up = true;
	__asm__ volatile("sev; msr daifclr, #2" ::: "memory");
	for (;;)
		__asm__ volatile("wfi");
}

static void bench_sgi_ipi(unsigned n)
{
	ctx1.stack_top = (uintptr_t)(stack1 + sizeof(stack1));
	int64_t r = psci_call(PSCI_CPU_ON, 1, (uintptr_t)secondary_start, (uintptr_t)&ctx1);
	if (r != 0) {
		gprintf("bench: sgi_ipi skipped (CPU_ON of vCPU 1: %lld)\n", (long long)r);
		return;
	}
	/* A CPU started by firmware at an EL whose EL2 state nobody set up
	 * may never get here: do not hang on it. */
	for (uint64_t t0 = now(); !ctx1.up;) {
		if (now() - t0 > 100000000) {
			gprintf("bench: sgi_ipi skipped (vCPU 1 did not come up)\n");
			return;
		}
		__asm__ volatile("wfe");
	}
	struct stat s = {0};
	for (unsigned i = 0; i < n + WARMUP; i++) {
		unsigned seen = irqs_seen;
		uint64_t t0 = now();
		send_sgi(1, SGI_BENCH);
		while (irqs_seen == seen)
			__asm__ volatile("wfe");
		if (i >= WARMUP)
			add(&s, irq_at - t0);
	}
	report("sgi_ipi", &s);
}

/* Stage 1 with 4 KiB pages over a 32 MiB buffer (identity map), then a
 * dependent load chain touching one word per page: on hardware each load
 * misses the TLB and costs a stage-1 walk, each of whose steps is a
 * stage-2 walk under the hypervisor. */
#define WALK_SIZE  (32u << 20)
#define WALK_PAGES (WALK_SIZE / 4096)
#define PT_PAGES   24
static uint64_t pt[PT_PAGES][512] __attribute__((aligned(4096)));
static unsigned pt_used = 1; /* pt[0] is the level-0 table */

#define ATTR_DEVICE (0ULL << 2)
#define ATTR_NORMAL (1ULL << 2)
#define PTE_AF	    (1ULL << 10)
#define PTE_ISH	    (3ULL << 8)
#define PTE_XN	    (3ULL << 53)

/* Maps [va, va + size) to itself with leaves at level leaf (1: 1 GiB,
 * 2: 2 MiB, 3: 4 KiB); false when out of table pages. */
static bool map(uint64_t va, uint64_t size, unsigned leaf, uint64_t attr)
{
	uint64_t step = 1ULL << (39 - 9 * leaf);
	for (uint64_t a = va; a < va + size; a += step) {
		uint64_t *t = pt[0];
		for (unsigned lvl = 0; lvl < leaf; lvl++) {
			uint64_t *e = &t[(a >> (39 - 9 * lvl)) & 511];
			if (!(*e & 1)) {
				if (pt_used == PT_PAGES)
					return false;
				*e = (uintptr_t)pt[pt_used++] | 3;
			}
			t = (uint64_t *)(uintptr_t)(*e & 0xfffffffff000ULL);
		}
		t[(a >> (39 - 9 * leaf)) & 511] = a | attr | PTE_AF | (leaf == 3 ? 3 : 1);
	}
	return true;
}

static void bench_mem_walk(const struct guest_info *gi, unsigned rounds)
{
	uint64_t buf = ((uintptr_t)__image_end + (2u << 20) - 1) & ~((2ULL << 20) - 1);
	if (buf + WALK_SIZE > gi->ram_base + gi->ram_size) {
		gprintf("bench: mem_walk skipped (RAM too small)\n");
		return;
	}
	/* Devices in the first GiB (UART, GIC), the RAM around the image in
	 * 2 MiB blocks, the buffer in pages. */
	uint64_t ram = gi->ram_base & ~((2ULL << 20) - 1);
	if (!map(0, 1ULL << 30, 1, ATTR_DEVICE | PTE_XN) ||
	    !map(ram, buf - ram, 2, ATTR_NORMAL | PTE_ISH) ||
	    !map(buf, WALK_SIZE, 3, ATTR_NORMAL | PTE_ISH)) {
		gprintf("bench: mem_walk skipped (page tables)\n");
		return;
	}
	/* A chain through every page in a scattered order (stride coprime
	 * with the page count). */
	for (unsigned i = 0; i < WALK_PAGES; i++) {
		unsigned next = (i + 2473) % WALK_PAGES;
		*(volatile uint64_t *)(uintptr_t)(buf + (uint64_t)i * 4096) =
			buf + (uint64_t)next * 4096;
	}
	unsigned pa_bits = gi->parange > 5 ? 5 : gi->parange;
	write_sysreg(mair_el1, 0xff04ULL); /* attr0 Device-nGnRE, attr1 Normal WB */
	write_sysreg(tcr_el1, 16ULL | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) | (1ULL << 23) |
				      ((uint64_t)pa_bits << 32));
	write_sysreg(ttbr0_el1, (uintptr_t)pt[0]);
	__asm__ volatile("dsb sy; tlbi vmalle1; dsb sy; isb" ::: "memory");
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | 1 | (1 << 2) | (1 << 12));
	__asm__ volatile("isb" ::: "memory");

	struct stat s = {0};
	for (unsigned r = 0; r < rounds; r++) {
		__asm__ volatile("tlbi vmalle1; dsb ish; isb" ::: "memory");
		uint64_t p = buf, t0 = now();
		for (unsigned i = 0; i < WALK_PAGES; i++)
			p = *(volatile uint64_t *)(uintptr_t)p;
		uint64_t t1 = now();
		if (p != buf)
			gprintf("bench: mem_walk chain broken at 0x%llx\n", (unsigned long long)p);
		add(&s, (t1 - t0) / WALK_PAGES);
	}
	report("mem_walk", &s);
}

/* Natively nobody has set the distributor up: enable it, with the
 * interrupts used here in the group signalled as IRQ (v3: Group 1; v2
 * without security extensions: Group 0). */
static void gic_dist_init(void)
{
	if (gic_version == 3) {
		mmio_write32(gicd + 0x0, (1u << 4) | (1u << 1)); /* GICD_CTLR: ARE, EnableGrp1 */
		while (mmio_read32(gicd + 0x0) & (1u << 31))	 /* RWP */
			;
		for (unsigned cpu = 0; cpu < 2; cpu++)
			mmio_write32(gicr + cpu * 0x20000 + 0x10000 + 0x80, ~0u); /* IGROUPR0 */
	} else {
		mmio_write32(gicd + 0x0, 1); /* GICD_CTLR: enable */
	}
}

int main(const void *dtb)
{
	/* Instructions since reset on this machine (icount): the counter
	 * the hypervisor does not offset. */
	uint64_t boot = read_sysreg(cntpct_el0);
	struct guest_info gi;
	guest_init(dtb, &gi);
	uart_base = platform_find_uart(dtb);
	gic_find(dtb);
	gic_dist_init();
	gic_cpu_init(0);
	gprintf("bench: start gic=v%d conduit=%s ipa-bits=%u freq=%llu\n", gic_version,
		platform_find_psci(dtb) == PSCI_CONDUIT_SMC ? "smc" : "hvc", gi.ipa_bits,
		(unsigned long long)read_sysreg(cntfrq_el0));
	gprintf("bench: boot n=1 avg=%llu min=%llu max=%llu\n", (unsigned long long)boot,
		(unsigned long long)boot, (unsigned long long)boot);
	unsigned n = (unsigned)bootarg_u64(&gi, "n", 1000);
	bench_traps(n);
	bench_irq_latency(n / 5);
	bench_sgi_ipi(n / 5);
	bench_mem_walk(&gi, 5);
	gprintf("bench: done\n");
	system_off();
}
