/* The EL1 timers' interrupt path, inline in the IRQ vector's handler
 * (hyp/irq.c): the whole path from the physical PPI to its list register
 * is a few loads and stores, no call, no lock. The general path is
 * vgic_forward_hw and vgic_flush (vgic.c). */
#pragma once
#include "drivers/gic_cpuif.h"
#include "hyp/guest.h"

/* Records that list register i of v now holds intid. */
static inline void vgic_take_lr(struct vcpu *v, unsigned i, unsigned intid, struct virq *irq)
{
	v->vgic.lr_used |= BIT(i);
	v->vgic.lr_intid[i] = (uint16_t)intid;
	irq->in_lr = true;
	irq->lr_vcpu = (uint8_t)v->id;
	irq->lr = (uint8_t)i;
}

/* An EL1 timer's PPI fired on the CPU running its vCPU v. No lock: while
 * v is live, its timers' PPIs are written only on this CPU (other vCPUs
 * post their writes, vgic_bits_write), and this CPU's list registers are
 * read and written only here and in vgic_flush, which cannot run
 * meanwhile. The interrupt goes straight into a list register,
 * HW-linked: the one it had, once the guest has deactivated it (the
 * physical PPI could not fire again before), or a free one. False for
 * anything else (disabled, active, a write pending, something queued, no
 * free list register): vgic_forward_hw and vgic_flush decide. */
/* Always inline: the IRQ exit is its one caller on each kind of CPU. */
static inline __attribute__((always_inline)) bool vgic_forward_timer(struct vcpu *v, unsigned intid)
{
	struct vgic_cpu *vc = &v->vgic;
	struct virq *irq = &vc->priv[intid];
	unsigned i;

	/* Anything queued: the priority order is vgic_flush's. Read without
	 * the lock, a bit another CPU sets meanwhile comes with a doorbell,
	 * taken as soon as the guest runs again. */
	if (!(vc->timer_fast & BIT(intid)) || vc->queued)
		return false;
	if (irq->in_lr) {
		if (!(gic_lr_empty() & BIT(irq->lr)))
			return false;
		i = irq->lr;
	} else {
		uint32_t free = ~vc->lr_used & vc->lr_all;
		if (!free)
			return false;
		i = (unsigned)__builtin_ctz(free);
		vgic_take_lr(v, i, intid, irq);
	}
	irq->lr_pending = true;
	irq->lr_active = false;
	gic_lr_write_hw(i, intid, irq->priority);
	return true;
}
