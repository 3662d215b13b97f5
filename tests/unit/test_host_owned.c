/* What the hypervisor keeps for itself, on the real device trees of the
 * machines it runs on: QEMU virt with GICv3 (and its ITS) and with GICv2
 * (and its v2m frame), dumped by QEMU itself, and Debian's Raspberry Pi 4
 * tree. Every reg of every node it drives, and of every child of its
 * interrupt controller, must be refused to a guest by raw passthrough and
 * by devices alike; an ordinary device must still be accepted.
 * The trees come from $HOST_DTB_DIR (tests/unit/unit.mk makes them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/fdt.h"
#include "drivers/host_owned.h"
#include "drivers/platform.h"
#include "hyp/config/config.h"
#include "hyp/config/devices.h"

static const uint8_t kernel[4096];

struct machine {
	void *fdt;
	struct platform plat;
	struct host_range owned[HOST_OWNED_MAX];
	struct config_limits lim;
};

static void load(struct machine *m, const char *file)
{
	char path[512];
	const char *dir = getenv("HOST_DTB_DIR");
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("%s: cannot open (make unit-test makes it)", path);
	static uint8_t blobs[4][1 << 20];
	static unsigned next;
	assert_true(next < 4);
	m->fdt = blobs[next++];
	size_t n = fread(m->fdt, 1, sizeof(blobs[0]), f);
	fclose(f);
	const char *why = "";
	assert_int_equal(fdt_check(m->fdt, n, &why), 0);
	assert_int_equal(platform_parse(m->fdt, &m->plat, &why), 0);
	int k = host_owned_ranges(&m->plat, m->owned, HOST_OWNED_MAX);
	assert_true(k > 0);
	m->lim = (struct config_limits){.max_ipa_bits = 44,
					.pa_bits = 44,
					.ncpus = 4,
					.owned = m->owned,
					.nowned = (unsigned)k,
					.nr_irqs = 1020};
}

static struct guest_config guest(void)
{
	return (struct guest_config){.name = "g",
				     .ipa_bits = 40,
				     .ram_ipa = 0x40000000,
				     .ram_size = 0x4000000,
				     .ncpus = 1,
				     .kernel = kernel,
				     .kernel_size = sizeof(kernel),
				     .bootargs = "",
				     .console_ipa = DEFAULT_CONSOLE_IPA, .time_slice_us = DEFAULT_TIME_SLICE_US};
}

/* A raw passthrough of size bytes at pa: the refusal, or "" if accepted. */
static const char *raw_range(struct machine *m, uint64_t pa, uint64_t size)
{
	static struct guest_config g;
	static const struct config_taken none;
	g = guest();
	g.mmio[0] = (struct passthrough){0x20000000, pa & ~0xfffULL, size, NULL};
	g.nmmio = 1;
	config_validate(&g, &m->lim, &none);
	return g.error;
}

static const char *raw(struct machine *m, uint64_t pa)
{
	return raw_range(m, pa, 0x1000);
}

/* devices = path: the refusal, or "" if accepted. */
static const char *device(struct machine *m, const char *path)
{
	static struct guest_config g;
	static const struct config_taken none;
	g = guest();
	g.devices[0] = (struct guest_device){.name = path, .ipa = 0x20000000, .ipa_set = true};
	g.ndevices = 1;
	if (devices_resolve(&g, m->fdt) == 0)
		config_validate(&g, &m->lim, &none);
	return g.error;
}

#define KEPT(text, by) assert_non_null(strstr((text), (by)))

/* Every reg of node and of everything below it, raw and as a device. */
static unsigned refuse_tree(struct machine *m, int node, const char *path, const char *by)
{
	uint64_t a, s;
	unsigned regs = 0;
	for (unsigned i = 0; fdt_reg_cpu(m->fdt, node, i, &a, &s) == 0; i++, regs++)
		for (uint64_t off = 0; off < s; off += 0x1000)
			KEPT(raw(m, a + off), by);
	if (regs) {
		/* Refused; by ownership unless something else came first (the
		 * GIC's own PPI). */
		const char *why = device(m, path);
		assert_string_not_equal(why, "");
		if (strstr(why, " pa="))
			KEPT(why, by);
	}
	for (int c = fdt_first_child(m->fdt, node); c >= 0; c = fdt_next_sibling(m->fdt, c)) {
		char sub[256];
		snprintf(sub, sizeof(sub), "%s/%s", path, fdt_node_name(m->fdt, c));
		regs += refuse_tree(m, c, sub, by);
	}
	return regs;
}

static void test_virt_gicv3(void **state)
{
	(void)state;
	static struct machine m;
	load(&m, "virt-gicv3.dtb");
	assert_int_equal(m.plat.gic, GIC_V3);
	/* The distributor, the redistributors and the ITS. */
	assert_int_equal(refuse_tree(&m, m.plat.gic_node, "/intc@8000000",
				     "the hypervisor's interrupt controller"),
			 3);
	assert_string_equal(device(&m, "/intc@8000000/its@8080000"),
			    "device /intc@8000000/its@8080000 pa=0x8080000 is the hypervisor's "
			    "interrupt controller (its@8080000)");
	KEPT(raw(&m, 0x8090000), "(its@8080000)"); /* its second 64 KiB frame */
	KEPT(raw(&m, 0x80a0000 + 0xf5f000), "interrupt controller");
	refuse_tree(&m, m.plat.uart_node, "/pl011@9000000", "the hypervisor's UART");
	KEPT(raw(&m, 0x40000000), "host RAM");
	/* Neighbours that are not the hypervisor's. */
	assert_string_equal(raw(&m, 0x9010000), "");
	assert_string_equal(device(&m, "/pl031@9010000"), "");
	assert_string_equal(raw(&m, 0x807f000), "");
	/* A range that only ends inside a kept one. */
	KEPT(raw_range(&m, 0x807f000, 0x2000), "(its@8080000)");
}

static void test_virt_gicv2(void **state)
{
	(void)state;
	static struct machine m;
	load(&m, "virt-gicv2.dtb");
	assert_int_equal(m.plat.gic, GIC_V2);
	/* GICD, GICC, GICH, GICV and the v2m MSI frame. */
	assert_int_equal(refuse_tree(&m, m.plat.gic_node, "/intc@8000000",
				     "the hypervisor's interrupt controller"),
			 5);
	KEPT(device(&m, "/intc@8000000/v2m@8020000"), "(v2m@8020000)");
	KEPT(raw(&m, 0x8030000), "interrupt controller (intc@8000000)"); /* GICH */
	KEPT(raw(&m, 0x8040000), "interrupt controller (intc@8000000)"); /* GICV */
	assert_string_equal(raw(&m, 0x9010000), "");
	assert_string_equal(raw(&m, 0x8021000), "");
}

static void test_rpi4(void **state)
{
	(void)state;
	static struct machine m;
	load(&m, "bcm2711-rpi-4-b.dtb");
	assert_int_equal(m.plat.gic, GIC_V2);
	assert_true(m.plat.pm_node >= 0);
	refuse_tree(&m, m.plat.gic_node, "/soc/interrupt-controller@40041000",
		    "the hypervisor's interrupt controller");
	refuse_tree(&m, m.plat.pm_node, "/soc/watchdog@7e100000",
		    "the hypervisor's power-off watchdog");
	assert_string_equal(device(&m, "/soc/watchdog@7e100000"),
			    "device /soc/watchdog@7e100000 pa=0xfe100000 is the hypervisor's "
			    "power-off watchdog (watchdog@7e100000)");
	KEPT(raw(&m, 0xfe100000), "power-off watchdog");
	KEPT(raw(&m, 0xfe201000), "the hypervisor's UART");
	KEPT(raw(&m, 0xff800000), "the CPUs' local block");
	KEPT(raw(&m, 0xff841000), "interrupt controller"); /* GICD */
	KEPT(raw(&m, 0xff846000), "interrupt controller"); /* GICV */
	/* The same blocks at their 35-bit addresses. */
	KEPT(raw(&m, 0x47e100000), "power-off watchdog");
	KEPT(raw(&m, 0x47e201000), "the hypervisor's UART");
	KEPT(raw(&m, 0x4c0000000), "the CPUs' local block");
	KEPT(raw(&m, 0x4c0041000), "interrupt controller");
	/* The SD card controller and its 35-bit alias stay a guest's to have. */
	assert_string_equal(raw(&m, 0xfe340000), "");
	assert_string_equal(raw(&m, 0x47e340000), "");
}

/* Ranges that do not fit are an error, never a shorter list. */
static void test_no_room(void **state)
{
	(void)state;
	static struct machine m;
	load(&m, "virt-gicv3.dtb");
	struct host_range r[HOST_OWNED_MAX];
	assert_int_equal(host_owned_ranges(&m.plat, r, 3), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virt_gicv3),
		cmocka_unit_test(test_virt_gicv2),
		cmocka_unit_test(test_rpi4),
		cmocka_unit_test(test_no_room),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
