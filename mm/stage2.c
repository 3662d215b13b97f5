#include "mm/stage2.h"

#include "arch/vtcr.h"

static const uint8_t parange_bits[] = {32, 36, 40, 42, 44, 48, 52};

unsigned parange_to_bits(unsigned parange)
{
	return parange < ARRAY_SIZE(parange_bits) ? parange_bits[parange] : 48;
}

int bits_to_parange(unsigned bits)
{
	for (unsigned i = 0; i < ARRAY_SIZE(parange_bits); i++)
		if (parange_bits[i] >= bits)
			return (int)i;
	return -ERANGE;
}

unsigned stage2_max_ipa_bits(const struct cpu_mm_features *f)
{
	unsigned pa = parange_to_bits(f->parange);
	/* Beyond 48 bits the 4 KiB granule needs FEAT_LPA2 descriptors. */
	return pa > 48 && !f->lpa2_s2 ? 48 : pa;
}

uint64_t stage2_vtcr(const struct pgt_geometry *g, bool ds, const struct cpu_mm_features *f)
{
	/* PS: what the CPU can output, capped at 48 bits without LPA2 (D8.2.5). */
	unsigned ps = f->parange;
	if (!ds && ps > 5)
		ps = 5;
	uint64_t v = VTCR_EL2_RES1 | (uint64_t)(64 - g->ia_bits) << VTCR_EL2_T0SZ_SHIFT |
		     VTCR_EL2_IRGN0_WBWA | VTCR_EL2_ORGN0_WBWA | VTCR_EL2_SH0_INNER |
		     VTCR_EL2_TG0_4K | (uint64_t)ps << VTCR_EL2_PS_SHIFT;
	/* SL0 for the 4 KiB granule: 0 = level 2, 1 = level 1, 2 = level 0.
	 * Level -1 (SL2) is never needed: level 0 concatenation covers 52 bits. */
	v |= (uint64_t)(2 - g->start_level) << VTCR_EL2_SL0_SHIFT;
	if (f->vmid16)
		v |= VTCR_EL2_VS;
	if (ds)
		v |= VTCR_EL2_DS;
	return v;
}

uint64_t stage2_vttbr(uint64_t root_pa, uint16_t vmid, bool ds)
{
	uint64_t baddr = root_pa & GENMASK(47, 1);
	if (ds)
		baddr |= ((root_pa >> 48) & 0xf) << VTTBR_EL2_BADDR_HI_SHIFT;
	return baddr | (uint64_t)vmid << VTTBR_EL2_VMID_SHIFT;
}

int stage2_init(struct stage2 *s2, unsigned ipa_bits, uint16_t vmid,
		const struct cpu_mm_features *f, struct page_pool *pool)
{
	if (ipa_bits > stage2_max_ipa_bits(f))
		return -ERANGE;
	bool ds = ipa_bits > 48;
	struct pgt_geometry g;
	int ret = pgt_geometry_for(ipa_bits, PGT_STAGE2, ds, &g);
	if (ret < 0)
		return ret;
	ret = pgt_init(&s2->pgt, &g, PGT_STAGE2, ds, pool);
	if (ret < 0)
		return ret;
	s2->pgt.fwb = f->fwb;
	s2->vmid = vmid;
	s2->vtcr = stage2_vtcr(&g, ds, f);
	s2->vttbr = stage2_vttbr((uintptr_t)s2->pgt.root, vmid, ds);
	return 0;
}

int stage2_map(struct stage2 *s2, ipaddr_t ipa, paddr_t pa, uint64_t size, unsigned prot)
{
	return pgt_map(&s2->pgt, ipa_addr(ipa), pa_addr(pa), size, prot);
}

