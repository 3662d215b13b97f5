#include "mm/el2_mmu.h"

#include "arch/sysreg.h"
#include "arch/vtcr.h"
#include "mm/pgtable.h"
#include "spinlock.h"

#define EL2_VA_BITS 48

static struct pgtable el2_pgt;
static spinlock_t el2_lock;
static uint64_t tcr, ttbr;

int el2_mmu_init(struct page_pool *pool, unsigned parange)
{
	struct pgt_geometry g;
	int ret = pgt_geometry_for(EL2_VA_BITS, PGT_STAGE1_EL2, false, &g);
	if (ret < 0 || (ret = pgt_init(&el2_pgt, &g, PGT_STAGE1_EL2, false, pool)) < 0)
		return ret;
	tcr = TCR_EL2_RES1 | (64 - EL2_VA_BITS) | TCR_EL2_IRGN0_WBWA | TCR_EL2_ORGN0_WBWA |
	      TCR_EL2_SH0_INNER | (uint64_t)MIN(parange, 5u) << TCR_EL2_PS_SHIFT;
	ttbr = (uintptr_t)el2_pgt.root;
	return 0;
}

void el2_mmu_enable(void)
{
	write_sysreg(mair_el2, MAIR_EL2_VALUE);
	write_sysreg(tcr_el2, tcr);
	write_sysreg(ttbr0_el2, ttbr);
	dsb(ish);
	__asm__ volatile("tlbi alle2" ::: "memory");
	dsb(ish);
	isb();
	write_sysreg(sctlr_el2,
		     SCTLR_EL2_RES1 | SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_I | SCTLR_EL2_SA);
	isb();
}

int el2_map(paddr_t pa, uint64_t size, unsigned prot)
{
	spin_lock(&el2_lock);
	int ret = pgt_map(&el2_pgt, pa_addr(pa), pa_addr(pa), size, prot);
	dsb(ishst);
	spin_unlock(&el2_lock);
	return ret;
}

int el2_unmap(paddr_t pa, uint64_t size)
{
	spin_lock(&el2_lock);
	int ret = pgt_unmap(&el2_pgt, pa_addr(pa), size);
	/* Break before anyone reuses the range (Arm ARM D8.16.1). */
	dsb(ishst);
	__asm__ volatile("tlbi alle2is" ::: "memory");
	dsb(ish);
	isb();
	spin_unlock(&el2_lock);
	return ret;
}

void dcache_clean_range(paddr_t pa, uint64_t size)
{
	uint64_t ctr = read_sysreg(ctr_el0);
	uint64_t line = 4ULL << ((ctr >> 16) & 0xf); /* DminLine, in words */
	for (uint64_t a = ALIGN_DOWN(pa_addr(pa), line); a < pa_addr(pa) + size; a += line)
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	dsb(ish);
	/* Inner shareable: the code may run next on another CPU (a guest's
	 * vCPU 0 restarted elsewhere after a reset). */
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}
