/* Decoding a stage-2 data abort into an MMIO access (Arm ARM D23.2.41,
 * ISS encoding for a Data Abort). Plain C, host-tested; inline, as it sits
 * on every emulated access. */
#pragma once
#include "arch/esr.h"
#include "types.h"

struct mmio_access {
	unsigned width;	   /* bytes: 1, 2, 4, 8 */
	unsigned long sas; /* log2 of width */
	unsigned long reg; /* 0..30; 31 is xzr */
	bool write;
	bool sign_extend;
	bool sf; /* the register is 64-bit (else 32-bit, upper zeroed) */
};

/* The faulting IPA from HPFAR_EL2.FIPA and the page offset from FAR_EL2. */
static inline uint64_t mmio_fault_ipa(uint64_t hpfar, uint64_t far)
{
	/* HPFAR_EL2.FIPA, bits [47:4], holds IPA[55:12]; bits above the
	 * CPU's IPA size (52 with FEAT_LPA, 56 with FEAT_D128) are RES0. */
	return ((hpfar & GENMASK(47, 4)) << 8) + (far & (PAGE_SIZE - 1));
}

/* The access a valid syndrome describes (ISV set). */
static inline void mmio_fields(uint64_t esr, struct mmio_access *out)
{
	out->sas = (esr >> DABT_SAS_SHIFT) & 3;
	out->width = 1u << out->sas;
	out->reg = (esr >> DABT_SRT_SHIFT) & 0x1f;
	out->write = esr & DABT_WNR;
	out->sign_extend = esr & DABT_SSE;
	out->sf = esr & DABT_SF;
}

/* 0, or -EINVAL when the syndrome carries no instruction (ISV clear) or the
 * fault came from a stage-1 table walk. */
static inline int mmio_decode(uint64_t esr, struct mmio_access *out)
{
	if (!(esr & DABT_ISV) || (esr & DABT_S1PTW))
		return -EINVAL;
	mmio_fields(esr, out);
	return 0;
}

/* A sign-extending load's value (SSE): rare enough to be a call. */
static __attribute__((noinline, cold, unused)) uint64_t mmio_sign_extend(uint64_t raw,
									 unsigned width, bool sf)
{
	unsigned shift = 64 - width * 8;
	uint64_t v = (uint64_t)((int64_t)(raw << shift) >> shift);
	return sf ? v : (uint32_t)v;
}

/* What a zero-extending load keeps of the device's value: the access's
 * bytes, and no more than a W register's for SF clear. 0 for a
 * sign-extending load (SSE). */
static inline uint64_t mmio_zero_extend_mask(const struct mmio_access *a)
{
	static const uint64_t keep[2][4] = {{0xff, 0xffff, 0xffffffff, 0xffffffff},
					    {0xff, 0xffff, 0xffffffff, ~0ULL}};
	return a->sign_extend ? 0 : keep[a->sf][a->sas];
}

/* The value a load of this access puts in the register: the access's
 * bytes, sign- or zero-extended, to 64 bits or (SF clear) 32. */
static inline uint64_t mmio_load_value(const struct mmio_access *a, uint64_t raw)
{
	uint64_t keep = mmio_zero_extend_mask(a);
	return keep ? raw & keep : mmio_sign_extend(raw, a->width, a->sf);
}

/* The value a store of this access writes: the register's low bytes. */
static inline uint64_t mmio_store_value(const struct mmio_access *a, uint64_t reg)
{
	unsigned shift = 64 - a->width * 8;
	return reg << shift >> shift;
}
