#include "hyp/mmio_decode.h"

uint64_t mmio_fault_ipa(uint64_t hpfar, uint64_t far)
{
	/* HPFAR_EL2.FIPA, bits [47:4] (with FEAT_LPA), holds IPA[51:12]. */
	return ((hpfar & GENMASK(47, 4)) << 8) | (far & (PAGE_SIZE - 1));
}

int mmio_decode(uint64_t esr, uint64_t ipa, struct mmio_access *out)
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

uint64_t mmio_load_value(const struct mmio_access *a, uint64_t raw)
{
	unsigned bits = a->width * 8;
	uint64_t v = bits == 64 ? raw : raw & ((1ULL << bits) - 1);
	if (a->sign_extend && bits < 64 && (v >> (bits - 1)) & 1)
		v |= ~0ULL << bits;
	if (!a->sf)
		v &= 0xffffffffULL;
	return v;
}
