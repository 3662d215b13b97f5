#include "drivers/platform.h"

#include "drivers/fdt.h"
#include "lib/string.h"

/* A device's first register block as the CPU sees it: QEMU virt puts its
 * devices under the root, the Raspberry Pi 4 under translating buses. */
static uint64_t node_base(const void *fdt, int node)
{
	uint64_t addr, size;
	return fdt_reg_cpu(fdt, node, 0, &addr, &size) ? 0 : addr;
}

/* The console UART node: /chosen/stdout-path (a path or an alias, options
 * after ':' ignored) if it is a PL011, else the first PL011. p: the
 * root's children when scanned already, else NULL; first_pl011: the first
 * PL011 node if known already, else -1. */
static int find_uart_node(const void *fdt, const struct platform *p, int first_pl011)
{
	int chosen = p ? p->chosen : fdt_path_offset(fdt, "/chosen");
	int len, node = -ENOENT;
	const char *path = chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", &len) : NULL;
	if (path && len > 0 && strnlen(path, (size_t)len) < (size_t)len) {
		char buf[96];
		size_t n = 0;
		while (path[n] && path[n] != ':' && n < sizeof(buf) - 1)
			buf[n] = path[n], n++;
		buf[n] = '\0';
		if (buf[0] != '/') {
			int aliases = p ? p->aliases : fdt_path_offset(fdt, "/aliases");
			const char *full =
				aliases >= 0 ? fdt_getprop(fdt, aliases, buf, &len) : NULL;
			node = full ? fdt_path_offset(fdt, full) : -ENOENT;
		} else {
			node = fdt_path_offset(fdt, buf);
		}
	}
	if (node < 0 || !fdt_is_compatible(fdt, node, "arm,pl011"))
		node = first_pl011 >= 0 ? first_pl011 : fdt_find_compatible(fdt, -1, "arm,pl011");
	return node;
}

uint64_t platform_find_uart(const void *fdt)
{
	int node = find_uart_node(fdt, NULL, -1);
	return node >= 0 ? node_base(fdt, node) : 0;
}

/* The console UART: its base, its INTID (<type number flags>, 0 if none)
 * and its reference clock (its first "clocks" entry where that has a
 * fixed "clock-frequency", else 0). */
static void parse_uart(const void *fdt, struct platform *p, int first_pl011, int its_parent)
{
	int len, node = find_uart_node(fdt, p, first_pl011);
	p->uart_node = node;
	p->uart_parent = node == first_pl011 ? its_parent : node >= 0 ? fdt_parent(fdt, node) : -1;
	if (node < 0)
		return;
	uint64_t size;
	if (node != first_pl011)
		p->uart_base = node_base(fdt, node);
	else if (fdt_reg_cpu_at(fdt, node, its_parent, 0, &p->uart_base, &size) < 0)
		p->uart_base = 0;
	const uint8_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
	if (irq && len >= 12) {
		uint32_t type = fdt32(irq), num = fdt32(irq + 4);
		p->uart_irq = type == 0 ? 32 + num : type == 1 ? 16 + num : 0;
	}
	const uint8_t *clk = fdt_getprop(fdt, node, "clocks", &len);
	int src = clk && len >= 4 ? fdt_find_phandle(fdt, fdt32(clk)) : -ENOENT;
	p->uart_clock = src >= 0 ? fdt_prop_u32(fdt, src, "clock-frequency", 0) : 0;
}

static enum psci_conduit psci_conduit_of(const void *fdt, int node)
{
	int len;
	const char *m = node >= 0 ? fdt_getprop(fdt, node, "method", &len) : NULL;
	if (!m || len < 4)
		return PSCI_CONDUIT_NONE;
	return !strncmp(m, "smc", 4)   ? PSCI_CONDUIT_SMC
	       : !strncmp(m, "hvc", 4) ? PSCI_CONDUIT_HVC
				       : PSCI_CONDUIT_NONE;
}

enum psci_conduit platform_find_psci(const void *fdt)
{
	return psci_conduit_of(fdt, fdt_path_offset(fdt, "/psci"));
}

/* GICv3 (distributor, redistributors) or GICv2 (distributor, CPU
 * interface, and the virtualization frames: GICH, GICV). */
static void parse_gic(const void *fdt, struct platform *p, int v3, int v3_parent, int v2,
		      int v2_parent)
{
	p->gic_node = v3 >= 0 ? v3 : v2;
	p->gic_parent = v3 >= 0 ? v3_parent : v2_parent;
	if (v3 >= 0) {
		p->gic = GIC_V3;
		fdt_reg_cpu_at(fdt, v3, v3_parent, 0, &p->gicd_base, &p->gicd_size);
		fdt_reg_cpu_at(fdt, v3, v3_parent, 1, &p->gicr_base, &p->gicr_size);
	} else if (v2 >= 0) {
		p->gic = GIC_V2;
		fdt_reg_cpu_at(fdt, v2, v2_parent, 0, &p->gicd_base, &p->gicd_size);
		fdt_reg_cpu_at(fdt, v2, v2_parent, 1, &p->gicc_base, &p->gicc_size);
		fdt_reg_cpu_at(fdt, v2, v2_parent, 2, &p->gich_base, &p->gich_size);
		fdt_reg_cpu_at(fdt, v2, v2_parent, 3, &p->gicv_base, &p->gicv_size);
	}
}

int platform_parse(const void *fdt, struct platform *p, const char **why)
{
	memset(p, 0, sizeof(*p));
	p->fdt = fdt;
#define NAME(s)                  \
	{                        \
		s, sizeof(s) - 1 \
	}
	static const struct {
		const char *s;
		size_t len;
	} names[] = {NAME("chosen"), NAME("aliases"), NAME("psci"), NAME("cpus"),
		     NAME("reserved-memory")};
#undef NAME
	int *const slots[] = {&p->chosen, &p->aliases, &p->psci_node, &p->cpus_node,
			      &p->reserved_memory};
	for (unsigned i = 0; i < ARRAY_SIZE(slots); i++)
		*slots[i] = -ENOENT;
	/* One scan of the root: the named nodes above, and the memory. */
	for (int n = fdt_first_child(fdt, 0); n >= 0; n = fdt_next_sibling(fdt, n)) {
		int len;
		for (unsigned i = 0; i < ARRAY_SIZE(slots); i++)
			if (*slots[i] < 0 &&
			    fdt_name_matches(fdt_node_name(fdt, n), names[i].s, names[i].len))
				*slots[i] = n;
		const char *type = fdt_getprop(fdt, n, "device_type", &len);
		if (!type || strncmp(type, "memory", (size_t)len))
			continue;
		uint64_t base, size;
		for (unsigned i = 0; !fdt_reg(fdt, n, 0, i, &base, &size); i++) {
			if (!size)
				continue;
			/* Dropping a range would let it be passed through. */
			if (p->nmem == ARRAY_SIZE(p->mem) || base + size < base) {
				*why = p->nmem == ARRAY_SIZE(p->mem)
					       ? "more /memory ranges than supported"
					       : "a /memory range wraps";
				return -EINVAL;
			}
			p->mem[p->nmem++] = (struct phys_range){base, size};
		}
	}
	if (!p->nmem) {
		*why = "no /memory";
		return -EINVAL;
	}
	int cpus = p->cpus_node;
	if (cpus < 0) {
		*why = "no /cpus";
		return -EINVAL;
	}
	for (int n = fdt_first_child(fdt, cpus); n >= 0; n = fdt_next_sibling(fdt, n)) {
		int len;
		const char *type = fdt_getprop(fdt, n, "device_type", &len);
		uint64_t mpidr, size;
		if (!type || strncmp(type, "cpu", (size_t)len) ||
		    fdt_reg(fdt, n, cpus, 0, &mpidr, &size))
			continue;
		if (p->ncpus == MAX_CPUS)
			continue;
		/* "spin-table": the CPU waits for an entry point at its
		 * cpu-release-addr (Devicetree spec 3.8.1); else PSCI. */
		const char *m = fdt_getprop(fdt, n, "enable-method", &len);
		uint64_t release = 0;
		if (m && len == sizeof("spin-table") && !strncmp(m, "spin-table", (size_t)len))
			fdt_prop_u64(fdt, n, "cpu-release-addr", &release);
		p->cpu_release[p->ncpus] = release;
		p->cpu_mpidr[p->ncpus++] = mpidr;
	}
	if (!p->ncpus) {
		*why = "no cpu nodes under /cpus";
		return -EINVAL;
	}
	/* The devices the hypervisor drives, found in one walk. */
	enum { PL011, GICV3, A15_GIC, GIC400, PM_WDT, GPIO, LOCAL, TIMER_MEM, NDEV };
	static const char *const compats[NDEV] = {
		"arm,pl011",	       "arm,gic-v3",	    "arm,cortex-a15-gic",
		"arm,gic-400",	       "brcm,bcm2835-pm-wdt", "brcm,bcm2711-gpio",
		"brcm,bcm2836-l1-intc", "arm,armv7-timer-mem"};
	int dev[NDEV], parent[NDEV];
	fdt_find_compatibles(fdt, compats, NDEV, dev, parent);
	parse_uart(fdt, p, dev[PL011], parent[PL011]);
	p->psci = psci_conduit_of(fdt, p->psci_node);
	unsigned v2 = dev[A15_GIC] >= 0 ? A15_GIC : GIC400;
	parse_gic(fdt, p, dev[GICV3], parent[GICV3], dev[v2], parent[v2]);
	uint64_t size;
	if (dev[GPIO] >= 0 &&
	    fdt_reg_cpu_at(fdt, dev[GPIO], parent[GPIO], 0, &p->gpio_base, &size) < 0)
		p->gpio_base = 0;
	p->pm_node = dev[PM_WDT], p->pm_parent = parent[PM_WDT];
	p->local_node = dev[LOCAL], p->local_parent = parent[LOCAL];
	p->timer_mem_node = dev[TIMER_MEM], p->timer_mem_parent = parent[TIMER_MEM];
	if (dev[PM_WDT] >= 0)
		fdt_reg_cpu_at(fdt, dev[PM_WDT], parent[PM_WDT], 0, &p->pm_base, &p->pm_size);
	return 0;
}
