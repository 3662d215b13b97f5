#include "mm/phys_alloc.h"

int phys_add(struct phys_ranges *p, uint64_t base, uint64_t size)
{
	if (!size)
		return 0;
	if (p->n == PHYS_MAX_RANGES)
		return -ENOMEM;
	p->r[p->n++] = (struct phys_range){base, size};
	return 0;
}

int phys_reserve(struct phys_ranges *p, uint64_t base, uint64_t size)
{
	uint64_t end = base + size;
	for (unsigned i = 0; i < p->n; i++) {
		struct phys_range r = p->r[i];
		uint64_t rend = r.base + r.size;
		if (end <= r.base || base >= rend)
			continue;
		/* Keep the parts below and above the reserved range. */
		p->r[i] = p->r[--p->n];
		i--;
		if (r.base < base && phys_add(p, r.base, base - r.base) < 0)
			return -ENOMEM;
		if (rend > end && phys_add(p, end, rend - end) < 0)
			return -ENOMEM;
	}
	return 0;
}

int phys_alloc(struct phys_ranges *p, uint64_t size, uint64_t align, paddr_t *out)
{
	int best = -1;
	uint64_t best_base = 0;
	for (unsigned i = 0; i < p->n; i++) {
		const struct phys_range *r = &p->r[i];
		if (r->size < size)
			continue;
		uint64_t base = ALIGN_DOWN(r->base + r->size - size, align);
		if (base < r->base)
			continue;
		if (best < 0 || base > best_base)
			best = (int)i, best_base = base;
	}
	if (best < 0)
		return -ENOMEM;
	*out = pa_init(best_base);
	return phys_reserve(p, best_base, size);
}
