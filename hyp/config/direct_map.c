#include "hyp/config/direct_map.h"

int direct_map_check(struct guest_config *g, const struct phys_range *ram, unsigned nram,
		     const struct mem_use *used, unsigned nused)
{
	uint64_t base = g->ram_ipa, last = g->ram_ipa + g->ram_size - 1; /* validated: no wrap */
	unsigned long long b = base, l = last;
	bool in_ram = false;
	for (unsigned i = 0; i < nram && !in_ram; i++)
		in_ram = ram[i].size && base >= ram[i].base &&
			 last - ram[i].base <= ram[i].size - 1;
	if (!in_ram)
		return config_refuse(g,
				     "direct-map: memory 0x%llx-0x%llx is not host RAM (host RAM "
				     "starts at 0x%llx)",
				     b, l, nram ? (unsigned long long)ram[0].base : 0ULL);
	for (unsigned i = 0; i < nused; i++) {
		const struct mem_use *u = &used[i];
		if (!u->size || base > u->base + (u->size - 1) || u->base > last)
			continue;
		unsigned long long ub = u->base, ul = u->base + (u->size - 1);
		if (u->guest)
			return config_refuse(
				g, "direct-map: memory 0x%llx-0x%llx overlaps guest %s's (0x%llx-0x%llx)",
				b, l, u->guest, ub, ul);
		return config_refuse(g, "direct-map: memory 0x%llx-0x%llx overlaps %s (0x%llx-0x%llx)",
				     b, l, u->what, ub, ul);
	}
	return 0;
}
