/* Channels between guests (docs/config.md, /channels): shared memory and
 * doorbells, each channel a PCI function in every peer's emulated PCI host
 * bridge (hyp/vdev/chan_bridge.c). This reads and checks the /channels
 * node against the guests; plain C, host-tested. */
#pragma once
#include "hyp/config/config.h"

#define MAX_CHANNELS	  8
#define MAX_CHANNEL_PEERS 8
#define CHANNEL_MAX_SIZE  (64ULL << 20)

/* Where every peer's PCI host bridge sits in its IPA space (QEMU virt's
 * 32-bit PCI window and an ECAM for bus 0 above it), clear of the vGIC and
 * the console; a peer's memory, console and passthrough must stay out. */
#define CHAN_WINDOW_IPA	 0x10000000ULL
#define CHAN_WINDOW_SIZE 0x2f000000ULL /* to 0x3effffff */
#define CHAN_ECAM_IPA	 0x3f000000ULL
#define CHAN_ECAM_SIZE	 0x100000ULL /* bus 0: 32 devices, 8 functions */
#define CHAN_AREA_IPA	 CHAN_WINDOW_IPA
#define CHAN_AREA_SIZE	 (CHAN_ECAM_IPA + CHAN_ECAM_SIZE - CHAN_WINDOW_IPA)

struct channel_config {
	char name[GUEST_NAME_MAX];
	uint64_t size;				/* a power of two, 4 KiB .. 64 MiB */
	unsigned peer[MAX_CHANNEL_PEERS];	/* indexes of the guests, in order: their IDs */
	unsigned npeers;
	char error[128];			/* why it is refused; "" when it is fine */
};

/* Each channel's INTx in a peer: INTIDs 40 + slot (SPIs 8-15), level. */
#define CHAN_INTID_BASE 40

/* A guest's function for one channel: on bus 0 at device "slot", BAR0 and
 * BAR2 where the hypervisor puts them (Linux keeps them:
 * linux,pci-probe-only), its INTx. */
struct chan_slot {
	unsigned chan; /* index in the channels */
	unsigned id;   /* the guest's ID in it (IVPosition) */
	uint64_t bar0, bar2, size;
	unsigned intid;
};

/* The slots of guest gi, one per channel it is a peer of (channels
 * refused are left out), in channel order: how many. */
unsigned chan_layout(unsigned gi, const struct channel_config *ch, unsigned nch,
		     struct chan_slot *out);

/* Reads /channels (absent: 0 channels) against the n guests of guests[]:
 * the number of channels, each refused one with its error set; or
 * -EINVAL with *why when the node itself is unusable (too many). */
int channels_parse(const void *fdt, const struct guest_config *guests, unsigned n,
		   struct channel_config *out, unsigned max, const char **why);
/* Whether guest index gi is a peer of c, and its ID there. */
bool channel_peer_id(const struct channel_config *c, unsigned gi, unsigned *id);
