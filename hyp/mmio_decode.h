/* Decoding a stage-2 data abort into an MMIO access (Arm ARM D23.2.41,
 * ISS encoding for a Data Abort). Plain C, host-tested; inline, as it sits
 * on every emulated access. */
#pragma once
#include "arch/esr.h"
#include "types.h"

struct mmio_access {
	uint64_t ipa;
	unsigned width; /* bytes: 1, 2, 4, 8 */
	unsigned reg;	/* 0..30; 31 is xzr */
	bool write;
	bool sign_extend;
	bool sf; /* the register is 64-bit (else 32-bit, upper zeroed) */
};

/* The faulting IPA from HPFAR_EL2.FIPA and the page offset from FAR_EL2. */
static inline uint64_t mmio_fault_ipa(uint64_t hpfar, uint64_t far)
{
	/* HPFAR_EL2.FIPA, bits [47:4], holds IPA[55:12]; bits above the
	 * CPU's IPA size (52 with FEAT_LPA, 56 with FEAT_D128) are RES0. */
	return ((hpfar & GENMASK(47, 4)) << 8) | (far & (PAGE_SIZE - 1));
}

/* 0, or -EINVAL when the syndrome carries no instruction (ISV clear) or the
 * fault came from a stage-1 table walk. */
static inline int mmio_decode(uint64_t esr, uint64_t ipa, struct mmio_access *out)
{
	if (!(esr & DABT_ISV) || (esr & DABT_S1PTW))
		return -EINVAL;
	out->ipa = ipa;
	out->width = 1u << ((esr >> DABT_SAS_SHIFT) & 3);
	out->reg = (esr >> DABT_SRT_SHIFT) & 0x1f;
	out->write = esr & DABT_WNR;
	out->sign_extend = esr & DABT_SSE;
	out->sf = esr & DABT_SF;
	return 0;
}

/* The value a load of this access puts in the register. */
static inline uint64_t mmio_load_value(const struct mmio_access *a, uint64_t raw)
{
	unsigned bits = a->width * 8;
	uint64_t v = bits == 64 ? raw : raw & ((1ULL << bits) - 1);
	if (a->sign_extend && bits < 64 && (v >> (bits - 1)) & 1)
		v |= ~0ULL << bits;
	if (!a->sf)
		v &= 0xffffffffULL;
	return v;
}
