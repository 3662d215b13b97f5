#include "drivers/host_owned.h"

#include "drivers/fdt.h"
#include "lib/string.h"

struct owned {
	struct host_range *r;
	unsigned n, max;
	bool full;
	bool soc[2]; /* the root is compatible with aliases[i].soc */
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

/* [base, base + size) in whole pages, and its board aliases (windows of
 * the SoC named by the root's compatible: o->soc). */
static void add(struct owned *o, uint64_t base, uint64_t size, const char *what, const char *node)
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
		if (lo >= wend || !o->soc[i])
			continue;
		uint64_t a = MAX(lo, w->base), b = hi && hi < wend ? hi : wend;
		push(o, a - w->base + w->alias, b - a, what, node);
	}
}

#define MAX_NEST 16

/* Every reg of node, the buses above it known (up[0] its parent, ..., the
 * root last): no walk of the tree to find them. */
static void add_regs(struct owned *o, const void *fdt, int node, const int *up, unsigned n,
		     const char *what)
{
	int len;
	const uint8_t *reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || !n || up[0] < 0)
		return;
	/* The cells read once, not per entry (this runs at every boot). */
	unsigned ac = fdt_address_cells(fdt, up[0]), sc = fdt_size_cells(fdt, up[0]);
	if (ac < 1 || ac > 2 || sc > 2)
		return;
	unsigned stride = (ac + sc) * 4;
	for (unsigned off = 0; off + stride <= (unsigned)len; off += stride) {
		uint64_t a = fdt_cells(reg + off, ac), s = sc ? fdt_cells(reg + off + ac * 4, sc) : 0;
		/* A block a bus cannot hold whole is kept from its start on
		 * anyway: refusing too much is safe, too little is not. */
		if (fdt_translate(fdt, up, n, &a, s) == 0 || fdt_translate(fdt, up, n, &a, 1) == 0)
			add(o, a, s, what, fdt_node_name(fdt, node));
	}
}

/* node and every node below it (an interrupt controller's ITS, v2m
 * frames and whatever a newer tree adds there). A tree nested deeper than
 * any real one is refused as a whole rather than walked on the stack. */
static void add_tree(struct owned *o, const void *fdt, int node, const int *up, unsigned n,
		     const char *what)
{
	if (n >= MAX_NEST) {
		o->full = true;
		return;
	}
	add_regs(o, fdt, node, up, n, what);
	int below[MAX_NEST];
	below[0] = node;
	for (unsigned k = 0; k < n; k++)
		below[k + 1] = up[k];
	for (int c = fdt_first_child(fdt, node); c >= 0; c = fdt_next_sibling(fdt, c))
		add_tree(o, fdt, c, below, n + 1, what);
}

/* node's buses up to the root, from its known parent: one walk per bus
 * level above the parent (none for a parent at the root). */
static unsigned buses_above(const void *fdt, int parent, int *up)
{
	unsigned n = 0;
	for (int b = parent; b >= 0 && n < MAX_NEST; b = fdt_parent(fdt, b))
		up[n++] = b;
	return n;
}

static void add_node(struct owned *o, const void *fdt, int node, int parent, bool children,
		     const char *what)
{
	int up[MAX_NEST];
	unsigned n = buses_above(fdt, parent, up);
	if (children)
		add_tree(o, fdt, node, up, n, what);
	else
		add_regs(o, fdt, node, up, n, what);
}

int host_owned_ranges(const struct platform *p, struct host_range *out, unsigned max)
{
	struct owned o = {out, 0, max, false, {false, false}};
	const void *fdt = p->fdt;
	uint64_t a, s;
	_Static_assert(ARRAY_SIZE(aliases) == ARRAY_SIZE(o.soc), "one flag per alias window");
	for (unsigned i = 0; i < ARRAY_SIZE(aliases); i++)
		o.soc[i] = fdt_is_compatible(fdt, 0, aliases[i].soc);

	for (unsigned i = 0; i < p->nmem; i++)
		add(&o, p->mem[i].base, p->mem[i].size, "host RAM", NULL);
	for (unsigned i = 0; fdt_memreserve(fdt, i, &a, &s) == 0; i++)
		add(&o, a, s, "reserved memory", NULL);
	for (int n = p->reserved_memory >= 0 ? fdt_first_child(fdt, p->reserved_memory) : -1;
	     n >= 0; n = fdt_next_sibling(fdt, n))
		add_node(&o, fdt, n, p->reserved_memory, false, "reserved memory");
	for (unsigned i = 0; i < p->ncpus; i++)
		if (p->cpu_release[i])
			add(&o, p->cpu_release[i], 8, "a CPU's spin table", NULL);

	if (p->gic_node >= 0)
		add_node(&o, fdt, p->gic_node, p->gic_parent, true,
			 "the hypervisor's interrupt controller");
	if (p->uart_node >= 0)
		add_node(&o, fdt, p->uart_node, p->uart_parent, false, "the hypervisor's UART");
	if (p->uart_base) /* the one the console uses, found or fallen back to */
		add(&o, p->uart_base, PAGE_SIZE, "the hypervisor's UART", NULL);
	if (p->pm_node >= 0)
		add_node(&o, fdt, p->pm_node, p->pm_parent, false,
			 "the hypervisor's power-off watchdog");
	/* Blocks every CPU depends on, kept whether or not the hypervisor
	 * writes them: the BCM2836-style ARM local block holds the prescaler
	 * of the counter every core's timer counts with and routes the cores'
	 * local interrupts; a memory-mapped timer frame sets the counter. */
	if (p->local_node >= 0)
		add_node(&o, fdt, p->local_node, p->local_parent, true,
			 "the CPUs' local block (counter prescaler, local interrupts)");
	if (p->timer_mem_node >= 0)
		add_node(&o, fdt, p->timer_mem_node, p->timer_mem_parent, true,
			 "the system counter's control frame");
	return o.full ? -ENOSPC : (int)o.n;
}
