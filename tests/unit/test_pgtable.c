/* Mapping, then walking back every page and block, through the one walker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "mm/pgtable.h"
#include "mm/stage2.h"

#define POOL_PAGES 2048

struct fixture {
	void *mem;
	uint64_t bitmap[POOL_PAGES / 64];
	struct page_pool pool;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	/* Aligned to 64 KiB so that 16 concatenated roots can be aligned. */
	f->mem = aligned_alloc(1 << 16, POOL_PAGES * PAGE_SIZE);
	page_pool_init(&f->pool, (uintptr_t)f->mem, POOL_PAGES, f->bitmap);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	free(f->mem);
	free(f);
	return 0;
}

static void new_s2(struct fixture *f, struct pgtable *pgt, unsigned ipa)
{
	struct pgt_geometry g;
	assert_int_equal(pgt_geometry_for(ipa, PGT_STAGE2, ipa > 48, &g), 0);
	assert_int_equal(pgt_init(pgt, &g, PGT_STAGE2, ipa > 48, &f->pool), 0);
	assert_true(((uintptr_t)pgt->root & (g.roots * PAGE_SIZE - 1)) == 0);
}

/* Every page of [ia, ia+size) translates to pa + offset at the expected level. */
static void check_range(struct pgtable *pgt, uint64_t ia, uint64_t pa, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		struct pgt_lookup l;
		assert_int_equal(pgt_lookup(pgt, ia + off + 0x123, &l), 0);
		assert_true(l.valid);
		assert_int_equal(l.pa, pa + off + 0x123);
	}
}

static unsigned leaf_level(struct pgtable *pgt, uint64_t ia)
{
	struct pgt_lookup l;
	assert_int_equal(pgt_lookup(pgt, ia, &l), 0);
	assert_true(l.valid);
	return l.level;
}

static void test_map_walk_every_ipa_size(void **state)
{
	struct fixture *f = *state;
	for (unsigned ipa = 32; ipa <= 52; ipa++) {
		if (ipa > 48 && ipa != 52)
			continue;
		struct pgtable pgt;
		new_s2(f, &pgt, ipa);
		size_t free_before = f->pool.free_pages;
		/* RAM near the top of the IPA space: 2 MiB + 3 pages, so a block
		 * and pages; PA in a 52-bit layout where the IPA size allows it. */
		uint64_t ia = (1ULL << ipa) - SZ_1G;
		uint64_t pa = ipa > 48 ? 0x000f000000000000ULL + SZ_1G : 0x80000000ULL;
		uint64_t size = SZ_2M + 3 * PAGE_SIZE;
		assert_int_equal(pgt_map(&pgt, ia, pa, size, PGT_PROT_RWX), 0);
		check_range(&pgt, ia, pa, size);
		assert_int_equal(leaf_level(&pgt, ia), 2);
		assert_int_equal(leaf_level(&pgt, ia + SZ_2M), 3);
		/* Just below and just above stay unmapped. */
		struct pgt_lookup l;
		assert_int_equal(pgt_lookup(&pgt, ia - 1, &l), 0);
		assert_false(l.valid);
		assert_int_equal(pgt_lookup(&pgt, ia + size, &l), 0);
		assert_false(l.valid);
		/* Beyond the IPA size is out of range. */
		assert_int_equal(pgt_lookup(&pgt, 1ULL << ipa, &l), -ERANGE);
		/* Tables: one per level below the root on this path, plus one L3. */
		assert_int_equal(pgt_count_tables(&pgt) - pgt.geo.roots, pgt.geo.levels - 1);
		assert_int_equal(pgt.tables, pgt_count_tables(&pgt));
		pgt_destroy(&pgt);
		assert_int_equal(f->pool.free_pages, free_before + pgt.geo.roots);
	}
}

static void test_block_vs_page_at_unaligned_edges(void **state)
{
	struct fixture *f = *state;
	struct pgtable pgt;
	new_s2(f, &pgt, 40);
	/* 1 GiB aligned IPA and PA: a level-1 block. */
	assert_int_equal(pgt_map(&pgt, 0x40000000, 0x80000000, SZ_1G, PGT_PROT_RW), 0);
	assert_int_equal(leaf_level(&pgt, 0x40000000), 1);
	assert_int_equal(pgt_count_tables(&pgt), pgt.geo.roots);
	/* Same IPA alignment but PA only 2 MiB aligned: level-2 blocks. */
	assert_int_equal(pgt_map(&pgt, 0x80000000, 0x1c0200000ULL, SZ_1G, PGT_PROT_RW), 0);
	assert_int_equal(leaf_level(&pgt, 0x80000000), 2);
	check_range(&pgt, 0x80000000, 0x1c0200000ULL, SZ_1G);
	/* A range starting one page before a 2 MiB boundary, ending one page
	 * after the next: page, blocks, page. */
	uint64_t ia = 0x100000000ULL - PAGE_SIZE + 0x40000000;
	uint64_t size = PAGE_SIZE + 2 * SZ_2M + PAGE_SIZE;
	assert_int_equal(pgt_map(&pgt, ia, 0x200000000ULL - PAGE_SIZE, size, PGT_PROT_RW), 0);
	assert_int_equal(leaf_level(&pgt, ia), 3);
	assert_int_equal(leaf_level(&pgt, ia + PAGE_SIZE), 2);
	assert_int_equal(leaf_level(&pgt, ia + PAGE_SIZE + SZ_2M), 2);
	assert_int_equal(leaf_level(&pgt, ia + size - PAGE_SIZE), 3);
	check_range(&pgt, ia, 0x200000000ULL - PAGE_SIZE, size);
	/* IPA and PA misaligned with each other: pages only. */
	assert_int_equal(pgt_map(&pgt, 0x200000000ULL, 0x300001000ULL, SZ_2M, PGT_PROT_RW), 0);
	assert_int_equal(leaf_level(&pgt, 0x200000000ULL), 3);
	assert_int_equal(leaf_level(&pgt, 0x200000000ULL + SZ_2M - PAGE_SIZE), 3);
	pgt_destroy(&pgt);

	/* PGT_PROT_PAGES: a 1 GiB aligned GiB in 4 KiB pages, one level-2
	 * and 512 level-3 tables under the roots. */
	new_s2(f, &pgt, 40);
	assert_int_equal(pgt_map(&pgt, 0x40000000, 0x80000000, SZ_1G, PGT_PROT_RW | PGT_PROT_PAGES),
			 0);
	assert_int_equal(leaf_level(&pgt, 0x40000000), 3);
	assert_int_equal(leaf_level(&pgt, 0x40000000 + SZ_1G - PAGE_SIZE), 3);
	check_range(&pgt, 0x40000000, 0x80000000, SZ_1G);
	assert_int_equal(pgt_count_tables(&pgt), pgt.geo.roots + 1 + 512);
	assert_int_equal(pgt.tables, pgt_count_tables(&pgt));
	pgt_destroy(&pgt);
}

static void test_overlap_and_failure_change_nothing(void **state)
{
	struct fixture *f = *state;
	struct pgtable pgt;
	new_s2(f, &pgt, 36);
	assert_int_equal(pgt_map(&pgt, 0x40000000, 0x40000000, SZ_2M, PGT_PROT_RW), 0);
	size_t tables = pgt_count_tables(&pgt), free_pages = f->pool.free_pages;
	/* Overlapping the end of the block: refused, nothing allocated. */
	assert_int_equal(pgt_map(&pgt, 0x40000000 + SZ_2M - PAGE_SIZE, 0x90000000, 2 * PAGE_SIZE,
				 PGT_PROT_RW),
			 -EEXIST);
	assert_int_equal(pgt_count_tables(&pgt), tables);
	assert_int_equal(f->pool.free_pages, free_pages);
	struct pgt_lookup l;
	assert_int_equal(pgt_lookup(&pgt, 0x40000000 + SZ_2M, &l), 0);
	assert_false(l.valid);
	/* A pool that cannot hold the tables: -ENOMEM, nothing mapped. */
	struct page_pool saved = f->pool;
	f->pool.free_pages = 1;
	assert_int_equal(pgt_map(&pgt, 0x800000000ULL, 0x90000000, PAGE_SIZE, PGT_PROT_RW),
			 -ENOMEM);
	f->pool.free_pages = saved.free_pages;
	assert_int_equal(pgt_lookup(&pgt, 0x800000000ULL, &l), 0);
	assert_false(l.valid);
	assert_int_equal(pgt_count_tables(&pgt), tables);
	/* Beyond the IPA size. */
	assert_int_equal(pgt_map(&pgt, (1ULL << 36) - PAGE_SIZE, 0, 2 * PAGE_SIZE, PGT_PROT_RW),
			 -ERANGE);
	/* Unaligned. */
	assert_int_equal(pgt_map(&pgt, 0x1000 + 1, 0, PAGE_SIZE, PGT_PROT_RW), -EINVAL);
	/* Output addresses the descriptor cannot hold (48 bits without DS)
	 * are refused, not truncated onto other memory; so is a wrap. */
	assert_int_equal(pgt_map(&pgt, 0x900000000ULL, 0x1000040200000ULL, PAGE_SIZE, PGT_PROT_RW),
			 -ERANGE);
	assert_int_equal(
		pgt_map(&pgt, 0x900000000ULL, 0xfffffffffffff000ULL, 2 * PAGE_SIZE, PGT_PROT_RW),
		-ERANGE);
	assert_int_equal(
		pgt_map(&pgt, 0x900000000ULL, 0xfffffffff000ULL, 2 * PAGE_SIZE, PGT_PROT_RW),
		-ERANGE);
	assert_int_equal(pgt_count_tables(&pgt), tables);
	pgt_destroy(&pgt);
}

/* Tables are zeroed, then published with a barrier, then linked: a map
 * that adds tables publishes them once; one that adds none does not. */
extern unsigned pgt_tables_published;
static void test_tables_published(void **state)
{
	struct fixture *f = *state;
	struct pgtable pgt;
	new_s2(f, &pgt, 40);
	unsigned before = pgt_tables_published;
	assert_int_equal(pgt_map(&pgt, 0x40000000, 0x40000000, PAGE_SIZE, PGT_PROT_RW), 0);
	assert_int_equal(pgt_tables_published, before + 1);
	assert_int_equal(pgt_map(&pgt, 0x40001000, 0x40001000, PAGE_SIZE, PGT_PROT_RW), 0);
	assert_int_equal(pgt_tables_published, before + 1); /* the same tables */
	pgt_destroy(&pgt);
}

static void test_unmap(void **state)
{
	struct fixture *f = *state;
	struct pgtable pgt;
	new_s2(f, &pgt, 48);
	assert_int_equal(pgt_map(&pgt, 0x40000000, 0x40000000, SZ_2M + PAGE_SIZE, PGT_PROT_RW), 0);
	/* Cutting a block in half is refused and leaves everything mapped. */
	assert_int_equal(pgt_unmap(&pgt, 0x40000000, PAGE_SIZE), -EINVAL);
	check_range(&pgt, 0x40000000, 0x40000000, SZ_2M + PAGE_SIZE);
	assert_int_equal(pgt_unmap(&pgt, 0x40000000, SZ_2M + PAGE_SIZE), 0);
	struct pgt_lookup l;
	assert_int_equal(pgt_lookup(&pgt, 0x40000000, &l), 0);
	assert_false(l.valid);
	assert_int_equal(pgt_lookup(&pgt, 0x40000000 + SZ_2M, &l), 0);
	assert_false(l.valid);
	/* The same range maps again, reusing the tables. */
	size_t tables = pgt_count_tables(&pgt);
	assert_int_equal(pgt_map(&pgt, 0x40000000, 0x50000000, SZ_2M + PAGE_SIZE, PGT_PROT_RW), 0);
	assert_int_equal(pgt_count_tables(&pgt), tables);
	check_range(&pgt, 0x40000000, 0x50000000, SZ_2M + PAGE_SIZE);
	pgt_destroy(&pgt);
}

static void test_attributes(void **state)
{
	struct fixture *f = *state;
	struct pgtable pgt;
	new_s2(f, &pgt, 40);
	assert_int_equal(pgt_map(&pgt, 0x40000000, 0x40000000, PAGE_SIZE, PGT_PROT_RWX), 0);
	assert_int_equal(
		pgt_map(&pgt, 0x09000000, 0x09000000, PAGE_SIZE, PGT_PROT_RW | PGT_PROT_DEVICE), 0);
	struct pgt_lookup ram, dev;
	pgt_lookup(&pgt, 0x40000000, &ram);
	pgt_lookup(&pgt, 0x09000000, &dev);
	/* Stage-2 MemAttr[5:2]: 0b1111 normal write-back, 0b0001 Device-nGnRE. */
	assert_int_equal((ram.pte >> 2) & 0xf, 0xf);
	assert_int_equal((dev.pte >> 2) & 0xf, 0x1);
	/* S2AP read/write, AF set; XN[1:0] = 0b10 only on the device page. */
	assert_int_equal((ram.pte >> 6) & 3, 3);
	assert_true(ram.pte & (1 << 10));
	assert_int_equal((ram.pte >> 53) & 3, 0);
	assert_int_equal((dev.pte >> 53) & 3, 2);
	/* Inner shareable for normal memory. */
	assert_int_equal((ram.pte >> 8) & 3, 3);
	pgt_destroy(&pgt);
}

/* With HCR_EL2.FWB (FEAT_S2FWB) stage 2 encodes MemAttr differently: RAM
 * keeps "stage 1 decides" (0b0111, not 0b1111, which there would not be
 * Normal memory), a channel's memory is forced write-back (0b0110), a
 * device stays Device-nGnRE; without FWB a channel is plain RAM (0b1111). */
static void test_attributes_fwb(void **state)
{
	struct fixture *f = *state;
	for (int fwb = 0; fwb <= 1; fwb++) {
		struct pgtable pgt;
		new_s2(f, &pgt, 40);
		pgt.fwb = fwb;
		assert_int_equal(pgt_map(&pgt, 0x40000000, 0x40000000, SZ_2M, PGT_PROT_RWX), 0);
		assert_int_equal(pgt_map(&pgt, 0x10000000, 0x80000000, PAGE_SIZE,
					 PGT_PROT_RW | PGT_PROT_SHARED),
				 0);
		assert_int_equal(pgt_map(&pgt, 0x09000000, 0x09000000, PAGE_SIZE,
					 PGT_PROT_RW | PGT_PROT_DEVICE),
				 0);
		struct pgt_lookup ram, shared, dev;
		pgt_lookup(&pgt, 0x40000000, &ram);
		pgt_lookup(&pgt, 0x10000000, &shared);
		pgt_lookup(&pgt, 0x09000000, &dev);
		assert_int_equal((ram.pte >> 2) & 0xf, fwb ? 0x7 : 0xf);
		assert_int_equal((shared.pte >> 2) & 0xf, fwb ? 0x6 : 0xf);
		assert_int_equal((dev.pte >> 2) & 0xf, 0x1);
		/* The rest of the entry does not change with it. */
		assert_int_equal((shared.pte >> 6) & 3, 3);
		assert_int_equal((shared.pte >> 8) & 3, 3);
		assert_int_equal((shared.pte >> 53) & 3, 2);
		pgt_destroy(&pgt);
	}
}

/* FEAT_LPA2 descriptors (Arm ARM D8.3.1, 4 KiB granule, DS = 1): OA[49:12]
 * in bits [49:12] and OA[51:50] in bits [9:8]. Checked against the raw
 * entry, not the walker's own decoder. */
static void test_lpa2_descriptor_layout(void **state)
{
	struct fixture *f = *state;
	struct pgtable pgt;
	new_s2(f, &pgt, 52);
	uint64_t pa = 0xc000000000000ULL | 0x123456789000ULL; /* OA[51:50] = 0b11 */
	assert_int_equal(pgt_map(&pgt, 0x40000000, pa, PAGE_SIZE, PGT_PROT_RW), 0);
	struct pgt_lookup l;
	assert_int_equal(pgt_lookup(&pgt, 0x40000000, &l), 0);
	assert_true(l.valid);
	assert_int_equal(l.pa, pa);
	assert_int_equal((l.pte >> 8) & 3, 3);
	assert_int_equal(l.pte & 0x3fffffff000ULL, pa & 0x3fffffff000ULL);
	assert_int_equal((l.pte >> 50) & 3, 0); /* bits [51:50] are not OA here */
	/* OA[51:50] = 0b01 only. */
	pa = 0x4000000000000ULL | 0x2000;
	assert_int_equal(pgt_map(&pgt, 0x40001000, pa, PAGE_SIZE, PGT_PROT_RW), 0);
	assert_int_equal(pgt_lookup(&pgt, 0x40001000, &l), 0);
	assert_int_equal((l.pte >> 8) & 3, 1);
	assert_int_equal(l.pte & 0x3fffffff000ULL, 0x2000);
	pgt_destroy(&pgt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_map_walk_every_ipa_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lpa2_descriptor_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_block_vs_page_at_unaligned_edges, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_overlap_and_failure_change_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unmap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tables_published, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attributes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attributes_fwb, setup, teardown),
	};
	return cmocka_run_group_tests_name("pgtable", tests, NULL, NULL);
}
