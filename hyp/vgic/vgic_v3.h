/* GICv3 guest view: distributor, redistributors, SGI generation. */
#pragma once
#include "types.h"

struct vcpu;

uint64_t vgicd_v3_read(struct vcpu *v, void *dev, uint64_t off, unsigned width);
void vgicd_v3_write(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val);
uint64_t vgicr_read(struct vcpu *v, void *dev, uint64_t off, unsigned width);
void vgicr_write(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val);
void vgic_v3_sgi(struct vcpu *v, uint64_t icc_sgi1r);
