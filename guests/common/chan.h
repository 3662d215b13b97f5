/* Channels for the bare-metal guests (docs/config.md, /channels): find a
 * channel's PCI function on the hypervisor's ECAM bus 0, map it (its BARs
 * as assigned, memory decoding on), ring a peer, wait for a doorbell. */
#pragma once
#include "types.h"

#define CHAN_ECAM 0x3f000000ULL /* hyp/config/channels.h */

struct chan {
	uint64_t cfg;	     /* its configuration space in the ECAM */
	uint64_t regs;	     /* BAR0: IntrMask, IntrStatus, IVPosition, Doorbell */
	volatile void *mem;  /* BAR2: the shared memory */
	uint64_t size;	     /* BAR2's size, found by sizing it */
	unsigned id;	     /* IVPosition: this guest's ID in the channel */
	unsigned intid;	     /* its INTx (Interrupt Line) */
	uint64_t taken_at;   /* CNTPCT when chan_wait acknowledged the last doorbell */
};

/* The idx-th channel function (0, 1, ...), set up for use on vCPU cpu
 * (memory decoding on, its INTx enabled and unmasked): 0, or -1 when there
 * is no such function. */
int chan_find(unsigned idx, unsigned cpu, struct chan *c);
/* Rings peer (its ID): its IntrStatus set, its INTx raised. */
void chan_ring(const struct chan *c, unsigned peer);
/* Waits for a doorbell, up to max_wfi wake-ups: true if one came (the
 * physical counter at its acknowledge in c->taken_at). */
bool chan_wait(struct chan *c, unsigned max_wfi);
