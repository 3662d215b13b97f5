/* A virtual PL011 per guest, trapped and emulated through stage-2 data
 * aborts: output lines are printed on the physical console behind the
 * guest's name; input comes from the console when the guest has focus. Its
 * interrupt (level-sensitive, RX/RT/TX as the PL011 TRM 3.4 defines them)
 * goes through the virtual GIC. */
#pragma once
#include "spinlock.h"
#include "types.h"

#define VPL011_LINE 160
/* Input waiting for the guest: the PL011's own 32-byte FIFO plus what the
 * line would hold back; beyond it, input is dropped. */
#define VPL011_RX_FIFO 4096

struct vcpu;
struct guest;

struct vpl011 {
	struct guest *guest;
	const char *name;
	unsigned intid;
	spinlock_t lock;
	char line[VPL011_LINE];
	unsigned len;
	uint8_t rx[VPL011_RX_FIFO];
	unsigned rx_head, rx_count;
	uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc, dmacr;
	uint32_t ris_cleared; /* TX interrupt acknowledged through ICR */
	bool line_level;      /* last level given to the virtual GIC */
};

void vpl011_init(struct vpl011 *u, struct guest *g, const char *name, unsigned intid);
uint64_t vpl011_read(struct vcpu *v, void *dev, uint64_t off, unsigned width);
void vpl011_write(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val);
/* Power-on state, as the guest resets (its virtual GIC is reset too). */
void vpl011_reset(struct vpl011 *u);
/* Input from the console; false when the receive buffer is full. */
bool vpl011_receive(struct vpl011 *u, uint8_t c);
/* Prints what is buffered (a guest stopping mid-line). */
void vpl011_flush(struct vpl011 *u);
