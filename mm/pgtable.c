#include "mm/pgtable.h"

#include "lib/string.h"

/* Descriptor bits for the 4 KiB granule (Arm ARM D8.3). */
#define PTE_VALID      BIT(0)
#define PTE_TABLE      BIT(1) /* table at levels 0-2, page at level 3 */
#define PTE_AF	       BIT(10)
#define PTE_SH_INNER   (3ULL << 8)
#define PTE_XN	       BIT(54)
#define PTE_ADDR_48    GENMASK(47, 12)
#define PTE_ADDR_52_LO GENMASK(49, 12)
#define PTE_ADDR_52_HI GENMASK(9, 8) /* OA[51:50] with FEAT_LPA2 */
/* Stage 2 (D8.4.2): MemAttr[5:2], S2AP[7:6]. Without FWB, Normal
 * write-back, which leaves the type to stage 1 (the more restrictive of
 * the two wins). With HCR_EL2.FWB (FEAT_S2FWB) the encoding is another:
 * MemAttr[3] is 0, MemAttr[2:0] = 0b111 says the same "stage 1 decides",
 * 0b110 forces Normal write-back over any stage 1 type, 0b101 Normal
 * non-cacheable. Device-nGnRE (0b0001) reads the same either way. */
#define S2_MEMATTR_NORMAL_WB	(0xfULL << 2)
#define S2_MEMATTR_FWB_STAGE1	(0x7ULL << 2)
#define S2_MEMATTR_FWB_FORCE_WB (0x6ULL << 2)
#define S2_MEMATTR_DEVICE_NGNRE (0x1ULL << 2)
#define S2_AP_R			BIT(6)
#define S2_AP_W			BIT(7)
/* EL2 stage 1 (D8.4.1): AttrIndx[4:2], AP[2] read-only, AP[1] RES1. */
#define S1_ATTRIDX_SHIFT 2
#define S1_AP_RO	 BIT(7)
#define S1_AP_RES1	 BIT(6)
#define S1_MAIR_NORMAL	 0
#define S1_MAIR_DEVICE	 1

int pgt_geometry_for(unsigned ia_bits, enum pgt_stage stage, bool lpa2, struct pgt_geometry *g)
{
	/* T0SZ limits for the 4 KiB granule: 16..39 (12..39 with LPA2). */
	if (ia_bits < 25 || ia_bits > (lpa2 ? 52u : 48u))
		return -ERANGE;
	unsigned levels;
	if (stage == PGT_STAGE2) {
		/* The root may resolve 9 bits plus up to 4 more through
		 * concatenation (D8.2.7), so: the same count as KVM's
		 * ARM64_HW_PGTABLE_LEVELS(ia_bits - 4). */
		levels = MAX((ia_bits - 4 - 4) / 9, 2u);
	} else {
		levels = (ia_bits - PAGE_SHIFT + 8) / 9;
	}
	if (levels > 4)
		return -ERANGE;
	g->ia_bits = ia_bits;
	g->levels = levels;
	g->start_level = 4 - levels;
	unsigned covered = pgt_level_shift(g->start_level) + 9;
	g->roots = ia_bits > covered ? 1u << (ia_bits - covered) : 1;
	if (g->roots > PGT_MAX_ROOTS)
		return -ERANGE;
	return 0;
}

static unsigned root_entries(const struct pgtable *pgt)
{
	return PGT_ENTRIES * pgt->geo.roots;
}

static bool pte_valid(pte_t pte)
{
	return pte & PTE_VALID;
}

static bool pte_is_table(pte_t pte, unsigned level)
{
	return level < PGT_MAX_LEVEL && (pte & (PTE_VALID | PTE_TABLE)) == (PTE_VALID | PTE_TABLE);
}

static uint64_t pte_addr(const struct pgtable *pgt, pte_t pte)
{
	if (!pgt->ds)
		return pte & PTE_ADDR_48;
	return (pte & PTE_ADDR_52_LO) | ((pte & PTE_ADDR_52_HI) << 42);
}

static pte_t pte_from_addr(const struct pgtable *pgt, uint64_t pa)
{
	if (!pgt->ds)
		return pa & PTE_ADDR_48;
	return (pa & PTE_ADDR_52_LO) | ((pa >> 42) & PTE_ADDR_52_HI);
}

/* Tables are reached by their address: the hypervisor maps its pool 1:1 and
 * the host unit tests use pointers as addresses, so no conversion is needed. */
static pte_t *table_of(const struct pgtable *pgt, pte_t pte)
{
	return (pte_t *)(uintptr_t)pte_addr(pgt, pte);
}

static pte_t leaf_attrs(const struct pgtable *pgt, unsigned prot)
{
	pte_t a = PTE_AF;
	if (pgt->stage == PGT_STAGE2) {
		if (prot & PGT_PROT_DEVICE)
			a |= S2_MEMATTR_DEVICE_NGNRE;
		else if (pgt->fwb)
			a |= prot & PGT_PROT_SHARED ? S2_MEMATTR_FWB_FORCE_WB : S2_MEMATTR_FWB_STAGE1;
		else
			a |= S2_MEMATTR_NORMAL_WB;
		a |= prot & PGT_PROT_R ? S2_AP_R : 0;
		a |= prot & PGT_PROT_W ? S2_AP_W : 0;
	} else {
		unsigned idx = prot & PGT_PROT_DEVICE ? S1_MAIR_DEVICE : S1_MAIR_NORMAL;
		a |= (pte_t)idx << S1_ATTRIDX_SHIFT | S1_AP_RES1;
		a |= prot & PGT_PROT_W ? 0 : S1_AP_RO;
	}
	/* With FEAT_LPA2 the shareability comes from VTCR/TCR.SH0 instead. */
	if (!pgt->ds && !(prot & PGT_PROT_DEVICE))
		a |= PTE_SH_INNER;
	if (!(prot & PGT_PROT_X) || (prot & PGT_PROT_DEVICE))
		a |= PTE_XN; /* stage 2: XN[1:0] = 0b10, never executable */
	return a;
}

static int walk_table(const struct pgtable *pgt, pte_t *table, unsigned level, unsigned nentries,
		      uint64_t *addr, uint64_t end, const struct pgt_walker *w);

static int visit(const struct pgt_walker *w, struct pgt_walk_ctx *ctx, enum pgt_visit v)
{
	return (w->flags & v) ? w->cb(ctx, v) : 0;
}

static int walk_entry(const struct pgtable *pgt, pte_t *ptep, unsigned level, uint64_t *addr,
		      uint64_t end, const struct pgt_walker *w)
{
	uint64_t size = 1ULL << pgt_level_shift(level);
	uint64_t next = ALIGN_DOWN(*addr, size) + size;
	struct pgt_walk_ctx ctx = {
		.pgt = pgt,
		.addr = *addr,
		.end = end,
		.level = level,
		.ptep = ptep,
		.old = ptep ? *ptep : 0,
		.arg = w->arg,
	};
	bool table = pte_is_table(ctx.old, level);
	int ret;

	if (!table) {
		ret = visit(w, &ctx, PGT_VISIT_LEAF);
		if (ret < 0)
			return ret;
		/* The visitor may have installed a table here. */
		if (ptep)
			ctx.old = *ptep;
		table = pte_is_table(ctx.old, level);
		if (!table && !(ret == PGT_WALK_DESCEND && level < PGT_MAX_LEVEL)) {
			*addr = next;
			return 0;
		}
	} else {
		ret = visit(w, &ctx, PGT_VISIT_TABLE_PRE);
		if (ret < 0)
			return ret;
	}

	pte_t *child = table ? table_of(pgt, ctx.old) : NULL;
	ret = walk_table(pgt, child, level + 1, PGT_ENTRIES, addr, MIN(end, next), w);
	if (ret < 0)
		return ret;
	if (table) {
		ctx.old = *ptep;
		ret = visit(w, &ctx, PGT_VISIT_TABLE_POST);
		if (ret < 0)
			return ret;
	}
	*addr = next;
	return 0;
}

static int walk_table(const struct pgtable *pgt, pte_t *table, unsigned level, unsigned nentries,
		      uint64_t *addr, uint64_t end, const struct pgt_walker *w)
{
	unsigned idx = (*addr >> pgt_level_shift(level)) & (nentries - 1);
	for (; idx < nentries && *addr < end; idx++) {
		int ret = walk_entry(pgt, table ? &table[idx] : NULL, level, addr, end, w);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int pgt_walk(const struct pgtable *pgt, uint64_t addr, uint64_t size,
	     const struct pgt_walker *walker)
{
	uint64_t end = addr + size;
	if (end < addr || end > (1ULL << pgt->geo.ia_bits))
		return -ERANGE;
	return walk_table(pgt, pgt->root, pgt->geo.start_level, root_entries(pgt), &addr, end,
			  walker);
}

int pgt_init(struct pgtable *pgt, const struct pgt_geometry *geo, enum pgt_stage stage, bool ds,
	     struct page_pool *pool)
{
	pgt->geo = *geo;
	pgt->stage = stage;
	pgt->ds = ds;
	pgt->fwb = false; /* stage2_init sets it for HCR_EL2.FWB */
	pgt->pool = pool;
	/* Concatenated roots are contiguous and aligned to their total size. */
	pgt->root = page_pool_alloc(pool, geo->roots, geo->roots);
	pgt->tables = pgt->root ? geo->roots : 0;
	return pgt->root ? 0 : -ENOMEM;
}

/* --- map --- */

/* New tables were zeroed (page_cache_fill) before a descriptor links
 * them: the zeros must be visible to every walker first, or one may read
 * the table's old contents through the new link (Arm ARM D8.2.6: a DMB
 * between the writes). On the host (unit tests) the call is counted. */
#ifdef HYP_TARGET
#define publish_tables() __asm__ volatile("dmb ishst" ::: "memory")
#else
unsigned pgt_tables_published;
#define publish_tables()                               \
	do {                                           \
		pgt_tables_published++;                \
		__asm__ volatile("" ::: "memory");     \
	} while (0)
#endif

struct map_args {
	uint64_t ia_base, pa_base;
	pte_t attrs;
	bool pages_only; /* PGT_PROT_PAGES: no block mappings */
	bool dry_run;	 /* sizing pass: count tables, write nothing */
	size_t tables_needed;
	size_t tables_added;
	struct page_cache cache;
};

static bool block_allowed(unsigned level, bool pages_only)
{
	/* 4 KiB granule: 1 GiB blocks at level 1, 2 MiB at level 2, pages at 3. */
	return level == PGT_MAX_LEVEL || (level >= 1 && !pages_only);
}

static int map_visitor(struct pgt_walk_ctx *ctx, enum pgt_visit v)
{
	struct map_args *m = ctx->arg;
	uint64_t size = 1ULL << pgt_level_shift(ctx->level);
	uint64_t pa = m->pa_base + (ctx->addr - m->ia_base);
	(void)v;

	if (block_allowed(ctx->level, m->pages_only) && IS_ALIGNED(ctx->addr, size) &&
	    IS_ALIGNED(pa, size) && ctx->end - ctx->addr >= size) {
		if (pte_valid(ctx->old))
			return -EEXIST;
		if (!m->dry_run) {
			pte_t type = ctx->level == PGT_MAX_LEVEL ? PTE_TABLE : 0;
			*ctx->ptep = pte_from_addr(ctx->pgt, pa) | m->attrs | type | PTE_VALID;
		}
		return 0;
	}
	if (pte_valid(ctx->old))
		return -EEXIST; /* part of a live block: no splitting */
	if (m->dry_run) {
		m->tables_needed++;
		return PGT_WALK_DESCEND;
	}
	pte_t *table = page_cache_take(&m->cache);
	*ctx->ptep = pte_from_addr(ctx->pgt, (uintptr_t)table) | PTE_TABLE | PTE_VALID;
	m->tables_added++;
	return 0;
}

int pgt_map(struct pgtable *pgt, uint64_t ia, uint64_t pa, uint64_t size, unsigned prot)
{
	if (!IS_ALIGNED(ia | pa | size, PAGE_SIZE) || size == 0)
		return -EINVAL;
	/* Descriptors hold 48 output-address bits, 52 with DS: anything above
	 * would be silently dropped and map some other memory. */
	uint64_t oa_top = 1ULL << (pgt->ds ? 52 : 48);
	if (pa >= oa_top || size > oa_top - pa)
		return -ERANGE;
	struct map_args m = {
		.ia_base = ia,
		.pa_base = pa,
		.attrs = leaf_attrs(pgt, prot),
		.pages_only = prot & PGT_PROT_PAGES,
		.dry_run = true,
	};
	struct pgt_walker w = {map_visitor, &m, PGT_VISIT_LEAF};
	int ret = pgt_walk(pgt, ia, size, &w);
	if (ret < 0)
		return ret;
	ret = page_cache_fill(&m.cache, pgt->pool, m.tables_needed);
	if (ret < 0)
		return ret;
	if (m.tables_needed)
		publish_tables();
	m.dry_run = false;
	ret = pgt_walk(pgt, ia, size, &w); /* cannot fail: checked above */
	pgt->tables += m.tables_added;
	page_cache_drain(&m.cache, pgt->pool);
	return ret;
}

/* --- unmap --- */

static int unmap_visitor(struct pgt_walk_ctx *ctx, enum pgt_visit v)
{
	bool *dry_run = ctx->arg;
	uint64_t size = 1ULL << pgt_level_shift(ctx->level);
	(void)v;
	if (!pte_valid(ctx->old))
		return 0;
	if (!IS_ALIGNED(ctx->addr, size) || ctx->end - ctx->addr < size)
		return -EINVAL; /* would cut through a block */
	if (!*dry_run)
		*ctx->ptep = 0;
	return 0;
}

int pgt_unmap(struct pgtable *pgt, uint64_t ia, uint64_t size)
{
	if (!IS_ALIGNED(ia | size, PAGE_SIZE))
		return -EINVAL;
	bool dry_run = true;
	struct pgt_walker w = {unmap_visitor, &dry_run, PGT_VISIT_LEAF};
	int ret = pgt_walk(pgt, ia, size, &w);
	if (ret < 0)
		return ret;
	dry_run = false;
	return pgt_walk(pgt, ia, size, &w);
}

/* --- lookup and accounting --- */

static int lookup_visitor(struct pgt_walk_ctx *ctx, enum pgt_visit v)
{
	struct pgt_lookup *out = ctx->arg;
	uint64_t size = 1ULL << pgt_level_shift(ctx->level);
	(void)v;
	out->level = ctx->level;
	out->pte = ctx->old;
	out->valid = pte_valid(ctx->old);
	if (out->valid)
		out->pa = pte_addr(ctx->pgt, ctx->old) + (ctx->addr & (size - 1));
	return 0;
}

int pgt_lookup(const struct pgtable *pgt, uint64_t ia, struct pgt_lookup *out)
{
	*out = (struct pgt_lookup){0};
	struct pgt_walker w = {lookup_visitor, out, PGT_VISIT_LEAF};
	int ret = pgt_walk(pgt, ALIGN_DOWN(ia, PAGE_SIZE), PAGE_SIZE, &w);
	if (ret < 0)
		return ret;
	if (out->valid)
		out->pa |= ia & (PAGE_SIZE - 1);
	return 0;
}

static int count_visitor(struct pgt_walk_ctx *ctx, enum pgt_visit v)
{
	(*(size_t *)ctx->arg)++;
	(void)v;
	return 0;
}

/* Walks the whole input range: pgt->tables is the running count. */
size_t pgt_count_tables(const struct pgtable *pgt)
{
	size_t n = pgt->geo.roots;
	struct pgt_walker w = {count_visitor, &n, PGT_VISIT_TABLE_PRE};
	pgt_walk(pgt, 0, 1ULL << pgt->geo.ia_bits, &w);
	return n;
}

/* Frees every table below the root, then the root. */
static int free_visitor(struct pgt_walk_ctx *ctx, enum pgt_visit v)
{
	(void)v;
	page_pool_free(ctx->pgt->pool, table_of(ctx->pgt, ctx->old), 1);
	*ctx->ptep = 0;
	return 0;
}

void pgt_destroy(struct pgtable *pgt)
{
	struct pgt_walker w = {free_visitor, NULL, PGT_VISIT_TABLE_POST};
	pgt_walk(pgt, 0, 1ULL << pgt->geo.ia_bits, &w);
	page_pool_free(pgt->pool, pgt->root, pgt->geo.roots);
	pgt->root = NULL;
	pgt->tables = 0;
}
