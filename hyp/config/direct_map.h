/* Direct-mapped guests (direct-map;): their RAM's IPA range is also its
 * physical range, so that the bus masters they own (no IOMMU) reach it at
 * the addresses the guest programs. This checks the range is host RAM that
 * nothing else holds. Plain C, host-tested. */
#pragma once
#include "hyp/config/config.h"
#include "mm/phys_alloc.h"

/* Physical memory something holds: the hypervisor's image and pool, the
 * host device tree, firmware's reservations, a guest's RAM. */
struct mem_use {
	uint64_t base, size;
	const char *what;  /* "the hypervisor's image and page pool", ... */
	const char *guest; /* or the guest whose RAM it is (what unused) */
};

/* 0 if g's memory lies whole in one bank of host RAM and overlaps nothing
 * in used[]; else refuses g (config_refuse) naming what is in the way. */
int direct_map_check(struct guest_config *g, const struct phys_range *ram, unsigned nram,
		     const struct mem_use *used, unsigned nused);
