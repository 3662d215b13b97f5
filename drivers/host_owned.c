#include "drivers/host_owned.h"

#include "drivers/fdt.h"
#include "lib/string.h"

struct owned {
	struct host_range *r;
	unsigned n, max;
	bool full;
};

/* A window of the physical address map that the SoC also decodes at a
 * second address: a block inside it is reachable at both. The tree names
 * one of them; the board's documentation says the other. */
struct alias_window {
	const char *soc; /* root compatible */
	uint64_t base, size, alias;
};

static const struct alias_window aliases[] = {
	/* BCM2711 in its default "low peripheral" mode: the main peripherals
	 * (0xfc000000, 56 MiB) and the ARM local block (0xff800000, 8 MiB,
	 * GIC-400 included) are also at their 35-bit addresses (BCM2711 ARM
	 * Peripherals, 1.2 "Address map"). */
	{"brcm,bcm2711", 0xfc000000ULL, 0x03800000ULL, 0x47c000000ULL},
	{"brcm,bcm2711", 0xff800000ULL, 0x00800000ULL, 0x4c0000000ULL},
};

/* Blocks whose registers every CPU depends on, kept whether or not the
 * hypervisor writes them: the BCM2836-style ARM local block holds the
 * prescaler of the counter every core's timer counts with and routes the
 * cores' local interrupts; a memory-mapped timer frame sets the system
 * counter itself. */
static const struct {
	const char *compat, *what;
} shared_blocks[] = {
	{"brcm,bcm2836-l1-intc", "the CPUs' local block (counter prescaler, local interrupts)"},
	{"arm,armv7-timer-mem", "the system counter's control frame"},
};

static void push(struct owned *o, uint64_t lo, uint64_t size, const char *what, const char *node)
{
	for (unsigned i = 0; i < o->n; i++)
		if (o->r[i].base == lo && o->r[i].size == size)
			return; /* the same block named twice (a GIC frame and its child) */
	if (o->n == o->max) {
		o->full = true;
		return;
	}
	o->r[o->n++] = (struct host_range){lo, size, what, node};
}

/* [base, base + size) in whole pages, and its board aliases. */
static void add(struct owned *o, const void *fdt, uint64_t base, uint64_t size, const char *what,
		const char *node)
{
	if (!size)
		return;
	uint64_t lo = ALIGN_DOWN(base, PAGE_SIZE), end = base + size;
	/* A range running to (or past) the top of the address space keeps
	 * everything above lo: size 2^64 - lo. */
	uint64_t hi = end < base || end > ALIGN_DOWN(~0ULL, PAGE_SIZE) ? 0
									    : ALIGN_UP(end, PAGE_SIZE);
	push(o, lo, hi - lo, what, node);
	for (unsigned i = 0; i < ARRAY_SIZE(aliases); i++) {
		const struct alias_window *w = &aliases[i];
		uint64_t wend = w->base + w->size;
		if (hi && hi <= w->base)
			continue;
		if (lo >= wend || !fdt_is_compatible(fdt, 0, w->soc))
			continue;
		uint64_t a = MAX(lo, w->base), b = hi && hi < wend ? hi : wend;
		push(o, a - w->base + w->alias, b - a, what, node);
	}
}

static void add_regs(struct owned *o, const void *fdt, int node, const char *what)
{
	uint64_t a, s;
	for (unsigned i = 0; fdt_reg_cpu(fdt, node, i, &a, &s) == 0; i++)
		add(o, fdt, a, s, what, fdt_node_name(fdt, node));
}

/* node and every node below it (an interrupt controller's ITS, v2m
 * frames and whatever a newer tree adds there). A tree nested deeper than
 * any real one is refused as a whole rather than walked on the stack. */
static void add_tree(struct owned *o, const void *fdt, int node, const char *what, unsigned depth)
{
	if (depth > 16) {
		o->full = true;
		return;
	}
	add_regs(o, fdt, node, what);
	for (int c = fdt_first_child(fdt, node); c >= 0; c = fdt_next_sibling(fdt, c))
		add_tree(o, fdt, c, what, depth + 1);
}

int host_owned_ranges(const struct platform *p, struct host_range *out, unsigned max)
{
	struct owned o = {out, 0, max, false};
	const void *fdt = p->fdt;
	uint64_t a, s;

	for (unsigned i = 0; i < p->nmem; i++)
		add(&o, fdt, p->mem[i].base, p->mem[i].size, "host RAM", NULL);
	for (unsigned i = 0; fdt_memreserve(fdt, i, &a, &s) == 0; i++)
		add(&o, fdt, a, s, "reserved memory", NULL);
	for (int n = p->reserved_memory >= 0 ? fdt_first_child(fdt, p->reserved_memory) : -1;
	     n >= 0; n = fdt_next_sibling(fdt, n))
		add_regs(&o, fdt, n, "reserved memory");
	for (unsigned i = 0; i < p->ncpus; i++)
		if (p->cpu_release[i])
			add(&o, fdt, p->cpu_release[i], 8, "a CPU's spin table", NULL);

	if (p->gic_node >= 0)
		add_tree(&o, fdt, p->gic_node, "the hypervisor's interrupt controller", 0);
	if (p->uart_node >= 0)
		add_regs(&o, fdt, p->uart_node, "the hypervisor's UART");
	if (p->uart_base) /* the one the console uses, found or fallen back to */
		add(&o, fdt, p->uart_base, PAGE_SIZE, "the hypervisor's UART", NULL);
	if (p->pm_node >= 0)
		add_regs(&o, fdt, p->pm_node, "the hypervisor's power-off watchdog");
	for (unsigned i = 0; i < ARRAY_SIZE(shared_blocks); i++)
		for (int n = fdt_find_compatible(fdt, -1, shared_blocks[i].compat); n >= 0;
		     n = fdt_find_compatible(fdt, n, shared_blocks[i].compat))
			add_tree(&o, fdt, n, shared_blocks[i].what, 0);
	return o.full ? -ENOSPC : (int)o.n;
}
