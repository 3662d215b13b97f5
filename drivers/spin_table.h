/* Releasing a secondary CPU from a spin table (Devicetree spec 3.8.1, the
 * arm64 booting protocol): it waits with its MMU and caches off, reading
 * its release address from memory, so everything it will read is cleaned
 * to the point of coherency before the event that wakes it. Plain C with
 * the memory operations passed in: host-tested with them recorded. */
#pragma once
#include "types.h"

struct spin_table_ops {
	int (*map)(uint64_t page);	       /* make the release page writable at EL2 */
	void (*unmap)(uint64_t page);
	void (*write64)(uint64_t pa, uint64_t v); /* a store to memory (mapped) */
	void (*write32)(uint64_t pa, uint32_t v);
	void (*clean)(uint64_t pa, uint64_t size); /* to the point of coherency */
	void (*event)(void);			   /* DSB, then SEV */
};

/* Tells the CPU waiting at release (its entry reads the CPU's index from
 * index_pa) to jump to entry: the index, then the entry, each cleaned,
 * then the event. 0, or -ENOMEM when the page cannot be mapped. */
int spin_table_release(const struct spin_table_ops *o, uint64_t release, uint64_t entry,
		       uint64_t index_pa, uint32_t index);
