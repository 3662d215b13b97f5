/* Data-abort decoding and what the guest sees in its ID registers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hyp/id_regs.h"
#include "hyp/mmio_decode.h"

/* ESR for a data abort from a lower EL with a valid syndrome. */
static uint64_t dabt(unsigned sas, bool sse, unsigned srt, bool sf, bool wnr)
{
	return (uint64_t)EC_DABT_LOW << ESR_EC_SHIFT | ESR_IL | DABT_ISV |
	       (uint64_t)sas << DABT_SAS_SHIFT | (sse ? DABT_SSE : 0) |
	       (uint64_t)srt << DABT_SRT_SHIFT | (sf ? DABT_SF : 0) | (wnr ? DABT_WNR : 0) | 0x07;
}

static void test_decode(void **state)
{
	(void)state;
	struct mmio_access a;
	/* str w3, [x1]: 32-bit store from w3. */
	assert_int_equal(mmio_decode(dabt(2, false, 3, false, true), &a), 0);
	assert_int_equal(a.width, 4);
	assert_int_equal(a.reg, 3);
	assert_true(a.write);
	/* ldrsb x5: byte load, sign-extended to 64 bits. */
	assert_int_equal(mmio_decode(dabt(0, true, 5, true, false), &a), 0);
	assert_int_equal(a.width, 1);
	assert_false(a.write);
	assert_int_equal(mmio_load_value(&a, 0x80), 0xffffffffffffff80ULL);
	assert_int_equal(mmio_load_value(&a, 0x7f), 0x7f);
	/* ldrsh w2: sign-extended to 32 bits, upper half zero. */
	assert_int_equal(mmio_decode(dabt(1, true, 2, false, false), &a), 0);
	assert_int_equal(mmio_load_value(&a, 0x8001), 0xffff8001ULL);
	/* ldr x30: 64-bit, no truncation. */
	assert_int_equal(mmio_decode(dabt(3, false, 30, true, false), &a), 0);
	assert_int_equal(a.width, 8);
	assert_int_equal(mmio_load_value(&a, 0x123456789abcdef0ULL), 0x123456789abcdef0ULL);
	/* ldrh w1: zero-extended, garbage above the width dropped. */
	assert_int_equal(mmio_decode(dabt(1, false, 1, false, false), &a), 0);
	assert_int_equal(mmio_load_value(&a, 0xdead1234), 0x1234);
	/* No valid syndrome (e.g. ldp), or a stage-1 walk fault: not decodable. */
	assert_int_equal(mmio_decode(dabt(2, false, 3, false, true) & ~DABT_ISV, &a), -EINVAL);
	assert_int_equal(mmio_decode(dabt(2, false, 3, false, true) | DABT_S1PTW, &a), -EINVAL);
}

static void test_fault_ipa(void **state)
{
	(void)state;
	/* HPFAR_EL2.FIPA holds IPA[51:12] at bits [47:4]. */
	assert_int_equal(mmio_fault_ipa(0x90000ULL << 4, 0x123), 0x90000123ULL);
	assert_int_equal(mmio_fault_ipa((0x8000000000000ULL >> 12) << 4, 0xffff0abc),
			 0x8000000000abcULL);
}

static void test_id_regs(void **state)
{
	(void)state;
	uint64_t mmfr0 = 0x1000000f00100126ULL | 6; /* PARange 52 on hardware */
	for (unsigned pr = 0; pr <= 6; pr++) {
		uint64_t v = id_reg_filter(ID_AA64MMFR0, mmfr0, pr);
		assert_int_equal(v & 0xf, pr);
		assert_int_equal(v & ~0xfULL, mmfr0 & ~0xfULL);
	}
	/* SVE (PFR0 [35:32]) and MTE (PFR1 [11:8]) are hidden; FP stays. */
	uint64_t pfr0 = 0x1101000010111111ULL | (1ULL << 32);
	assert_int_equal((id_reg_filter(ID_AA64PFR0, pfr0, 0) >> 32) & 0xf, 0);
	assert_int_equal((id_reg_filter(ID_AA64PFR0, pfr0, 0) >> 16) & 0xf, (pfr0 >> 16) & 0xf);
	assert_int_equal((id_reg_filter(ID_AA64PFR1, 0x300ULL, 0) >> 8) & 0xf, 0);
	assert_int_equal(id_reg_filter(ID_AA64ZFR0, ~0ULL, 0), 0);
	/* LORegions trap (HCR_EL2.TLOR): hidden; the rest of MMFR1 stays. */
	assert_int_equal(id_reg_filter(ID_AA64MMFR1, 0x11212ULL, 0), 0x01212ULL);
	/* A PMU without HPMD (PMUv3, the Cortex-A72's) is hidden; PMUv3p1
	 * and later stay, as does IMPLEMENTATION DEFINED 0xf. */
	assert_int_equal((id_reg_filter(ID_AA64DFR0, 0x10305106ULL, 0) >> 8) & 0xf, 0);
	assert_int_equal((id_reg_filter(ID_AA64DFR0, 0x10305406ULL, 0) >> 8) & 0xf, 4);
	assert_int_equal((id_reg_filter(ID_AA64DFR0, 0x10305f06ULL, 0) >> 8) & 0xf, 0xf);
	/* Registers we do not touch read as the hardware's. */
	assert_int_equal(id_reg_filter(ID_REG(6, 0), 0x1234, 0), 0x1234);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_fault_ipa),
		cmocka_unit_test(test_id_regs),
	};
	return cmocka_run_group_tests_name("mmio_decode", tests, NULL, NULL);
}
