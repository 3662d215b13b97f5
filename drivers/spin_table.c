#include "drivers/spin_table.h"

int spin_table_release(const struct spin_table_ops *o, uint64_t release, uint64_t entry,
		       uint64_t index_pa, uint32_t index)
{
	uint64_t page = ALIGN_DOWN(release, PAGE_SIZE);
	/* The index first: the CPU reads it (MMU off) as soon as it wakes. */
	o->write32(index_pa, index);
	o->clean(index_pa, sizeof(index));
	if (o->map(page) < 0)
		return -ENOMEM;
	o->write64(release, entry);
	o->clean(release, 8);
	o->unmap(page);
	o->event();
	return 0;
}
