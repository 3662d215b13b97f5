/* Random but well-formed guest configurations (docs/config.md), written as
 * a config device tree from a fuzzer's bytes, and a small host device tree
 * with the kinds of nodes `devices =` may name. Shared by fuzz_config.c
 * and fuzz_guest_fdt.c. */
#pragma once
#include <stdio.h>
#include <stdlib.h>

#include "drivers/fdt_write.h"
#include "hyp/config/config.h"
#include "tests/fuzz/fuzz_input.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* An arm64 Image header (Documentation/arch/arm64/booting.rst): 64 bytes,
 * "ARM\x64" at 0x38, text_offset at 8, image_size at 16. */
static size_t gen_kernel(struct fuzz_in *in, uint8_t *buf, size_t cap)
{
	static const uint64_t sizes[] = {64, 4096, 0x10000, 8, 0};
	size_t len = (size_t)fuzz_value(in, sizes, N(sizes)) % (cap + 1);
	memset(buf, 0, len);
	switch (fuzz_pick(in, 5)) {
	case 0: /* arm64 Image */
		if (len >= 64) {
			static const uint64_t text[] = {0, 0x80000, 0x200000, 0x1000};
			static const uint64_t isize[] = {0, 0x10000, 0x1000000, 0x40000000};
			uint64_t t = fuzz_value(in, text, N(text)),
				 s = fuzz_value(in, isize, N(isize));
			memcpy(buf + 8, &t, 8);
			memcpy(buf + 16, &s, 8);
			buf[24] = fuzz_u8(in) & 0xf; /* flags: endianness, page size, placement */
			memcpy(buf + 0x38, "ARM\x64", 4);
		}
		break;
	case 1: /* a compressed or foreign format's magic */
		if (len >= 4) {
			static const char *const magic[] = {"\x1f\x8b",
							    "\xfd"
							    "7zXZ",
							    "\x28\xb5\x2f\xfd",
							    "BZh",
							    "\x02\x21\x4c\x18",
							    "\x7f"
							    "ELF",
							    "MZ"};
			const char *m = magic[fuzz_pick(in, N(magic))];
			memcpy(buf, m, strlen(m));
		}
		break;
	case 2: /* bytes of the input */
		for (size_t i = 0; i < len && in->n; i++)
			buf[i] = fuzz_u8(in);
		break;
	default: /* raw code: a branch to itself */
		for (size_t i = 0; i + 4 <= len; i += 4)
			memcpy(buf + i, "\x00\x00\x00\x14", 4);
	}
	return len;
}

/* n numbers of 2 cells each, big-endian. */
static void gen_cells64(struct fdt_writer *w, const char *name, const uint64_t *v, unsigned n)
{
	uint8_t b[8 * 16];
	for (unsigned i = 0; i < n && i < 16; i++)
		for (unsigned k = 0; k < 8; k++)
			b[8 * i + k] = (uint8_t)(v[i] >> (56 - 8 * k));
	fdt_w_prop(w, name, b, 8 * (n < 16 ? n : 16));
}

static const uint64_t gen_ipas[] = {0x40000000, 0x80000000, 0,		 0x8000000,  0x9000000,
				    0x9010000,	0xa000000,  0x100000000, 1ULL << 40, 0xfffff000,
				    0x10000000, 1ULL << 47, 0x48000000,	 0x8010000,  0x80a0000};
static const uint64_t gen_sizes[] = {0x200000,	 0x1000000,  0x4000000, 0x1000, 0,
				     0x40000000, 1ULL << 32, 0x10000,	0x800,	0x8000000};

/* One guest node with any subset of the documented properties. */
static void gen_guest(struct fuzz_in *in, struct fdt_writer *w, uint8_t *kbuf, size_t kcap)
{
	static const char *const names[] = {"a",
					    "b",
					    "linux0",
					    "bare",
					    "g",
					    "a-name-of-exactly-23-ch",
					    "a-name-longer-than-23-chars"};
	static const uint64_t ipa_bits[] = {32, 36, 40, 44, 48, 52, 31, 0, 64, 33, 42};
	static const uint64_t cpu_ids[] = {0, 1, 2, 3, 4, 7, 8, 31, 32};
	static const uint64_t irqs[] = {32, 33, 34, 35, 40, 287, 288, 1019, 1020, 16, 0, 27};
	static const char *const devs[] = {"/pl031@9010000",
					   "rtc0",
					   "rtc",
					   "/soc/serial@7e201000",
					   "/nope",
					   "/intc@8000000",
					   "/ppi-dev",
					   "/soc",
					   "serial0",
					   "/pl031@9010000/x",
					   "/virtio_mmio@a003e00",
					   "/virtio_mmio@a003c00",
					   "/dmabus/mmc@7e340000"};
	static const char *const args[] = {"", "console=ttyAMA0", "x", "a b c d e f g h"};

	uint32_t have = fuzz_u32(in);
	fdt_w_begin_node(w, names[fuzz_pick(in, N(names))]);
	if (have & 1)
		fdt_w_prop_u32(w, "ipa-bits", (uint32_t)fuzz_value(in, ipa_bits, N(ipa_bits)));
	if (have & 2) {
		uint32_t c[MAX_GUEST_CPUS + 1];
		unsigned n = fuzz_pick(in, MAX_GUEST_CPUS + 2);
		for (unsigned i = 0; i < n; i++)
			c[i] = (uint32_t)fuzz_value(in, cpu_ids, N(cpu_ids));
		fdt_w_prop_cells(w, "cpus", c, n);
	}
	if (have & 4) {
		uint64_t m[2] = {fuzz_value(in, gen_ipas, N(gen_ipas)),
				 fuzz_value(in, gen_sizes, N(gen_sizes))};
		gen_cells64(w, "memory", m, 2);
	}
	if (have & 8) {
		if (have & 0x10000)
			fdt_w_prop_u32(w, "kernel",
				       0x100 + fuzz_pick(in, 3)); /* an /images phandle */
		else
			fdt_w_prop(w, "kernel", kbuf, gen_kernel(in, kbuf, kcap));
	}
	if (have & 0x10)
		fdt_w_prop(w, "initrd", kbuf,
			   (size_t)fuzz_value(in, gen_sizes, N(gen_sizes)) % (kcap + 1));
	if (have & 0x20)
		fdt_w_prop_str(w, "bootargs", args[fuzz_pick(in, N(args))]);
	if (have & 0x40) {
		uint64_t c = fuzz_value(in, gen_ipas, N(gen_ipas));
		gen_cells64(w, "console", &c, 1);
	}
	if (have & 0x80) {
		uint64_t t[9];
		unsigned n = 1 + fuzz_pick(in, 3);
		for (unsigned i = 0; i < n; i++) {
			t[3 * i] = fuzz_value(in, gen_ipas, N(gen_ipas));
			t[3 * i + 1] = fuzz_value(in, gen_ipas, N(gen_ipas));
			t[3 * i + 2] = fuzz_value(in, gen_sizes, N(gen_sizes));
		}
		gen_cells64(w, "passthrough", t, 3 * n);
	}
	if (have & 0x100) {
		uint32_t v[MAX_PASSTHROUGH + 1];
		unsigned n = fuzz_pick(in, MAX_PASSTHROUGH + 2);
		for (unsigned i = 0; i < n; i++)
			v[i] = (uint32_t)fuzz_value(in, irqs, N(irqs));
		fdt_w_prop_cells(w, "interrupts", v, n);
	}
	if (have & 0x200) {
		char list[256];
		size_t len = 0;
		unsigned n = fuzz_pick(in, MAX_DEVICES + 2);
		for (unsigned i = 0; i < n; i++) {
			const char *d = devs[fuzz_pick(in, N(devs))];
			memcpy(list + len, d, strlen(d) + 1);
			len += strlen(d) + 1;
		}
		fdt_w_prop(w, "devices", list, len);
		if (have & 0x400) {
			uint64_t ipa[MAX_DEVICES + 2];
			unsigned k = (have & 0x800) ? fuzz_pick(in, MAX_DEVICES + 2) : n;
			for (unsigned i = 0; i < k; i++)
				ipa[i] = fuzz_value(in, gen_ipas, N(gen_ipas));
			gen_cells64(w, "devices-ipa", ipa, k);
		}
	}
	if (have & 0x1000)
		fdt_w_prop(w, "stage2-4k-pages", "", 0);
	if (have & 0x4000)
		fdt_w_prop(w, "direct-map", "", 0);
	if (have & 0x8000) { /* bus masters by the config's word, maybe devices too */
		const char *d = devs[fuzz_pick(in, N(devs))];
		fdt_w_prop(w, "dma-devices", d, strlen(d) + 1);
	}
	if (have & 0x2000) { /* a documented property with the wrong shape */
		static const char *const props[] = {"memory",	   "cpus",	 "console",
						    "passthrough", "interrupts", "ipa-bits",
						    "devices-ipa"};
		uint8_t junk[12];
		unsigned len = fuzz_pick(in, sizeof(junk) + 1);
		for (unsigned i = 0; i < len; i++)
			junk[i] = fuzz_u8(in);
		fdt_w_prop(w, props[fuzz_pick(in, N(props))], junk, len);
	}
	fdt_w_end_node(w);
}

/* A config tree of up to MAX_GUESTS + 1 guests (and shared /images); its
 * size, or a negative error when it did not fit buf. */
static int gen_config(struct fuzz_in *in, void *buf, size_t cap, uint8_t *kbuf, size_t kcap)
{
	struct fdt_writer w;
	fdt_w_init(&w, buf, cap);
	fdt_w_begin_node(&w, "");
	fdt_w_begin_node(&w, "images");
	for (unsigned i = 0; i < 3; i++) {
		char name[8] = {'i', 'm', (char)('0' + i), 0};
		fdt_w_begin_node(&w, name);
		fdt_w_prop(&w, "data", kbuf, gen_kernel(in, kbuf, kcap));
		fdt_w_prop_u32(&w, "phandle", 0x100 + i);
		fdt_w_end_node(&w);
	}
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "guests");
	unsigned n = fuzz_pick(in, MAX_GUESTS + 2);
	for (unsigned i = 0; i < n; i++)
		gen_guest(in, &w, kbuf, kcap);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);
	return fdt_w_finish(&w);
}

/* The host side: a GIC, a PL031 as QEMU virt has it, a simple-bus whose
 * ranges move its children, a device on a PPI, fixed clocks, aliases and
 * labels (dtc -@). */
static int gen_host_fdt(void *buf, size_t cap)
{
	struct fdt_writer w;
	uint32_t c[8];
	fdt_w_init(&w, buf, cap);
	fdt_w_begin_node(&w, "");
	fdt_w_prop_u32(&w, "#address-cells", 2);
	fdt_w_prop_u32(&w, "#size-cells", 2);
	fdt_w_prop_u32(&w, "interrupt-parent", 1);

	fdt_w_begin_node(&w, "intc@8000000");
	fdt_w_prop_str(&w, "compatible", "arm,gic-v3");
	fdt_w_prop_u32(&w, "#interrupt-cells", 3);
	fdt_w_prop(&w, "interrupt-controller", "", 0);
	fdt_w_prop_reg64(&w, "reg", 0x8000000, 0x10000);
	fdt_w_prop_u32(&w, "phandle", 1);
	fdt_w_end_node(&w);

	fdt_w_begin_node(&w, "clk");
	fdt_w_prop_str(&w, "compatible", "fixed-clock");
	fdt_w_prop_u32(&w, "#clock-cells", 0);
	fdt_w_prop_u32(&w, "clock-frequency", 48000000);
	fdt_w_prop_u32(&w, "phandle", 2);
	fdt_w_end_node(&w);

	fdt_w_begin_node(&w, "pl031@9010000");
	fdt_w_prop_str(&w, "compatible", "arm,pl031");
	fdt_w_prop_reg64(&w, "reg", 0x9010000, 0x1000);
	c[0] = 0, c[1] = 2, c[2] = 4;
	fdt_w_prop_cells(&w, "interrupts", c, 3);
	fdt_w_prop_u32(&w, "clocks", 2);
	fdt_w_end_node(&w);

	fdt_w_begin_node(&w, "ppi-dev");
	fdt_w_prop_reg64(&w, "reg", 0xa000000, 0x1000);
	c[0] = 1, c[1] = 9, c[2] = 4;
	fdt_w_prop_cells(&w, "interrupts", c, 3);
	fdt_w_end_node(&w);

	fdt_w_begin_node(&w, "soc");
	fdt_w_prop_str(&w, "compatible", "simple-bus");
	fdt_w_prop_u32(&w, "#address-cells", 1);
	fdt_w_prop_u32(&w, "#size-cells", 1);
	c[0] = 0x7e000000, c[1] = 0, c[2] = 0xfe000000, c[3] = 0x1800000;
	fdt_w_prop_cells(&w, "ranges", c, 4);
	fdt_w_begin_node(&w, "serial@7e201000");
	fdt_w_prop_str(&w, "compatible", "arm,pl011");
	c[0] = 0x7e201000, c[1] = 0x200, c[2] = 0x7e201800, c[3] = 0x100;
	fdt_w_prop_cells(&w, "reg", c, 4);
	c[0] = 0, c[1] = 121, c[2] = 4;
	fdt_w_prop_cells(&w, "interrupts", c, 3);
	c[0] = 2, c[1] = 2;
	fdt_w_prop_cells(&w, "clocks", c, 2);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);

	/* Bus masters: two virtio-mmio transports in one page, and an
	 * SD controller behind dma-ranges that reach the lowest GiB only. */
	for (uint64_t a = 0xa003c00; a <= 0xa003e00; a += 0x200) {
		char name[32];
		snprintf(name, sizeof(name), "virtio_mmio@%llx", (unsigned long long)a);
		fdt_w_begin_node(&w, name);
		fdt_w_prop_str(&w, "compatible", "virtio,mmio");
		fdt_w_prop_reg64(&w, "reg", a, 0x200);
		c[0] = 0, c[1] = (uint32_t)(16 + (a - 0xa000000) / 0x200), c[2] = 1;
		fdt_w_prop_cells(&w, "interrupts", c, 3);
		fdt_w_prop(&w, "dma-coherent", "", 0);
		fdt_w_end_node(&w);
	}
	fdt_w_begin_node(&w, "dmabus");
	fdt_w_prop_str(&w, "compatible", "simple-bus");
	fdt_w_prop_u32(&w, "#address-cells", 1);
	fdt_w_prop_u32(&w, "#size-cells", 1);
	c[0] = 0x7e000000, c[1] = 0, c[2] = 0xfe000000, c[3] = 0x1800000;
	fdt_w_prop_cells(&w, "ranges", c, 4);
	c[0] = 0xc0000000, c[1] = 0, c[2] = 0, c[3] = 0x40000000;
	fdt_w_prop_cells(&w, "dma-ranges", c, 4);
	fdt_w_begin_node(&w, "mmc@7e340000");
	fdt_w_prop_str(&w, "compatible", "brcm,bcm2711-emmc2");
	c[0] = 0x7e340000, c[1] = 0x100;
	fdt_w_prop_cells(&w, "reg", c, 2);
	c[0] = 0, c[1] = 126, c[2] = 4;
	fdt_w_prop_cells(&w, "interrupts", c, 3);
	fdt_w_end_node(&w);
	fdt_w_end_node(&w);

	fdt_w_begin_node(&w, "aliases");
	fdt_w_prop_str(&w, "rtc0", "/pl031@9010000");
	fdt_w_prop_str(&w, "serial0", "/soc/serial@7e201000");
	fdt_w_end_node(&w);
	fdt_w_begin_node(&w, "__symbols__");
	fdt_w_prop_str(&w, "rtc", "/pl031@9010000");
	fdt_w_end_node(&w);

	fdt_w_end_node(&w);
	return fdt_w_finish(&w);
}
