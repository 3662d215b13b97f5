/* One page-table walker for the 4 KiB granule, parameterised by start level,
 * number of levels and concatenated root tables. It serves the hypervisor's
 * own EL2 stage 1 and every guest's stage 2; map, unmap and lookup are
 * visitors on the same walk (the shape of KVM/arm64's kvm_pgtable_walk). */
#pragma once
#include "mm/page_pool.h"
#include "types.h"

typedef uint64_t pte_t;

#define PGT_ENTRIES   512
#define PGT_MAX_LEVEL 3
#define PGT_MAX_ROOTS 16

enum pgt_stage { PGT_STAGE1_EL2, PGT_STAGE2 };

/* Where a table starts and how deep it goes, derived from the input size. */
struct pgt_geometry {
	unsigned ia_bits;     /* input address bits (T0SZ = 64 - ia_bits) */
	unsigned start_level; /* 0..2 */
	unsigned levels;      /* 4 - start_level */
	unsigned roots;	      /* concatenated tables at the start level */
};

/* Fills *g with the fewest levels the architecture allows for ia_bits
 * (stage 2 may concatenate up to 16 root tables; stage 1 may not).
 * lpa2: FEAT_LPA2 descriptors, needed for ia_bits > 48. */
int pgt_geometry_for(unsigned ia_bits, enum pgt_stage stage, bool lpa2, struct pgt_geometry *g);

static inline unsigned pgt_level_shift(unsigned level)
{
	return PAGE_SHIFT + 9 * (PGT_MAX_LEVEL - level);
}

/* Access permissions and memory type, translated per stage. */
#define PGT_PROT_R	BIT(0)
#define PGT_PROT_W	BIT(1)
#define PGT_PROT_X	BIT(2)
#define PGT_PROT_DEVICE BIT(3)
#define PGT_PROT_PAGES	BIT(4) /* 4 KiB pages only, no blocks (benchmarks) */
/* Stage 2: memory other guests map too (a channel), Normal write-back
 * whatever the guest's stage 1 says where the table is for HCR_EL2.FWB. */
#define PGT_PROT_SHARED	BIT(5)
#define PGT_PROT_RW	(PGT_PROT_R | PGT_PROT_W)
#define PGT_PROT_RWX	(PGT_PROT_RW | PGT_PROT_X)

struct pgtable {
	struct pgt_geometry geo;
	enum pgt_stage stage;
	bool ds;     /* 52-bit output addresses in descriptors (FEAT_LPA2) */
	bool fwb;    /* stage 2 for HCR_EL2.FWB = 1 (FEAT_S2FWB): MemAttr re-encoded */
	pte_t *root; /* geo.roots contiguous pages, aligned to their size */
	struct page_pool *pool;
	size_t tables; /* table pages in use, the roots included */
};

int pgt_init(struct pgtable *pgt, const struct pgt_geometry *geo, enum pgt_stage stage, bool ds,
	     struct page_pool *pool);
void pgt_destroy(struct pgtable *pgt);

/* Maps [ia, ia + size) to [pa, ...): the largest blocks alignment allows,
 * pages elsewhere. Whole or nothing: every table is allocated before any
 * entry is written. Fails with -EEXIST on overlap with a live mapping. */
int pgt_map(struct pgtable *pgt, uint64_t ia, uint64_t pa, uint64_t size, unsigned prot);
/* Unmaps [ia, ia + size). Refuses (-EINVAL) to cut through a block. The
 * caller invalidates TLBs. */
int pgt_unmap(struct pgtable *pgt, uint64_t ia, uint64_t size);

struct pgt_lookup {
	bool valid;
	uint64_t pa;	/* output address of ia */
	unsigned level; /* level of the leaf */
	pte_t pte;
};
int pgt_lookup(const struct pgtable *pgt, uint64_t ia, struct pgt_lookup *out);
/* Counts the table pages the table uses (root included). */
size_t pgt_count_tables(const struct pgtable *pgt);

/* --- The walker itself, for visitors outside this file. --- */
enum pgt_visit {
	PGT_VISIT_LEAF = BIT(0),       /* invalid entry, block or page */
	PGT_VISIT_TABLE_PRE = BIT(1),  /* table entry, before its children */
	PGT_VISIT_TABLE_POST = BIT(2), /* table entry, after its children */
};
/* A leaf visitor returns this to walk into a table that does not exist yet
 * (its entries all read as invalid, ptep == NULL): used to size a mapping. */
#define PGT_WALK_DESCEND 1

struct pgt_walk_ctx {
	const struct pgtable *pgt;
	uint64_t addr; /* input address the entry covers from */
	uint64_t end;  /* end of the walk */
	unsigned level;
	pte_t *ptep; /* NULL inside a table that does not exist yet */
	pte_t old;   /* entry value at visit time */
	void *arg;
};
typedef int (*pgt_visitor_fn)(struct pgt_walk_ctx *ctx, enum pgt_visit visit);
struct pgt_walker {
	pgt_visitor_fn cb;
	void *arg;
	unsigned flags; /* enum pgt_visit bits to call cb for */
};
int pgt_walk(const struct pgtable *pgt, uint64_t addr, uint64_t size,
	     const struct pgt_walker *walker);
