#include "drivers/fdt.h"

#include "lib/string.h"

#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP	       4
#define FDT_END	       9
#define FDT_MAX_DEPTH  32

/* Header fields (spec 5.2), big-endian u32 at these byte offsets. */
#define H_MAGIC	       0
#define H_TOTALSIZE    4
#define H_OFF_STRUCT   8
#define H_OFF_STRINGS  12
#define H_OFF_RSVMAP   16
#define H_VERSION      20
#define H_LAST_COMP    24
#define H_SIZE_STRINGS 32
#define H_SIZE_STRUCT  36

/* A big-endian u32 at a 4-byte aligned place: the header and every token
 * and property header of the structure block (fdt_check makes sure the
 * blob and its blocks are aligned). One load, where fdt32() takes four:
 * this is what every walk of the tree spends its time on. */
static inline uint32_t be32(const void *p)
{
	return __builtin_bswap32(*(const uint32_t *)p);
}

static uint32_t hdr(const void *fdt, unsigned off)
{
	return be32((const uint8_t *)fdt + off);
}
static const uint8_t *sblock(const void *fdt)
{
	return (const uint8_t *)fdt + hdr(fdt, H_OFF_STRUCT);
}
static uint32_t ssize(const void *fdt)
{
	return hdr(fdt, H_SIZE_STRUCT);
}
static const char *strings(const void *fdt)
{
	return (const char *)fdt + hdr(fdt, H_OFF_STRINGS);
}

size_t fdt_totalsize(const void *fdt)
{
	return hdr(fdt, H_TOTALSIZE);
}

size_t fdt_used_size(const void *fdt)
{
	size_t end = MAX(hdr(fdt, H_OFF_STRUCT) + (size_t)ssize(fdt),
			 hdr(fdt, H_OFF_STRINGS) + (size_t)hdr(fdt, H_SIZE_STRINGS));
	/* The reservation map ends with a zero-size entry (fdt_check). */
	size_t rsv = hdr(fdt, H_OFF_RSVMAP);
	uint64_t addr, size;
	unsigned n = 0;
	while (fdt_memreserve(fdt, n, &addr, &size) == 0)
		n++;
	return MAX(end, rsv + 16 * (n + 1));
}

/* The structure block, where every walk reads its tokens: located once
 * per walk rather than once per token. */
struct sblk {
	const uint8_t *s;
	uint32_t size;
};

static inline struct sblk sblk_of(const void *fdt)
{
	return (struct sblk){sblock(fdt), ssize(fdt)};
}

/* The tag of the token at off (FDT_END past the block), and in *next the
 * offset of the token after it: negative when that runs out of the block
 * (-ERANGE) or the tag is none a walk can step over (-EINVAL). */
static inline uint32_t step(struct sblk b, int off, int *next)
{
	*next = -EINVAL;
	if (off < 0 || (uint32_t)off + 4 > b.size)
		return FDT_END;
	uint32_t tag = be32(b.s + off);
	switch (tag) {
	case FDT_BEGIN_NODE:
		/* The name, NUL-terminated and padded to 4 bytes: a word at a
		 * time, up to the first word holding a zero byte. */
		*next = -ERANGE;
		for (uint32_t p = (uint32_t)off + 4; p + 4 <= b.size; p += 4) {
			uint32_t w = *(const uint32_t *)(b.s + p);
			if ((w - 0x01010101U) & ~w & 0x80808080U) {
				*next = (int)(p + 4);
				break;
			}
		}
		break;
	case FDT_PROP: {
		*next = -ERANGE;
		if ((uint32_t)off + 12 > b.size)
			break;
		uint32_t len = be32(b.s + off + 4);
		if (len <= b.size - off - 12)
			*next = (int)ALIGN_UP(off + 12 + len, 4);
		break;
	}
	case FDT_END_NODE:
	case FDT_NOP:
		*next = off + 4;
		break;
	}
	return tag;
}

static uint32_t tag_at(const void *fdt, int off)
{
	int next;
	return step(sblk_of(fdt), off, &next);
}

/* Offset of the token after the one at off, or a negative error. */
static int next_tag(const void *fdt, int off)
{
	int next;
	step(sblk_of(fdt), off, &next);
	return next;
}

int fdt_check(const void *fdt, size_t max_size, const char **why)
{
	static const char *const r[] = {
		"too small",
		"bad magic",
		"totalsize past end",
		"unsupported version",
		"blocks outside blob",
		"bad token",
		"unbalanced nodes",
		"bad string offset",
		"name or property past the structure block",
		"not 4-byte aligned",
	};
	const char *dummy;
	why = why ? why : &dummy;
#define FAIL(i)                 \
	do {                    \
		*why = r[i];    \
		return -EINVAL; \
	} while (0)
	if (!fdt || max_size < 40)
		FAIL(0);
	if ((uintptr_t)fdt & 3)
		FAIL(9);
	if (hdr(fdt, H_MAGIC) != FDT_MAGIC)
		FAIL(1);
	uint32_t total = hdr(fdt, H_TOTALSIZE);
	if (total > max_size || total < 40)
		FAIL(2);
	if (hdr(fdt, H_VERSION) < 17 || hdr(fdt, H_LAST_COMP) > 17)
		FAIL(3);
	uint64_t so = hdr(fdt, H_OFF_STRUCT), ss = ssize(fdt);
	uint64_t to = hdr(fdt, H_OFF_STRINGS), ts = hdr(fdt, H_SIZE_STRINGS);
	if (so + ss > total || to + ts > total || (so & 3))
		FAIL(4);
	/* The reservation map: 8-byte aligned, after the header, and ended by
	 * a zero-size entry inside the blob. */
	uint64_t ro = hdr(fdt, H_OFF_RSVMAP);
	if (ro < 40 || (ro & 7) || ro >= total)
		FAIL(4);
	for (;; ro += 16) {
		if (ro + 16 > total)
			FAIL(4);
		if (fdt_cells((const uint8_t *)fdt + ro + 8, 2) == 0)
			break;
	}
	struct sblk b = sblk_of(fdt);
	int depth = 0, off = 0;
	for (;;) {
		int next;
		uint32_t tag = step(b, off, &next);
		if (tag == FDT_END)
			break;
		if (tag == FDT_BEGIN_NODE)
			depth++;
		else if (tag == FDT_END_NODE && --depth < 0)
			FAIL(6);
		else if (tag == FDT_PROP && (off + 12 > (int)ss || be32(b.s + off + 8) >= ts))
			FAIL(7);
		if (next < 0)
			FAIL(next == -ERANGE ? 8 : 5);
		off = next;
		if (depth == 0)
			break; /* root closed: FDT_END must follow */
	}
	if (depth != 0 || tag_at(fdt, off) != FDT_END || off == 0)
		FAIL(6);
	/* Every string referenced must be terminated inside the block. */
	if (ts && strings(fdt)[ts - 1] != '\0')
		FAIL(7);
	return 0;
#undef FAIL
}

/* Skips NOPs and properties: offset of the first child's FDT_BEGIN_NODE or
 * of this level's FDT_END_NODE. */
static int skip_props(const void *fdt, int off)
{
	struct sblk b = sblk_of(fdt);
	for (int next; off >= 0; off = next) {
		uint32_t tag = step(b, off, &next);
		if (tag != FDT_PROP && tag != FDT_NOP)
			break;
	}
	return off;
}

/* Offset just past the FDT_END_NODE that closes node. */
static int skip_node(const void *fdt, int node)
{
	struct sblk b = sblk_of(fdt);
	int depth = 0, off = node;
	do {
		uint32_t tag = step(b, off, &off);
		if (tag == FDT_BEGIN_NODE)
			depth++;
		else if (tag == FDT_END_NODE)
			depth--;
		else if (tag == FDT_END)
			return -EINVAL;
	} while (depth > 0 && off >= 0);
	return off;
}

int fdt_first_child(const void *fdt, int node)
{
	int off = skip_props(fdt, next_tag(fdt, node));
	return tag_at(fdt, off) == FDT_BEGIN_NODE ? off : -ENOENT;
}

int fdt_next_sibling(const void *fdt, int node)
{
	int off = skip_node(fdt, node);
	while (off >= 0 && tag_at(fdt, off) == FDT_NOP)
		off = next_tag(fdt, off);
	return off >= 0 && tag_at(fdt, off) == FDT_BEGIN_NODE ? off : -ENOENT;
}

int fdt_next_node(const void *fdt, int node)
{
	struct sblk b = sblk_of(fdt);
	int off = node < 0 ? 0 : next_tag(fdt, node);
	for (int next; off >= 0; off = next) {
		uint32_t tag = step(b, off, &next);
		if (tag == FDT_BEGIN_NODE)
			return off;
		if (tag == FDT_END)
			break;
	}
	return -ENOENT;
}

const char *fdt_node_name(const void *fdt, int node)
{
	return (const char *)sblock(fdt) + node + 4;
}

bool fdt_name_matches(const char *name, const char *comp, size_t len)
{
	return !strncmp(name, comp, len) &&
	       (name[len] == '\0' || (name[len] == '@' && !memchr(comp, '@', len)));
}

int fdt_path_offset(const void *fdt, const char *path)
{
	int node = 0;
	if (tag_at(fdt, 0) != FDT_BEGIN_NODE || path[0] != '/')
		return -ENOENT;
	while (*path) {
		while (*path == '/')
			path++;
		if (!*path)
			break;
		size_t len = 0;
		while (path[len] && path[len] != '/')
			len++;
		int child;
		for (child = fdt_first_child(fdt, node); child >= 0;
		     child = fdt_next_sibling(fdt, child))
			if (fdt_name_matches(fdt_node_name(fdt, child), path, len))
				break;
		if (child < 0)
			return -ENOENT;
		node = child;
		path += len;
	}
	return node;
}

int fdt_next_prop(const void *fdt, int node, int prev, const char **name, const void **val,
		  int *len)
{
	uint32_t ts = hdr(fdt, H_SIZE_STRINGS);
	struct sblk b = sblk_of(fdt);
	for (int next, off = next_tag(fdt, prev >= 0 ? prev : node); off >= 0; off = next) {
		uint32_t tag = step(b, off, &next);
		if (tag == FDT_NOP)
			continue;
		if (tag != FDT_PROP)
			break;
		const uint8_t *p = b.s + off;
		uint32_t nameoff = be32(p + 8);
		if (nameoff >= ts)
			continue;
		*name = strings(fdt) + nameoff;
		*val = p + 12;
		*len = (int)be32(p + 4);
		return off;
	}
	return -ENOENT;
}

/* fdt_next_prop's walk, inline: every boot reads hundreds of properties,
 * and most names differ from the one sought in their first letter. */
const void *fdt_getprop(const void *fdt, int node, const char *name, int *len)
{
	uint32_t ts = hdr(fdt, H_SIZE_STRINGS);
	struct sblk b = sblk_of(fdt);
	const char *str = strings(fdt);
	for (int next, off = next_tag(fdt, node); off >= 0; off = next) {
		uint32_t tag = step(b, off, &next);
		if (tag == FDT_NOP)
			continue;
		if (tag != FDT_PROP)
			break;
		const uint8_t *p = b.s + off;
		uint32_t nameoff = be32(p + 8);
		if (nameoff >= ts || str[nameoff] != name[0] || strcmp(str + nameoff, name))
			continue;
		if (len)
			*len = (int)be32(p + 4);
		return p + 12;
	}
	return NULL;
}

/* Whether a string list (a "compatible" value) holds s: an entry equal to
 * s with its NUL, inside the list. */
static bool list_has(const char *p, int len, const char *s)
{
	size_t n = strlen(s) + 1;
	for (const char *end = p + len; p < end;) {
		size_t left = (size_t)(end - p);
		if (n <= left && *p == *s && !memcmp(p, s, n))
			return true;
		const char *nul = memchr(p, '\0', left);
		if (!nul)
			break;
		p = nul + 1;
	}
	return false;
}

bool fdt_is_compatible(const void *fdt, int node, const char *compat)
{
	int len;
	const char *p = fdt_getprop(fdt, node, "compatible", &len);
	return p && list_has(p, len, compat);
}

int fdt_find_compatible(const void *fdt, int start, const char *compat)
{
	for (int n = fdt_next_node(fdt, start); n >= 0; n = fdt_next_node(fdt, n))
		if (fdt_is_compatible(fdt, n, compat))
			return n;
	return -ENOENT;
}

/* Every property called name, with the node it belongs to and that node's
 * parent (-1 past FDT_MAX_DEPTH), in one walk of the tokens: fn returns
 * true to stop the walk. */
static void
each_prop_named(const void *fdt, const char *name,
		bool (*fn)(int node, int parent, const uint8_t *val, int len, void *arg), void *arg)
{
	struct sblk b = sblk_of(fdt);
	const char *str = strings(fdt);
	uint32_t ts = hdr(fdt, H_SIZE_STRINGS);
	int stack[FDT_MAX_DEPTH + 1], depth = 0; /* stack[1..depth]: the open nodes */
	stack[0] = -ENOENT;
	for (int next, off = 0; off >= 0; off = next) {
		uint32_t tag = step(b, off, &next);
		if (tag == FDT_BEGIN_NODE) {
			if (++depth <= FDT_MAX_DEPTH)
				stack[depth] = off;
		} else if (tag == FDT_END_NODE) {
			depth--;
		} else if (tag == FDT_PROP && depth >= 1 && depth <= FDT_MAX_DEPTH) {
			const uint8_t *p = b.s + off;
			uint32_t nameoff = be32(p + 8);
			if (nameoff < ts && str[nameoff] == name[0] && !strcmp(str + nameoff, name) &&
			    fn(stack[depth], depth > 1 ? stack[depth - 1] : -ENOENT, p + 12,
			       (int)be32(p + 4), arg))
				return;
		} else if (tag == FDT_END) {
			return;
		}
	}
}

struct compat_search {
	const char *const *compats;
	unsigned n;
	int *found, *parents;
};

/* Each entry of the list once, against every compatible still sought. */
static bool note_compatible(int node, int parent, const uint8_t *val, int len, void *arg)
{
	struct compat_search *c = arg;
	for (const char *p = (const char *)val, *end = p + len; p < end;) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		if (!nul)
			break;
		for (unsigned i = 0; i < c->n; i++)
			if (c->found[i] < 0 && *p == *c->compats[i] && !strcmp(p, c->compats[i])) {
				c->found[i] = node;
				if (c->parents)
					c->parents[i] = parent;
			}
		p = nul + 1;
	}
	return false;
}

void fdt_find_compatibles(const void *fdt, const char *const *compats, unsigned n, int *found,
			  int *parents)
{
	for (unsigned i = 0; i < n; i++)
		found[i] = -ENOENT;
	struct compat_search c = {compats, n, found, parents};
	each_prop_named(fdt, "compatible", note_compatible, &c);
}

struct phandle_search {
	uint32_t phandle;
	int node;
};

static bool is_phandle(int node, int parent, const uint8_t *val, int len, void *arg)
{
	struct phandle_search *ps = arg;
	(void)parent;
	if (len != 4 || be32(val) != ps->phandle)
		return false;
	ps->node = node;
	return true;
}

int fdt_find_phandle(const void *fdt, uint32_t phandle)
{
	struct phandle_search ps = {phandle, -ENOENT};
	each_prop_named(fdt, "phandle", is_phandle, &ps);
	return ps.node;
}

uint32_t fdt_prop_u32(const void *fdt, int node, const char *name, uint32_t dflt)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);
	return p && len == 4 ? fdt32(p) : dflt;
}

int fdt_prop_u64(const void *fdt, int node, const char *name, uint64_t *out)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);
	if (!p || (len != 4 && len != 8))
		return -ENOENT;
	*out = fdt_cells(p, (unsigned)len / 4);
	return 0;
}

unsigned fdt_address_cells(const void *fdt, int node)
{
	return fdt_prop_u32(fdt, node, "#address-cells", 2);
}

unsigned fdt_size_cells(const void *fdt, int node)
{
	return fdt_prop_u32(fdt, node, "#size-cells", 1);
}

int fdt_reg(const void *fdt, int node, int parent, unsigned index, uint64_t *addr, uint64_t *size)
{
	unsigned ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
	int len;
	const uint8_t *p = fdt_getprop(fdt, node, "reg", &len);
	if (!p || ac < 1 || ac > 2 || sc > 2)
		return -ENOENT;
	unsigned stride = (ac + sc) * 4;
	if ((index + 1) * stride > (unsigned)len)
		return -ENOENT;
	p += index * stride;
	*addr = fdt_cells(p, ac);
	*size = sc ? fdt_cells(p + ac * 4, sc) : 0;
	return 0;
}

int fdt_memreserve(const void *fdt, unsigned index, uint64_t *addr, uint64_t *size)
{
	/* 64-bit sums: a corrupt offset must not wrap back into the blob. */
	uint64_t off = (uint64_t)hdr(fdt, H_OFF_RSVMAP) + (uint64_t)index * 16;
	if (off + 16 > hdr(fdt, H_TOTALSIZE))
		return -ENOENT;
	const uint8_t *p = (const uint8_t *)fdt + off;
	*addr = fdt_cells(p, 2);
	*size = fdt_cells(p + 8, 2);
	return *size ? 0 : -ENOENT;
}

int fdt_parent(const void *fdt, int node)
{
	int stack[FDT_MAX_DEPTH], depth = 0;
	struct sblk b = sblk_of(fdt);
	for (int next, off = 0; off >= 0 && off <= node; off = next) {
		uint32_t tag = step(b, off, &next);
		if (tag == FDT_BEGIN_NODE) {
			if (off == node)
				return depth ? stack[depth - 1] : -ENOENT;
			if (depth == FDT_MAX_DEPTH)
				return -EINVAL;
			stack[depth++] = off;
		} else if (tag == FDT_END_NODE) {
			if (depth-- == 0)
				return -EINVAL;
		} else if (tag == FDT_END) {
			break;
		}
	}
	return -ENOENT;
}

/* One bus level: a child address to the parent's, through the bus node's
 * "ranges" (<child-addr parent-addr size> triples; empty = identity). */
/* [*addr, *addr + size) from bus's children's space to bus_parent's: it
 * must lie inside one range whole (a block that runs past a range's end
 * is not reachable there, and translating its start alone would hand out
 * what lies beyond). */
static int translate_one(const void *fdt, int bus, int bus_parent, uint64_t *addr, uint64_t size)
{
	int len;
	const uint8_t *p = fdt_getprop(fdt, bus, "ranges", &len);
	if (!p)
		return -ENOENT; /* not translatable (Devicetree spec 2.3.8) */
	if (len == 0)
		return 0;
	unsigned ca = fdt_address_cells(fdt, bus), cs = fdt_size_cells(fdt, bus);
	unsigned pa = fdt_address_cells(fdt, bus_parent);
	if (ca < 1 || ca > 2 || pa < 1 || pa > 2 || cs < 1 || cs > 2)
		return -EINVAL;
	unsigned stride = (ca + pa + cs) * 4;
	for (unsigned off = 0; off + stride <= (unsigned)len; off += stride) {
		uint64_t child = fdt_cells(p + off, ca), parent = fdt_cells(p + off + ca * 4, pa);
		uint64_t rsize = fdt_cells(p + off + (ca + pa) * 4, cs);
		uint64_t at = *addr - child;
		if (at < rsize && size <= rsize - at) {
			*addr = parent + at;
			return 0;
		}
	}
	return -ENOENT;
}

int fdt_reg_cpu(const void *fdt, int node, unsigned index, uint64_t *addr, uint64_t *size)
{
	return fdt_reg_cpu_at(fdt, node, fdt_parent(fdt, node), index, addr, size);
}

int fdt_translate(const void *fdt, const int *up, unsigned n, uint64_t *addr, uint64_t size)
{
	if (!n || up[0] < 0)
		return -ENOENT;
	for (unsigned k = 0; k + 1 < n; k++)
		if (translate_one(fdt, up[k], up[k + 1], addr, size) < 0)
			return -ENOENT;
	/* Above the chain given, if it stops short of the root. */
	for (int bus = up[n - 1], a = fdt_parent(fdt, bus); a >= 0; bus = a, a = fdt_parent(fdt, bus))
		if (translate_one(fdt, bus, a, addr, size) < 0)
			return -ENOENT;
	return 0;
}

int fdt_reg_cpu_at(const void *fdt, int node, int bus, unsigned index, uint64_t *addr,
		   uint64_t *size)
{
	if (bus < 0 || fdt_reg(fdt, node, bus, index, addr, size) < 0)
		return -ENOENT;
	/* Up through every bus to the root, whose addresses are the CPU's. */
	for (int up = fdt_parent(fdt, bus); up >= 0; bus = up, up = fdt_parent(fdt, bus))
		if (translate_one(fdt, bus, up, addr, *size) < 0)
			return -ENOENT;
	return 0;
}
