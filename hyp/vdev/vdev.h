/* The emulated devices room: what a guest sees as a device that the
 * hypervisor emulates (the virtual PL011; the channels' PCI host bridge,
 * chan_bridge.c, with a function per channel, chan_pci.c). Each device is a region of the guest's IPA space with its
 * ops: accesses (from the MMIO path, hyp/mmio.c), reset and quiesce (from
 * the guest's life cycle, hyp/guest.c), and the interrupt line it drives
 * through the vGIC's injection interface (hyp/vgic/vgic_inject.h). The
 * core dispatches through the guest's table and names no device; devices
 * depend on the core's guest only through the table and the vGIC's
 * injection calls. Console input (console_mux.c) is this room's too: the
 * console UART's bytes go to the focused guest's virtual PL011. */
#pragma once
#include "types.h"

struct vcpu;
struct guest;

#define MAX_EMU_REGIONS 5 /* console, GICD, GICR (v3); a PCI bridge ECAM and window */

struct emu_region {
	uint64_t base, size;
	/* The MMIO path's calls, kept in the region itself: one load less
	 * on every emulated access than through an ops table. */
	uint64_t (*read)(struct vcpu *v, void *dev, uint64_t off, unsigned width);
	void (*write)(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val);
	void *dev;
	void (*reset)(void *dev);   /* the guest starts again: power-on state; or NULL */
	void (*quiesce)(void *dev); /* the guest stops or resets: end what is under way */
	unsigned intid;		    /* the interrupt it drives, 0 if none */
};

/* Adds a region to g's table; -ENOSPC when it is full. */
int emu_add(struct guest *g, const struct emu_region *r);
/* g's emulated devices, created and added to its table. */
int vdevs_create(struct guest *g);
/* Every device of g: quiesce (before a reset or a stop), reset (after the
 * vGIC's reset: their lines start low). */
void vdevs_quiesce(struct guest *g);
void vdevs_reset(struct guest *g);
/* A guest refused after vdevs_create: its devices let go (console input
 * no longer goes to it). */
void vdevs_destroy(struct guest *g);
