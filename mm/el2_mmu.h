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
int el2_unmap(paddr_t pa, uint64_t size);
/* Cleans [pa, pa + size) to the point of coherency, for a guest that starts
 * with its MMU and caches off. */
void dcache_clean_range(paddr_t pa, uint64_t size);
/* Zeroes memory mapped at EL2 as normal cacheable memory, a DC ZVA block
 * at a time (plain stores where the CPU prohibits DC ZVA). The zeros may
 * sit in the cache: clean them before a guest with caches off reads. */
void memory_zero(void *va, uint64_t size);
