/* The FDT reader (drivers/fdt.c) and the host platform parser built on it
 * (drivers/platform.c), on any bytes: fdt_check() must refuse what the
 * other calls cannot read safely, and on a blob it accepts every call must
 * stay inside the blob (the buffer is exactly the input's size, so ASan
 * sees a byte read past it) and end (no walk loops for ever). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/fdt.h"
#include "drivers/host_owned.h"
#include "drivers/platform.h"

static const uint8_t *lo, *hi;

static void in_blob(const void *p, size_t len)
{
	const uint8_t *b = p;
	if (b < lo || b + len > hi) {
		fprintf(stderr, "pointer %p+%zu outside the blob [%p, %p)\n", p, len,
			(const void *)lo, (const void *)hi);
		abort();
	}
}

static void in_blob_str(const char *s)
{
	in_blob(s, 1);
	in_blob(s, strlen(s) + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *blob = malloc(size ? size : 1);
	memcpy(blob, data, size);
	lo = blob, hi = blob + size;
	const char *why = NULL;
	if (fdt_check(blob, size, &why) < 0) {
		if (!why || !why[0])
			abort();
		free(blob);
		return 0;
	}
	if (fdt_used_size(blob) > size || fdt_totalsize(blob) > size)
		abort();

	uint64_t a, s;
	for (unsigned i = 0; fdt_memreserve(blob, i, &a, &s) == 0; i++)
		if (i > size / 16)
			abort();

	unsigned nodes = 0;
	for (int node = fdt_next_node(blob, -1); node >= 0; node = fdt_next_node(blob, node)) {
		if (++nodes > size)
			abort(); /* more nodes than bytes: the walk loops */
		in_blob_str(fdt_node_name(blob, node));
		int parent = fdt_parent(blob, node);
		unsigned props = 0;
		const char *name;
		const void *val;
		int len;
		for (int p = fdt_next_prop(blob, node, -1, &name, &val, &len); p >= 0;
		     p = fdt_next_prop(blob, node, p, &name, &val, &len)) {
			if (++props > size || len < 0)
				abort();
			in_blob_str(name);
			in_blob(val, (size_t)len);
			int len2;
			if (!fdt_getprop(blob, node, name, &len2))
				abort(); /* a property just listed must be found */
		}
		fdt_is_compatible(blob, node, "simple-bus");
		fdt_address_cells(blob, node);
		fdt_size_cells(blob, node);
		for (unsigned i = 0; i < 3; i++) {
			if (parent >= 0)
				fdt_reg(blob, node, parent, i, &a, &s);
			fdt_reg_cpu(blob, node, i, &a, &s);
		}
		uint32_t v = fdt_prop_u32(blob, node, "phandle", 0);
		if (v)
			fdt_find_phandle(blob, v);
		fdt_prop_u64(blob, node, "reg", &a);
		for (int c = fdt_first_child(blob, node); c >= 0; c = fdt_next_sibling(blob, c))
			if (fdt_parent(blob, c) != node)
				abort();
	}
	static const char *const paths[] = {"/",	"/cpus",   "/chosen",
					    "/guests",	"/memory", "/soc/serial",
					    "/a/b/c/d", "//",	   "/cpus/cpu@0"};
	for (unsigned i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		fdt_path_offset(blob, paths[i]);
	static const char *const compats[] = {"arm,gic-v3", "arm,pl011", "arm,psci-1.0"};
	int found[3], parents[3];
	fdt_find_compatibles(blob, compats, 3, found, parents);
	for (unsigned i = 0; i < 3; i++)
		if (found[i] >= 0 && parents[i] != -1 && parents[i] != fdt_parent(blob, found[i]))
			abort(); /* the parent the walk saw is the node's parent */

	/* The hypervisor's own reading of a host device tree. */
	static struct platform plat;
	memset(&plat, 0, sizeof(plat));
	int parsed = platform_parse(blob, &plat, &why);
	if (parsed < 0 && (!why || !why[0]))
		abort();
	/* What it keeps for itself: whole pages, within bounds, none lost. */
	static struct host_range owned[HOST_OWNED_MAX];
	int n = parsed < 0 ? 0 : host_owned_ranges(&plat, owned, HOST_OWNED_MAX);
	for (int i = 0; i < n; i++)
		if ((owned[i].base | owned[i].size) & 0xfff || !owned[i].what)
			abort();
	free(blob);
	return 0;
}
