/* Stage-2 geometry for every IPA size, against the Arm ARM's rules
 * (D8.2.7 concatenation; VTCR_EL2.SL0/T0SZ constraints for 4 KiB). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "arch/vtcr.h"
#include "mm/pgtable.h"
#include "mm/stage2.h"

/* Independent statement of the rule: the fewest levels such that the start
 * level resolves at most 9 + 4 bits (16 concatenated tables), with start
 * level 0 limited to one table unless LPA2 (then up to 16 too). */
static void expected(unsigned ipa, unsigned *levels, unsigned *start, unsigned *roots)
{
	for (unsigned l = 2; l <= 4; l++) {
		unsigned s = 4 - l;
		unsigned below = 12 + 9 * (l - 1); /* bits resolved under the root */
		int root_bits = (int)ipa - (int)below;
		unsigned max_root_bits = 9 + 4;
		if (root_bits <= (int)max_root_bits) {
			*levels = l;
			*start = s;
			*roots = root_bits > 9 ? 1u << (root_bits - 9) : 1;
			return;
		}
	}
	fail_msg("no geometry for %u", ipa);
}

static void test_every_ipa_size(void **state)
{
	(void)state;
	for (unsigned ipa = 32; ipa <= 52; ipa++) {
		if (ipa > 48 && ipa != 52)
			continue;
		struct pgt_geometry g;
		assert_int_equal(pgt_geometry_for(ipa, PGT_STAGE2, ipa > 48, &g), 0);
		unsigned l, s, r;
		expected(ipa, &l, &s, &r);
		assert_int_equal(g.levels, l);
		assert_int_equal(g.start_level, s);
		assert_int_equal(g.roots, r);
		assert_true(g.roots >= 1 && g.roots <= 16);
		/* The tables must cover exactly the IPA space. */
		unsigned covered = 12 + 9 * g.levels + __builtin_ctz(g.roots);
		assert_true(covered >= ipa && covered < ipa + 9);
		/* VTCR: T0SZ and SL0 as the architecture encodes them. */
		struct cpu_mm_features f = {.parange = 6, .lpa2_s2 = true, .vmid16 = true};
		uint64_t vtcr = stage2_vtcr(&g, ipa > 48, &f);
		assert_int_equal(vtcr & 0x3f, 64 - ipa);
		assert_int_equal((vtcr >> 6) & 3, 2 - g.start_level);
		assert_int_equal(!!(vtcr & VTCR_EL2_DS), ipa > 48);
		assert_true(vtcr & VTCR_EL2_VS);
		/* SL0=0 (level 2) is allowed for T0SZ 24..39 only, SL0=2 (level 0)
		 * for T0SZ <= 24 (16..24, 12..24 with LPA2). */
		unsigned t0sz = 64 - ipa;
		if (g.start_level == 2)
			assert_true(t0sz >= 24 && t0sz <= 39);
		if (g.start_level == 0)
			assert_true(t0sz <= 24);
	}
}

static void test_known_points(void **state)
{
	(void)state;
	static const struct {
		unsigned ipa, levels, start, roots;
	} t[] = {
		{32, 2, 2, 4}, {34, 2, 2, 16}, {35, 3, 1, 1}, {36, 3, 1, 1}, {40, 3, 1, 2},
		{42, 3, 1, 8}, {43, 3, 1, 16}, {44, 4, 0, 1}, {48, 4, 0, 1}, {52, 4, 0, 16},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct pgt_geometry g;
		assert_int_equal(pgt_geometry_for(t[i].ipa, PGT_STAGE2, t[i].ipa > 48, &g), 0);
		assert_int_equal(g.levels, t[i].levels);
		assert_int_equal(g.start_level, t[i].start);
		assert_int_equal(g.roots, t[i].roots);
	}
}

static void test_refusals(void **state)
{
	(void)state;
	struct pgt_geometry g;
	assert_int_equal(pgt_geometry_for(52, PGT_STAGE2, false, &g), -ERANGE);
	assert_int_equal(pgt_geometry_for(53, PGT_STAGE2, true, &g), -ERANGE);
	assert_int_equal(pgt_geometry_for(24, PGT_STAGE2, false, &g), -ERANGE);
	/* Stage 1 never concatenates. */
	assert_int_equal(pgt_geometry_for(48, PGT_STAGE1_EL2, false, &g), 0);
	assert_int_equal(g.levels, 4);
	assert_int_equal(g.roots, 1);
	assert_int_equal(pgt_geometry_for(39, PGT_STAGE1_EL2, false, &g), 0);
	assert_int_equal(g.levels, 3);
	assert_int_equal(g.roots, 1);
}

static void test_cpu_limits(void **state)
{
	(void)state;
	struct cpu_mm_features a72 = {.parange = 4}; /* 44 bits */
	struct cpu_mm_features lpa = {.parange = 6}; /* 52-bit PA, no LPA2 */
	struct cpu_mm_features lpa2 = {.parange = 6, .lpa2_s2 = true};
	assert_int_equal(stage2_max_ipa_bits(&a72), 44);
	assert_int_equal(stage2_max_ipa_bits(&lpa), 48);
	assert_int_equal(stage2_max_ipa_bits(&lpa2), 52);
	assert_int_equal(bits_to_parange(32), 0);
	assert_int_equal(bits_to_parange(33), 1);
	assert_int_equal(bits_to_parange(40), 2);
	assert_int_equal(bits_to_parange(41), 3);
	assert_int_equal(bits_to_parange(48), 5);
	assert_int_equal(bits_to_parange(52), 6);
	assert_int_equal(bits_to_parange(53), -ERANGE);
	/* PS never above 48 bits without DS; 8-bit VMIDs leave VS clear. */
	struct pgt_geometry g;
	pgt_geometry_for(40, PGT_STAGE2, false, &g);
	uint64_t vtcr = stage2_vtcr(&g, false, &lpa);
	assert_int_equal((vtcr >> VTCR_EL2_PS_SHIFT) & 7, 5);
	assert_false(vtcr & VTCR_EL2_VS);
	vtcr = stage2_vtcr(&g, false, &a72);
	assert_int_equal((vtcr >> VTCR_EL2_PS_SHIFT) & 7, 4);
	/* With DS (a 52-bit guest on an LPA2 CPU) PS is the full 52 bits. */
	pgt_geometry_for(52, PGT_STAGE2, true, &g);
	vtcr = stage2_vtcr(&g, true, &lpa2);
	assert_int_equal((vtcr >> VTCR_EL2_PS_SHIFT) & 7, 6);
	assert_true(vtcr & VTCR_EL2_DS);
}

static void test_vttbr(void **state)
{
	(void)state;
	assert_int_equal(stage2_vttbr(0x40010000, 7, false), 0x40010000 | 7ULL << 48);
	/* 52-bit root address: bits [51:48] move to [5:2]. */
	assert_int_equal(stage2_vttbr(0x000f000040010000ULL, 1, true),
			 0x40010000ULL | 0xfULL << 2 | 1ULL << 48);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_ipa_size), cmocka_unit_test(test_known_points),
		cmocka_unit_test(test_refusals),       cmocka_unit_test(test_cpu_limits),
		cmocka_unit_test(test_vttbr),
	};
	return cmocka_run_group_tests_name("stage2_geometry", tests, NULL, NULL);
}
