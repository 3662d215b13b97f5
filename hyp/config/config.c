#include "hyp/config/config.h"

#include <stdarg.h>

#include "drivers/fdt.h"
#include "hyp/config/boot_layout.h"
#include "hyp/config/channels.h"
#include "hyp/vgic/vgic_layout.h"
#include "lib/printf.h"
#include "lib/string.h"

int config_refuse(struct guest_config *g, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(g->error, sizeof(g->error), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* An image is either the property's own bytes (/incbin/) or, when the
 * property is one phandle, the "data" of that node: several guests can then
 * share one copy of a kernel in the hypervisor image. */
static const void *image_prop(const void *fdt, int node, const char *name, int *len)
{
	const void *p = fdt_getprop(fdt, node, name, len);
	if (!p || *len != 4)
		return p;
	int target = fdt_find_phandle(fdt, fdt32(p));
	return target >= 0 ? fdt_getprop(fdt, target, "data", len) : NULL;
}

/* A list of strings: each one appended to g's devices (dma set to mark
 * them bus masters), one already there by the same name only marked. */
static int add_device_names(const void *fdt, int node, struct guest_config *g, const char *prop,
			    bool dma)
{
	int len;
	const char *p = fdt_getprop(fdt, node, prop, &len);
	if (!p)
		return 0;
	if (len <= 0 || p[len - 1])
		return config_refuse(g, "%s must be a list of strings", prop);
	for (const char *s = p; s < p + len; s += strlen(s) + 1) {
		struct guest_device *same = NULL;
		for (unsigned i = 0; i < g->ndevices && dma; i++)
			if (!strcmp(g->devices[i].name, s))
				same = &g->devices[i];
		if (same) {
			same->dma_listed = true;
			continue;
		}
		if (g->ndevices == MAX_DEVICES || !s[0])
			return config_refuse(g, "devices and dma-devices must name 1 to %d host nodes",
					     MAX_DEVICES);
		g->devices[g->ndevices++] = (struct guest_device){.name = s, .dma_listed = dma};
	}
	return 0;
}

/* devices = "path", "alias-or-label", ...; devices-ipa = <hi lo> per device;
 * dma-devices = "..." (bus masters the hypervisor cannot recognise). */
static void parse_devices(const void *fdt, int node, struct guest_config *g)
{
	int ilen;
	if (add_device_names(fdt, node, g, "devices", false) < 0)
		return;
	const uint8_t *ipa = fdt_getprop(fdt, node, "devices-ipa", &ilen);
	if (ipa && (unsigned)ilen != g->ndevices * 8) {
		config_refuse(g, "devices-ipa must give one <ipa-hi ipa-lo> per device (%u)",
			      g->ndevices);
		return;
	}
	for (unsigned i = 0; ipa && i < g->ndevices; i++) {
		g->devices[i].ipa = fdt_cells(ipa + 8 * i, 2);
		g->devices[i].ipa_set = true;
	}
	add_device_names(fdt, node, g, "dma-devices", true);
}

/* Edit distance between a and b (insertions, deletions, substitutions),
 * for names of up to 31 characters; 99 for longer ones. */
static unsigned edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	unsigned row[32];
	if (n > 31 || m > 31)
		return 99;
	for (size_t j = 0; j <= m; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= n; i++) {
		unsigned diag = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= m; j++) {
			unsigned up = row[j];
			unsigned best = diag + (a[i - 1] != b[j - 1]);
			best = MIN(best, up + 1);
			best = MIN(best, row[j - 1] + 1);
			row[j] = best;
			diag = up;
		}
	}
	return row[m];
}

/* The known name nearest to name, if it is near enough to be a typo. */
static const char *nearest(const char *name, const char *const *known, unsigned n)
{
	const char *best = NULL;
	unsigned dist = 99;
	for (unsigned i = 0; i < n; i++) {
		unsigned d = edit_distance(name, known[i]);
		if (d < dist)
			dist = d, best = known[i];
	}
	return dist <= 2 || (dist <= 3 && strlen(name) >= 8) ? best : NULL;
}

/* "what NAME: unknown property, did you mean X?" into buf. */
static void unknown(char *buf, size_t cap, const char *what, const char *name,
		    const char *const *known, unsigned n)
{
	const char *near = nearest(name, known, n);
	fmt_snprintf(buf, cap, "%s: unknown %s%s%s%s", name, what, near ? ", did you mean " : "",
		     near ? near : "", near ? "?" : "");
}

/* Properties a guest node may have (docs/config.md); dtc adds phandle. */
static const char *const guest_props[] = {
	"ipa-bits",   "memory",	     "cpus",	    "kernel",	   "initrd",
	"bootargs",   "console",     "passthrough", "interrupts",  "devices",
	"devices-ipa", "stage2-4k-pages", "direct-map", "dma-devices", "priority",
	"time-slice-us", "phandle", "linux,phandle",
};

/* A typo must not silently take a device or an argument from a guest:
 * every property and child node it has must be one the schema knows. */
static int check_schema(const void *fdt, int node, struct guest_config *g)
{
	char why[96];
	const char *name;
	const void *val;
	int len;
	for (int off = fdt_next_prop(fdt, node, -1, &name, &val, &len); off >= 0;
	     off = fdt_next_prop(fdt, node, off, &name, &val, &len)) {
		bool known = false;
		for (unsigned i = 0; i < ARRAY_SIZE(guest_props) && !known; i++)
			known = !strcmp(name, guest_props[i]);
		if (!known) {
			unknown(why, sizeof(why), "property", name, guest_props,
				ARRAY_SIZE(guest_props));
			g->schema_error = true;
			return config_refuse(g, "%s", why);
		}
	}
	int child = fdt_first_child(fdt, node);
	if (child >= 0) {
		g->schema_error = true;
		return config_refuse(g, "%s: unknown node (a guest has properties only)",
				     fdt_node_name(fdt, child));
	}
	return 0;
}

static void parse_guest(const void *fdt, int node, struct guest_config *g)
{
	int len;
	const uint8_t *p;

	memset(g, 0, sizeof(*g));
	const char *name = fdt_node_name(fdt, node);
	if (strlen(name) >= GUEST_NAME_MAX || !name[0]) {
		memcpy(g->name, name, MIN(strlen(name), (size_t)GUEST_NAME_MAX - 1));
		config_refuse(g, "name longer than %d characters", GUEST_NAME_MAX - 1);
		return;
	}
	memcpy(g->name, name, strlen(name) + 1);
	if (check_schema(fdt, node, g) < 0)
		return;
	g->console_ipa = DEFAULT_CONSOLE_IPA;
	g->bootargs = "";

	g->ipa_bits = fdt_prop_u32(fdt, node, "ipa-bits", 0);
	if (!g->ipa_bits) {
		config_refuse(g, "ipa-bits missing (one u32 cell)");
		return;
	}
	p = fdt_getprop(fdt, node, "memory", &len);
	if (!p || len != 16) {
		config_refuse(g, "memory must be <ipa-hi ipa-lo size-hi size-lo>");
		return;
	}
	g->ram_ipa = fdt_cells(p, 2);
	g->ram_size = fdt_cells(p + 8, 2);

	p = fdt_getprop(fdt, node, "cpus", &len);
	if (!p || len == 0 || len % 4 || len / 4 > MAX_GUEST_CPUS) {
		config_refuse(g, "cpus must list 1 to %d host CPU indexes", MAX_GUEST_CPUS);
		return;
	}
	g->ncpus = (unsigned)len / 4;
	for (unsigned i = 0; i < g->ncpus; i++)
		g->cpus[i] = fdt32(p + 4 * i);
	/* On a CPU it shares (hyp/sched.c): who runs first, and for how long
	 * among equals. */
	g->priority = fdt_prop_u32(fdt, node, "priority", 0);
	g->time_slice_us = fdt_prop_u32(fdt, node, "time-slice-us", DEFAULT_TIME_SLICE_US);

	g->kernel = image_prop(fdt, node, "kernel", &len);
	if (!g->kernel || len <= 0) {
		config_refuse(g, "kernel image missing");
		return;
	}
	g->kernel_size = (size_t)len;
	g->initrd = image_prop(fdt, node, "initrd", &len);
	g->initrd_size = g->initrd ? (size_t)len : 0;

	const char *args = fdt_getprop(fdt, node, "bootargs", &len);
	if (args) {
		if (len <= 0 || strnlen(args, (size_t)len) != (size_t)len - 1) {
			config_refuse(g, "bootargs must be one string");
			return;
		}
		g->bootargs = args;
	}
	p = fdt_getprop(fdt, node, "console", &len);
	if (p) {
		if (len != 8) {
			config_refuse(g, "console must be <ipa-hi ipa-lo>");
			return;
		}
		g->console_ipa = fdt_cells(p, 2);
	}
	p = fdt_getprop(fdt, node, "interrupts", &len);
	if (p) {
		if (len % 4 || len / 4 > MAX_PASSTHROUGH) {
			config_refuse(g, "interrupts must list up to %d SPI INTIDs",
				      MAX_PASSTHROUGH);
			return;
		}
		g->nirqs = (unsigned)len / 4;
		for (unsigned i = 0; i < g->nirqs; i++)
			g->irqs[i] = fdt32(p + 4 * i);
	}
	p = fdt_getprop(fdt, node, "passthrough", &len);
	if (p) {
		if (len % 24 || len / 24 > MAX_PASSTHROUGH) {
			config_refuse(
				g, "passthrough must be up to %d <ipa pa size> triples of 2 cells",
				MAX_PASSTHROUGH);
			return;
		}
		g->nmmio = (unsigned)len / 24;
		for (unsigned i = 0; i < g->nmmio; i++, p += 24)
			g->mmio[i] = (struct passthrough){fdt_cells(p, 2), fdt_cells(p + 8, 2),
							  fdt_cells(p + 16, 2), NULL};
	}
	parse_devices(fdt, node, g);
	g->stage2_4k_pages = fdt_getprop(fdt, node, "stage2-4k-pages", &len) != NULL;
	g->direct_map = fdt_getprop(fdt, node, "direct-map", &len) != NULL;
}

int config_parse(const void *fdt, size_t size, struct guest_config *out, unsigned max,
		 const char **why)
{
	if (fdt_check(fdt, size, why) < 0)
		return -EINVAL;
	int guests = fdt_path_offset(fdt, "/guests");
	if (guests < 0) {
		*why = "no /guests node";
		return -EINVAL;
	}
	/* The root holds guests and shared images (and what dtc -@ adds). */
	static const char *const top[] = {"guests",	 "channels",	"images",
					   "__symbols__", "__fixups__", "__local_fixups__"};
	static char top_why[96];
	for (int c = fdt_first_child(fdt, 0); c >= 0; c = fdt_next_sibling(fdt, c)) {
		const char *name = fdt_node_name(fdt, c);
		bool known = false;
		for (unsigned i = 0; i < ARRAY_SIZE(top) && !known; i++)
			known = !strcmp(name, top[i]);
		if (!known) {
			unknown(top_why, sizeof(top_why), "top-level node", name, top,
				ARRAY_SIZE(top));
			*why = top_why;
			return -EINVAL;
		}
	}
	unsigned n = 0;
	for (int node = fdt_first_child(fdt, guests); node >= 0;
	     node = fdt_next_sibling(fdt, node)) {
		if (n == max) {
			*why = "too many guests";
			return -EINVAL;
		}
		parse_guest(fdt, node, &out[n++]);
	}
	return (int)n;
}

/* Whether two ranges share a byte: one starts inside the other. Written
 * with differences so that a range ending at 2^64 cannot wrap. */
static bool overlaps(uint64_t a, uint64_t asz, uint64_t b, uint64_t bsz)
{
	return (asz && a - b < bsz) || (bsz && b - a < asz);
}

/* [base, base + size) lies inside an IPA space of ipa_bits, without wrapping. */
static bool fits(uint64_t base, uint64_t size, unsigned ipa_bits)
{
	uint64_t top = 1ULL << ipa_bits;
	return size && base < top && size <= top - base;
}

/* "passthrough N" for a raw range, "device NAME" for a host node's. */
static void describe(char *buf, size_t cap, const struct guest_config *g, unsigned i)
{
	unsigned raw = 0;
	for (unsigned j = 0; j < i; j++)
		raw += !g->mmio[j].device;
	if (g->mmio[i].device)
		fmt_snprintf(buf, cap, "device %s", g->mmio[i].device);
	else
		fmt_snprintf(buf, cap, "passthrough %u", raw);
}

int config_validate(struct guest_config *g, const struct config_limits *l,
		    const struct config_taken *t)
{
	if (g->error[0])
		return -EINVAL;
	/* Stage-2 descriptors hold 48 output bits, 52 with FEAT_LPA2 (DS). */
	unsigned pa_bits = g->ipa_bits > 48 ? l->pa_bits : MIN(l->pa_bits, 48u);
	uint64_t pa_limit = 1ULL << pa_bits;
	if (g->ipa_bits < 32 || (g->ipa_bits > 48 && g->ipa_bits != 52))
		return config_refuse(g, "ipa-bits=%u not supported (32..48, or 52 with FEAT_LPA2)",
				     g->ipa_bits);
	if (g->ipa_bits > l->max_ipa_bits)
		return config_refuse(
			g, "ipa-bits=%u exceeds what the CPU supports (PARange %u bits%s)",
			g->ipa_bits, l->max_ipa_bits,
			l->max_ipa_bits == 48 && g->ipa_bits == 52 ? ", no FEAT_LPA2" : "");
	if (!IS_ALIGNED(g->ram_ipa | g->ram_size, PAGE_SIZE))
		return config_refuse(g, "memory ipa=0x%llx size=0x%llx not 4 KiB aligned",
				     (unsigned long long)g->ram_ipa,
				     (unsigned long long)g->ram_size);
	if (!fits(g->ram_ipa, g->ram_size, g->ipa_bits))
		return config_refuse(g, "memory ipa=0x%llx size=0x%llx does not fit in ipa-bits=%u",
				     (unsigned long long)g->ram_ipa,
				     (unsigned long long)g->ram_size, g->ipa_bits);
	const char *format = kernel_format_problem(g->kernel, g->kernel_size);
	if (format)
		return config_refuse(g, "kernel %s", format);
	/* The kernel (where its header asks), the initrd and the device tree. */
	struct boot_layout layout;
	const char *why;
	if (boot_layout(g, &layout, &why) < 0)
		return config_refuse(
			g, "memory size=0x%llx: %s (kernel %zu bytes, initrd %zu bytes)",
			(unsigned long long)g->ram_size, why, g->kernel_size, g->initrd_size);
	if (overlaps(g->ram_ipa, g->ram_size, VGIC_WINDOW_IPA, VGIC_WINDOW_SIZE))
		return config_refuse(g, "memory overlaps the virtual GIC at 0x%llx-0x%llx",
				     VGIC_WINDOW_IPA, VGIC_WINDOW_IPA + VGIC_WINDOW_SIZE);
	if (overlaps(g->console_ipa, VPL011_SIZE, VGIC_WINDOW_IPA, VGIC_WINDOW_SIZE))
		return config_refuse(g, "console overlaps the virtual GIC at 0x%llx-0x%llx",
				     VGIC_WINDOW_IPA, VGIC_WINDOW_IPA + VGIC_WINDOW_SIZE);
	/* A channel's peer has a PCI host bridge there (hyp/config/channels.h). */
	if (g->channels && overlaps(g->ram_ipa, g->ram_size, CHAN_AREA_IPA, CHAN_AREA_SIZE))
		return config_refuse(g, "memory overlaps the channels' PCI host bridge at 0x%llx-0x%llx",
				     CHAN_AREA_IPA, CHAN_AREA_IPA + CHAN_AREA_SIZE);
	if (g->channels && overlaps(g->console_ipa, VPL011_SIZE, CHAN_AREA_IPA, CHAN_AREA_SIZE))
		return config_refuse(g, "console overlaps the channels' PCI host bridge at 0x%llx-0x%llx",
				     CHAN_AREA_IPA, CHAN_AREA_IPA + CHAN_AREA_SIZE);
	if (!IS_ALIGNED(g->console_ipa, PAGE_SIZE) ||
	    !fits(g->console_ipa, VPL011_SIZE, g->ipa_bits) ||
	    overlaps(g->console_ipa, VPL011_SIZE, g->ram_ipa, g->ram_size))
		return config_refuse(
			g,
			"console ipa=0x%llx must be page aligned, in the IPA space and "
			"outside memory",
			(unsigned long long)g->console_ipa);
	for (unsigned i = 0; i < g->nmmio; i++) {
		const struct passthrough *m = &g->mmio[i];
		char what[48];
		describe(what, sizeof(what), g, i);
		unsigned long long ipa = m->ipa, pa = m->pa, size = m->size;
		if (!IS_ALIGNED(m->ipa | m->pa | m->size, PAGE_SIZE))
			return config_refuse(
				g, "%s (ipa=0x%llx pa=0x%llx size=0x%llx) not 4 KiB aligned", what,
				ipa, pa, size);
		/* Whose the physical range is first, then where it goes. */
		if (m->pa >= pa_limit || m->size > pa_limit - m->pa)
			return config_refuse(
				g,
				"%s pa=0x%llx size=0x%llx is outside the %u-bit physical "
				"address space",
				what, pa, size, pa_bits);
		for (unsigned j = 0; j < l->nowned; j++) {
			const struct host_range *o = &l->owned[j];
			if (overlaps(m->pa, m->size, o->base, o->size))
				return config_refuse(g, "%s pa=0x%llx is %s%s%s%s", what, pa,
						     o->what, o->node ? " (" : "",
						     o->node ? o->node : "", o->node ? ")" : "");
		}
		for (unsigned k = 0; k < t->n; k++)
			for (unsigned j = 0; j < t->guest[k]->nmmio; j++)
				if (overlaps(m->pa, m->size, t->guest[k]->mmio[j].pa,
					     t->guest[k]->mmio[j].size))
					return config_refuse(
						g,
						"%s pa=0x%llx is already passed through to "
						"guest %s",
						what, pa, t->guest[k]->name);
		if (!fits(m->ipa, m->size, g->ipa_bits))
			return config_refuse(
				g, "%s ipa=0x%llx size=0x%llx does not fit in ipa-bits=%u", what,
				ipa, size, g->ipa_bits);
		if (overlaps(m->ipa, m->size, VGIC_WINDOW_IPA, VGIC_WINDOW_SIZE))
			return config_refuse(g, "%s ipa=0x%llx overlaps the virtual GIC", what,
					     ipa);
		if (g->channels && overlaps(m->ipa, m->size, CHAN_AREA_IPA, CHAN_AREA_SIZE))
			return config_refuse(g, "%s ipa=0x%llx overlaps the channels' PCI host bridge",
					     what, ipa);
		if (overlaps(m->ipa, m->size, g->ram_ipa, g->ram_size) ||
		    overlaps(m->ipa, m->size, g->console_ipa, VPL011_SIZE))
			return config_refuse(g, "%s ipa=0x%llx overlaps memory or console", what,
					     ipa);
		for (unsigned j = 0; j < i; j++)
			if (overlaps(m->ipa, m->size, g->mmio[j].ipa, g->mmio[j].size)) {
				char other[48];
				describe(other, sizeof(other), g, j);
				return config_refuse(g, "%s overlaps %s", what, other);
			}
	}
	/* Without an IOMMU a bus master reads and writes the physical
	 * addresses the guest programs into it: only where those are the
	 * guest's own RAM (IPA == PA) is that its memory. */
	for (unsigned i = 0; i < g->ndevices; i++)
		if (g->devices[i].dma && !g->direct_map)
			return config_refuse(g,
					     "device %s masters the bus (DMA) and would reach "
					     "memory not the guest's: only a direct-map guest may own it",
					     g->devices[i].name);
	for (unsigned i = 0; i < g->nirqs; i++) {
		uint32_t irq = g->irqs[i];
		unsigned top = MIN(l->nr_irqs, (unsigned)VGIC_MAX_IRQS);
		if (irq < 32 || irq >= top)
			return config_refuse(g,
					     "interrupt %u is not an SPI the host GIC has (32..%u)",
					     irq, top - 1);
		if (irq == VGIC_UART_INTID || irq == l->uart_irq)
			return config_refuse(g, "interrupt %u is the console's", irq);
		if (g->channels && irq - CHAN_INTID_BASE < MAX_CHANNELS)
			return config_refuse(g, "interrupt %u is a channel's INTx (40-47)", irq);
		bool twice = false;
		for (unsigned j = 0; j < i; j++)
			twice |= g->irqs[j] == irq;
		if (twice || (t->irqs[irq / 32] & (1u << (irq % 32))))
			return config_refuse(
				g, "interrupt %u is listed twice or belongs to another guest", irq);
	}
	/* A CPU may be listed by several guests, and several times by one (a
	 * vCPU per entry): it is then shared (hyp/sched.c). */
	for (unsigned i = 0; i < g->ncpus; i++) {
		uint32_t c = g->cpus[i];
		if (c >= l->ncpus)
			return config_refuse(g, "cpu %u does not exist (host has %u)", c, l->ncpus);
		unsigned on = c < MAX_CONFIG_CPUS ? t->vcpus_on[c] : 0;
		for (unsigned j = 0; j < g->ncpus; j++)
			on += g->cpus[j] == c;
		if (on > MAX_VCPUS_PER_CPU)
			return config_refuse(g, "cpu %u would run more than %u vCPUs", c,
					     MAX_VCPUS_PER_CPU);
	}
	if (g->time_slice_us < MIN_TIME_SLICE_US || g->time_slice_us > MAX_TIME_SLICE_US)
		return config_refuse(g, "time-slice-us %u is not %u to %u", g->time_slice_us,
				     MIN_TIME_SLICE_US, MAX_TIME_SLICE_US);
	if (g->priority > MAX_PRIORITY)
		return config_refuse(g, "priority %u is above %u", g->priority, MAX_PRIORITY);
	return 0;
}

void config_take(struct config_taken *t, const struct guest_config *g)
{
	for (unsigned c = 0; c < g->ncpus; c++) {
		t->cpus |= 1u << g->cpus[c];
		if (g->cpus[c] < MAX_CONFIG_CPUS)
			t->vcpus_on[g->cpus[c]]++;
	}
	for (unsigned k = 0; k < g->nirqs; k++)
		t->irqs[g->irqs[k] / 32] |= 1u << (g->irqs[k] % 32);
	if (t->n < MAX_GUESTS)
		t->guest[t->n++] = g;
}
