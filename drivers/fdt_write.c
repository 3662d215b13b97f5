#include "drivers/fdt_write.h"

#include "lib/string.h"

#define HDR_SIZE    40
#define MEMRSV_SIZE 16 /* one terminating empty entry */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8),
	p[3] = (uint8_t)v;
}

static void emit(struct fdt_writer *w, const void *data, size_t len)
{
	size_t padded = ALIGN_UP(len, 4);
	if (w->err || w->off + padded > w->cap) {
		w->err = -ENOMEM;
		return;
	}
	memcpy(w->buf + w->off, data, len);
	memset(w->buf + w->off + len, 0, padded - len);
	w->off += padded;
}

static void emit32(struct fdt_writer *w, uint32_t v)
{
	uint8_t b[4];
	put32(b, v);
	emit(w, b, 4);
}

void fdt_w_init(struct fdt_writer *w, void *buf, size_t cap)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->cap = cap;
	w->off = HDR_SIZE + MEMRSV_SIZE;
	if (cap < w->off)
		w->err = -ENOMEM;
	else
		memset(buf, 0, w->off);
}

void fdt_w_begin_node(struct fdt_writer *w, const char *name)
{
	emit32(w, 1);
	emit(w, name, strlen(name) + 1);
	w->depth++;
}

void fdt_w_end_node(struct fdt_writer *w)
{
	emit32(w, 2);
	if (--w->depth < 0)
		w->err = -EINVAL;
}

static uint32_t string_offset(struct fdt_writer *w, const char *name)
{
	size_t len = strlen(name) + 1;
	for (size_t i = 0; i < w->strings_len; i += strlen(w->strings + i) + 1)
		if (!strcmp(w->strings + i, name))
			return (uint32_t)i;
	if (w->strings_len + len > sizeof(w->strings)) {
		w->err = -ENOMEM;
		return 0;
	}
	memcpy(w->strings + w->strings_len, name, len);
	w->strings_len += len;
	return (uint32_t)(w->strings_len - len);
}

void fdt_w_prop(struct fdt_writer *w, const char *name, const void *data, size_t len)
{
	emit32(w, 3);
	emit32(w, (uint32_t)len);
	emit32(w, string_offset(w, name));
	emit(w, data, len);
}

void fdt_w_prop_str(struct fdt_writer *w, const char *name, const char *s)
{
	fdt_w_prop(w, name, s, strlen(s) + 1);
}

void fdt_w_prop_u32(struct fdt_writer *w, const char *name, uint32_t v)
{
	fdt_w_prop_cells(w, name, &v, 1);
}

void fdt_w_prop_cells(struct fdt_writer *w, const char *name, const uint32_t *v, size_t n)
{
	uint8_t b[4 * 16];
	if (n > 16) {
		w->err = -EINVAL;
		return;
	}
	for (size_t i = 0; i < n; i++)
		put32(b + 4 * i, v[i]);
	fdt_w_prop(w, name, b, 4 * n);
}

void fdt_w_prop_reg64(struct fdt_writer *w, const char *name, uint64_t addr, uint64_t size)
{
	uint32_t c[4] = {(uint32_t)(addr >> 32), (uint32_t)addr, (uint32_t)(size >> 32),
			 (uint32_t)size};
	fdt_w_prop_cells(w, name, c, 4);
}

int fdt_w_finish(struct fdt_writer *w)
{
	if (w->depth != 0 && !w->err)
		w->err = -EINVAL;
	size_t struct_size = w->off - HDR_SIZE - MEMRSV_SIZE + 4;
	emit32(w, 9); /* FDT_END */
	size_t strings_off = w->off;
	emit(w, w->strings, w->strings_len);
	if (w->err)
		return w->err;
	uint8_t *h = w->buf;
	put32(h + 0, 0xd00dfeed);
	put32(h + 4, (uint32_t)w->off);
	put32(h + 8, HDR_SIZE + MEMRSV_SIZE);
	put32(h + 12, (uint32_t)strings_off);
	put32(h + 16, HDR_SIZE);
	put32(h + 20, 17);
	put32(h + 24, 16);
	put32(h + 28, 0);
	put32(h + 32, (uint32_t)w->strings_len);
	put32(h + 36, (uint32_t)struct_size);
	return (int)w->off;
}
