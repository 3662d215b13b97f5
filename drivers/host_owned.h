/* What the hypervisor keeps for itself, derived from the host device tree:
 * every node it drives (the interrupt controller with all its children,
 * the console UART, the power-off watchdog, the blocks every CPU shares),
 * every reg of each through the bus ranges, the board's aliases of those
 * addresses, host RAM, reserved memory and the spin tables. No guest may
 * be given any byte of it, by devices or by raw passthrough. Plain C,
 * host-tested. */
#pragma once
#include "drivers/platform.h"

struct host_range {
	uint64_t base, size; /* whole 4 KiB pages; base + size may be 2^64 */
	const char *what;    /* "the hypervisor's interrupt controller" */
	const char *node;    /* the host node's name, or NULL */
};

#define HOST_OWNED_MAX 64

/* Fills out[0..max) and returns how many, or -ENOSPC when they do not fit:
 * a range left out could be handed to a guest, so the caller must stop. */
int host_owned_ranges(const struct platform *p, struct host_range *out, unsigned max);
