/* The hypervisor's own EL2 stage-1 translation: an identity map of its image,
 * its page pool and the devices it drives, nothing else. Guest memory is
 * mapped only while the hypervisor loads images into it. */
#pragma once
#include "mm/page_pool.h"
#include "types.h"

int el2_mmu_init(struct page_pool *pool, unsigned parange);
/* Turns the MMU on for the calling CPU (the boot CPU and each secondary). */
void el2_mmu_enable(void);
int el2_map(paddr_t pa, uint64_t size, unsigned prot);
/* Whether EL2 may read (write) va now: the MMU's own answer (AT S1E2R/W). */
bool el2_can_access(uint64_t va, bool write);
int el2_unmap(paddr_t pa, uint64_t size);
/* Cleans [pa, pa + size) to the point of coherency, for a CPU that reads
 * it with its MMU off (a spin table's release address). */
void dcache_clean_range(paddr_t pa, uint64_t size);
/* Cleans and invalidates [pa, pa + size) to the point of coherency: what
 * the hypervisor loaded into a guest's RAM reaches memory, and no line of
 * it stays cached, so that a guest writing with its caches off and then
 * turning them on cannot read a stale line over its own writes. */
void dcache_clean_inval_range(paddr_t pa, uint64_t size);
/* Invalidates [va, va + size) (whole lines) with the MMU off: the boot
 * CPU's writes went to memory, and a stale line left by firmware must not
 * hide them once caches are on. Dirty lines are discarded, not written. */
void dcache_inval_range_mmu_off(uint64_t va, uint64_t size);
/* Zeroes memory mapped at EL2 as normal cacheable memory, a DC ZVA block
 * at a time (plain stores where the CPU prohibits DC ZVA). The zeros may
 * sit in the cache: clean them before a guest with caches off reads. */
void memory_zero(void *va, uint64_t size);
