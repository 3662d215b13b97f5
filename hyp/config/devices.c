#include "hyp/config/devices.h"

#include "drivers/fdt.h"
#include "lib/printf.h"
#include "lib/string.h"

#define MAX_DEVICE_REGS	  4
#define MAX_DEVICE_CLOCKS 4
#define GIC_SPI		  0
#define GIC_MAX_SPI	  988 /* INTIDs 32..1019 */

/* A path ("/soc/rtc@7e00"), else an /aliases name, else a label that dtc
 * recorded in /__symbols__ (dtc -@). */
static int find_node(const void *fdt, const char *name)
{
	if (name[0] == '/')
		return fdt_path_offset(fdt, name);
	static const char *const tables[] = {"/aliases", "/__symbols__"};
	for (unsigned i = 0; i < ARRAY_SIZE(tables); i++) {
		int len, t = fdt_path_offset(fdt, tables[i]);
		const char *path = t >= 0 ? fdt_getprop(fdt, t, name, &len) : NULL;
		if (path && len > 1 && path[0] == '/' && !path[len - 1])
			return fdt_path_offset(fdt, path);
	}
	return -ENOENT;
}

/* The interrupt controller of node: its own or an ancestor's
 * interrupt-parent (Devicetree spec 2.4.1). */
static int interrupt_parent(const void *fdt, int node)
{
	for (int n = node; n >= 0; n = fdt_parent(fdt, n)) {
		int len;
		const uint8_t *p = fdt_getprop(fdt, n, "interrupt-parent", &len);
		if (p && len == 4)
			return fdt_find_phandle(fdt, fdt32(p));
	}
	return -ENOENT;
}

static bool is_gic(const void *fdt, int node)
{
	static const char *const gics[] = {"arm,gic-v3", "arm,gic-400", "arm,cortex-a15-gic"};
	for (unsigned i = 0; i < ARRAY_SIZE(gics); i++)
		if (fdt_is_compatible(fdt, node, gics[i]))
			return fdt_prop_u32(fdt, node, "#interrupt-cells", 0) == 3;
	return false;
}

/* Adds [lo, hi) of device dev to g's passthrough ranges, merged with a
 * range of the same device it touches (two register blocks in a page), or
 * of another device of g it shares a page with, placed alike (QEMU virt
 * packs eight virtio-mmio transports in a page). */
static int add_range(struct guest_config *g, const struct guest_device *dev, uint64_t lo,
		     uint64_t hi)
{
	for (unsigned j = 0; j < g->nmmio; j++) {
		struct passthrough *m = &g->mmio[j];
		bool same = m->device == dev->name;
		bool shared = m->device && m->ipa - m->pa == dev->shift && lo < m->pa + m->size &&
			      m->pa < hi;
		if (!(same && lo <= m->pa + m->size && m->pa <= hi) && !shared)
			continue;
		uint64_t nlo = MIN(lo, m->pa), nhi = MAX(hi, m->pa + m->size);
		*m = (struct passthrough){nlo + dev->shift, nlo, nhi - nlo, m->device};
		return 0;
	}
	if (g->nmmio == MAX_PASSTHROUGH)
		return config_refuse(g, "device %s: more than %d register ranges in all", dev->name,
				     MAX_PASSTHROUGH);
	g->mmio[g->nmmio++] = (struct passthrough){lo + dev->shift, lo, hi - lo, dev->name};
	return 0;
}

static int resolve_regs(struct guest_config *g, struct guest_device *dev, const void *fdt)
{
	uint64_t pa, size;
	unsigned i = 0;
	for (; fdt_reg_cpu(fdt, dev->node, i, &pa, &size) == 0; i++) {
		uint64_t lo = ALIGN_DOWN(pa, PAGE_SIZE), hi = ALIGN_UP(pa + size, PAGE_SIZE);
		if (!size || pa + size < pa || hi <= lo || i == MAX_DEVICE_REGS)
			return config_refuse(
				g, "device %s: reg %u is empty, wraps, or is one too many",
				dev->name, i);
		if (i == 0)
			dev->shift = dev->ipa_set ? dev->ipa - lo : 0;
		if (add_range(g, dev, lo, hi) < 0)
			return -EINVAL;
	}
	int len;
	if (i == 0 && fdt_getprop(fdt, dev->node, "reg", &len))
		return config_refuse(
			g, "device %s: reg is not reachable from the CPUs (a bus without ranges)",
			dev->name);
	return 0;
}

static int resolve_irqs(struct guest_config *g, const struct guest_device *dev, const void *fdt)
{
	int len;
	if (fdt_getprop(fdt, dev->node, "interrupts-extended", &len))
		return config_refuse(g, "device %s: interrupts-extended is not supported",
				     dev->name);
	const uint8_t *p = fdt_getprop(fdt, dev->node, "interrupts", &len);
	if (!p)
		return 0;
	int gic = interrupt_parent(fdt, dev->node);
	if (gic < 0 || !is_gic(fdt, gic))
		return config_refuse(
			g, "device %s: its interrupts go through a controller other than the GIC",
			dev->name);
	if (len % 12)
		return config_refuse(g, "device %s: interrupts are not <type number flags> triples",
				     dev->name);
	for (int off = 0; off < len; off += 12) {
		uint32_t type = fdt32(p + off), num = fdt32(p + off + 4);
		if (type != GIC_SPI || num >= GIC_MAX_SPI)
			return config_refuse(g, "device %s: interrupt <%u %u> is not an SPI",
					     dev->name, type, num);
		if (g->nirqs == MAX_PASSTHROUGH)
			return config_refuse(g, "device %s: more than %d interrupts in all",
					     dev->name, MAX_PASSTHROUGH);
		g->irqs[g->nirqs++] = 32 + num;
	}
	return 0;
}

/* Bindings of bus masters on the boards we support (QEMU virt, the
 * Raspberry Pi 4): they read and write memory themselves, at whatever
 * addresses their driver programs into them. */
static const char *const dma_masters[] = {
	"virtio,mmio",		 "pci-host-ecam-generic", "brcm,bcm2711-pcie",
	"brcm,bcm2711-emmc2",	 "brcm,bcm2835-sdhci",	  "brcm,bcm2835-mmc",
	"brcm,bcm2835-sdhost",	 "brcm,sdhci-iproc",	  "arasan,sdhci-5.1",
	"brcm,bcm2711-genet-v5", "brcm,genet-v5",	  "cdns,macb",
	"snps,dwmac",		 "brcm,bcm2835-usb",	  "brcm,bcm2708-usb",
	"snps,dwc2",		 "generic-xhci",	  "generic-ehci",
	"generic-ohci",		 "brcm,bcm2835-dma",	  "brcm,bcm2711-dma",
	"arm,pl330",		 "arm,pl080",		  "arm,pl081",
};

/* A known bus master, a node that says it does DMA (dma-coherent, an
 * IOMMU of its own), or one on a bus that translates DMA (dma-ranges). */
static bool masters_bus(const void *fdt, int node)
{
	int len;
	for (unsigned i = 0; i < ARRAY_SIZE(dma_masters); i++)
		if (fdt_is_compatible(fdt, node, dma_masters[i]))
			return true;
	if (fdt_getprop(fdt, node, "dma-coherent", &len) || fdt_getprop(fdt, node, "iommus", &len))
		return true;
	for (int b = fdt_parent(fdt, node); b > 0; b = fdt_parent(fdt, b))
		if (fdt_getprop(fdt, b, "dma-ranges", &len))
			return true;
	return false;
}

int devices_dma_windows(const void *fdt, int node, struct dma_window *w, unsigned max)
{
	int n = 1;
	bool restricted = false;
	if (!max)
		return 0;
	w[0] = (struct dma_window){0, 0, ~0ULL}; /* .cpu: the address at the level reached */
	for (int b = fdt_parent(fdt, node); b > 0; b = fdt_parent(fdt, b)) {
		int len;
		const uint8_t *r = fdt_getprop(fdt, b, "dma-ranges", &len);
		if (!r || len == 0) /* none, or empty: the same addresses above */
			continue;
		unsigned ca = fdt_address_cells(fdt, b), sc = fdt_size_cells(fdt, b);
		unsigned pa = fdt_address_cells(fdt, fdt_parent(fdt, b));
		unsigned stride = 4 * (ca + pa + sc);
		if (ca < 1 || ca > 2 || pa < 1 || pa > 2 || sc < 1 || sc > 2 || len % stride)
			return 0; /* a translation we cannot follow reaches nothing we know */
		struct dma_window out[MAX_DMA_WINDOWS];
		int k = 0;
		for (unsigned off = 0; off < (unsigned)len; off += stride) {
			uint64_t c = fdt_cells(r + off, ca), p = fdt_cells(r + off + 4 * ca, pa);
			uint64_t size = fdt_cells(r + off + 4 * (ca + pa), sc);
			if (!size || c + (size - 1) < c || p + (size - 1) < p)
				continue;
			uint64_t clast = c + (size - 1);
			for (int i = 0; i < n && k < MAX_DMA_WINDOWS && k < (int)max; i++) {
				uint64_t lo = MAX(w[i].cpu, c), hi = MIN(w[i].cpu + w[i].last, clast);
				if (lo <= hi)
					out[k++] = (struct dma_window){w[i].bus + (lo - w[i].cpu),
								       p + (lo - c), hi - lo};
			}
		}
		memcpy(w, out, sizeof(out[0]) * (size_t)k);
		n = k;
		restricted = true;
	}
	return restricted ? n : -1;
}

/* A bus master of a direct-mapped guest must reach all of its RAM through
 * the dma-ranges above it (the Pi 4's emmc2 sees the lowest GiB only). */
static int check_dma_reach(struct guest_config *g, const struct guest_device *dev,
			   const void *fdt)
{
	struct dma_window w[MAX_DMA_WINDOWS];
	int n = devices_dma_windows(fdt, dev->node, w, MAX_DMA_WINDOWS);
	uint64_t ram = g->ram_ipa, last = g->ram_ipa + g->ram_size - 1;
	if (!g->ram_size || last < ram)
		return 0; /* config_validate() refuses that memory */
	for (int i = 0; i < n; i++)
		if (ram >= w[i].cpu && ram - w[i].cpu <= w[i].last && last - w[i].cpu <= w[i].last)
			return 0;
	if (n < 0)
		return 0;
	if (n == 0)
		return config_refuse(g, "device %s: the dma-ranges above it reach no memory",
				     dev->name);
	return config_refuse(g,
			     "device %s: its bus's dma-ranges reach 0x%llx-0x%llx, not all of "
			     "memory 0x%llx-0x%llx",
			     dev->name, (unsigned long long)w[0].cpu,
			     (unsigned long long)(w[0].cpu + w[0].last), (unsigned long long)ram,
			     (unsigned long long)last);
}

/* Why node cannot be handed over as a device, or NULL: the root, a node
 * that describes the machine rather than a device (/cpus and each cpu,
 * /memory, /chosen, /aliases, /psci: device_type, or neither registers nor
 * interrupts), and a node another entry of the list already names. */
static const char *not_a_device(const struct guest_config *g, unsigned d, const void *fdt,
				int node)
{
	int len;
	if (node == 0)
		return "is the root node, not a device";
	if (fdt_getprop(fdt, node, "device_type", &len))
		return "is a memory or CPU node, not a device";
	if (!fdt_getprop(fdt, node, "reg", &len) && !fdt_getprop(fdt, node, "interrupts", &len) &&
	    !fdt_getprop(fdt, node, "interrupts-extended", &len))
		return "has neither registers nor interrupts: not a device";
	for (unsigned i = 0; i < d; i++)
		if (g->devices[i].node == node)
			return "names the same node as an earlier entry";
	return NULL;
}

int devices_resolve(struct guest_config *g, const void *host_fdt)
{
	for (unsigned d = 0; d < g->ndevices && !g->error[0]; d++) {
		struct guest_device *dev = &g->devices[d];
		dev->node = find_node(host_fdt, dev->name);
		if (dev->node < 0)
			return config_refuse(g, "device %s: no such node in the host device tree",
					     dev->name);
		const char *why = not_a_device(g, d, host_fdt, dev->node);
		if (why)
			return config_refuse(g, "device %s: %s", dev->name, why);
		if (resolve_regs(g, dev, host_fdt) < 0 || resolve_irqs(g, dev, host_fdt) < 0)
			return -EINVAL;
		dev->dma = dev->dma_listed || masters_bus(host_fdt, dev->node);
		if (dev->dma && g->direct_map && check_dma_reach(g, dev, host_fdt) < 0)
			return -EINVAL;
	}
	return g->error[0] ? -EINVAL : 0;
}

/* Properties not copied: rewritten below, or naming host resources (by
 * phandle) the guest does not have. */
static bool host_only(const char *name)
{
	static const char *const skip[] = {"reg",
					   "interrupts",
					   "interrupt-parent",
					   "interrupts-extended",
					   "clocks",
					   "clock-names",
					   "assigned-clocks",
					   "assigned-clock-parents",
					   "assigned-clock-rates",
					   "status",
					   "phandle",
					   "linux,phandle",
					   "dmas",
					   "dma-names",
					   "power-domains",
					   "power-domain-names",
					   "resets",
					   "reset-names",
					   "iommus",
					   "msi-parent",
					   "phys",
					   "phy-names",
					   "mboxes",
					   "mbox-names",
					   "nvmem-cells",
					   "nvmem-cell-names",
					   "interconnects",
					   "mmc-pwrseq",
					   "gpios"};
	static const char *const suffix[] = {"-supply", "-gpios", "-gpio"};
	for (unsigned i = 0; i < ARRAY_SIZE(skip); i++)
		if (!strcmp(name, skip[i]))
			return true;
	if (!strncmp(name, "pinctrl-", 8))
		return true;
	size_t n = strlen(name);
	for (unsigned i = 0; i < ARRAY_SIZE(suffix); i++) {
		size_t k = strlen(suffix[i]);
		if (n > k && !strcmp(name + n - k, suffix[i]))
			return true;
	}
	return false;
}

/* The rates of the device's clocks, when every one is a fixed-rate clock
 * (or, for its first, one whose rate the firmware gave: dev->clock_hz);
 * else 0 (its driver then goes without). */
static unsigned fixed_clocks(const void *fdt, const struct guest_device *dev, uint32_t *rates)
{
	int len;
	const uint8_t *c = fdt_getprop(fdt, dev->node, "clocks", &len);
	unsigned n = 0;
	for (int off = 0; c && off + 4 <= len;) {
		int prov = fdt_find_phandle(fdt, fdt32(c + off));
		uint32_t cells = prov >= 0 ? fdt_prop_u32(fdt, prov, "#clock-cells", 0) : 0;
		uint32_t rate =
			prov >= 0 && !cells ? fdt_prop_u32(fdt, prov, "clock-frequency", 0) : 0;
		if (!rate && n == 0)
			rate = dev->clock_hz;
		if (!rate || n == MAX_DEVICE_CLOCKS || cells > 4)
			return 0;
		rates[n++] = rate;
		off += 4 * (int)(1 + cells);
	}
	return n;
}

/* A node name without its unit address ("mmc@7e340000": "mmc"). */
static void node_base(const char *name, char *out, size_t cap)
{
	size_t n = 0;
	while (name[n] && name[n] != '@' && n < cap - 1)
		out[n] = name[n], n++;
	out[n] = '\0';
}

/* A node of a device's subtree keeps its phandle moved into a range of
 * its own, clear of the ones the guest's tree makes (1, 2, 16 and up). */
#define COPIED_PHANDLE(p) (0x10000000u | (p))
#define MAX_SUBTREE_DEPTH 3
#define MAX_SUBTREE_NODES 16

/* Properties that hold the phandle of a node in the same subtree (the
 * GENET's PHY, below its MDIO bus): they follow the phandle's move. */
static bool subtree_reference(const char *name)
{
	return !strcmp(name, "phy-handle");
}

/* The device's own properties, or one of its subtree's (whose reg stays
 * in the device's own address space: it is copied as it is). */
static void copy_props(struct fdt_writer *w, const void *fdt, int node, bool child)
{
	const char *pname;
	const void *val;
	int len;
	for (int off = fdt_next_prop(fdt, node, -1, &pname, &val, &len); off >= 0;
	     off = fdt_next_prop(fdt, node, off, &pname, &val, &len)) {
		if (subtree_reference(pname) && len == 4)
			fdt_w_prop_u32(w, pname, COPIED_PHANDLE(fdt32(val)));
		else if (child && !strcmp(pname, "phandle") && len == 4)
			fdt_w_prop_u32(w, pname, COPIED_PHANDLE(fdt32(val)));
		else if (!host_only(pname) ||
			 (child && (!strcmp(pname, "reg") || !strcmp(pname, "status"))))
			fdt_w_prop(w, pname, val, (size_t)len);
	}
}

/* The nodes below a device, as they are (an Ethernet controller's MDIO bus
 * and PHY): a few levels, a few nodes, so that a big subtree cannot fill
 * the guest's device tree. */
static void copy_subtree(struct fdt_writer *w, const void *fdt, int node, unsigned depth,
			 unsigned *count)
{
	for (int c = fdt_first_child(fdt, node); c >= 0 && depth < MAX_SUBTREE_DEPTH;
	     c = fdt_next_sibling(fdt, c)) {
		if (++*count > MAX_SUBTREE_NODES)
			return;
		fdt_w_begin_node(w, fdt_node_name(fdt, c));
		copy_props(w, fdt, c, true);
		copy_subtree(w, fdt, c, depth + 1, count);
		fdt_w_end_node(w);
	}
}

static void write_node(struct fdt_writer *w, const struct guest_device *dev, const void *fdt,
		       uint32_t gic_phandle, uint32_t *phandle)
{
	char base[41], name[64];
	uint64_t pa, size;
	node_base(fdt_node_name(fdt, dev->node), base, sizeof(base));
	if (fdt_reg_cpu(fdt, dev->node, 0, &pa, &size) == 0)
		fmt_snprintf(name, sizeof(name), "%s@%llx", base,
			     (unsigned long long)(pa + dev->shift));
	else
		fmt_snprintf(name, sizeof(name), "%s", base);
	fdt_w_begin_node(w, name);
	copy_props(w, fdt, dev->node, false);
	int len;

	uint32_t reg[4 * MAX_DEVICE_REGS];
	size_t n = 0;
	for (unsigned i = 0; n < ARRAY_SIZE(reg) && fdt_reg_cpu(fdt, dev->node, i, &pa, &size) == 0;
	     i++) {
		uint64_t ipa = pa + dev->shift;
		reg[n++] = (uint32_t)(ipa >> 32), reg[n++] = (uint32_t)ipa;
		reg[n++] = (uint32_t)(size >> 32), reg[n++] = (uint32_t)size;
	}
	if (n)
		fdt_w_prop_cells(w, "reg", reg, n);

	/* SPIs keep their INTID (the guest's vGIC has the same); only the
	 * trigger type of the flags means anything to the guest's GIC. */
	const uint8_t *irq = fdt_getprop(fdt, dev->node, "interrupts", &len);
	if (irq && len > 0 && len % 12 == 0) {
		uint32_t cells[3 * MAX_PASSTHROUGH];
		unsigned k = 0;
		for (int off = 0; off < len && k < ARRAY_SIZE(cells); off += 12) {
			cells[k++] = GIC_SPI;
			cells[k++] = fdt32(irq + off + 4);
			cells[k++] = fdt32(irq + off + 8) & 0xf;
		}
		fdt_w_prop_cells(w, "interrupts", cells, k);
		fdt_w_prop_u32(w, "interrupt-parent", gic_phandle);
	}

	uint32_t rates[MAX_DEVICE_CLOCKS], clocks[MAX_DEVICE_CLOCKS];
	unsigned nclk = fixed_clocks(fdt, dev, rates);
	for (unsigned i = 0; i < nclk; i++)
		clocks[i] = *phandle + i;
	if (nclk) {
		fdt_w_prop_cells(w, "clocks", clocks, nclk);
		const void *names = fdt_getprop(fdt, dev->node, "clock-names", &len);
		if (names)
			fdt_w_prop(w, "clock-names", names, (size_t)len);
	}
	fdt_w_prop_str(w, "status", "okay");
	unsigned count = 0;
	copy_subtree(w, fdt, dev->node, 0, &count);
	fdt_w_end_node(w);

	for (unsigned i = 0; i < nclk; i++) {
		fmt_snprintf(name, sizeof(name), "clock-%x", *phandle);
		fdt_w_begin_node(w, name);
		fdt_w_prop_str(w, "compatible", "fixed-clock");
		fdt_w_prop_u32(w, "#clock-cells", 0);
		fdt_w_prop_u32(w, "clock-frequency", rates[i]);
		fdt_w_prop_u32(w, "phandle", (*phandle)++);
		fdt_w_end_node(w);
	}
}

/* A bus master behind dma-ranges keeps them in the guest's tree (its
 * driver must program the bus addresses, not the CPU's): the node goes in
 * a bus of its own, named after the host's, that passes register addresses
 * through unchanged and DMA as the host's buses do (IPA == PA: a direct-
 * mapped guest's). */
static void begin_dma_bus(struct fdt_writer *w, const struct guest_device *dev, const void *fdt,
			  const struct dma_window *win, unsigned n)
{
	char name[64], base[41];
	uint64_t pa = 0, size;
	node_base(fdt_node_name(fdt, fdt_parent(fdt, dev->node)), base, sizeof(base));
	fdt_reg_cpu(fdt, dev->node, 0, &pa, &size);
	fmt_snprintf(name, sizeof(name), "%s@%llx", base, (unsigned long long)(pa + dev->shift));
	fdt_w_begin_node(w, name);
	fdt_w_prop_str(w, "compatible", "simple-bus");
	fdt_w_prop_u32(w, "#address-cells", 2);
	fdt_w_prop_u32(w, "#size-cells", 2);
	fdt_w_prop(w, "ranges", "", 0);
	uint32_t cells[6 * MAX_DMA_WINDOWS];
	for (unsigned i = 0; i < n; i++) {
		uint64_t v[3] = {win[i].bus, win[i].cpu, win[i].last + 1};
		for (unsigned j = 0; j < 3; j++) {
			cells[6 * i + 2 * j] = (uint32_t)(v[j] >> 32);
			cells[6 * i + 2 * j + 1] = (uint32_t)v[j];
		}
	}
	fdt_w_prop_cells(w, "dma-ranges", cells, 6 * n);
}

void devices_write_nodes(struct fdt_writer *w, const struct guest_config *g, const void *host_fdt,
			 uint32_t gic_phandle, uint32_t first_phandle)
{
	uint32_t phandle = first_phandle;
	for (unsigned d = 0; d < g->ndevices; d++) {
		const struct guest_device *dev = &g->devices[d];
		struct dma_window win[MAX_DMA_WINDOWS];
		int n = dev->dma ? devices_dma_windows(host_fdt, dev->node, win, MAX_DMA_WINDOWS)
				 : -1;
		if (n > 0)
			begin_dma_bus(w, dev, host_fdt, win, (unsigned)n);
		write_node(w, dev, host_fdt, gic_phandle, &phandle);
		if (n > 0)
			fdt_w_end_node(w);
	}
}
