/* Channels between guests (docs/config.md, /channels): every peer has an
 * emulated PCI host bridge (ECAM, bus 0, one 32-bit memory window) with one
 * function per channel it belongs to (chan_pci.c); the channel's memory is
 * mapped at the function's BAR2, its registers trap here, and a doorbell
 * sets the target peer's IntrStatus and raises its INTx in its vGIC. */
#pragma once
#include "hyp/config/channels.h"
#include "types.h"

struct guest;

/* The channels of this boot and their memory (carved, zeroed: hyp/main.c),
 * before any guest is made; pa[i] is 0 for a channel without memory. */
void chan_setup(const struct channel_config *cfg, unsigned n, const uint64_t *pa);
/* g's bridge and functions (none if it is no channel's peer): its two
 * emulated regions, each channel's memory in its stage 2. 0, -ENOSPC or
 * -ENOMEM. */
int chan_bridge_create(struct guest *g);
/* g's functions (for its device tree): how many, and their slots. */
unsigned chan_bridge_slots(const struct guest *g, const struct chan_slot **slots);
/* A guest refused after chan_bridge_create: no peer reaches it any more. */
void chan_bridge_destroy(struct guest *g);
/* Doorbells that reached no one (no such peer, a vector other than 0, a
 * peer not running), all channels together. */
uint32_t chan_dropped(void);
