/* The guest device-tree writer (hyp/config/guest_fdt.c, hyp/config/devices.c) and the
 * boot layout it goes into (hyp/config/boot_layout.c), for every guest a random
 * config gets accepted with: the images and the device tree lie inside the
 * guest's RAM without overlapping, the tree fits its 2 MiB slot, never
 * writes past the buffer it is given (exactly that size, for ASan), and
 * reads back with the hypervisor's own reader as what the config says. */
#include <stdio.h>

#include "drivers/fdt.h"
#include "hyp/config/boot_layout.h"
#include "hyp/config/devices.h"
#include "hyp/config/guest_fdt.h"
#include "tests/fuzz/gen_config.h"

static uint8_t host_fdt[16384];
static const struct config_limits lim = {
	.max_ipa_bits = 52, .pa_bits = 52, .ncpus = MAX_GUEST_CPUS, .nr_irqs = 1020};

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "guest %s: not %s\n", g->name, #cond); \
			abort();                                               \
		}                                                              \
	} while (0)

static bool within(uint64_t base, uint64_t size, uint64_t lo, uint64_t len)
{
	return base >= lo && base - lo <= len && size <= len - (base - lo);
}

static void check_tree(const struct guest_config *g, const uint8_t *dt, size_t size,
		       const struct guest_fdt_info *info)
{
	const char *why;
	CHECK(fdt_check(dt, size, &why) == 0);
	CHECK(fdt_used_size(dt) <= size);
	int len, n = fdt_path_offset(dt, "/chosen");
	CHECK(n >= 0);
	const char *args = fdt_getprop(dt, n, "bootargs", &len);
	CHECK(args && len > 0 && !args[len - 1] && !strcmp(args, g->bootargs));
	CHECK(fdt_prop_u32(dt, n, "hyp,reset-count", ~0u) == info->resets);
	uint64_t a, s;
	CHECK((fdt_prop_u64(dt, n, "linux,initrd-start", &a) == 0) == (info->initrd_size != 0));
	if (info->initrd_size) {
		CHECK(a == info->initrd_ipa);
		CHECK(fdt_prop_u64(dt, n, "linux,initrd-end", &a) == 0);
		CHECK(a == info->initrd_ipa + info->initrd_size);
	}
	char path[128];
	snprintf(path, sizeof(path), "/memory@%llx", (unsigned long long)g->ram_ipa);
	n = fdt_path_offset(dt, path);
	CHECK(n >= 0 && fdt_reg_cpu(dt, n, 0, &a, &s) == 0 && a == g->ram_ipa && s == g->ram_size);
	CHECK(fdt_reg_cpu(dt, n, 1, &a, &s) < 0);
	snprintf(path, sizeof(path), "/pl011@%llx", (unsigned long long)g->console_ipa);
	n = fdt_path_offset(dt, path);
	CHECK(n >= 0 && fdt_reg_cpu(dt, n, 0, &a, &s) == 0 && a == g->console_ipa);
	unsigned cpus = 0;
	n = fdt_path_offset(dt, "/cpus");
	CHECK(n >= 0);
	for (int c = fdt_first_child(dt, n); c >= 0; c = fdt_next_sibling(dt, c), cpus++)
		CHECK(fdt_prop_u32(dt, c, "reg", ~0u) == cpus);
	CHECK(cpus == info->nvcpus);
	int gic = fdt_find_compatible(dt, -1,
				      info->gic_version == 3 ? "arm,gic-v3" : "arm,cortex-a15-gic");
	CHECK(gic >= 0 && fdt_find_phandle(dt, fdt_prop_u32(dt, 0, "interrupt-parent", 0)) == gic);
	for (unsigned i = 0; i < g->ndevices; i++) {
		/* The copy is named after the host node, at the guest address
		 * of its first register block, where its reg now points. */
		const struct guest_device *d = &g->devices[i];
		uint64_t pa;
		const char *host = fdt_node_name(host_fdt, d->node);
		int base = (int)strcspn(host, "@");
		if (fdt_reg_cpu(host_fdt, d->node, 0, &pa, &s) < 0) { /* no registers */
			snprintf(path, sizeof(path), "/%.*s", base, host);
			CHECK(fdt_path_offset(dt, path) >= 0);
			continue;
		}
		snprintf(path, sizeof(path), "/%.*s@%llx", base, host,
			 (unsigned long long)(pa + d->shift));
		n = fdt_path_offset(dt, path);
		if (n < 0 && d->dma) {
			/* A bus master behind dma-ranges: in a bus of its own,
			 * named after the host's, with the same DMA windows. */
			const char *bus = fdt_node_name(host_fdt, fdt_parent(host_fdt, d->node));
			int bbase = (int)strcspn(bus, "@");
			snprintf(path, sizeof(path), "/%.*s@%llx/%.*s@%llx", bbase, bus,
				 (unsigned long long)(pa + d->shift), base, host,
				 (unsigned long long)(pa + d->shift));
			n = fdt_path_offset(dt, path);
			struct dma_window hw[MAX_DMA_WINDOWS], gw[MAX_DMA_WINDOWS];
			int hn = devices_dma_windows(host_fdt, d->node, hw, MAX_DMA_WINDOWS);
			int gn = n >= 0 ? devices_dma_windows(dt, n, gw, MAX_DMA_WINDOWS) : -2;
			CHECK(hn > 0 && gn == hn && !memcmp(hw, gw, sizeof(hw[0]) * (size_t)hn));
		}
		CHECK(n >= 0 && fdt_reg_cpu(dt, n, 0, &a, &s) == 0 && a == pa + d->shift);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t kbuf[0x4000], gen[0x80000];
	static struct guest_config cfg[MAX_GUESTS];
	if (!host_fdt[0] && gen_host_fdt(host_fdt, sizeof(host_fdt)) < 0)
		abort();
	struct fuzz_in in = {data, size};
	int len = gen_config(&in, gen, sizeof(gen), kbuf, sizeof(kbuf));
	const char *why = "";
	int n = len < 0 ? -1 : config_parse(gen, (size_t)len, cfg, MAX_GUESTS, &why);
	for (int i = 0; i < n; i++) {
		struct guest_config *g = &cfg[i];
		static const struct config_taken none;
		if (devices_resolve(g, host_fdt) < 0 || config_validate(g, &lim, &none) < 0)
			continue;
		struct boot_layout l;
		CHECK(boot_layout(g, &l, &why) == 0);
		struct kernel_image ki;
		kernel_image_parse(g->kernel, g->kernel_size, &ki);
		uint64_t ksize = g->kernel_size > ki.image_size ? g->kernel_size : ki.image_size;
		CHECK(within(l.kernel_ipa, ksize, g->ram_ipa, g->ram_size));
		CHECK(within(l.initrd_ipa, g->initrd_size, g->ram_ipa, g->ram_size));
		CHECK(within(l.dtb_ipa, SZ_2M, g->ram_ipa, g->ram_size));
		CHECK(l.kernel_ipa + ksize <= l.initrd_ipa || !g->initrd_size);
		CHECK(l.kernel_ipa + ksize <= l.dtb_ipa &&
		      l.initrd_ipa + g->initrd_size <= l.dtb_ipa);
		CHECK(l.dtb_ipa % SZ_2M == 0 && l.initrd_ipa % 4096 == 0);

		struct guest_fdt_info info = {g,
					      g->ncpus,
					      l.initrd_ipa,
					      g->initrd_size,
					      fuzz_u8(&in) & 1 ? 3u : 2u,
					      host_fdt,
					      fuzz_u32(&in), NULL, 0};
		static const uint64_t caps[] = {SZ_2M, 4096, 1024, 700, 2048};
		size_t cap = (size_t)fuzz_value(&in, caps, N(caps)) % (SZ_2M + 1);
		uint8_t *dt = malloc(cap ? cap : 1);
		int dsize = guest_fdt_build(dt, cap, &info);
		if (cap == SZ_2M)
			CHECK(dsize > 0); /* the slot always holds the tree */
		if (dsize > 0) {
			CHECK((size_t)dsize <= cap);
			check_tree(g, dt, (size_t)dsize, &info);
		}
		free(dt);
	}
	return 0;
}
