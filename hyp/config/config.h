/* The configuration room (hyp/config/): the guests' configuration, read
 * from the config device tree (docs/config.md) and validated against what
 * the machine offers (config.c), the host devices handed to guests
 * (devices.c), each guest's device tree (guest_fdt.c) and boot layout
 * (boot_layout.c), the blob linked in (config_blob.S). Plain C with no
 * machine state, host-tested, and the build's own checker
 * (scripts/check_config.c); the core calls it, it calls nothing back. */
#pragma once
#include "drivers/host_owned.h"
#include "hyp/vgic/vgic_layout.h"
#include "types.h"

#define MAX_GUESTS	    8
#define MAX_GUEST_CPUS	    8
#define MAX_PASSTHROUGH	    8
#define MAX_DEVICES	    8
#define GUEST_NAME_MAX	    24
#define DEFAULT_CONSOLE_IPA 0x09000000ULL
/* Sharing a CPU (docs/config.md): priority 0 (default) .. MAX_PRIORITY,
 * higher first; round robin among equals, each for its time slice. */
#define MAX_PRIORITY	      255
#define DEFAULT_TIME_SLICE_US 10000
#define MIN_TIME_SLICE_US     100
#define MAX_TIME_SLICE_US     10000000
#define VPL011_SIZE	    0x1000ULL

struct passthrough {
	uint64_t ipa, pa, size;
	const char *device; /* the host node it comes from, NULL: raw passthrough */
};

/* A host device-tree node handed to the guest (devices = "..."): its
 * registers are passed through, its SPIs forwarded, and a copy of the node
 * goes into the guest's device tree (hyp/config/devices.c). */
struct guest_device {
	const char *name; /* as configured: a path, an /aliases name or a label */
	uint64_t ipa;	  /* where its first register page goes, if ipa_set */
	bool ipa_set;	  /* else at its physical address */
	int node;	  /* resolved: its offset in the host device tree */
	uint64_t shift;	  /* resolved: IPA - PA of its registers (mod 2^64) */
	bool dma_listed;  /* named in dma-devices: masters the bus, says the config */
	bool dma;	  /* resolved: masters the bus (DMA), known or listed */
	uint32_t clock_hz; /* its first clock's rate, as firmware that runs it
			    * says (hyp/main.c), when not fixed-rate; 0: none */
};

struct guest_config {
	char name[GUEST_NAME_MAX];
	unsigned ipa_bits;
	uint64_t ram_ipa, ram_size;
	uint32_t cpus[MAX_GUEST_CPUS]; /* indexes into the host's /cpus, one per vCPU */
	unsigned ncpus;
	uint32_t priority;	/* on a shared CPU: higher runs first */
	uint32_t time_slice_us; /* on a shared CPU: round robin among equals */
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
	struct guest_device devices[MAX_DEVICES];
	unsigned ndevices;
	bool stage2_4k_pages; /* RAM in 4 KiB stage-2 pages, no blocks */
	bool direct_map;      /* its RAM's IPA range is its physical range */
	uint32_t channels;    /* bit i: a peer of channel i (hyp/config/channels.h) */
	bool schema_error;    /* refused for a property or node the schema does not know */
	char error[192];      /* why the guest is refused; "" when it is fine */
};

/* What the machine offers, for validation. */
struct config_limits {
	unsigned max_ipa_bits; /* from PARange (and LPA2) */
	unsigned pa_bits;      /* PARange: no passthrough PA at or above 2^pa_bits */
	unsigned ncpus;
	const struct host_range *owned; /* drivers/host_owned.h: never passed through */
	unsigned nowned;
	unsigned uart_irq; /* the hypervisor's console interrupt */
	unsigned nr_irqs;  /* INTIDs the host GIC implements */
};

/* What guests accepted so far hold: CPUs (shared by their vCPUs, up to
 * MAX_VCPUS_PER_CPU), SPIs (bit = INTID - 32) and passthrough ranges,
 * which no two guests may share. */
#define MAX_CONFIG_CPUS	  32 /* host CPUs a configuration can name */
#define MAX_VCPUS_PER_CPU 16 /* MAX_CPU_VCPUS (hyp/vcpu.h) */

struct config_taken {
	uint32_t cpus;
	uint8_t vcpus_on[MAX_CONFIG_CPUS]; /* vCPUs each CPU runs */
	uint32_t irqs[VGIC_MAX_IRQS / 32 + 1]; /* bit per INTID */
	const struct guest_config *guest[MAX_GUESTS];
	unsigned n;
};

/* Reads every guest node. Returns the number of guests, or a negative error
 * with *why set when the blob itself is unusable. A malformed guest node only
 * marks that guest's error. */
int config_parse(const void *fdt, size_t size, struct guest_config *out, unsigned max,
		 const char **why);
/* Checks one guest against the machine and the guests accepted before it;
 * on failure fills g->error and returns -EINVAL. */
int config_validate(struct guest_config *g, const struct config_limits *l,
		    const struct config_taken *taken);
/* Records why g is refused (printf-style, in g->error); returns -EINVAL. */
int config_refuse(struct guest_config *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Records an accepted guest's CPUs, SPIs and passthrough ranges. */
void config_take(struct config_taken *t, const struct guest_config *g);
