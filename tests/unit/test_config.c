/* Guest configuration: parsing the config tree and every refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/fdt_write.h"
#include "hyp/config/boot_layout.h"
#include "hyp/config/config.h"
#include "mm/phys_alloc.h"

static uint8_t buf[8192];
static const uint8_t kernel[4096];

static struct guest_config good(void)
{
	struct guest_config g = {.name = "g",
				 .ipa_bits = 40,
				 .ram_ipa = 0x40000000,
				 .ram_size = 0x4000000,
				 .ncpus = 1,
				 .cpus = {1},
				 .kernel = kernel,
				 .kernel_size = sizeof(kernel),
				 .bootargs = "",
				 .console_ipa = DEFAULT_CONSOLE_IPA, .time_slice_us = DEFAULT_TIME_SLICE_US};
	return g;
}

static const struct host_range owned[] = {
	{0x40000000, 0x80000000, "host RAM", NULL},
	{0x9000000, 0x1000, "the hypervisor's UART", NULL},
	{0x8000000, 0x10000, "the GIC distributor", NULL},
	{0x80a0000, 0xf60000, "the GIC redistributors", NULL},
};
static const struct config_limits lim = {.max_ipa_bits = 44,
					 .pa_bits = 44,
					 .ncpus = 4,
					 .owned = owned,
					 .nowned = ARRAY_SIZE(owned),
					 .uart_irq = 33,
					 .nr_irqs = 288};
static const struct config_taken none;

static int validate(struct guest_config *g, uint32_t cpus, uint64_t irqs)
{
	struct config_taken t = {.cpus = cpus};
	for (unsigned i = 0; i < 64; i++)
		if (irqs & BIT(i))
			t.irqs[(32 + i) / 32] |= 1u << ((32 + i) % 32);
	return config_validate(g, &lim, &t);
}

#define REFUSED(g, taken, text)                                        \
	do {                                                           \
		assert_int_equal(validate(&(g), (taken), 0), -EINVAL); \
		assert_non_null(strstr((g).error, (text)));            \
		(g).error[0] = '\0';                                   \
	} while (0)

static void test_valid(void **state)
{
	(void)state;
	struct guest_config g = good();
	assert_int_equal(validate(&g, 0, 0), 0);
	assert_string_equal(g.error, "");
}

static void test_ipa_bits(void **state)
{
	(void)state;
	struct guest_config g = good();
	g.ipa_bits = 48;
	REFUSED(g, 0, "ipa-bits=48 exceeds what the CPU supports (PARange 44 bits)");
	/* Exactly what the CPU gives is fine. */
	g = good();
	g.ipa_bits = 44;
	assert_int_equal(validate(&g, 0, 0), 0);
	/* 52 bits on a CPU with 52-bit PA but no LPA2 for stage 2. */
	struct config_limits nolpa2 = lim;
	nolpa2.max_ipa_bits = 48;
	nolpa2.pa_bits = 52;
	g = good();
	g.ipa_bits = 52;
	assert_int_equal(config_validate(&g, &nolpa2, &none), -EINVAL);
	assert_non_null(strstr(g.error, "ipa-bits=52 exceeds what the CPU supports (PARange 48 "
					"bits, no FEAT_LPA2)"));
	g = good();
	g.ipa_bits = 31;
	REFUSED(g, 0, "ipa-bits=31 not supported");
	g = good();
	g.ipa_bits = 50;
	REFUSED(g, 0, "ipa-bits=50 not supported");
}

static void test_regions(void **state)
{
	(void)state;
	struct guest_config g = good();
	g.ram_ipa = 0x40000800;
	REFUSED(g, 0, "not 4 KiB aligned");
	g = good();
	g.ipa_bits = 32;
	g.ram_ipa = 0xfe000000;
	REFUSED(g, 0, "does not fit in ipa-bits=32");
	g = good();
	g.ram_ipa = 0xfffffffffffff000ULL; /* wraps */
	REFUSED(g, 0, "does not fit");
	g = good();
	g.console_ipa = 0x40001000;
	REFUSED(g, 0, "console ipa=0x40001000");
	g = good();
	g.nmmio = 1;
	g.mmio[0] = (struct passthrough){0x43fff000, 0xa000000, 0x2000, NULL};
	REFUSED(g, 0, "overlaps memory or console");
	g = good();
	g.nmmio = 2;
	g.mmio[0] = (struct passthrough){0x10000000, 0xa000000, 0x2000, NULL};
	g.mmio[1] = (struct passthrough){0x10001000, 0xa100000, 0x1000, NULL};
	REFUSED(g, 0, "passthrough 1 overlaps passthrough 0");
	g = good();
	g.nmmio = 1;
	g.mmio[0] = (struct passthrough){0x10000000, 0x7ffff000, 0x2000, NULL};
	REFUSED(g, 0, "is host RAM");
	g = good();
	g.nmmio = 1;
	g.mmio[0] = (struct passthrough){0x10000000, 0x9000000, 0x1000, NULL};
	REFUSED(g, 0, "hypervisor's UART");
	g = good();
	g.nmmio = 1;
	g.mmio[0] = (struct passthrough){0x10000000, 0xa000000, 0x1000, NULL};
	assert_int_equal(validate(&g, 0, 0), 0);
	g = good();
	g.ram_size = 0x100000;
	REFUSED(g, 0, "no 2 MiB aligned slot");
}

/* Physical addresses of passthrough ranges: inside PARange, no wrap, never
 * what the hypervisor owns, never another guest's. */
static void test_passthrough_pa(void **state)
{
	(void)state;
	struct guest_config g = good();
	g.nmmio = 1;
	/* Bit 48 set: the descriptor would drop it and map host RAM. */
	g.mmio[0] = (struct passthrough){0x20000000, 0x1000040200000ULL, 0x400000, NULL};
	REFUSED(g, 0, "outside the 44-bit physical address space");
	g.mmio[0] = (struct passthrough){0x100000000ULL, 0xFFFFFFFFC0000000ULL, 0x80000000, NULL};
	REFUSED(g, 0, "outside the 44-bit physical address space");
	g.mmio[0] = (struct passthrough){0x20000000, 0xfffffff000ULL, 0x2000, NULL};
	assert_int_equal(validate(&g, 0, 0), 0);
	assert_string_equal(g.error, "");
	g.mmio[0] = (struct passthrough){0x20000000, 0xffffffff000ULL, 0x2000, NULL};
	REFUSED(g, 0, "outside the 44-bit");
	/* The GIC's frames belong to the hypervisor. */
	g = good();
	g.nmmio = 1;
	g.mmio[0] = (struct passthrough){0x20000000, 0x8000000, 0x10000, NULL};
	REFUSED(g, 0, "is the GIC distributor");
	g.mmio[0] = (struct passthrough){0x20000000, 0x80a0000, 0x20000, NULL};
	REFUSED(g, 0, "is the GIC redistributors");
	/* Two guests never share a device. */
	struct guest_config other = good();
	other.nmmio = 1;
	other.cpus[0] = 2;
	other.mmio[0] = (struct passthrough){0x30000000, 0xa000000, 0x2000, NULL};
	struct config_taken t = {0};
	assert_int_equal(config_validate(&other, &lim, &t), 0);
	config_take(&t, &other);
	g = good();
	g.nmmio = 1;
	g.mmio[0] = (struct passthrough){0x20000000, 0xa001000, 0x1000, NULL};
	assert_int_equal(config_validate(&g, &lim, &t), -EINVAL);
	assert_non_null(strstr(g.error, "already passed through to guest g"));
	g.error[0] = '\0';
	g.mmio[0] = (struct passthrough){0x20000000, 0xa002000, 0x1000, NULL};
	assert_int_equal(config_validate(&g, &lim, &t), 0);
	/* A 52-bit guest's stage 2 has 52-bit descriptors; others 48. */
	struct config_limits big = lim;
	big.pa_bits = 52;
	big.max_ipa_bits = 52;
	g = good();
	g.nmmio = 1;
	g.mmio[0] = (struct passthrough){0x20000000, 0x1000000000000ULL, 0x1000, NULL};
	assert_int_equal(config_validate(&g, &big, &none), -EINVAL);
	assert_non_null(strstr(g.error, "outside the 48-bit"));
	g.ipa_bits = 52;
	g.error[0] = '\0';
	assert_int_equal(config_validate(&g, &big, &none), 0);
}

/* The kernel's Image header is untrusted input: nothing it says may place
 * a copy outside the guest's RAM. */
static uint8_t image[4096];

static void set_header(uint64_t text_offset, uint64_t image_size)
{
	memset(image, 0, 64);
	memcpy(image + 56, "ARM\x64", 4);
	for (int i = 0; i < 8; i++) {
		image[8 + i] = (uint8_t)(text_offset >> (8 * i));
		image[16 + i] = (uint8_t)(image_size >> (8 * i));
	}
}

static void test_boot_layout(void **state)
{
	(void)state;
	struct guest_config g = good(); /* RAM 0x40000000 + 64 MiB */
	g.kernel = image;
	g.kernel_size = sizeof(image);
	struct boot_layout l;
	const char *why = "";

	set_header(0x80000, 0x200000);
	assert_int_equal(boot_layout(&g, &l, &why), 0);
	assert_int_equal(l.kernel_ipa, 0x40080000);
	assert_int_equal(l.dtb_ipa, 0x43e00000);
	assert_int_equal(l.initrd_ipa, 0x43e00000); /* no initrd: empty, at the DTB */
	g.initrd = image;
	g.initrd_size = 0x1800;
	assert_int_equal(boot_layout(&g, &l, &why), 0);
	assert_int_equal(l.initrd_ipa, 0x43dfe000);
	assert_true(l.initrd_ipa >= l.kernel_ipa + 0x200000);

	/* Values that wrap 64-bit sums, or just do not fit. */
	static const uint64_t bad[][2] = {
		{0xffffffffffe00000ULL, 0x1000},
		{0x0, 0xffffffffffffff00ULL},
		{0xfffffffffff00000ULL, 0x200000},
		{0x4000000, 0x1000},
		{0x80000, 0x3e00000},
		{0x1000000000000000ULL, 0xf000000000000000ULL},
		{0x3c00000, 0x200000},
	};
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		set_header(bad[i][0], bad[i][1]);
		assert_int_equal(boot_layout(&g, &l, &why), -ENOSPC);
		assert_int_equal(validate(&g, 0, 0), -EINVAL);
		assert_non_null(strstr(g.error, "kernel"));
		g.error[0] = 0;
	}
	/* The largest kernel that still fits below initrd and DTB. */
	set_header(0, 0x3e00000 - 0x2000);
	assert_int_equal(boot_layout(&g, &l, &why), 0);
	set_header(0, 0x3e00000 - 0x1000);
	assert_int_equal(boot_layout(&g, &l, &why), -ENOSPC);
	assert_non_null(strstr(why, "initrd"));
	/* RAM not 2 MiB aligned: the kernel goes to the next 2 MiB boundary. */
	g = good();
	g.ram_ipa = 0x40100000;
	g.kernel = image;
	g.kernel_size = sizeof(image);
	set_header(0, 0x1000);
	assert_int_equal(boot_layout(&g, &l, &why), 0);
	assert_int_equal(l.kernel_ipa, 0x40200000);
	/* A raw binary (no header) goes at the start of RAM. */
	memset(image, 0, 64);
	assert_int_equal(boot_layout(&g, &l, &why), 0);
	assert_int_equal(l.kernel_ipa, 0x40100000);
}

static void test_cpus(void **state)
{
	(void)state;
	struct guest_config g = good();
	g.cpus[0] = 4;
	REFUSED(g, 0, "cpu 4 does not exist");
	/* A CPU another guest has, or this one twice (two vCPUs): shared. */
	g = good();
	assert_int_equal(validate(&g, 1u << 1, 0), 0);
	g.ncpus = 4;
	g.cpus[1] = 1, g.cpus[2] = 0, g.cpus[3] = 0;
	assert_int_equal(validate(&g, 1u << 1, 0), 0);
	g.cpus[3] = 4;
	REFUSED(g, 0, "cpu 4 does not exist (host has 4)");
}

static void test_sharing(void **state)
{
	(void)state;
	struct guest_config g = good();
	g.time_slice_us = 0;
	REFUSED(g, 0, "time-slice-us 0 is not 100 to 10000000");
	g.time_slice_us = 99;
	REFUSED(g, 0, "time-slice-us 99 is not 100 to 10000000");
	g.time_slice_us = 10000001;
	REFUSED(g, 0, "time-slice-us 10000001 is not");
	g.time_slice_us = 100;
	assert_int_equal(validate(&g, 0, 0), 0);
	g.priority = 256;
	REFUSED(g, 0, "priority 256 is above 255");
	g.priority = 255;
	assert_int_equal(validate(&g, 0, 0), 0);
}

static void test_interrupts(void **state)
{
	(void)state;
	struct guest_config g = good();
	g.nirqs = 2;
	g.irqs[0] = 34;
	g.irqs[1] = 40;
	assert_int_equal(validate(&g, 0, 0), 0);
	g.irqs[1] = 20;
	REFUSED(g, 0, "interrupt 20 is not an SPI");
	/* Any SPI the host GIC has (288 INTIDs here), e.g. the Raspberry Pi
	 * 4's UART at INTID 153; none beyond. */
	g.irqs[1] = 153;
	assert_int_equal(validate(&g, 0, 0), 0);
	g.irqs[1] = 288;
	REFUSED(g, 0, "interrupt 288 is not an SPI the host GIC has (32..287)");
	g.irqs[1] = 34;
	REFUSED(g, 0, "interrupt 34 is listed twice");
	g = good();
	g.nirqs = 1;
	g.irqs[0] = 33;
	REFUSED(g, 0, "interrupt 33 is the console's");
	g = good();
	g.nirqs = 1;
	g.irqs[0] = 34;
	assert_int_equal(validate(&g, 0, BIT(34 - 32)), -EINVAL);
	assert_non_null(strstr(g.error, "belongs to another guest"));
}

static void test_parse(void **state)
{
	(void)state;
	struct fdt_writer w;
	fdt_w_init(&w, buf, sizeof(buf));
	fdt_w_begin_node(&w, "");
	fdt_w_begin_node(&w, "guests");
	fdt_w_begin_node(&w, "alpha");
	fdt_w_prop_u32(&w, "ipa-bits", 36);
	uint32_t mem[4] = {0x1, 0x0, 0x0, 0x2000000};
	fdt_w_prop_cells(&w, "memory", mem, 4);
	uint32_t cpus[2] = {2, 3};
	fdt_w_prop_cells(&w, "cpus", cpus, 2);
	fdt_w_prop(&w, "kernel", kernel, 100);
	fdt_w_prop_str(&w, "bootargs", "quiet");
	uint32_t pt[6] = {0, 0xa000000, 0, 0xa000000, 0, 0x1000};
	fdt_w_prop_cells(&w, "passthrough", pt, 6);
	static const char devs[] = "/pl031@9010000\0serial1";
	fdt_w_prop(&w, "devices", devs, sizeof(devs));
	uint32_t dipa[4] = {0, 0xa010000, 0x1, 0x0};
	fdt_w_prop_cells(&w, "devices-ipa", dipa, 4);
	fdt_w_prop(&w, "stage2-4k-pages", "", 0);
	fdt_w_prop(&w, "direct-map", "", 0);
	/* One already a device (only marked), one more (added, no IPA). */
	static const char dma[] = "serial1\0/soc/dma@7e007000";
	fdt_w_prop(&w, "dma-devices", dma, sizeof(dma));
	fdt_w_prop_u32(&w, "priority", 7);
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "broken");
	fdt_w_prop_u32(&w, "ipa-bits", 40);
	fdt_w_prop_u32(&w, "memory", 5);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	int size = fdt_w_finish(&w);
	assert_true(size > 0);

	struct guest_config out[MAX_GUESTS];
	const char *why = NULL;
	assert_int_equal(config_parse(buf, (size_t)size, out, MAX_GUESTS, &why), 2);
	assert_string_equal(out[0].name, "alpha");
	assert_int_equal(out[0].ipa_bits, 36);
	assert_int_equal(out[0].ram_ipa, 0x100000000ULL);
	assert_int_equal(out[0].ram_size, 0x2000000);
	assert_int_equal(out[0].ncpus, 2);
	assert_int_equal(out[0].cpus[1], 3);
	assert_int_equal(out[0].priority, 7);
	assert_int_equal(out[0].time_slice_us, DEFAULT_TIME_SLICE_US);
	assert_int_equal(out[0].kernel_size, 100);
	assert_string_equal(out[0].bootargs, "quiet");
	assert_int_equal(out[0].console_ipa, DEFAULT_CONSOLE_IPA);
	assert_int_equal(out[0].nmmio, 1);
	assert_int_equal(out[0].mmio[0].size, 0x1000);
	assert_int_equal(out[0].ndevices, 3);
	assert_string_equal(out[0].devices[0].name, "/pl031@9010000");
	assert_string_equal(out[0].devices[1].name, "serial1");
	assert_string_equal(out[0].devices[2].name, "/soc/dma@7e007000");
	assert_true(out[0].devices[0].ipa_set && out[0].devices[1].ipa_set);
	assert_false(out[0].devices[2].ipa_set);
	assert_false(out[0].devices[0].dma_listed);
	assert_true(out[0].devices[1].dma_listed && out[0].devices[2].dma_listed);
	assert_true(out[0].direct_map);
	assert_false(out[1].direct_map);
	assert_int_equal(out[0].devices[0].ipa, 0xa010000);
	assert_int_equal(out[0].devices[1].ipa, 0x100000000ULL);
	assert_true(out[0].stage2_4k_pages);
	assert_false(out[1].stage2_4k_pages);
	assert_string_equal(out[0].error, "");
	/* The broken guest is marked, not fatal. */
	assert_string_equal(out[1].name, "broken");
	assert_non_null(strstr(out[1].error, "memory must be"));
	assert_int_equal(config_validate(&out[1], &lim, &none), -EINVAL);
	/* A blob without /guests, or not a blob at all, is refused whole. */
	assert_int_equal(config_parse(buf, 10, out, MAX_GUESTS, &why), -EINVAL);
}

/* The remaining validation refusals: the virtual GIC window, the console's
 * placement, passthrough alignment and fit. */
static void test_more_refusals(void **state)
{
	(void)state;
	struct guest_config g = good();
	g.ram_ipa = 0x8000000;
	g.ram_size = 0x4000000;
	REFUSED(g, 0, "memory overlaps the virtual GIC at 0x8000000-0x8200000");
	g = good();
	g.console_ipa = 0x81ff000;
	REFUSED(g, 0, "console overlaps the virtual GIC");
	g = good();
	g.console_ipa = 0x9000800;
	REFUSED(g, 0, "console ipa=0x9000800 must be page aligned");
	g = good();
	g.console_ipa = 1ULL << 40;
	REFUSED(g, 0, "console ipa=0x10000000000 must be page aligned, in the IPA space");
	g = good();
	g.nmmio = 1;
	g.mmio[0] = (struct passthrough){0x81f0000, 0xa000000, 0x20000, NULL};
	REFUSED(g, 0, "passthrough 0 ipa=0x81f0000 overlaps the virtual GIC");
	g.mmio[0] = (struct passthrough){0x10000000, 0xa000800, 0x1000, NULL};
	REFUSED(g, 0, "passthrough 0 (ipa=0x10000000 pa=0xa000800 size=0x1000) not 4 KiB aligned");
	g.mmio[0] = (struct passthrough){0x10000000, 0xa000000, 0x1800, NULL};
	REFUSED(g, 0, "not 4 KiB aligned");
	g.mmio[0] = (struct passthrough){0xfffff000000ULL, 0xa000000, 0x2000000, NULL};
	REFUSED(g, 0, "passthrough 0 ipa=0xfffff000000 size=0x2000000 does not fit in ipa-bits=40");
	g.mmio[0] = (struct passthrough){0x10000000, 0xa000000, 0, NULL};
	REFUSED(g, 0, "does not fit");
	g = good();
	g.console_ipa = 0x10000000;
	g.nmmio = 1;
	g.mmio[0] = (struct passthrough){0x10000000, 0xa000000, 0x1000, NULL};
	REFUSED(g, 0, "passthrough 0 ipa=0x10000000 overlaps memory or console");
}

/* Refusals made while reading the config tree: one bad property each. */
static int one_guest(const char *prop, const void *val, size_t len, const char *name)
{
	struct fdt_writer w;
	fdt_w_init(&w, buf, sizeof(buf));
	fdt_w_begin_node(&w, "");
	fdt_w_begin_node(&w, "guests");
	fdt_w_begin_node(&w, name);
	uint32_t mem[4] = {0, 0x40000000, 0, 0x4000000}, cpus[1] = {1};
	if (strcmp(prop, "ipa-bits"))
		fdt_w_prop_u32(&w, "ipa-bits", 40);
	if (strcmp(prop, "memory"))
		fdt_w_prop_cells(&w, "memory", mem, 4);
	if (strcmp(prop, "cpus"))
		fdt_w_prop_cells(&w, "cpus", cpus, 1);
	if (strcmp(prop, "kernel"))
		fdt_w_prop(&w, "kernel", kernel, 64);
	if (val)
		fdt_w_prop(&w, prop, val, len);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	return fdt_w_finish(&w);
}

static void test_parse_refusals(void **state)
{
	(void)state;
	static const uint8_t zeros[9 * 24];
	static const char two_strings[] = "a\0b";
	static const struct {
		const char *prop;
		const void *val;
		size_t len;
		const char *why;
	} cases[] = {
		{"ipa-bits", NULL, 0, "ipa-bits missing"},
		{"ipa-bits", zeros, 8, "ipa-bits missing"},
		{"memory", NULL, 0, "memory must be <ipa-hi ipa-lo size-hi size-lo>"},
		{"memory", zeros, 8, "memory must be"},
		{"cpus", NULL, 0, "cpus must list 1 to 8 host CPU indexes"},
		{"cpus", zeros, 0, "cpus must list"},
		{"cpus", zeros, 36, "cpus must list"},
		{"cpus", zeros, 6, "cpus must list"},
		{"kernel", NULL, 0, "kernel image missing"},
		{"kernel", zeros, 0, "kernel image missing"},
		{"bootargs", two_strings, sizeof(two_strings), "bootargs must be one string"},
		{"bootargs", "abc", 3, "bootargs must be one string"},
		{"console", zeros, 4, "console must be <ipa-hi ipa-lo>"},
		{"interrupts", zeros, 6, "interrupts must list up to 8 SPI INTIDs"},
		{"interrupts", zeros, 36, "interrupts must list"},
		{"passthrough", zeros, 20, "passthrough must be up to 8 <ipa pa size> triples"},
		{"passthrough", zeros, 9 * 24, "passthrough must be"},
		{"devices", "abc", 3, "devices must be a list of strings"},
		{"devices", "a\0\0", 3, "devices and dma-devices must name 1 to 8 host nodes"},
		{"devices", "a\0b\0c\0d\0e\0f\0g\0h\0i", 18, "must name 1 to 8 host nodes"},
		{"dma-devices", "abc", 3, "dma-devices must be a list of strings"},
	};
	struct guest_config out[MAX_GUESTS];
	const char *why = NULL;
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		int size = one_guest(cases[i].prop, cases[i].val, cases[i].len, "g");
		assert_true(size > 0);
		assert_int_equal(config_parse(buf, (size_t)size, out, MAX_GUESTS, &why), 1);
		if (!strstr(out[0].error, cases[i].why))
			fail_msg("case %u (%s): got '%s'", i, cases[i].prop, out[0].error);
		assert_int_equal(config_validate(&out[0], &lim, &none), -EINVAL);
	}
	/* A good one parses clean; a name too long is refused. */
	int size = one_guest("none", NULL, 0, "g");
	assert_int_equal(config_parse(buf, (size_t)size, out, MAX_GUESTS, &why), 1);
	assert_string_equal(out[0].error, "");
	size = one_guest("none", NULL, 0, "a-guest-name-of-24-chars");
	assert_int_equal(config_parse(buf, (size_t)size, out, MAX_GUESTS, &why), 1);
	assert_non_null(strstr(out[0].error, "name longer than 23 characters"));
	/* More guests than fit, and no /guests node: the blob is refused. */
	size = one_guest("none", NULL, 0, "g");
	assert_int_equal(config_parse(buf, (size_t)size, out, 0, &why), -EINVAL);
	assert_string_equal(why, "too many guests");
	struct fdt_writer w;
	fdt_w_init(&w, buf, sizeof(buf));
	fdt_w_begin_node(&w, "");
	fdt_w_begin_node(&w, "other");
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	size = fdt_w_finish(&w);
	assert_int_equal(config_parse(buf, (size_t)size, out, MAX_GUESTS, &why), -EINVAL);
	assert_string_equal(why, "no /guests node");
}

static void test_phys_alloc(void **state)
{
	(void)state;
	struct phys_ranges p = {0};
	phys_add(&p, 0x40000000, 0x80000000);
	phys_reserve(&p, 0x40000000, 0x1200000); /* hypervisor image and pool */
	phys_reserve(&p, 0x48000000, 0x100000);	 /* DTB */
	paddr_t a;
	/* Top-down, aligned. */
	assert_int_equal(phys_alloc(&p, 0x4000000, 0x200000, &a), 0);
	assert_int_equal(pa_addr(a), 0xbc000000);
	/* No 1 GiB-aligned GiB is left free; a 256 MiB-aligned chunk is. */
	assert_int_equal(phys_alloc(&p, 0x40000000, 0x40000000, &a), -ENOMEM);
	assert_int_equal(phys_alloc(&p, 0x10000000, 0x10000000, &a), 0);
	assert_int_equal(pa_addr(a), 0xa0000000);
	/* Nothing returned overlaps the reserved ranges. */
	for (int i = 0; i < 20; i++) {
		if (phys_alloc(&p, 0x1000000, 0x200000, &a))
			break;
		uint64_t b = pa_addr(a);
		assert_true(b >= 0x41200000);
		assert_true(b + 0x1000000 <= 0x48000000 || b >= 0x48100000);
	}
	assert_int_equal(phys_alloc(&p, 0x80000000, 0x1000, &a), -ENOMEM);
}

/* A guest node with one extra property (or child node) in it, parsed. */
static struct guest_config parsed_with(const char *prop, const char *child)
{
	struct fdt_writer w;
	fdt_w_init(&w, buf, sizeof(buf));
	fdt_w_begin_node(&w, "");
	fdt_w_begin_node(&w, "guests");
	fdt_w_begin_node(&w, "g");
	fdt_w_prop_u32(&w, "ipa-bits", 40);
	uint32_t mem[4] = {0, 0x40000000, 0, 0x4000000};
	fdt_w_prop_cells(&w, "memory", mem, 4);
	fdt_w_prop_u32(&w, "cpus", 1);
	fdt_w_prop(&w, "kernel", kernel, 100);
	if (prop)
		fdt_w_prop_u32(&w, prop, 34);
	if (child) {
		fdt_w_begin_node(&w, child);
		fdt_w_end_node(&w);
	}
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	int size = fdt_w_finish(&w);
	assert_true(size > 0);
	static struct guest_config out[MAX_GUESTS];
	const char *why = "";
	assert_int_equal(config_parse(buf, (size_t)size, out, MAX_GUESTS, &why), 1);
	return out[0];
}

/* A typo must not silently take a device or an argument from a guest: an
 * unknown property or node refuses it, naming the nearest known name. */
static void test_unknown_names(void **state)
{
	(void)state;
	struct guest_config g = parsed_with("interrupts", NULL);
	assert_string_equal(g.error, "");
	assert_false(g.schema_error);
	g = parsed_with("interupts", NULL);
	assert_string_equal(g.error, "interupts: unknown property, did you mean interrupts?");
	assert_true(g.schema_error);
	g = parsed_with("bootarg", NULL);
	assert_string_equal(g.error, "bootarg: unknown property, did you mean bootargs?");
	g = parsed_with("devices_ipa", NULL);
	assert_string_equal(g.error, "devices_ipa: unknown property, did you mean devices-ipa?");
	g = parsed_with("direct-mapped", NULL);
	assert_string_equal(g.error, "direct-mapped: unknown property, did you mean direct-map?");
	g = parsed_with("identity-map", NULL);
	assert_string_equal(g.error, "identity-map: unknown property");
	assert_true(g.schema_error);
	g = parsed_with(NULL, "uart");
	assert_string_equal(g.error, "uart: unknown node (a guest has properties only)");
	assert_true(g.schema_error);
	/* What dtc adds when a guest is referenced by label. */
	g = parsed_with("phandle", NULL);
	assert_string_equal(g.error, "");

	/* A top-level node the schema does not know makes the whole
	 * configuration unusable: the build fails on it. */
	struct fdt_writer w;
	fdt_w_init(&w, buf, sizeof(buf));
	fdt_w_begin_node(&w, "");
	fdt_w_begin_node(&w, "guests");
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "guest");
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	int size = fdt_w_finish(&w);
	static struct guest_config out[MAX_GUESTS];
	const char *why = "";
	assert_int_equal(config_parse(buf, (size_t)size, out, MAX_GUESTS, &why), -EINVAL);
	assert_string_equal(why, "guest: unknown top-level node, did you mean guests?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),	       cmocka_unit_test(test_ipa_bits),
		cmocka_unit_test(test_regions),	       cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_sharing),
		cmocka_unit_test(test_interrupts),     cmocka_unit_test(test_parse),
		cmocka_unit_test(test_phys_alloc),     cmocka_unit_test(test_passthrough_pa),
		cmocka_unit_test(test_boot_layout),    cmocka_unit_test(test_more_refusals),
		cmocka_unit_test(test_parse_refusals), cmocka_unit_test(test_unknown_names),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
