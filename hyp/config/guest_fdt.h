/* The device tree each guest boots with, as a boot loader would give it
 * (Linux Documentation/arch/arm64/booting.rst). Plain C, host-tested. */
#pragma once
#include "hyp/config/channels.h"
#include "hyp/config/config.h"
#include "types.h"

struct guest_fdt_info {
	const struct guest_config *cfg;
	unsigned nvcpus;
	uint64_t initrd_ipa, initrd_size; /* size 0: no initrd */
	unsigned gic_version;		  /* 2 or 3 */
	const void *host_fdt;		  /* for the guest's devices (cfg->devices) */
	uint32_t resets;		  /* SYSTEM_RESETs before this boot */
	const struct chan_slot *chan;	  /* its channels' functions (a PCI host bridge) */
	unsigned nchan;			  /* 0: no bridge */
};

/* Size of the blob written to buf, or a negative error. */
int guest_fdt_build(void *buf, size_t cap, const struct guest_fdt_info *info);
