/* Guest configuration: read from the config device tree (docs/config.md)
 * and validated against what the machine offers. Plain C, host-tested. */
#pragma once
#include "types.h"

#define MAX_GUESTS	    8
#define MAX_GUEST_CPUS	    8
#define MAX_PASSTHROUGH	    8
#define GUEST_NAME_MAX	    24
#define DEFAULT_CONSOLE_IPA 0x09000000ULL
#define VPL011_SIZE	    0x1000ULL

struct passthrough {
	uint64_t ipa, pa, size;
};

struct guest_config {
	char name[GUEST_NAME_MAX];
	unsigned ipa_bits;
	uint64_t ram_ipa, ram_size;
	uint32_t cpus[MAX_GUEST_CPUS]; /* indexes into the host's /cpus */
	unsigned ncpus;
	const void *kernel;
	size_t kernel_size;
	const void *initrd;
	size_t initrd_size;
	const char *bootargs; /* "" when absent */
	uint64_t console_ipa;
	struct passthrough mmio[MAX_PASSTHROUGH];
	unsigned nmmio;
	uint32_t irqs[MAX_PASSTHROUGH]; /* physical SPIs, delivered as the same INTID */
	unsigned nirqs;
	char error[128]; /* why the guest is refused; "" when it is fine */
};

/* What the machine offers, for validation. */
struct config_limits {
	unsigned max_ipa_bits; /* from PARange (and LPA2) */
	unsigned ncpus;
	const struct passthrough *host_ram; /* ipa unused: pa/size of host RAM */
	unsigned nhost_ram;
	uint64_t uart_base; /* the hypervisor's own UART: never passed through */
	unsigned uart_irq;  /* and its interrupt */
};

/* Reads every guest node. Returns the number of guests, or a negative error
 * with *why set when the blob itself is unusable. A malformed guest node only
 * marks that guest's error. */
int config_parse(const void *fdt, size_t size, struct guest_config *out, unsigned max,
		 const char **why);
/* Checks one guest; on failure fills g->error and returns -EINVAL.
 * cpus_taken, irqs_taken: CPUs and SPIs (bit = INTID - 32) already given
 * to accepted guests. */
int config_validate(struct guest_config *g, const struct config_limits *l, uint32_t cpus_taken,
		    uint64_t irqs_taken);
