/* Flattened device tree reader (Devicetree Specification v0.4, chapter 5).
 * A node is named by the offset of its FDT_BEGIN_NODE token, as in libfdt.
 * fdt_check() validates a whole blob once; the other calls assume a blob
 * that passed it and still never read outside it. */
#pragma once
#include "types.h"

#define FDT_MAGIC 0xd00dfeed

static inline uint32_t fdt32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* A number of 1 or 2 cells; cells is 1 or 2. */
static inline uint64_t fdt_cells(const void *p, unsigned cells)
{
	const uint8_t *b = p;
	return cells == 2 ? (uint64_t)fdt32(b) << 32 | fdt32(b + 4) : fdt32(b);
}

/* 0, or a negative error with *why set to a short reason. */
int fdt_check(const void *fdt, size_t max_size, const char **why);
/* The index-th /memreserve/ entry of a checked blob, or -ENOENT. */
int fdt_memreserve(const void *fdt, unsigned index, uint64_t *addr, uint64_t *size);
size_t fdt_totalsize(const void *fdt);
/* The bytes a reader of a checked blob can touch: up to the end of its
 * last block (totalsize may add free space: QEMU pads to 1 MiB). */
size_t fdt_used_size(const void *fdt);

int fdt_path_offset(const void *fdt, const char *path); /* "/a/b" */
/* A node name against comp[0..len): "memory" matches "memory@0". */
bool fdt_name_matches(const char *name, const char *comp, size_t len);
int fdt_first_child(const void *fdt, int node);
int fdt_next_sibling(const void *fdt, int node);
/* Next node after node in depth-first order (-1 to start), or -ENOENT. */
int fdt_next_node(const void *fdt, int node);
const char *fdt_node_name(const void *fdt, int node);
const void *fdt_getprop(const void *fdt, int node, const char *name, int *len);
/* The property after prev (-1: the first) of node: its offset, or -ENOENT. */
int fdt_next_prop(const void *fdt, int node, int prev, const char **name, const void **val,
		  int *len);
bool fdt_is_compatible(const void *fdt, int node, const char *compat);
/* Next node after start (-1 for the first) that is compatible, or -ENOENT. */
int fdt_find_compatible(const void *fdt, int start, const char *compat);
/* found[i]: the first node compatible with compats[i], or -ENOENT, and,
 * if parents is not NULL, parents[i] its parent; one walk. Nodes nested
 * deeper than 32 levels are not looked at (fdt_parent gives up there). */
void fdt_find_compatibles(const void *fdt, const char *const *compats, unsigned n, int *found,
			  int *parents);
int fdt_find_phandle(const void *fdt, uint32_t phandle);
/* #address-cells / #size-cells that node's children use (defaults 2, 1). */
unsigned fdt_address_cells(const void *fdt, int node);
unsigned fdt_size_cells(const void *fdt, int node);
/* Reads the index-th (address, size) pair of a node's "reg". */
int fdt_reg(const void *fdt, int node, int parent, unsigned index, uint64_t *addr, uint64_t *size);
/* The node that contains node, or -ENOENT for the root. */
int fdt_parent(const void *fdt, int node);
/* The index-th "reg" pair of node as a CPU physical address: translated
 * through the "ranges" of every bus above it (simple-bus and the like). */
int fdt_reg_cpu(const void *fdt, int node, unsigned index, uint64_t *addr, uint64_t *size);
/* The same for a node whose parent is known already (no walk to find it). */
int fdt_reg_cpu_at(const void *fdt, int node, int parent, unsigned index, uint64_t *addr,
		   uint64_t *size);
/* [*addr, *addr + size) from up[0]'s children's space to the CPU's, every
 * bus above known: up[0] the parent, up[1] that one's, ... (the root last,
 * or the walk goes on from up[n - 1]); each must hold it whole in one
 * range. */
int fdt_translate(const void *fdt, const int *up, unsigned n, uint64_t *addr, uint64_t size);
/* u32 property, or dflt when absent or malformed. */
uint32_t fdt_prop_u32(const void *fdt, int node, const char *name, uint32_t dflt);
/* u32/u64 property (1 or 2 cells), or -ENOENT. */
int fdt_prop_u64(const void *fdt, int node, const char *name, uint64_t *out);
