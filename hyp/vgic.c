#include "hyp/vgic.h"

#include "arch/sysreg.h"
#include "drivers/gic.h"
#include "hyp/guest.h"
#include "lib/string.h"

static struct virq *virq_of(struct vcpu *bank, unsigned intid)
{
	if (intid < GIC_NR_PRIVATE)
		return &bank->vgic.priv[intid];
	if (intid < VGIC_NR_IRQS)
		return &bank->guest->vgic.spi[intid - GIC_NR_PRIVATE];
	return NULL;
}

static struct vcpu *target_of(struct vcpu *bank, unsigned intid, const struct virq *irq)
{
	return intid < GIC_NR_PRIVATE ? bank : &bank->guest->vcpus[irq->target];
}

static bool deliverable(const struct guest *g, const struct virq *irq)
{
	return irq->enabled && (g->vgic.ctlr & (GICD_CTLR_ENABLE_G0 | GICD_CTLR_ENABLE_G1)) &&
	       !irq->in_lr && (irq->pending || (!irq->edge && irq->level));
}

/* Under the lock: (re)computes whether intid waits for a list register on
 * its target; returns the target when it must be kicked. */
static struct vcpu *update(struct vcpu *bank, unsigned intid)
{
	struct virq *irq = virq_of(bank, intid);
	struct vcpu *t = target_of(bank, intid, irq);
	uint64_t bit = BIT(intid % 64);
	if (deliverable(bank->guest, irq)) {
		t->vgic.pending_map[intid / 64] |= bit;
		return t;
	}
	t->vgic.pending_map[intid / 64] &= ~bit;
	return NULL;
}

/* Makes t look at its pending interrupts: at once when it runs here, else
 * through a doorbell SGI to its CPU. */
static void kick(struct vcpu *t)
{
	if (!t)
		return;
	if (t == this_vcpu())
		vgic_flush(t);
	else
		gic->send_sgi(cpus[t->pcpu].mpidr, t->pcpu, INTID_DOORBELL);
}

static void kick_mask(struct guest *g, uint32_t mask)
{
	for (unsigned i = 0; mask; i++, mask >>= 1)
		if (mask & 1)
			kick(&g->vcpus[i]);
}

void vgic_guest_init(struct guest *g)
{
	struct vgic *d = &g->vgic;
	spin_lock(&d->lock);
	d->ctlr = 0;
	for (unsigned i = 0; i < VGIC_NR_SPIS; i++)
		d->spi[i] = (struct virq){0};
	/* Passthrough SPIs: the physical interrupt, forwarded under the same
	 * INTID; it stays disabled at the GIC until the guest enables it. */
	for (unsigned i = 0; i < g->cfg->nirqs; i++) {
		unsigned intid = g->cfg->irqs[i];
		gic->irq_disable(intid);
		gic->irq_clear_active(intid); /* a previous life's, if any */
		d->spi[intid - GIC_NR_PRIVATE].hw = true;
		d->spi[intid - GIC_NR_PRIVATE].hw_intid = (uint16_t)intid;
	}
	for (unsigned c = 0; c < g->nvcpus; c++) {
		struct vgic_cpu *vc = &g->vcpus[c].vgic;
		memset(vc->priv, 0, sizeof(vc->priv));
		for (unsigned i = 0; i < 16; i++)
			vc->priv[i].edge = true; /* SGIs are always edge */
		vc->pending_map[0] = vc->pending_map[1] = 0;
		/* Its list registers are cleared when it starts again; what
		 * they held belongs to the old boot. */
		vc->lr_used = 0;
		vc->sleep = true;
		/* The EL1 timers' interrupts are the hardware's own PPIs. */
		vc->priv[INTID_VTIMER].hw = true;
		vc->priv[INTID_VTIMER].hw_intid = INTID_VTIMER;
		vc->priv[INTID_PTIMER].hw = true;
		vc->priv[INTID_PTIMER].hw_intid = INTID_PTIMER;
	}
	spin_unlock(&d->lock);
}

/* Under the lock, on v's CPU: empties every list register v holds. An
 * interrupt the guest had not acknowledged stays pending for it; one it
 * had acknowledged (active) is its previous life's and is dropped, and a
 * forwarded one is deactivated at the GIC, which nobody else would do. */
static void fold_lrs(struct vcpu *v)
{
	struct vgic_cpu *vc = &v->vgic;
	for (uint32_t used = vc->lr_used; used; used &= used - 1) {
		unsigned i = (unsigned)__builtin_ctz(used);
		unsigned intid = vc->lr_intid[i];
		struct virq *irq = virq_of(v, intid);
		unsigned state = gic->lr_state(i);
		gic->lr_clear(i);
		irq->in_lr = false;
		if (state & GIC_LR_ACTIVE) {
			if (irq->hw)
				gic->irq_clear_active(irq->hw_intid);
		} else if (state & GIC_LR_PENDING) {
			irq->pending = true;
		}
		update(v, intid);
	}
	vc->lr_used = 0;
}

/* The EL1 timers' interrupts of a vCPU that stops running: their level
 * comes back from the hardware when the timers are armed again. */
static void reset_timer_irqs(struct vcpu *v)
{
	static const unsigned timers[] = {INTID_VTIMER, INTID_PTIMER};
	for (unsigned i = 0; i < ARRAY_SIZE(timers); i++) {
		struct virq *irq = virq_of(v, timers[i]);
		irq->pending = irq->active = false;
		update(v, timers[i]);
		gic->irq_clear_active(timers[i]);
	}
}

void vgic_cpu_off(struct vcpu *v)
{
	spin_lock(&v->guest->vgic.lock);
	fold_lrs(v);
	reset_timer_irqs(v);
	spin_unlock(&v->guest->vgic.lock);
	gic->hcr_write(0);
	gic->vcpu_if_reset();
}

/* On v's CPU as it (re)starts: no list register holds anything of a past
 * life, no active priority or VMCR survives, the virtual CPU interface is
 * on, and its timers' PPIs can fire. */
void vgic_cpu_reset(struct vcpu *v)
{
	struct vgic_cpu *vc = &v->vgic;
	unsigned n = MIN(gic->lr_count(), (unsigned)VGIC_MAX_LRS);
	spin_lock(&v->guest->vgic.lock);
	fold_lrs(v);
	reset_timer_irqs(v);
	spin_unlock(&v->guest->vgic.lock);
	for (unsigned i = 0; i < n; i++)
		gic->lr_clear(i);
	gic->vcpu_if_reset();
	vc->hcr = ICH_HCR_EN;
	gic->hcr_write(vc->hcr);
	uint64_t mpidr = cpus[v->pcpu].mpidr;
	gic->irq_enable(INTID_DOORBELL, mpidr, v->pcpu);
	gic->irq_enable(INTID_MAINTENANCE, mpidr, v->pcpu);
	gic->irq_enable(INTID_VTIMER, mpidr, v->pcpu);
	gic->irq_enable(INTID_PTIMER, mpidr, v->pcpu);
}

void vgic_raise(struct vcpu *t, unsigned intid, unsigned source)
{
	struct guest *g = t->guest;
	spin_lock(&g->vgic.lock);
	struct virq *irq = virq_of(t, intid);
	irq->pending = true;
	irq->sgi_source = (uint8_t)source;
	struct vcpu *k = update(t, intid);
	spin_unlock(&g->vgic.lock);
	kick(k);
}

void vgic_set_level(struct guest *g, unsigned intid, bool level)
{
	struct vcpu *bank = &g->vcpus[0];
	spin_lock(&g->vgic.lock);
	struct virq *irq = virq_of(bank, intid);
	struct vcpu *k = NULL;
	if (irq->level != level) {
		irq->level = level;
		k = update(bank, intid);
	}
	spin_unlock(&g->vgic.lock);
	kick(k);
}

bool vgic_forward_hw(struct vcpu *v, unsigned intid)
{
	struct guest *g = v->guest;
	spin_lock(&g->vgic.lock);
	struct virq *irq = virq_of(v, intid);
	bool ok = irq && irq->hw && irq->enabled;
	if (ok) {
		irq->pending = true;
		update(v, intid);
	}
	spin_unlock(&g->vgic.lock);
	if (!ok)
		gic->irq_disable(intid); /* re-enabled with the virtual one */
	return ok;
}

/* List registers the guest has finished with come back to us. */
static void sync_lrs(struct vcpu *v)
{
	struct vgic_cpu *vc = &v->vgic;
	uint64_t done = gic->lr_done() & vc->lr_used;
	for (unsigned i = 0; done; i++, done >>= 1) {
		if (!(done & 1))
			continue;
		unsigned intid = vc->lr_intid[i];
		vc->lr_used &= ~BIT(i);
		gic->lr_clear(i); /* also clears its EOI maintenance status */
		virq_of(v, intid)->in_lr = false;
		update(v, intid); /* a level still high is pending again */
	}
}

void vgic_flush(struct vcpu *v)
{
	struct guest *g = v->guest;
	struct vgic_cpu *vc = &v->vgic;
	unsigned nlr = MIN(gic->lr_count(), (unsigned)VGIC_MAX_LRS);
	uint32_t hcr = ICH_HCR_EN;

	spin_lock(&g->vgic.lock);
	sync_lrs(v);
	for (unsigned w = 0; w < 2; w++) {
		while (vc->pending_map[w]) {
			unsigned intid = w * 64 + (unsigned)__builtin_ctzll(vc->pending_map[w]);
			uint32_t free = ~vc->lr_used & (uint32_t)(BIT(nlr) - 1);
			if (!free) {
				/* Out of list registers: ask for a maintenance
				 * interrupt when they drain. */
				hcr |= ICH_HCR_UIE;
				goto out;
			}
			unsigned i = (unsigned)__builtin_ctz(free);
			struct virq *irq = virq_of(v, intid);
			struct gic_lr lr = {
				.vintid = intid,
				.pintid = irq->hw ? irq->hw_intid : irq->sgi_source,
				.priority = irq->priority,
				.hw = irq->hw,
				/* Level-sensitive emulated sources are looked at
				 * again when the guest deactivates them. */
				.eoi_maint = !irq->hw && !irq->edge,
			};
			gic->lr_write(i, &lr);
			vc->lr_used |= BIT(i);
			vc->lr_intid[i] = (uint16_t)intid;
			irq->in_lr = true;
			irq->pending = false;
			vc->pending_map[w] &= ~BIT(intid % 64);
		}
	}
out:
	if (hcr != vc->hcr) {
		vc->hcr = hcr;
		gic->hcr_write(hcr);
	}
	spin_unlock(&g->vgic.lock);
}

/* --- register helpers --- */

static unsigned nr_irqs_of(struct vcpu *bank, unsigned intid0, unsigned n)
{
	(void)bank;
	return intid0 >= VGIC_NR_IRQS ? 0 : MIN(n, VGIC_NR_IRQS - intid0);
}

uint32_t vgic_bits_read(struct vcpu *bank, unsigned intid0, enum vgic_bits which)
{
	uint32_t v = 0;
	unsigned n = nr_irqs_of(bank, intid0, 32);
	spin_lock(&bank->guest->vgic.lock);
	for (unsigned i = 0; i < n; i++) {
		const struct virq *irq = virq_of(bank, intid0 + i);
		bool b = which == VGIC_ENABLE ? irq->enabled
			 : which == VGIC_PENDING
				 ? irq->pending || irq->in_lr || (!irq->edge && irq->level)
				 : irq->active;
		v |= (uint32_t)b << i;
	}
	spin_unlock(&bank->guest->vgic.lock);
	return v;
}

void vgic_bits_write(struct vcpu *bank, unsigned intid0, enum vgic_bits which, bool set,
		     uint32_t mask)
{
	struct guest *g = bank->guest;
	unsigned n = nr_irqs_of(bank, intid0, 32);
	uint32_t kicks = 0;
	spin_lock(&g->vgic.lock);
	for (unsigned i = 0; i < n; i++) {
		if (!(mask & BIT(i)))
			continue;
		unsigned intid = intid0 + i;
		struct virq *irq = virq_of(bank, intid);
		if (which == VGIC_ENABLE) {
			irq->enabled = set;
			if (irq->hw) {
				struct vcpu *t = target_of(bank, intid, irq);
				if (set)
					gic->irq_enable(irq->hw_intid, cpus[t->pcpu].mpidr,
							t->pcpu);
			}
		} else if (which == VGIC_PENDING) {
			irq->pending = set;
		} else {
			irq->active = set;
		}
		struct vcpu *t = update(bank, intid);
		if (t)
			kicks |= 1u << t->id;
	}
	spin_unlock(&g->vgic.lock);
	kick_mask(g, kicks);
}

uint32_t vgic_prio_read(struct vcpu *bank, unsigned intid0, unsigned width)
{
	uint32_t v = 0;
	unsigned n = nr_irqs_of(bank, intid0, width);
	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)virq_of(bank, intid0 + i)->priority << (8 * i);
	return v;
}

void vgic_prio_write(struct vcpu *bank, unsigned intid0, unsigned width, uint32_t val)
{
	unsigned n = nr_irqs_of(bank, intid0, width);
	spin_lock(&bank->guest->vgic.lock);
	for (unsigned i = 0; i < n; i++)
		virq_of(bank, intid0 + i)->priority = (uint8_t)(val >> (8 * i));
	spin_unlock(&bank->guest->vgic.lock);
}

uint32_t vgic_cfg_read(struct vcpu *bank, unsigned intid0)
{
	uint32_t v = 0;
	unsigned n = nr_irqs_of(bank, intid0, 16);
	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)virq_of(bank, intid0 + i)->edge << (2 * i + 1);
	return v;
}

void vgic_cfg_write(struct vcpu *bank, unsigned intid0, uint32_t val)
{
	unsigned n = nr_irqs_of(bank, intid0, 16);
	spin_lock(&bank->guest->vgic.lock);
	for (unsigned i = 0; i < n; i++) {
		unsigned intid = intid0 + i;
		/* SGIs are edge, and the forwarded timer PPIs level, for good. */
		if (intid < 16 || virq_of(bank, intid)->hw)
			continue;
		virq_of(bank, intid)->edge = (val >> (2 * i + 1)) & 1;
	}
	spin_unlock(&bank->guest->vgic.lock);
}

void vgic_ctlr_write(struct guest *g, uint32_t ctlr)
{
	uint32_t kicks = 0;
	spin_lock(&g->vgic.lock);
	g->vgic.ctlr = ctlr & (GICD_CTLR_ENABLE_G0 | GICD_CTLR_ENABLE_G1);
	for (unsigned c = 0; c < g->nvcpus; c++)
		for (unsigned intid = 0; intid < VGIC_NR_IRQS; intid++) {
			if (intid >= GIC_NR_PRIVATE && c)
				break;
			struct vcpu *t = update(&g->vcpus[c], intid);
			if (t)
				kicks |= 1u << t->id;
		}
	spin_unlock(&g->vgic.lock);
	kick_mask(g, kicks);
}

void vgic_route_spi(struct guest *g, unsigned intid, unsigned vcpu)
{
	if (intid < GIC_NR_PRIVATE || intid >= VGIC_NR_IRQS || vcpu >= g->nvcpus)
		return;
	struct vcpu *bank = &g->vcpus[0];
	spin_lock(&g->vgic.lock);
	struct virq *irq = virq_of(bank, intid);
	/* Take it off the old target's queue, then queue it on the new one. */
	target_of(bank, intid, irq)->vgic.pending_map[intid / 64] &= ~BIT(intid % 64);
	irq->target = (uint8_t)vcpu;
	struct vcpu *t = update(bank, intid);
	if (irq->hw && irq->enabled)
		gic->irq_enable(irq->hw_intid, cpus[g->vcpus[vcpu].pcpu].mpidr,
				g->vcpus[vcpu].pcpu);
	spin_unlock(&g->vgic.lock);
	kick(t);
}

unsigned vgic_spi_target(struct guest *g, unsigned intid)
{
	struct virq *irq = virq_of(&g->vcpus[0], intid);
	return irq ? irq->target : 0;
}
