/* The vGIC's injection interface: all an emulated device needs of the
 * virtual GIC to drive its interrupt line (hyp/vdev/). */
#pragma once
#include "types.h"

struct guest;

/* Sets the level of intid, a level-sensitive SPI of g; from any CPU. */
void vgic_set_level(struct guest *g, unsigned intid, bool level);
