/* Host device-tree nodes handed to guests: finding them (path, alias,
 * label), their registers through bus ranges, their SPIs, every refusal,
 * and the copy written into the guest's device tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/fdt.h"
#include "drivers/fdt_write.h"
#include "hyp/config/config.h"
#include "hyp/config/devices.h"
#include "hyp/config/guest_fdt.h"

static uint8_t host[16384], guest[16384];
static const uint8_t kernel[4096];

#define PH_GIC	 0x8002
#define PH_APB	 0x8000
#define PH_INTC	 0x77
#define PH_FWCLK 0x78

static void node_with(struct fdt_writer *w, const char *name, const char *compat, uint64_t addr,
		      uint64_t size)
{
	fdt_w_begin_node(w, name);
	if (compat)
		fdt_w_prop_str(w, "compatible", compat);
	fdt_w_prop_reg64(w, "reg", addr, size);
}

/* QEMU virt's devices at the root (interrupt-parent inherited from it),
 * and a Raspberry Pi like bus that translates its children's addresses. */
static void build_host(void)
{
	struct fdt_writer w;
	fdt_w_init(&w, host, sizeof(host));
	fdt_w_begin_node(&w, "");
	fdt_w_prop_u32(&w, "#address-cells", 2);
	fdt_w_prop_u32(&w, "#size-cells", 2);
	fdt_w_prop_u32(&w, "interrupt-parent", PH_GIC);

	node_with(&w, "intc@8000000", "arm,gic-v3", 0x8000000, 0x10000);
	fdt_w_prop_u32(&w, "#interrupt-cells", 3);
	fdt_w_prop_u32(&w, "phandle", PH_GIC);
	fdt_w_end_node(&w);

	fdt_w_begin_node(&w, "apb-pclk");
	fdt_w_prop_str(&w, "compatible", "fixed-clock");
	fdt_w_prop_u32(&w, "#clock-cells", 0);
	fdt_w_prop_u32(&w, "clock-frequency", 24000000);
	fdt_w_prop_u32(&w, "phandle", PH_APB);
	fdt_w_end_node(&w);

	node_with(&w, "pl031@9010000", NULL, 0x9010000, 0x1000);
	static const char rtc[] = "arm,pl031\0arm,primecell";
	fdt_w_prop(&w, "compatible", rtc, sizeof(rtc));
	uint32_t irq[3] = {0, 2, 4};
	fdt_w_prop_cells(&w, "interrupts", irq, 3);
	fdt_w_prop_u32(&w, "clocks", PH_APB);
	fdt_w_prop_str(&w, "clock-names", "apb_pclk");
	fdt_w_prop_str(&w, "pinctrl-names", "default");
	fdt_w_prop_u32(&w, "pinctrl-0", 0x99);
	fdt_w_prop_u32(&w, "phandle", 0x55);
	fdt_w_prop_str(&w, "status", "disabled");
	fdt_w_prop_u32(&w, "arm,primecell-periphid", 0x41031);
	fdt_w_end_node(&w);

	node_with(&w, "pl011@9000000", "arm,pl011", 0x9000000, 0x1000);
	uint32_t uirq[3] = {0, 1, 4};
	fdt_w_prop_cells(&w, "interrupts", uirq, 3);
	fdt_w_end_node(&w);

	node_with(&w, "timerish@9030000", "vendor,ppi-user", 0x9030000, 0x1000);
	uint32_t ppi[3] = {1, 9, 4};
	fdt_w_prop_cells(&w, "interrupts", ppi, 3);
	fdt_w_end_node(&w);

	node_with(&w, "ext@9040000", "vendor,ext", 0x9040000, 0x1000);
	uint32_t ext[4] = {PH_GIC, 0, 5, 4};
	fdt_w_prop_cells(&w, "interrupts-extended", ext, 4);
	fdt_w_end_node(&w);

	fdt_w_begin_node(&w, "soc");
	fdt_w_prop_u32(&w, "#address-cells", 1);
	fdt_w_prop_u32(&w, "#size-cells", 1);
	uint32_t ranges[4] = {0x7e000000, 0, 0xfe000000, 0x1800000};
	fdt_w_prop_cells(&w, "ranges", ranges, 4);
	fdt_w_begin_node(&w, "intc@7e00b200");
	fdt_w_prop_str(&w, "compatible", "brcm,bcm2836-armctrl-ic");
	fdt_w_prop_u32(&w, "#interrupt-cells", 2);
	fdt_w_prop_u32(&w, "phandle", PH_INTC);
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "clocks");
	fdt_w_prop_u32(&w, "#clock-cells", 1);
	fdt_w_prop_u32(&w, "phandle", PH_FWCLK);
	fdt_w_end_node(&w);
	/* Two register blocks in one page, one in the next; an SPI. */
	fdt_w_begin_node(&w, "spi@7e204000");
	fdt_w_prop_str(&w, "compatible", "brcm,bcm2835-spi");
	uint32_t sreg[6] = {0x7e204000, 0x200, 0x7e204800, 0x100, 0x7e205000, 0x200};
	fdt_w_prop_cells(&w, "reg", sreg, 6);
	uint32_t sirq[3] = {0, 118, 4};
	fdt_w_prop_cells(&w, "interrupts", sirq, 3);
	uint32_t fwclk[2] = {PH_FWCLK, 20};
	fdt_w_prop_cells(&w, "clocks", fwclk, 2);
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "aux@7e215000");
	fdt_w_prop_str(&w, "compatible", "brcm,bcm2835-aux");
	uint32_t areg[2] = {0x7e215000, 0x8};
	fdt_w_prop_cells(&w, "reg", areg, 2);
	fdt_w_prop_u32(&w, "interrupt-parent", PH_INTC);
	uint32_t airq[2] = {1, 29};
	fdt_w_prop_cells(&w, "interrupts", airq, 2);
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "private");
	fdt_w_prop_u32(&w, "#address-cells", 1);
	fdt_w_prop_u32(&w, "#size-cells", 1);
	fdt_w_begin_node(&w, "dev@20");
	uint32_t preg[2] = {0x20, 0x4};
	fdt_w_prop_cells(&w, "reg", preg, 2);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w); /* soc */

	/* QEMU virt's virtio-mmio transports: eight to a page. */
	for (uint64_t a = 0xa003c00; a <= 0xa003e00; a += 0x200) {
		char name[32];
		snprintf(name, sizeof(name), "virtio_mmio@%llx", (unsigned long long)a);
		node_with(&w, name, "virtio,mmio", a, 0x200);
		uint32_t virq[3] = {0, (uint32_t)(16 + (a - 0xa000000) / 0x200), 1};
		fdt_w_prop_cells(&w, "interrupts", virq, 3);
		fdt_w_prop(&w, "dma-coherent", "", 0);
		fdt_w_end_node(&w);
	}
	/* A transport without dma-coherent: known by its binding alone. */
	node_with(&w, "virtio_mmio@a003a00", "virtio,mmio", 0xa003a00, 0x200);
	fdt_w_end_node(&w);
	/* An Ethernet controller with its MDIO bus and PHY below it, the
	 * PHY named by phandle (the Pi 4's GENET). */
	node_with(&w, "ethernet@a200000", "brcm,bcm2711-genet-v5", 0xa200000, 0x10000);
	fdt_w_prop_u32(&w, "#address-cells", 1);
	fdt_w_prop_u32(&w, "#size-cells", 1);
	uint32_t eirqs[6] = {0, 157, 4, 0, 158, 4};
	fdt_w_prop_cells(&w, "interrupts", eirqs, 6);
	fdt_w_prop_u32(&w, "phy-handle", 0x29);
	fdt_w_prop_str(&w, "phy-mode", "rgmii-rxid");
	fdt_w_begin_node(&w, "mdio@e14");
	fdt_w_prop_str(&w, "compatible", "brcm,genet-mdio-v5");
	uint32_t mreg[2] = {0xe14, 0x8};
	fdt_w_prop_cells(&w, "reg", mreg, 2);
	fdt_w_prop_u32(&w, "#address-cells", 1);
	fdt_w_prop_u32(&w, "#size-cells", 0);
	fdt_w_begin_node(&w, "ethernet-phy@1");
	fdt_w_prop_u32(&w, "reg", 1);
	fdt_w_prop_u32(&w, "phandle", 0x29);
	fdt_w_prop_u32(&w, "interrupt-parent", PH_INTC);
	fdt_w_prop_str(&w, "status", "okay");
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	/* A device no binding list knows, for dma-devices. */
	node_with(&w, "mystery@a100000", "vendor,mystery", 0xa100000, 0x1000);
	fdt_w_end_node(&w);
	/* The Pi 4's emmc2bus: registers through ranges, DMA through
	 * dma-ranges (bus 0xc0000000 is CPU 0, the lowest GiB only). */
	fdt_w_begin_node(&w, "emmc2bus");
	fdt_w_prop_str(&w, "compatible", "simple-bus");
	fdt_w_prop_u32(&w, "#address-cells", 2);
	fdt_w_prop_u32(&w, "#size-cells", 1);
	uint32_t eranges[5] = {0, 0x7e000000, 0, 0xfe000000, 0x1800000};
	fdt_w_prop_cells(&w, "ranges", eranges, 5);
	uint32_t edma[5] = {0, 0xc0000000, 0, 0, 0x40000000};
	fdt_w_prop_cells(&w, "dma-ranges", edma, 5);
	fdt_w_begin_node(&w, "mmc@7e340000");
	fdt_w_prop_str(&w, "compatible", "brcm,bcm2711-emmc2");
	uint32_t ereg[3] = {0, 0x7e340000, 0x100};
	fdt_w_prop_cells(&w, "reg", ereg, 3);
	uint32_t eirq[3] = {0, 126, 4};
	fdt_w_prop_cells(&w, "interrupts", eirq, 3);
	fdt_w_end_node(&w);
	/* A bus inside it that moves DMA once more: its 0x10000000 is the
	 * emmc2bus's 0xc8000000, CPU 0x08000000, for 512 MiB. */
	fdt_w_begin_node(&w, "inner");
	fdt_w_prop_u32(&w, "#address-cells", 1);
	fdt_w_prop_u32(&w, "#size-cells", 1);
	uint32_t iranges[4] = {0x7e000000, 0, 0x7e000000, 0x1000000};
	fdt_w_prop_cells(&w, "ranges", iranges, 4);
	uint32_t idma[4] = {0x10000000, 0, 0xc8000000, 0x20000000};
	fdt_w_prop_cells(&w, "dma-ranges", idma, 4);
	fdt_w_begin_node(&w, "eth@7e580000");
	fdt_w_prop_str(&w, "compatible", "vendor,plain");
	uint32_t ireg[2] = {0x7e580000, 0x1000};
	fdt_w_prop_cells(&w, "reg", ireg, 2);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w); /* emmc2bus */

	fdt_w_begin_node(&w, "aliases");
	fdt_w_prop_str(&w, "rtc0", "/pl031@9010000");
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "chosen");
	fdt_w_prop_str(&w, "bootargs", "");
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "psci");
	fdt_w_prop_str(&w, "compatible", "arm,psci-1.0");
	fdt_w_prop_str(&w, "method", "smc");
	fdt_w_end_node(&w);
	node_with(&w, "memory@40000000", NULL, 0x40000000, 0x8000000);
	fdt_w_prop_str(&w, "device_type", "memory");
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "cpus");
	fdt_w_prop_u32(&w, "#address-cells", 1);
	fdt_w_prop_u32(&w, "#size-cells", 0);
	fdt_w_begin_node(&w, "cpu@0");
	fdt_w_prop_str(&w, "device_type", "cpu");
	fdt_w_prop_u32(&w, "reg", 0);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "__symbols__");
	fdt_w_prop_str(&w, "spi0", "/soc/spi@7e204000");
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	int size = fdt_w_finish(&w);
	assert_true(size > 0);
	assert_int_equal(fdt_check(host, (size_t)size, NULL), 0);
}

static struct guest_config with_devices(const char *a, const char *b)
{
	struct guest_config g = {.name = "g",
				 .ipa_bits = 40,
				 .ram_ipa = 0x40000000,
				 .ram_size = 0x4000000,
				 .ncpus = 1,
				 .kernel = kernel,
				 .kernel_size = sizeof(kernel),
				 .bootargs = "",
				 .console_ipa = DEFAULT_CONSOLE_IPA, .time_slice_us = DEFAULT_TIME_SLICE_US};
	g.devices[g.ndevices++].name = a;
	if (b)
		g.devices[g.ndevices++].name = b;
	return g;
}

static void test_resolve(void **state)
{
	(void)state;
	build_host();
	/* By path: its page at the same address, its SPI 2 as INTID 34. */
	struct guest_config g = with_devices("/pl031@9010000", NULL);
	assert_int_equal(devices_resolve(&g, host), 0);
	assert_int_equal(g.nmmio, 1);
	assert_int_equal(g.mmio[0].pa, 0x9010000);
	assert_int_equal(g.mmio[0].ipa, 0x9010000);
	assert_int_equal(g.mmio[0].size, 0x1000);
	assert_string_equal(g.mmio[0].device, "/pl031@9010000");
	assert_int_equal(g.nirqs, 1);
	assert_int_equal(g.irqs[0], 34);

	/* By alias and by label, one moved to a configured IPA; the bus's
	 * ranges translate 0x7e204000 to 0xfe204000, and two blocks in one
	 * page become one range. */
	g = with_devices("rtc0", "spi0");
	g.devices[1].ipa = 0x20000000;
	g.devices[1].ipa_set = true;
	assert_int_equal(devices_resolve(&g, host), 0);
	assert_int_equal(g.nmmio, 2);
	assert_int_equal(g.mmio[0].pa, 0x9010000);
	assert_int_equal(g.mmio[1].pa, 0xfe204000);
	assert_int_equal(g.mmio[1].ipa, 0x20000000);
	assert_int_equal(g.mmio[1].size, 0x2000);
	assert_int_equal(g.nirqs, 2);
	assert_int_equal(g.irqs[1], 32 + 118);
}

#define NOT_RESOLVED(name, text)                                       \
	do {                                                           \
		struct guest_config g_ = with_devices((name), NULL);   \
		assert_int_equal(devices_resolve(&g_, host), -EINVAL); \
		assert_non_null(strstr(g_.error, (text)));             \
	} while (0)

static void test_refusals(void **state)
{
	(void)state;
	build_host();
	NOT_RESOLVED("/nothing@0", "device /nothing@0: no such node in the host device tree");
	NOT_RESOLVED("nolabel", "device nolabel: no such node");
	NOT_RESOLVED("/timerish@9030000", "interrupt <1 9> is not an SPI");
	NOT_RESOLVED("/ext@9040000", "interrupts-extended is not supported");
	NOT_RESOLVED("/soc/aux@7e215000", "go through a controller other than the GIC");
	NOT_RESOLVED("/soc/private/dev@20", "not reachable from the CPUs");
	/* Nodes that describe the machine, not a device, and one named twice
	 * (each would write a nameless or duplicate node into the guest's tree). */
	NOT_RESOLVED("/", "device /: is the root node, not a device");
	NOT_RESOLVED("/chosen", "device /chosen: has neither registers nor interrupts");
	NOT_RESOLVED("/aliases", "device /aliases: has neither registers nor interrupts");
	NOT_RESOLVED("/psci", "device /psci: has neither registers nor interrupts");
	NOT_RESOLVED("/cpus", "device /cpus: has neither registers nor interrupts");
	NOT_RESOLVED("/cpus/cpu@0", "device /cpus/cpu@0: is a memory or CPU node, not a device");
	NOT_RESOLVED("/memory@40000000", "is a memory or CPU node, not a device");
	NOT_RESOLVED("/soc/clocks", "device /soc/clocks: has neither registers nor interrupts");
	struct guest_config twice = with_devices("/pl031@9010000", "rtc0");
	assert_int_equal(devices_resolve(&twice, host), -EINVAL);
	assert_string_equal(twice.error,
			    "device rtc0: names the same node as an earlier entry");

	/* What validation then refuses: the hypervisor's UART and its SPI,
	 * a device another guest holds, an IPA inside the guest's RAM. */
	static const struct host_range owned[] = {{0x9000000, 0x1000, "the hypervisor's UART", NULL}};
	struct config_limits lim = {.max_ipa_bits = 44,
				    .pa_bits = 44,
				    .ncpus = 4,
				    .owned = owned,
				    .nowned = 1,
				    .uart_irq = 33,
				    .nr_irqs = 288};
	struct config_taken none = {0};
	struct guest_config g = with_devices("/pl011@9000000", NULL);
	assert_int_equal(devices_resolve(&g, host), 0);
	assert_int_equal(config_validate(&g, &lim, &none), -EINVAL);
	assert_string_equal(g.error, "device /pl011@9000000 pa=0x9000000 is the hypervisor's UART");

	struct guest_config first = with_devices("/pl031@9010000", NULL);
	assert_int_equal(devices_resolve(&first, host), 0);
	assert_int_equal(config_validate(&first, &lim, &none), 0);
	struct config_taken taken = {0};
	config_take(&taken, &first);
	g = with_devices("rtc0", NULL);
	g.cpus[0] = 1;
	assert_int_equal(devices_resolve(&g, host), 0);
	assert_int_equal(config_validate(&g, &lim, &taken), -EINVAL);
	assert_string_equal(g.error,
			    "device rtc0 pa=0x9010000 is already passed through to guest g");

	/* Its SPI held by another guest (raw "interrupts"). */
	struct config_taken spi_taken = {0};
	spi_taken.irqs[34 / 32] |= 1u << (34 % 32);
	g = with_devices("/pl031@9010000", NULL);
	assert_int_equal(devices_resolve(&g, host), 0);
	assert_int_equal(config_validate(&g, &lim, &spi_taken), -EINVAL);
	assert_string_equal(g.error, "interrupt 34 is listed twice or belongs to another guest");

	g = with_devices("/pl031@9010000", NULL);
	g.devices[0].ipa = 0x40001000;
	g.devices[0].ipa_set = true;
	assert_int_equal(devices_resolve(&g, host), 0);
	assert_int_equal(config_validate(&g, &lim, &none), -EINVAL);
	assert_non_null(strstr(g.error, "device /pl031@9010000 ipa=0x40001000 overlaps memory"));
}

/* Bus masters: known by binding, by dma-coherent, by a bus with
 * dma-ranges, or by the config's dma-devices; only a direct-mapped guest
 * may own one, and only if their DMA reaches all of its RAM. */
static void test_dma_devices(void **state)
{
	(void)state;
	build_host();
	struct guest_config g = with_devices("/virtio_mmio@a003e00", "/virtio_mmio@a003c00");
	assert_int_equal(devices_resolve(&g, host), 0);
	assert_true(g.devices[0].dma && g.devices[1].dma);
	/* Two transports in one page, one owner: one range, two SPIs. */
	assert_int_equal(g.nmmio, 1);
	assert_int_equal(g.mmio[0].pa, 0xa003000);
	assert_int_equal(g.mmio[0].size, 0x1000);
	assert_int_equal(g.nirqs, 2);
	assert_int_equal(g.irqs[0], 32 + 47);
	assert_int_equal(g.irqs[1], 32 + 46);
	struct config_limits lim = {.max_ipa_bits = 44, .pa_bits = 44, .ncpus = 4, .nr_irqs = 288};
	struct config_taken none = {0};
	assert_int_equal(config_validate(&g, &lim, &none), -EINVAL);
	assert_string_equal(g.error, "device /virtio_mmio@a003e00 masters the bus (DMA) and would "
				     "reach memory not the guest's: only a direct-map guest may own it");
	g = with_devices("/virtio_mmio@a003e00", "/virtio_mmio@a003c00");
	g.direct_map = true;
	assert_int_equal(devices_resolve(&g, host), 0);
	assert_int_equal(config_validate(&g, &lim, &none), 0);
	/* Moved elsewhere, they stay two ranges, which then overlap. */
	g = with_devices("/virtio_mmio@a003e00", "/virtio_mmio@a003c00");
	g.direct_map = true;
	g.devices[1].ipa = 0x20000000;
	g.devices[1].ipa_set = true;
	assert_int_equal(devices_resolve(&g, host), 0);
	assert_int_equal(g.nmmio, 2);

	g = with_devices("/virtio_mmio@a003a00", NULL);
	assert_int_equal(devices_resolve(&g, host), 0);
	assert_true(g.devices[0].dma);

	/* Not DMA: the PL031; listed in dma-devices: DMA. */
	g = with_devices("/pl031@9010000", "/mystery@a100000");
	assert_int_equal(devices_resolve(&g, host), 0);
	assert_false(g.devices[0].dma || g.devices[1].dma);
	g = with_devices("/pl031@9010000", "/mystery@a100000");
	g.devices[1].dma_listed = true;
	assert_int_equal(devices_resolve(&g, host), 0);
	assert_true(g.devices[1].dma);
	assert_int_equal(config_validate(&g, &lim, &none), -EINVAL);
	assert_non_null(strstr(g.error, "device /mystery@a100000 masters the bus (DMA)"));

	/* The emmc2 reaches the lowest GiB: RAM at 0x40000000 is out of it. */
	g = with_devices("/emmc2bus/mmc@7e340000", NULL);
	g.direct_map = true;
	assert_int_equal(devices_resolve(&g, host), -EINVAL);
	assert_string_equal(g.error, "device /emmc2bus/mmc@7e340000: its bus's dma-ranges reach "
				     "0x0-0x3fffffff, not all of memory 0x40000000-0x43ffffff");
	g = with_devices("/emmc2bus/mmc@7e340000", NULL);
	g.direct_map = true;
	g.ram_ipa = 0x3c000000; /* its last byte the window's last */
	assert_int_equal(devices_resolve(&g, host), 0);
	assert_true(g.devices[0].dma);
	assert_int_equal(g.mmio[0].pa, 0xfe340000);
	g.ram_ipa = 0x3c001000;
	g.error[0] = '\0';
	assert_int_equal(devices_resolve(&g, host), -EINVAL);

	/* Through two dma-ranges: a plain node on a bus that translates
	 * DMA is a bus master, its window the composition. */
	struct dma_window w[MAX_DMA_WINDOWS];
	int eth = fdt_path_offset(host, "/emmc2bus/inner/eth@7e580000");
	assert_int_equal(devices_dma_windows(host, eth, w, MAX_DMA_WINDOWS), 1);
	assert_int_equal(w[0].bus, 0x10000000);
	assert_int_equal(w[0].cpu, 0x08000000);
	assert_int_equal(w[0].last, 0x1fffffff);
	assert_int_equal(devices_dma_windows(host, fdt_path_offset(host, "/pl031@9010000"), w,
					     MAX_DMA_WINDOWS),
			 -1);
	g = with_devices("/emmc2bus/inner/eth@7e580000", NULL);
	g.direct_map = true;
	g.ram_ipa = 0x10000000;
	assert_int_equal(devices_resolve(&g, host), 0);
	assert_true(g.devices[0].dma);
	assert_int_equal(g.mmio[0].pa, 0xfe580000);
	g.ram_ipa = 0x06000000;
	g.error[0] = '\0';
	assert_int_equal(devices_resolve(&g, host), -EINVAL);
	assert_non_null(strstr(g.error, "reach 0x8000000-0x27ffffff, not all of memory"));

	/* In the guest's tree the emmc2 sits in a bus that keeps its DMA
	 * translation (IPA == PA) and passes its registers through. */
	g = with_devices("/emmc2bus/mmc@7e340000", "/virtio_mmio@a003e00");
	g.direct_map = true;
	g.ram_ipa = 0x30000000;
	assert_int_equal(devices_resolve(&g, host), 0);
	struct guest_fdt_info info = {&g, 1, 0, 0, 3, host, 0, NULL, 0};
	int size = guest_fdt_build(guest, sizeof(guest), &info);
	assert_true(size > 0);
	assert_int_equal(fdt_check(guest, (size_t)size, NULL), 0);
	int mmc = fdt_path_offset(guest, "/emmc2bus@fe340000/mmc@fe340000");
	assert_true(mmc >= 0);
	uint64_t a, sz;
	assert_int_equal(fdt_reg_cpu(guest, mmc, 0, &a, &sz), 0);
	assert_int_equal(a, 0xfe340000);
	assert_int_equal(devices_dma_windows(guest, mmc, w, MAX_DMA_WINDOWS), 1);
	assert_int_equal(w[0].bus, 0xc0000000);
	assert_int_equal(w[0].cpu, 0);
	assert_int_equal(w[0].last, 0x3fffffff);
	int bus = fdt_parent(guest, mmc);
	assert_true(fdt_is_compatible(guest, bus, "simple-bus"));
	/* No translation above the virtio transport: at the root as before. */
	assert_true(fdt_path_offset(guest, "/virtio_mmio@a003e00") >= 0);
	assert_non_null(fdt_getprop(guest, fdt_path_offset(guest, "/virtio_mmio@a003e00"),
				    "dma-coherent", NULL));
}

/* A device's subtree goes with it: the GENET's MDIO bus and PHY, their
 * reg as they are, the PHY's phandle moved clear of the guest's own and
 * the controller's phy-handle following it. */
static void test_subtree(void **state)
{
	(void)state;
	build_host();
	struct guest_config g = with_devices("/ethernet@a200000", NULL);
	g.direct_map = true;
	assert_int_equal(devices_resolve(&g, host), 0);
	assert_true(g.devices[0].dma);
	struct guest_fdt_info info = {&g, 1, 0, 0, 3, host, 0, NULL, 0};
	int size = guest_fdt_build(guest, sizeof(guest), &info);
	assert_true(size > 0);
	assert_int_equal(fdt_check(guest, (size_t)size, NULL), 0);
	int eth = fdt_path_offset(guest, "/ethernet@a200000");
	int phy = fdt_path_offset(guest, "/ethernet@a200000/mdio@e14/ethernet-phy@1");
	assert_true(eth >= 0 && phy >= 0);
	assert_int_equal(fdt_find_phandle(guest, fdt_prop_u32(guest, eth, "phy-handle", 0)), phy);
	assert_true(fdt_prop_u32(guest, phy, "phandle", 0) >= 0x10000000);
	assert_int_equal(fdt_prop_u32(guest, phy, "reg", ~0u), 1);
	assert_string_equal(fdt_getprop(guest, phy, "status", NULL), "okay");
	assert_null(fdt_getprop(guest, phy, "interrupt-parent", NULL)); /* the host's */
	int mdio = fdt_parent(guest, phy);
	uint64_t a, s;
	assert_int_equal(fdt_reg(guest, mdio, eth, 0, &a, &s), 0);
	assert_int_equal(a, 0xe14);
	assert_int_equal(s, 8);
	assert_true(fdt_is_compatible(guest, mdio, "brcm,genet-mdio-v5"));
	assert_string_equal(fdt_getprop(guest, eth, "phy-mode", NULL), "rgmii-rxid");
}

static void test_guest_copy(void **state)
{
	(void)state;
	build_host();
	struct guest_config g = with_devices("/pl031@9010000", "spi0");
	g.devices[1].ipa = 0x20000000;
	g.devices[1].ipa_set = true;
	assert_int_equal(devices_resolve(&g, host), 0);
	for (unsigned version = 2; version <= 3; version++) {
		struct guest_fdt_info info = {&g, 1, 0, 0, version, host, 0, NULL, 0};
		int size = guest_fdt_build(guest, sizeof(guest), &info);
		assert_true(size > 0);
		assert_int_equal(fdt_check(guest, (size_t)size, NULL), 0);

		int rtc = fdt_path_offset(guest, "/pl031@9010000");
		assert_true(rtc >= 0);
		assert_true(fdt_is_compatible(guest, rtc, "arm,pl031"));
		assert_true(fdt_is_compatible(guest, rtc, "arm,primecell"));
		uint64_t a, s;
		assert_int_equal(fdt_reg(guest, rtc, 0, 0, &a, &s), 0);
		assert_int_equal(a, 0x9010000);
		assert_int_equal(s, 0x1000);
		int len;
		const uint8_t *irq = fdt_getprop(guest, rtc, "interrupts", &len);
		assert_int_equal(len, 12);
		assert_int_equal(fdt32(irq), 0);
		assert_int_equal(fdt32(irq + 4), 2);
		assert_int_equal(fdt32(irq + 8), 4);
		/* Its interrupt parent is the guest's GIC. */
		int gic = fdt_find_phandle(guest, fdt_prop_u32(guest, rtc, "interrupt-parent", 0));
		assert_true(gic >= 0);
		assert_non_null(fdt_getprop(guest, gic, "interrupt-controller", NULL));
		/* apb_pclk became a fixed clock of the guest's own, same rate. */
		int clk = fdt_find_phandle(guest, fdt_prop_u32(guest, rtc, "clocks", 0));
		assert_true(clk >= 0);
		assert_true(fdt_is_compatible(guest, clk, "fixed-clock"));
		assert_int_equal(fdt_prop_u32(guest, clk, "clock-frequency", 0), 24000000);
		assert_string_equal(fdt_getprop(guest, rtc, "clock-names", NULL), "apb_pclk");
		assert_string_equal(fdt_getprop(guest, rtc, "status", NULL), "okay");
		assert_int_equal(fdt_prop_u32(guest, rtc, "arm,primecell-periphid", 0), 0x41031);
		/* Host phandles do not follow it. */
		assert_null(fdt_getprop(guest, rtc, "pinctrl-0", NULL));
		assert_null(fdt_getprop(guest, rtc, "pinctrl-names", NULL));
		assert_null(fdt_getprop(guest, rtc, "phandle", NULL));

		/* The moved device: all three blocks at the guest's addresses
		 * (2 + 2 cells), its SPI; a clock without a fixed rate dropped. */
		int spi = fdt_path_offset(guest, "/spi@20000000");
		assert_true(spi >= 0);
		assert_int_equal(fdt_reg(guest, spi, 0, 0, &a, &s), 0);
		assert_int_equal(a, 0x20000000);
		assert_int_equal(s, 0x200);
		assert_int_equal(fdt_reg(guest, spi, 0, 1, &a, &s), 0);
		assert_int_equal(a, 0x20000800);
		assert_int_equal(fdt_reg(guest, spi, 0, 2, &a, &s), 0);
		assert_int_equal(a, 0x20001000);
		irq = fdt_getprop(guest, spi, "interrupts", &len);
		assert_int_equal(len, 12);
		assert_int_equal(fdt32(irq + 4), 118);
		assert_null(fdt_getprop(guest, spi, "clocks", NULL));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_guest_copy),
		cmocka_unit_test(test_dma_devices),
		cmocka_unit_test(test_subtree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
