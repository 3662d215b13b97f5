/* FDT writer and reader round trip, and refusal of malformed blobs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/fdt.h"
#include "hyp/config/boot_layout.h"
#include "drivers/fdt_write.h"
#include "drivers/pl011.h"
#include "drivers/platform.h"
#include "hyp/config/guest_fdt.h"

static uint8_t buf[8192];

static int build_host_like(void)
{
	struct fdt_writer w;
	fdt_w_init(&w, buf, sizeof(buf));
	fdt_w_begin_node(&w, "");
	fdt_w_prop_u32(&w, "#address-cells", 2);
	fdt_w_prop_u32(&w, "#size-cells", 2);
	fdt_w_begin_node(&w, "chosen");
	fdt_w_prop_str(&w, "stdout-path", "serial0:115200n8");
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "aliases");
	fdt_w_prop_str(&w, "serial0", "/pl011@9000000");
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "memory@40000000");
	fdt_w_prop_str(&w, "device_type", "memory");
	fdt_w_prop_reg64(&w, "reg", 0x40000000, 0x80000000);
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "pl011@1000");
	static const char c[] = "arm,pl011\0arm,primecell";
	fdt_w_prop(&w, "compatible", c, sizeof(c));
	fdt_w_prop_reg64(&w, "reg", 0x1000, 0x1000);
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "pl011@9000000");
	fdt_w_prop(&w, "compatible", c, sizeof(c));
	fdt_w_prop_reg64(&w, "reg", 0x9000000, 0x1000);
	uint32_t clocks[2] = {0x8000, 0x8000};
	fdt_w_prop_cells(&w, "clocks", clocks, 2);
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "apb-pclk");
	fdt_w_prop_str(&w, "compatible", "fixed-clock");
	fdt_w_prop_u32(&w, "clock-frequency", 24000000);
	fdt_w_prop_u32(&w, "phandle", 0x8000);
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "psci");
	fdt_w_prop_str(&w, "method", "smc");
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "intc@8000000");
	fdt_w_prop_str(&w, "compatible", "arm,gic-v3");
	uint32_t reg[8] = {0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0xf60000};
	fdt_w_prop_cells(&w, "reg", reg, 8);
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "cpus");
	fdt_w_prop_u32(&w, "#address-cells", 1);
	fdt_w_prop_u32(&w, "#size-cells", 0);
	for (unsigned i = 0; i < 3; i++) {
		char name[16];
		snprintf(name, sizeof(name), "cpu@%u", i);
		fdt_w_begin_node(&w, name);
		fdt_w_prop_str(&w, "device_type", "cpu");
		fdt_w_prop_u32(&w, "reg", i == 2 ? 0x100 : i);
		fdt_w_end_node(&w);
	}
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	return fdt_w_finish(&w);
}

static void test_round_trip_platform(void **state)
{
	(void)state;
	int size = build_host_like();
	assert_true(size > 0);
	const char *why = NULL;
	assert_int_equal(fdt_check(buf, (size_t)size, &why), 0);
	/* Free space after the blocks (QEMU pads its blob to 1 MiB) is not
	 * part of what a reader touches. */
	assert_int_equal(fdt_used_size(buf), (size_t)size);
	static uint8_t padded[sizeof(buf) * 2] __attribute__((aligned(8)));
	memcpy(padded, buf, (size_t)size);
	uint32_t big = __builtin_bswap32((uint32_t)sizeof(padded));
	memcpy(padded + 4, &big, 4);
	assert_int_equal(fdt_check(padded, sizeof(padded), &why), 0);
	assert_int_equal(fdt_totalsize(padded), sizeof(padded));
	assert_int_equal(fdt_used_size(padded), (size_t)size);
	struct platform p;
	assert_int_equal(platform_parse(buf, &p, &why), 0);
	assert_int_equal(p.nmem, 1);
	assert_int_equal(p.mem[0].base, 0x40000000);
	assert_int_equal(p.mem[0].size, 0x80000000);
	assert_int_equal(p.ncpus, 3);
	assert_int_equal(p.cpu_mpidr[2], 0x100);
	/* stdout-path through an alias wins over the first PL011. */
	assert_int_equal(p.uart_base, 0x9000000);
	/* Its fixed reference clock, for the baud rate. */
	assert_int_equal(p.uart_clock, 24000000);
	/* 115200 baud: 24 MHz / (16 * 115200) = 13.02 -> IBRD 13, FBRD 1;
	 * the Pi's 48 MHz: 26.04 -> 26, 3. */
	assert_int_equal(pl011_divisor_115200(24000000), 13 * 64 + 1);
	assert_int_equal(pl011_divisor_115200(48000000), 26 * 64 + 3);
	assert_int_equal(p.psci, PSCI_CONDUIT_SMC);
	assert_int_equal(p.gic, GIC_V3);
	assert_int_equal(p.gicr_base, 0x80a0000);
}

static void test_malformed_blobs(void **state)
{
	(void)state;
	int size = build_host_like();
	uint8_t copy[sizeof(buf)];
	const char *why;
	/* Truncated. */
	assert_int_not_equal(fdt_check(buf, (size_t)size - 8, &why), 0);
	assert_string_equal(why, "totalsize past end");
	/* Bad magic. */
	memcpy(copy, buf, (size_t)size);
	copy[0] ^= 0xff;
	assert_int_not_equal(fdt_check(copy, (size_t)size, &why), 0);
	assert_string_equal(why, "bad magic");
	/* A property length running past the structure block. */
	memcpy(copy, buf, (size_t)size);
	uint32_t off_struct = fdt32(copy + 8);
	/* first token is BEGIN_NODE "" (8 bytes), then PROP: len at +4 */
	uint8_t *len = copy + off_struct + 8 + 4;
	len[0] = 0x7f;
	assert_int_not_equal(fdt_check(copy, (size_t)size, &why), 0);
	assert_string_equal(why, "name or property past the structure block");
	/* An unknown token. */
	memcpy(copy, buf, (size_t)size);
	copy[off_struct + 3] = 7;
	assert_int_not_equal(fdt_check(copy, (size_t)size, &why), 0);
	assert_string_equal(why, "bad token");
	/* A reservation map offset that wraps index * 16 in 32 bits, or runs
	 * past the blob, or has no terminating entry inside it. */
	static const uint32_t rsv_offsets[] = {0xfffffff0, 0xfffffffc, 0x7ffffff8, 12, 41};
	for (unsigned i = 0; i < sizeof(rsv_offsets) / 4; i++) {
		memcpy(copy, buf, (size_t)size);
		uint32_t v = rsv_offsets[i];
		copy[16] = (uint8_t)(v >> 24), copy[17] = (uint8_t)(v >> 16);
		copy[18] = (uint8_t)(v >> 8), copy[19] = (uint8_t)v;
		assert_int_not_equal(fdt_check(copy, (size_t)size, &why), 0);
		assert_string_equal(why, "blocks outside blob");
	}
	memcpy(copy, buf, (size_t)size);
	uint32_t rsv = fdt32(copy + 16);
	memset(copy + rsv, 0x11, 16); /* the terminator becomes an entry... */
	memset(copy + rsv + 16, 0x22, (size_t)size - rsv - 16); /* ...and so does the rest */
	assert_int_not_equal(fdt_check(copy, (size_t)size, &why), 0);
	/* Blocks outside the blob. */
	memcpy(copy, buf, (size_t)size);
	copy[36] = 0x7f; /* size_dt_struct */
	assert_int_not_equal(fdt_check(copy, (size_t)size, &why), 0);
	assert_string_equal(why, "blocks outside blob");
	memcpy(copy, buf, (size_t)size);
	copy[32] = 0x7f; /* size_dt_strings */
	assert_int_not_equal(fdt_check(copy, (size_t)size, &why), 0);
	assert_string_equal(why, "blocks outside blob");

	/* Every single-byte corruption of the header and structure block is
	 * either refused or still parses into a usable tree. The blob sits at
	 * the very end of an exactly-sized allocation, so ASan sees any read
	 * past it. */
	uint32_t checked = 0, refused = 0;
	for (uint32_t i = 0; i < off_struct + fdt32(buf + 36); i++) {
		for (unsigned flip = 0; flip < 2; flip++) {
			uint8_t *blob = malloc((size_t)size);
			assert_non_null(blob);
			memcpy(blob, buf, (size_t)size);
			blob[i] ^= flip ? 0x80 : 0x55;
			why = NULL;
			if (fdt_check(blob, (size_t)size, &why) == 0) {
				/* Accepted: every walk stays inside and ends. */
				struct platform p;
				int r = platform_parse(blob, &p, &why);
				assert_true(r == 0 || (r == -EINVAL && why != NULL));
				unsigned nodes = 0;
				for (int n = fdt_next_node(blob, -1); n >= 0;
				     n = fdt_next_node(blob, n))
					assert_true(++nodes < 1000);
				uint64_t a, sz;
				for (unsigned k = 0; fdt_memreserve(blob, k, &a, &sz) == 0; k++)
					assert_true(k < (unsigned)size / 16);
				checked++;
			} else {
				assert_non_null(why);
				refused++;
			}
			free(blob);
		}
	}
	/* Both outcomes happen: the sweep really exercised the checks. */
	assert_true(refused > 50);
	assert_true(checked > 50);
	assert_int_not_equal(fdt_check(NULL, 0, &why), 0);
	/* Tokens are read with aligned loads: a blob must start aligned. */
	static uint8_t shifted[sizeof(buf) + 4] __attribute__((aligned(8)));
	int host_size = build_host_like();
	memcpy(shifted + 1, buf, (size_t)host_size);
	assert_int_equal(fdt_check(shifted + 1, (size_t)host_size, &why), -EINVAL);
	assert_string_equal(why, "not 4-byte aligned");
}

static void test_guest_fdt(void **state)
{
	(void)state;
	struct guest_config cfg = {.name = "linux0",
				   .ipa_bits = 40,
				   .ram_ipa = 0x80000000,
				   .ram_size = 0x10000000,
				   .bootargs = "console=ttyAMA0",
				   .console_ipa = 0x9000000};
	struct guest_fdt_info info = {&cfg, 2, 0x8f000000, 0x123456, 3, NULL, 7, NULL, 0};
	int size = guest_fdt_build(buf, sizeof(buf), &info);
	assert_true(size > 0);
	assert_int_equal(fdt_check(buf, (size_t)size, NULL), 0);
	int mem = fdt_path_offset(buf, "/memory");
	uint64_t a, s;
	assert_int_equal(fdt_reg(buf, mem, 0, 0, &a, &s), 0);
	assert_int_equal(a, 0x80000000);
	assert_int_equal(s, 0x10000000);
	int chosen = fdt_path_offset(buf, "/chosen");
	assert_string_equal(fdt_getprop(buf, chosen, "bootargs", NULL), "console=ttyAMA0");
	/* The boot counter a guest gets in place of a RAM that survives. */
	assert_int_equal(fdt_prop_u32(buf, chosen, "hyp,reset-count", 99), 7);
	uint64_t start, end;
	assert_int_equal(fdt_prop_u64(buf, chosen, "linux,initrd-start", &start), 0);
	assert_int_equal(fdt_prop_u64(buf, chosen, "linux,initrd-end", &end), 0);
	assert_int_equal(start, 0x8f000000);
	assert_int_equal(end, 0x8f000000 + 0x123456);
	assert_int_equal(platform_find_uart(buf), 0x9000000);
	assert_int_equal(platform_find_psci(buf), PSCI_CONDUIT_HVC);
	int cpus = fdt_path_offset(buf, "/cpus");
	int n = 0;
	for (int c = fdt_first_child(buf, cpus); c >= 0; c = fdt_next_sibling(buf, c))
		assert_int_equal(fdt_prop_u32(buf, c, "reg", 99), (uint32_t)n++);
	assert_int_equal(n, 2);
	/* The GIC matches the host's version, at the guest's own addresses,
	 * with one 128 KiB redistributor per vCPU. */
	int gic = fdt_find_compatible(buf, -1, "arm,gic-v3");
	assert_true(gic >= 0);
	assert_int_equal(fdt_reg(buf, gic, 0, 0, &a, &s), 0);
	assert_int_equal(a, 0x08000000);
	assert_int_equal(fdt_reg(buf, gic, 0, 1, &a, &s), 0);
	assert_int_equal(a, 0x080a0000);
	assert_int_equal(s, 2 * 0x20000);
	int uart = fdt_find_compatible(buf, -1, "arm,pl011");
	int len;
	const uint8_t *irq = fdt_getprop(buf, uart, "interrupts", &len);
	assert_int_equal(len, 12);
	assert_int_equal(fdt32(irq + 4), 1); /* SPI 1 = INTID 33 */
	assert_true(fdt_find_compatible(buf, -1, "arm,armv8-timer") >= 0);
	info.gic_version = 2;
	size = guest_fdt_build(buf, sizeof(buf), &info);
	assert_true(size > 0);
	gic = fdt_find_compatible(buf, -1, "arm,cortex-a15-gic");
	assert_true(gic >= 0);
	assert_int_equal(fdt_reg(buf, gic, 0, 1, &a, &s), 0);
	assert_int_equal(a, 0x08010000);
	assert_int_equal(s, 0x2000);
	/* Too small a buffer is an error, not an overflow. */
	assert_true(guest_fdt_build(buf, 200, &info) < 0);
}

static void test_kernel_image_header(void **state)
{
	(void)state;
	uint8_t img[64] = {0};
	struct kernel_image ki;
	kernel_image_parse(img, sizeof(img), &ki);
	assert_false(ki.is_image);
	memcpy(img + 56, "ARM\x64", 4);
	img[8 + 2] = 0x08;  /* text_offset 0x80000 */
	img[16 + 2] = 0x20; /* image_size 0x200000 */
	kernel_image_parse(img, sizeof(img), &ki);
	assert_true(ki.is_image);
	assert_int_equal(ki.text_offset, 0x80000);
	assert_int_equal(ki.image_size, 0x200000);

	/* A little-endian Image and a raw binary boot; compressed, ELF and
	 * big-endian images are refused, each with its reason. */
	assert_null(kernel_format_problem(img, sizeof(img)));
	img[24] = 1; /* flags: big-endian */
	assert_non_null(strstr(kernel_format_problem(img, sizeof(img)), "big-endian"));
	static const uint8_t raw[] = {0x1f, 0x20, 0x03, 0xd5}; /* nop */
	assert_null(kernel_format_problem(raw, sizeof(raw)));
	static const struct {
		const char *bytes;
		size_t len;
		const char *why;
	} bad[] = {
		{"\x1f\x8b\x08\x00", 4, "gzip"},
		{"\xfd"
		 "7zXZ\0\0",
		 8, "xz"},
		{"\x28\xb5\x2f\xfd\0", 5, "zstd"},
		{"BZh91AY", 7, "bzip2"},
		{"\x04\x22\x4d\x18\0", 5, "lz4"},
		{"\x7f"
		 "ELF\x02\x01",
		 6, "ELF"},
		{"MZ\0\0zimg\0\0", 10, "EFI zboot"},
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = kernel_format_problem(bad[i].bytes, bad[i].len);
		if (!why || !strstr(why, bad[i].why))
			fail_msg("%s: got %s", bad[i].why, why ? why : "accepted");
	}
	/* Too short to carry the magic: not mistaken for one. */
	assert_null(kernel_format_problem("\x1f", 1));
}

/* A Raspberry Pi 4 shaped tree: devices behind translating buses, a
 * GIC-400, spin-table CPUs, the power-management watchdog. */
static void test_ranges_and_spin_table(void **state)
{
	(void)state;
	struct fdt_writer w;
	fdt_w_init(&w, buf, sizeof(buf));
	fdt_w_begin_node(&w, "");
	fdt_w_prop_u32(&w, "#address-cells", 2);
	fdt_w_prop_u32(&w, "#size-cells", 1);
	fdt_w_begin_node(&w, "memory@0");
	fdt_w_prop_str(&w, "device_type", "memory");
	uint32_t mem[3] = {0, 0, 0x3b400000};
	fdt_w_prop_cells(&w, "reg", mem, 3);
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "soc");
	fdt_w_prop_u32(&w, "#address-cells", 1);
	fdt_w_prop_u32(&w, "#size-cells", 1);
	/* <child parent-hi parent-lo size> */
	uint32_t ranges[8] = {0x7e000000, 0, 0xfe000000, 0x1800000,
			      0x40000000, 0, 0xff800000, 0x800000};
	fdt_w_prop_cells(&w, "ranges", ranges, 8);
	fdt_w_begin_node(&w, "serial@7e201000");
	static const char c[] = "arm,pl011\0arm,primecell";
	fdt_w_prop(&w, "compatible", c, sizeof(c));
	uint32_t ureg[2] = {0x7e201000, 0x200};
	fdt_w_prop_cells(&w, "reg", ureg, 2);
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "interrupt-controller@40041000");
	fdt_w_prop_str(&w, "compatible", "arm,gic-400");
	uint32_t greg[8] = {0x40041000, 0x1000, 0x40042000, 0x2000,
			    0x40044000, 0x2000, 0x40046000, 0x2000};
	fdt_w_prop_cells(&w, "reg", greg, 8);
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "watchdog@7e100000");
	static const char wd[] = "brcm,bcm2711-pm\0brcm,bcm2835-pm-wdt";
	fdt_w_prop(&w, "compatible", wd, sizeof(wd));
	uint32_t wreg[2] = {0x7e100000, 0x114};
	fdt_w_prop_cells(&w, "reg", wreg, 2);
	fdt_w_end_node(&w);
	/* A second level: 0x0.. on this bus is 0x7e300000 on /soc. */
	fdt_w_begin_node(&w, "bus@7e300000");
	fdt_w_prop_u32(&w, "#address-cells", 1);
	fdt_w_prop_u32(&w, "#size-cells", 1);
	uint32_t r2[3] = {0x0, 0x7e300000, 0x1000};
	fdt_w_prop_cells(&w, "ranges", r2, 3);
	fdt_w_begin_node(&w, "dev@10");
	uint32_t dreg[2] = {0x10, 0x4};
	fdt_w_prop_cells(&w, "reg", dreg, 2);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	/* A bus without ranges: its children are not CPU addressable. */
	fdt_w_begin_node(&w, "private");
	fdt_w_prop_u32(&w, "#address-cells", 1);
	fdt_w_prop_u32(&w, "#size-cells", 1);
	fdt_w_begin_node(&w, "dev@20");
	uint32_t preg[2] = {0x20, 0x4};
	fdt_w_prop_cells(&w, "reg", preg, 2);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w); /* soc */
	fdt_w_begin_node(&w, "cpus");
	fdt_w_prop_u32(&w, "#address-cells", 1);
	fdt_w_prop_u32(&w, "#size-cells", 0);
	for (unsigned i = 0; i < 2; i++) {
		char name[16];
		snprintf(name, sizeof(name), "cpu@%u", i);
		fdt_w_begin_node(&w, name);
		fdt_w_prop_str(&w, "device_type", "cpu");
		fdt_w_prop_u32(&w, "reg", i);
		fdt_w_prop_str(&w, "enable-method", "spin-table");
		uint32_t rel[2] = {0, 0xd8 + 8 * i};
		fdt_w_prop_cells(&w, "cpu-release-addr", rel, 2);
		fdt_w_end_node(&w);
	}
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	int size = fdt_w_finish(&w);
	assert_true(size > 0);
	assert_int_equal(fdt_check(buf, (size_t)size, NULL), 0);

	uint64_t a, sz;
	int dev = fdt_path_offset(buf, "/soc/bus@7e300000/dev@10");
	assert_int_equal(fdt_reg_cpu(buf, dev, 0, &a, &sz), 0);
	assert_int_equal(a, 0xfe300010);
	assert_int_equal(sz, 4);
	assert_int_equal(fdt_parent(buf, dev), fdt_path_offset(buf, "/soc/bus@7e300000"));
	assert_int_equal(fdt_parent(buf, 0), -ENOENT);
	dev = fdt_path_offset(buf, "/soc/private/dev@20");
	assert_int_equal(fdt_reg_cpu(buf, dev, 0, &a, &sz), -ENOENT);

	struct platform p;
	const char *why = NULL;
	assert_int_equal(platform_parse(buf, &p, &why), 0);
	assert_int_equal(p.uart_base, 0xfe201000);
	assert_int_equal(p.uart_clock, 0); /* no clocks: the board's rate */
	assert_int_equal(p.gic, GIC_V2);
	assert_int_equal(p.gicd_base, 0xff841000);
	assert_int_equal(p.gicc_base, 0xff842000);
	assert_int_equal(p.gich_base, 0xff844000);
	assert_int_equal(p.gicv_base, 0xff846000);
	assert_int_equal(p.pm_base, 0xfe100000);
	assert_int_equal(p.psci, PSCI_CONDUIT_NONE);
	assert_int_equal(p.ncpus, 2);
	assert_int_equal(p.cpu_release[0], 0xd8);
	assert_int_equal(p.cpu_release[1], 0xe0);
	assert_int_equal(p.nmem, 1);
	assert_int_equal(p.mem[0].size, 0x3b400000);
}

/* ranges through a bus whose cells differ from its parent's: 1 address
 * cell under a root of 2, and 2 size cells in its ranges. A reg just
 * inside a range is translated, one that starts at its end or runs past
 * it is not (translating the start alone would hand out what lies
 * beyond the window). */
static void test_ranges_cells(void **state)
{
	(void)state;
	struct fdt_writer w;
	fdt_w_init(&w, buf, sizeof(buf));
	fdt_w_begin_node(&w, "");
	fdt_w_prop_u32(&w, "#address-cells", 2);
	fdt_w_prop_u32(&w, "#size-cells", 1);
	fdt_w_begin_node(&w, "bus");
	fdt_w_prop_u32(&w, "#address-cells", 1);
	fdt_w_prop_u32(&w, "#size-cells", 2);
	/* <child(1) parent(2) size(2)>: 0x10000000.. -> 0x4_00000000, 1 MiB */
	uint32_t ranges[5] = {0x10000000, 0x4, 0x00000000, 0x0, 0x100000};
	fdt_w_prop_cells(&w, "ranges", ranges, 5);
	static const struct {
		const char *name;
		uint32_t reg[3]; /* <addr(1) size(2)> */
	} devs[] = {
		{"inside@100ff000", {0x100ff000, 0, 0x1000}},	 /* the last page */
		{"past@10100000", {0x10100000, 0, 0x4}},	 /* at the end */
		{"straddle@100ff800", {0x100ff800, 0, 0x1000}}, /* runs past it */
		{"before@fffffff", {0x0fffffff, 0, 0x2}},	 /* starts before it */
	};
	for (unsigned i = 0; i < 4; i++) {
		fdt_w_begin_node(&w, devs[i].name);
		fdt_w_prop_cells(&w, "reg", devs[i].reg, 3);
		fdt_w_end_node(&w);
	}
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	int size = fdt_w_finish(&w);
	assert_true(size > 0);
	assert_int_equal(fdt_check(buf, (size_t)size, NULL), 0);
	uint64_t a, s;
	assert_int_equal(fdt_reg_cpu(buf, fdt_path_offset(buf, "/bus/inside@100ff000"), 0, &a, &s), 0);
	assert_int_equal(a, 0x4000ff000ULL);
	assert_int_equal(s, 0x1000);
	assert_int_equal(fdt_reg_cpu(buf, fdt_path_offset(buf, "/bus/past@10100000"), 0, &a, &s),
			 -ENOENT);
	assert_int_equal(
		fdt_reg_cpu(buf, fdt_path_offset(buf, "/bus/straddle@100ff800"), 0, &a, &s), -ENOENT);
	assert_int_equal(fdt_reg_cpu(buf, fdt_path_offset(buf, "/bus/before@fffffff"), 0, &a, &s),
			 -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_platform),
		cmocka_unit_test(test_malformed_blobs),
		cmocka_unit_test(test_guest_fdt),
		cmocka_unit_test(test_kernel_image_header),
		cmocka_unit_test(test_ranges_and_spin_table),
		cmocka_unit_test(test_ranges_cells),
	};
	return cmocka_run_group_tests_name("fdt", tests, NULL, NULL);
}
