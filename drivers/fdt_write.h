/* Sequential flattened-device-tree writer, for the device tree each guest
 * gets. Errors are sticky: fdt_w_finish() reports the first one. */
#pragma once
#include "types.h"

#define FDT_W_MAX_STRINGS 768

struct fdt_writer {
	uint8_t *buf;
	size_t cap;
	size_t off; /* end of the structure block so far */
	int depth;
	int err;
	char strings[FDT_W_MAX_STRINGS];
	size_t strings_len;
};

void fdt_w_init(struct fdt_writer *w, void *buf, size_t cap);
void fdt_w_begin_node(struct fdt_writer *w, const char *name);
void fdt_w_end_node(struct fdt_writer *w);
void fdt_w_prop(struct fdt_writer *w, const char *name, const void *data, size_t len);
void fdt_w_prop_str(struct fdt_writer *w, const char *name, const char *s);
void fdt_w_prop_u32(struct fdt_writer *w, const char *name, uint32_t v);
/* A list of cells given as u32 values, stored big-endian. */
void fdt_w_prop_cells(struct fdt_writer *w, const char *name, const uint32_t *v, size_t n);
/* (address, size) with 2 cells each. */
void fdt_w_prop_reg64(struct fdt_writer *w, const char *name, uint64_t addr, uint64_t size);
/* Total size of the finished blob, or a negative error. */
int fdt_w_finish(struct fdt_writer *w);
