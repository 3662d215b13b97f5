/* A virtual PL011 per guest, trapped and emulated through stage-2 data
 * aborts; lines are printed on the physical console behind the guest's name. */
#pragma once
#include "types.h"

#define VPL011_LINE 160

struct vcpu;

struct vpl011 {
	const char *name;
	char line[VPL011_LINE];
	unsigned len;
	uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc, dmacr;
};

void vpl011_init(struct vpl011 *u, const char *name);
uint64_t vpl011_read(struct vcpu *v, void *dev, uint64_t off, unsigned width);
void vpl011_write(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val);
/* Prints what is buffered (a guest stopping mid-line). */
void vpl011_flush(struct vpl011 *u);
