/* GICv2 guest view: the distributor (the CPU interface is the GICV frame). */
#pragma once
#include "types.h"

struct vcpu;

uint64_t vgicd_v2_read(struct vcpu *v, void *dev, uint64_t off, unsigned width);
void vgicd_v2_write(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val);
