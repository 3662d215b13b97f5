#include "hyp/config/guest_fdt.h"

#include "drivers/fdt.h"
#include "drivers/fdt_write.h"
#include "arch/gic.h"
#include "hyp/config/devices.h"
#include "hyp/vgic/vgic_layout.h"
#include "lib/printf.h"
#include "lib/string.h"

#define PHANDLE_GIC    1
#define PHANDLE_CLK    2
#define PHANDLE_DEVICE 16 /* and up: the devices' clocks */
#define GIC_SPI	       0
#define GIC_PPI	       1
#define IRQ_LEVEL_HIGH 4

static void add_gic(struct fdt_writer *w, const struct guest_fdt_info *info)
{
	char name[40];
	fmt_snprintf(name, sizeof(name), "intc@%llx", (unsigned long long)VGIC_GICD_IPA);
	fdt_w_begin_node(w, name);
	fdt_w_prop_u32(w, "#interrupt-cells", 3);
	fdt_w_prop(w, "interrupt-controller", "", 0);
	fdt_w_prop_u32(w, "phandle", PHANDLE_GIC);
	if (info->gic_version == 3) {
		fdt_w_prop_str(w, "compatible", "arm,gic-v3");
		uint32_t reg[8] = {
			0, (uint32_t)VGIC_GICD_IPA, 0, (uint32_t)VGIC_GICD_SIZE,
			0, (uint32_t)VGIC_GICR_IPA, 0, (uint32_t)(info->nvcpus * GICR_STRIDE)};
		fdt_w_prop_cells(w, "reg", reg, 8);
	} else {
		fdt_w_prop_str(w, "compatible", "arm,cortex-a15-gic");
		uint32_t reg[8] = {0, (uint32_t)VGIC_GICD_IPA, 0, (uint32_t)VGIC_GICD_SIZE,
				   0, (uint32_t)VGIC_GICC_IPA, 0, (uint32_t)GICV_SIZE};
		fdt_w_prop_cells(w, "reg", reg, 8);
	}
	fdt_w_end_node(w);
}

/* The channels' PCI host bridge (hyp/vdev/chan_bridge.c): ECAM for bus 0,
 * one 32-bit memory window, each slot's INTA to its SPI; the BARs are
 * assigned already and stay (linux,pci-probe-only in /chosen). */
static void add_pci(struct fdt_writer *w, const struct guest_fdt_info *info)
{
	char name[40];
	fmt_snprintf(name, sizeof(name), "pcie@%llx", (unsigned long long)CHAN_ECAM_IPA);
	fdt_w_begin_node(w, name);
	fdt_w_prop_str(w, "compatible", "pci-host-ecam-generic");
	fdt_w_prop_str(w, "device_type", "pci");
	fdt_w_prop_reg64(w, "reg", CHAN_ECAM_IPA, CHAN_ECAM_SIZE);
	uint32_t bus[2] = {0, 0};
	fdt_w_prop_cells(w, "bus-range", bus, 2);
	fdt_w_prop_u32(w, "#address-cells", 3);
	fdt_w_prop_u32(w, "#size-cells", 2);
	fdt_w_prop_u32(w, "#interrupt-cells", 1);
	uint32_t ranges[7] = {0x02000000, 0, (uint32_t)CHAN_WINDOW_IPA, 0, (uint32_t)CHAN_WINDOW_IPA,
			      0, (uint32_t)CHAN_WINDOW_SIZE};
	fdt_w_prop_cells(w, "ranges", ranges, 7);
	uint32_t mask[4] = {0xf800, 0, 0, 7};
	fdt_w_prop_cells(w, "interrupt-map-mask", mask, 4);
	uint32_t map[8 * MAX_CHANNELS];
	for (unsigned k = 0; k < info->nchan; k++) {
		const uint32_t e[8] = {k << 11, 0, 0, 1, PHANDLE_GIC,
				       GIC_SPI, info->chan[k].intid - 32, IRQ_LEVEL_HIGH};
		memcpy(&map[8 * k], e, sizeof(e));
	}
	fdt_w_prop_cells(w, "interrupt-map", map, 8 * info->nchan);
	fdt_w_prop(w, "dma-coherent", "", 0);
	fdt_w_end_node(w);
}

int guest_fdt_build(void *buf, size_t cap, const struct guest_fdt_info *info)
{
	const struct guest_config *cfg = info->cfg;
	struct fdt_writer w;
	char name[40];

	fdt_w_init(&w, buf, cap);
	fdt_w_begin_node(&w, "");
	fdt_w_prop_u32(&w, "#address-cells", 2);
	fdt_w_prop_u32(&w, "#size-cells", 2);
	fdt_w_prop_str(&w, "compatible", "hyp,guest");
	fdt_w_prop_str(&w, "model", cfg->name);
	fdt_w_prop_u32(&w, "interrupt-parent", PHANDLE_GIC);

	fdt_w_begin_node(&w, "chosen");
	fdt_w_prop_str(&w, "bootargs", cfg->bootargs);
	/* Its RAM is zeroed at every start: how many resets came before this
	 * boot is the one thing a guest carries over (a boot counter). */
	fdt_w_prop_u32(&w, "hyp,reset-count", info->resets);
	if (info->nchan) /* keep the BARs the hypervisor assigned */
		fdt_w_prop_u32(&w, "linux,pci-probe-only", 1);
	fmt_snprintf(name, sizeof(name), "/pl011@%llx", (unsigned long long)cfg->console_ipa);
	fdt_w_prop_str(&w, "stdout-path", name);
	if (info->initrd_size) {
		uint64_t start = info->initrd_ipa, end = start + info->initrd_size;
		uint32_t s[2] = {(uint32_t)(start >> 32), (uint32_t)start};
		uint32_t e[2] = {(uint32_t)(end >> 32), (uint32_t)end};
		fdt_w_prop_cells(&w, "linux,initrd-start", s, 2);
		fdt_w_prop_cells(&w, "linux,initrd-end", e, 2);
	}
	fdt_w_end_node(&w);

	fmt_snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)cfg->ram_ipa);
	fdt_w_begin_node(&w, name);
	fdt_w_prop_str(&w, "device_type", "memory");
	fdt_w_prop_reg64(&w, "reg", cfg->ram_ipa, cfg->ram_size);
	fdt_w_end_node(&w);

	fdt_w_begin_node(&w, "cpus");
	fdt_w_prop_u32(&w, "#address-cells", 1);
	fdt_w_prop_u32(&w, "#size-cells", 0);
	for (unsigned i = 0; i < info->nvcpus; i++) {
		fmt_snprintf(name, sizeof(name), "cpu@%x", i);
		fdt_w_begin_node(&w, name);
		fdt_w_prop_str(&w, "device_type", "cpu");
		fdt_w_prop_str(&w, "compatible", "arm,armv8");
		fdt_w_prop_u32(&w, "reg", i); /* the vCPU's VMPIDR_EL2 Aff0 */
		fdt_w_prop_str(&w, "enable-method", "psci");
		fdt_w_end_node(&w);
	}
	fdt_w_end_node(&w);

	fdt_w_begin_node(&w, "psci");
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	fdt_w_prop(&w, "compatible", psci_compat, sizeof(psci_compat));
	fdt_w_prop_str(&w, "method", "hvc");
	fdt_w_end_node(&w);

	add_gic(&w, info);

	/* The EL1 timers' PPIs (secure phys 13, phys 14, virt 11, hyp 10),
	 * level-high; GICv2 also names the CPUs they go to. */
	fdt_w_begin_node(&w, "timer");
	fdt_w_prop_str(&w, "compatible", "arm,armv8-timer");
	uint32_t cpumask = info->gic_version == 2 ? (((1u << info->nvcpus) - 1) & 0xff) << 8 : 0;
	uint32_t ppis[12] = {
		GIC_PPI, 13, cpumask | IRQ_LEVEL_HIGH, GIC_PPI, 14, cpumask | IRQ_LEVEL_HIGH,
		GIC_PPI, 11, cpumask | IRQ_LEVEL_HIGH, GIC_PPI, 10, cpumask | IRQ_LEVEL_HIGH};
	fdt_w_prop_cells(&w, "interrupts", ppis, 12);
	fdt_w_prop(&w, "always-on", "", 0);
	fdt_w_end_node(&w);

	/* The PL011's clocks, for Linux's AMBA bus and baud-rate code. */
	fdt_w_begin_node(&w, "apb-pclk");
	fdt_w_prop_str(&w, "compatible", "fixed-clock");
	fdt_w_prop_u32(&w, "#clock-cells", 0);
	fdt_w_prop_u32(&w, "clock-frequency", 24000000);
	fdt_w_prop_str(&w, "clock-output-names", "clk24mhz");
	fdt_w_prop_u32(&w, "phandle", PHANDLE_CLK);
	fdt_w_end_node(&w);

	fmt_snprintf(name, sizeof(name), "pl011@%llx", (unsigned long long)cfg->console_ipa);
	fdt_w_begin_node(&w, name);
	static const char uart_compat[] = "arm,pl011\0arm,primecell";
	fdt_w_prop(&w, "compatible", uart_compat, sizeof(uart_compat));
	fdt_w_prop_reg64(&w, "reg", cfg->console_ipa, VPL011_SIZE);
	uint32_t uirq[3] = {GIC_SPI, VGIC_UART_INTID - 32, IRQ_LEVEL_HIGH};
	fdt_w_prop_cells(&w, "interrupts", uirq, 3);
	uint32_t clks[2] = {PHANDLE_CLK, PHANDLE_CLK};
	fdt_w_prop_cells(&w, "clocks", clks, 2);
	static const char clk_names[] = "uartclk\0apb_pclk";
	fdt_w_prop(&w, "clock-names", clk_names, sizeof(clk_names));
	fdt_w_end_node(&w);

	if (cfg->ndevices)
		devices_write_nodes(&w, cfg, info->host_fdt, PHANDLE_GIC, PHANDLE_DEVICE);
	if (info->nchan)
		add_pci(&w, info);

	fdt_w_end_node(&w);
	return fdt_w_finish(&w);
}
