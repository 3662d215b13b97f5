#include "mm/el2_mmu.h"

#include "lib/string.h"

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
	write_sysreg(sctlr_el2, SCTLR_EL2_RES1 | SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_I |
					SCTLR_EL2_SA | SCTLR_EL2_WXN);
	isb();
}

/* The lock is an exclusive, which never completes with the MMU off on a
 * BCM2711 (include/atomic.h); until the boot CPU turns it on, no other CPU
 * runs, so there is nothing to lock against. */
static bool lock_el2(void)
{
	if (!(read_sysreg(sctlr_el2) & SCTLR_EL2_M))
		return false;
	spin_lock(&el2_lock);
	return true;
}

bool el2_can_access(uint64_t va, bool write)
{
	if (write)
		__asm__ volatile("at s1e2w, %0" : : "r"(va) : "memory");
	else
		__asm__ volatile("at s1e2r, %0" : : "r"(va) : "memory");
	isb();
	return !(read_sysreg(par_el1) & 1); /* PAR_EL1.F: the translation faulted */
}

int el2_map(paddr_t pa, uint64_t size, unsigned prot)
{
	bool locked = lock_el2();
	int ret = pgt_map(&el2_pgt, pa_addr(pa), pa_addr(pa), size, prot);
	/* The new entries visible to the walker before anyone uses them
	 * (Arm ARM D8.2.6: a DSB, then an ISB for this CPU's own walks). */
	dsb(ishst);
	isb();
	if (locked)
		spin_unlock(&el2_lock);
	return ret;
}

int el2_unmap(paddr_t pa, uint64_t size)
{
	bool locked = lock_el2();
	int ret = pgt_unmap(&el2_pgt, pa_addr(pa), size);
	/* Break before anyone reuses the range (Arm ARM D8.16.1). */
	dsb(ishst);
	__asm__ volatile("tlbi alle2is" ::: "memory");
	dsb(ish);
	isb();
	if (locked)
		spin_unlock(&el2_lock);
	return ret;
}

/* DC <op> on each step-sized block of [a, end), eight a turn: DC takes
 * only a register, so each line costs its DC and an ADD; the loop's own
 * compare and branch are spread over eight (the loop, not the DC, is most
 * of the cost over a guest's whole RAM). */
#define DC_STEP(op) "dc " op ", %0\n add %0, %0, %1\n"
#define DC_RANGE(op, a, end, step)                                                           \
	do {                                                                                 \
		uint64_t __s = (step);                                                       \
		if ((end) - (a) >= 8 * __s && (end) > (a)) {                                 \
			uint64_t __last = (end) - 8 * __s;                                   \
			while ((a) <= __last)                                                \
				__asm__ volatile(DC_STEP(op) DC_STEP(op) DC_STEP(op)         \
							 DC_STEP(op) DC_STEP(op) DC_STEP(op) \
								 DC_STEP(op) DC_STEP(op)     \
						 : "+r"(a)                                   \
						 : "r"(__s)                                  \
						 : "memory");                                \
		}                                                                            \
		for (; (a) < (end); (a) += __s)                                              \
			__asm__ volatile("dc " op ", %0" : : "r"(a) : "memory");             \
	} while (0)

void memory_zero(void *va, uint64_t size)
{
	uint64_t dczid = read_sysreg(dczid_el0);
	uint64_t block = 4ULL << (dczid & 0xf); /* DCZID_EL0.BS: log2 of words */
	uintptr_t a = (uintptr_t)va;
	if ((dczid & BIT(4)) || ((a | size) & (block - 1))) { /* DZP: DC ZVA prohibited */
		memset(va, 0, size);
		return;
	}
	uintptr_t end = a + size;
	DC_RANGE("zva", a, end, block);
	dsb(ish);
}

static uint64_t dcache_line(void)
{
	return 4ULL << ((read_sysreg(ctr_el0) >> 16) & 0xf); /* CTR_EL0.DminLine, in words */
}

void dcache_inval_range_mmu_off(uint64_t va, uint64_t size)
{
	uint64_t line = dcache_line(), a = ALIGN_DOWN(va, line), end = va + size;
	DC_RANGE("ivac", a, end, line);
	dsb(sy);
}

void dcache_clean_inval_range(paddr_t pa, uint64_t size)
{
	uint64_t line = dcache_line(), a = ALIGN_DOWN(pa_addr(pa), line),
		 end = pa_addr(pa) + size;
	DC_RANGE("civac", a, end, line);
	dsb(ish);
	/* Inner shareable: the code may run next on another CPU (a guest's
	 * vCPU 0 restarted elsewhere after a reset). */
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}

void dcache_clean_range(paddr_t pa, uint64_t size)
{
	uint64_t line = dcache_line(), a = ALIGN_DOWN(pa_addr(pa), line),
		 end = pa_addr(pa) + size;
	DC_RANGE("cvac", a, end, line);
	dsb(ish);
	/* Inner shareable: the code may run next on another CPU (a guest's
	 * vCPU 0 restarted elsewhere after a reset). */
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}
