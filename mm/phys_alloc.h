/* Free physical memory as a short list of ranges, from which each guest's
 * RAM is carved (top down, aligned so that stage 2 can use blocks). */
#pragma once
#include "types.h"

#define PHYS_MAX_RANGES 16

struct phys_range {
	uint64_t base, size;
};

struct phys_ranges {
	struct phys_range r[PHYS_MAX_RANGES];
	unsigned n;
};

int phys_add(struct phys_ranges *p, uint64_t base, uint64_t size);
/* Removes [base, base + size) from the free ranges, wherever it overlaps. */
int phys_reserve(struct phys_ranges *p, uint64_t base, uint64_t size);
/* The highest free chunk of size bytes aligned to align, or -ENOMEM. */
int phys_alloc(struct phys_ranges *p, uint64_t size, uint64_t align, paddr_t *out);
