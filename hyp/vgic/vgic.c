#include "hyp/vgic/vgic.h"
#include "atomic.h"
#include "drivers/console.h"
#include "nospec.h"
#include "wait.h"

#include "arch/sysreg.h"
#include "drivers/gic.h"
#include "drivers/gic_cpuif.h"
#include "hyp/guest.h"
#include "hyp/vgic/vgic_timer.h"
#include "lib/string.h"

#define NO_TARGET 0xff

static struct virq *virq_of(struct vcpu *bank, unsigned intid)
{
	/* intid comes from the guest (a register offset, a value written):
	 * clamped, not only checked (Spectre v1, include/nospec.h). */
	if (intid < GIC_NR_PRIVATE)
		return &bank->vgic.priv[index_nospec(intid, GIC_NR_PRIVATE)];
	unsigned nspi = bank->guest->vgic.nr_irqs - GIC_NR_PRIVATE;
	if (intid - GIC_NR_PRIVATE < nspi)
		return &bank->guest->vgic.spi[index_nospec(intid - GIC_NR_PRIVATE, nspi)];
	return NULL;
}

/* The vCPU an SPI goes to: the lowest in its GICv2 target mask, or its
 * GICv3 route (Aff0 = vCPU index, Aff1 [15:8], Aff2 [23:16] and Aff3
 * [39:32] zero, or no vCPU has it; IRM: 1 of N, vCPU 0). */
static unsigned spi_target(const struct guest *g, const struct virq *irq)
{
	if (g->vgic.version == GIC_V2)
		return irq->targets ? (unsigned)__builtin_ctz(irq->targets) : NO_TARGET;
	if (irq->irouter & GICD_IROUTER_IRM)
		return 0;
	uint64_t aff0 = irq->irouter & 0xff, aff123 = irq->irouter & 0xff00ffff00ULL;
	return !aff123 && aff0 < g->nvcpus ? (unsigned)aff0 : NO_TARGET;
}

/* Where intid waits for a list register: its bank for SGIs/PPIs, the vCPU
 * holding it in a list register, else its route; NULL when it has none. */
static inline struct vcpu *target_of(struct vcpu *bank, unsigned intid, const struct virq *irq)
{
	struct guest *g = bank->guest;
	if (intid < GIC_NR_PRIVATE)
		return bank;
	if (irq->in_lr)
		return &g->vcpus[irq->lr_vcpu];
	unsigned t = spi_target(g, irq);
	return t == NO_TARGET ? NULL : &g->vcpus[index_nospec(t, g->nvcpus)];
}

static inline bool wants_delivery(const struct guest *g, const struct virq *irq)
{
	return irq->enabled && (g->vgic.ctlr & (GICD_CTLR_ENABLE_G0 | GICD_CTLR_ENABLE_G1)) &&
	       (irq->pending || irq->sgi_sources || (!irq->edge && irq->level && !irq->in_lr));
}

/* pending_map and its summary (queued), under the lock. */
static void queue_add(struct vcpu *t, unsigned intid)
{
	t->vgic.pending_map[intid / 64] |= BIT(intid % 64);
	t->vgic.queued |= (uint32_t)BIT(intid / 64);
}

static void queue_del(struct vcpu *t, unsigned intid)
{
	unsigned w = intid / 64;
	if (!(t->vgic.pending_map[w] &= ~BIT(intid % 64)))
		t->vgic.queued &= ~(uint32_t)BIT(w);
}

#define TIMER_PPIS (BIT(INTID_VTIMER) | BIT(INTID_PTIMER))

/* Under the lock: (re)computes whether intid waits on its target's queue;
 * returns the target when it must be kicked. An interrupt pending again
 * while an earlier instance sits in a list register is queued too: its
 * owner merges the two (vgic_flush). */
static struct vcpu *update_virq(struct vcpu *bank, unsigned intid, struct virq *irq)
{
	struct guest *g = bank->guest;
	struct vcpu *t = target_of(bank, intid, irq);
	if (intid < GIC_NR_PRIVATE && (BIT(intid) & TIMER_PPIS)) {
		bool fast = irq->hw && irq->enabled && !irq->active && !irq->lr_dirty &&
			    (g->vgic.ctlr & (GICD_CTLR_ENABLE_G0 | GICD_CTLR_ENABLE_G1));
		bank->vgic.timer_fast = (bank->vgic.timer_fast & ~(uint32_t)BIT(intid)) |
					(fast ? (uint32_t)BIT(intid) : 0);
	}
	if (t && (wants_delivery(g, irq) || irq->lr_dirty)) {
		queue_add(t, intid);
		return t;
	}
	if (t)
		queue_del(t, intid);
	return NULL;
}

/* The same, looked up: callers that hold irq (virq_of(bank, intid)) save
 * the lookup on the doorbell and timer paths. */
static struct vcpu *update(struct vcpu *bank, unsigned intid)
{
	return update_virq(bank, intid, virq_of(bank, intid));
}

/* Makes t look at its pending interrupts: at once when it runs here, else
 * through a doorbell SGI to its CPU, which takes it even while the guest
 * spins with interrupts masked (HCR_EL2.IMO) or sleeps in WFI. */
static inline void kick(struct vcpu *t)
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

/* Each guest's share is written whole by vgic_guest_init before use. */
static struct virq spi_pool[VGIC_SPI_POOL] __noinit;
static unsigned spi_pool_used;

int vgic_create(struct guest *g, unsigned nr_irqs)
{
	unsigned n = nr_irqs - GIC_NR_PRIVATE;
	if (n > VGIC_SPI_POOL - spi_pool_used)
		return -ENOMEM;
	g->vgic.spi = &spi_pool[spi_pool_used];
	g->vgic.nr_irqs = nr_irqs;
	spi_pool_used += n;
	return 0;
}

void vgic_destroy(struct guest *g)
{
	unsigned n = g->vgic.nr_irqs - GIC_NR_PRIVATE;
	/* Guests are made one at a time on the boot CPU, so a guest refused
	 * while being made holds the pool's last share. */
	if (g->vgic.spi && g->vgic.spi + n == &spi_pool[spi_pool_used])
		spi_pool_used -= n;
	g->vgic.spi = NULL;
	g->vgic.nr_irqs = 0;
}

/* Which guest each forwarded SPI is (its id + 1; 0: none). */
static uint8_t hw_owner[VGIC_MAX_IRQS];

struct vcpu *vgic_hw_owner(unsigned intid, struct vcpu *v)
{
	unsigned o = intid < VGIC_MAX_IRQS ? hw_owner[intid] : 0;
	if (v && o == v->guest->id + 1)
		return v;
	return o ? &guests[o - 1].vcpus[0] : NULL;
}

void vgic_guest_init(struct guest *g)
{
	struct vgic *d = &g->vgic;
	spin_lock(&d->lock);
	d->ctlr = 0;
	d->typer = (d->nr_irqs / 32 - 1) | (g->nvcpus - 1) << 5;
	/* SPIs start routed to vCPU 0 (GICv2 target mask 0x01, GICv3 route
	 * 0), so a guest that never routes them still gets them. */
	for (unsigned i = 0; i < d->nr_irqs - GIC_NR_PRIVATE; i++)
		d->spi[i] = (struct virq){.targets = 1};
	/* Passthrough SPIs: the physical interrupt, forwarded under the same
	 * INTID; it stays disabled at the GIC until the guest enables it. */
	for (unsigned i = 0; i < g->cfg->nirqs; i++) {
		unsigned intid = g->cfg->irqs[i];
		gic->irq_disable(intid);
		gic->irq_clear_active(intid); /* a previous life's, if any */
		gic->irq_set_edge(intid, false); /* level, as the guest's view starts */
		d->spi[intid - GIC_NR_PRIVATE].hw = true;
		hw_owner[intid] = (uint8_t)(g->id + 1);
		d->spi[intid - GIC_NR_PRIVATE].hw_intid = (uint16_t)intid;
	}
	for (unsigned c = 0; c < g->nvcpus; c++) {
		struct vgic_cpu *vc = &g->vcpus[c].vgic;
		memset(vc->priv, 0, sizeof(vc->priv));
		for (unsigned i = 0; i < 16; i++)
			vc->priv[i].edge = true; /* SGIs are always edge */
		memset(vc->pending_map, 0, sizeof(vc->pending_map));
		vc->queued = vc->timer_fast = 0;
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

/* EL1 timer output (Arm ARM D11.2.4): ENABLE, ISTATUS, not IMASK. On the
 * vCPU's own CPU, whose EL1 timer registers are the guest's. */
static bool timer_output(uint64_t ctl)
{
	return (ctl & 7) == 5;
}

static void read_timers(struct vgic_cpu *vc)
{
	vc->timer_out[0] = timer_output(read_sysreg(cntv_ctl_el0));
	vc->timer_out[1] = timer_output(read_sysreg(cntp_ctl_el0));
}

/* A level-sensitive emulated source whose line moved while in a list
 * register: the register's EOI maintenance no longer says whether there
 * is something to resample at its end. */
static bool stale_eoi(const struct virq *irq)
{
	return !irq->edge && !irq->hw && irq->lr_eoi != irq->level;
}

/* Writes list register i; returns the state it holds. */
static unsigned lr_put(struct vcpu *v, unsigned i, unsigned intid, struct virq *irq, unsigned state)
{
	/* A hardware interrupt is never pending and active in a list register
	 * (its active state is the physical one): one the guest made active
	 * itself (ISACTIVER) goes in active; a level source signals again
	 * once the guest ends it. */
	bool link = irq->hw && !gic_soft_deactivate;
	if (link && state == (GIC_LR_PENDING | GIC_LR_ACTIVE))
		state = GIC_LR_ACTIVE;
	struct gic_lr lr = {
		.vintid = intid,
		.pintid = link ? irq->hw_intid : irq->lr_source,
		.priority = irq->priority,
		.hw = link,
		/* A level-sensitive emulated source still high is looked at
		 * again when the guest deactivates it (one that went low has
		 * nothing to resample: vgic_set_level), and so is a GICv2 SGI
		 * pending from more sources than the one in the list register,
		 * and a forwarded interrupt without the hardware link. */
		.eoi_maint = !link && (irq->hw || (!irq->edge && irq->level) || irq->sgi_sources),
		.state = state,
	};
	gic->lr_write(i, &lr);
	irq->lr_eoi = lr.eoi_maint;
	irq->lr_pending = state & GIC_LR_PENDING;
	irq->lr_active = state & GIC_LR_ACTIVE;
	(void)v;
	return state;
}

/* Under the lock, on v's CPU: brings every list register v holds back into
 * its virq (pending, active), applies the writes other vCPUs made to them,
 * and frees those the guest is done with. */
static void sync_lrs(struct vcpu *v)
{
	struct vgic_cpu *vc = &v->vgic;
	/* What ELRSR counts empty holds nothing: no need to read it. */
	uint32_t empty = vc->lr_used ? gic_lr_empty() : 0;
	for (uint32_t used = vc->lr_used; used; used &= used - 1) {
		unsigned i = (unsigned)__builtin_ctz(used);
		unsigned intid = vc->lr_intid[i];
		struct virq *irq = virq_of(v, intid);
		unsigned state = empty & BIT(i) ? 0 : gic->lr_state(i);
		if (irq->lr_dirty) {
			unsigned want = (irq->want_pending ? GIC_LR_PENDING : 0) |
					(irq->want_active ? GIC_LR_ACTIVE : 0);
			/* A forwarded interrupt in a list register, pending or
			 * active, is active at the GIC until the guest ends it:
			 * emptied by a write instead, it is ended here. */
			if (irq->hw && state && !want)
				gic->irq_clear_active(irq->hw_intid);
			state = want ? lr_put(v, i, intid, irq, want) : 0;
			irq->lr_dirty = false;
		} else if (!state && irq->hw && gic_soft_deactivate) {
			/* The guest ended it: what the hardware link would do. */
			gic->irq_clear_active(irq->hw_intid);
		} else if (state && stale_eoi(irq)) {
			state = lr_put(v, i, intid, irq, state);
		}
		if (!state) {
			gic->lr_clear(i); /* also clears its EOI maintenance status */
			vc->lr_used &= ~BIT(i);
			irq->in_lr = irq->lr_pending = irq->lr_active = false;
		} else {
			irq->lr_pending = state & GIC_LR_PENDING;
			irq->lr_active = state & GIC_LR_ACTIVE;
		}
		update_virq(v, intid, irq); /* a level still high is pending again */
	}
	read_timers(vc);
}

/* Under the lock, on v's CPU: an interrupt pending again while in one of
 * v's list registers. An instance still pending there absorbs it; one that
 * is active becomes active and pending, so the guest takes it again once it
 * ends the first (the GIC's own behaviour for an edge while active).
 * Returns false while something must wait for the register to empty: a
 * GICv2 SGI from another source (the register then asks for a maintenance
 * interrupt at its end), or a forwarded interrupt, which is never pending
 * and active in a list register. */
static bool merge_into_lr(struct vcpu *v, unsigned intid, struct virq *irq)
{
	bool again = irq->pending;
	if (intid < 16 && v->guest->vgic.version == GIC_V2) {
		again = irq->sgi_sources & BIT(irq->lr_source);
		irq->sgi_sources &= (uint8_t)~BIT(irq->lr_source);
	}
	if (again && !irq->lr_pending) {
		if (irq->hw)
			return false;
		lr_put(v, irq->lr, intid, irq, GIC_LR_PENDING | GIC_LR_ACTIVE);
	} else if (irq->sgi_sources) {
		/* Same state, now with its end signalled. */
		lr_put(v, irq->lr, intid, irq,
		       (irq->lr_pending ? GIC_LR_PENDING : 0) |
			       (irq->lr_active ? GIC_LR_ACTIVE : 0));
	}
	irq->pending = false;
	return !irq->sgi_sources;
}

/* Under the lock: the queued interrupt of highest priority (lowest value,
 * then lowest INTID) that is not in a list register, or -1. */
static int best_queued(struct vcpu *v)
{
	int best = -1;
	unsigned best_prio = 0x100;
	for (uint32_t ws = v->vgic.queued; ws; ws &= ws - 1) {
		unsigned w = (unsigned)__builtin_ctz(ws);
		for (uint64_t m = v->vgic.pending_map[w]; m; m &= m - 1) {
			unsigned intid = w * 64 + (unsigned)__builtin_ctzll(m);
			const struct virq *irq = virq_of(v, intid);
			if (!irq->in_lr && irq->priority < best_prio)
				best = (int)intid, best_prio = irq->priority;
		}
	}
	return best;
}

/* Under the lock, after sync_lrs: the list register holding the pending,
 * not active, interrupt of lowest priority below prio, emptied and its
 * interrupt queued again; or -1. */
static int evictable_lr(struct vcpu *v, uint8_t prio)
{
	struct vgic_cpu *vc = &v->vgic;
	int victim = -1;
	unsigned worst = prio;
	for (uint32_t used = vc->lr_used; used; used &= used - 1) {
		unsigned i = (unsigned)__builtin_ctz(used);
		const struct virq *irq = virq_of(v, vc->lr_intid[i]);
		if (irq->lr_pending && !irq->lr_active && !irq->lr_dirty && irq->priority > worst)
			victim = (int)i, worst = irq->priority;
	}
	if (victim < 0)
		return -1;
	unsigned intid = vc->lr_intid[victim];
	struct virq *irq = virq_of(v, intid);
	gic->lr_clear((unsigned)victim);
	vc->lr_used &= ~BIT(victim);
	irq->in_lr = irq->lr_pending = false;
	if (intid < 16 && v->guest->vgic.version == GIC_V2)
		irq->sgi_sources |= (uint8_t)BIT(irq->lr_source);
	else
		irq->pending = true;
	update_virq(v, intid, irq);
	return victim;
}

static void inject(struct vcpu *v, unsigned intid, struct virq *irq, unsigned i)
{
	irq->lr_source = 0;
	if (irq->sgi_sources) {
		irq->lr_source = (uint8_t)__builtin_ctz(irq->sgi_sources);
		irq->sgi_sources &= (uint8_t)~BIT(irq->lr_source);
	} else {
		irq->pending = false;
	}
	lr_put(v, i, intid, irq, GIC_LR_PENDING | (irq->active ? GIC_LR_ACTIVE : 0));
	irq->active = false;
	vgic_take_lr(v, i, intid, irq);
	if (!wants_delivery(v->guest, irq))
		queue_del(v, intid);
}

static void apply_posted(struct vcpu *v);

/* Under the lock, on v's CPU as it leaves its guest: what was posted to
 * it is applied, and nothing more will be (struct vgic_cpu: live). */
static void end_live(struct vcpu *v)
{
	apply_posted(v);
	__atomic_store_n(&v->vgic.live, false, __ATOMIC_RELEASE);
}

void vgic_flush(struct vcpu *v)
{
	struct guest *g = v->guest;
	struct vgic_cpu *vc = &v->vgic;
	uint32_t hcr = ICH_HCR_EN;

	spin_lock(&g->vgic.lock);
	apply_posted(v);
	sync_lrs(v);
	/* Drop what no longer wants delivery; merge what is pending again
	 * into its list register. Waiting ones stay queued: their register's
	 * end (maintenance, or the next exit) brings them. */
	for (uint32_t ws = vc->queued; ws; ws &= ws - 1) {
		unsigned w = (unsigned)__builtin_ctz(ws);
		for (uint64_t m = vc->pending_map[w]; m; m &= m - 1) {
			unsigned intid = w * 64 + (unsigned)__builtin_ctzll(m);
			struct virq *irq = virq_of(v, intid);
			bool done = irq->in_lr
					    ? irq->lr_vcpu != v->id || merge_into_lr(v, intid, irq)
					    : !wants_delivery(g, irq);
			if (done)
				queue_del(v, intid);
		}
	}
	/* Fill free list registers by priority, so that what the guest takes
	 * first is what the GIC would have signalled first; when they are
	 * full, a queued interrupt of higher priority takes the place of a
	 * pending (not yet acknowledged) one of lower priority. */
	for (int intid; (intid = best_queued(v)) >= 0;) {
		struct virq *irq = virq_of(v, (unsigned)intid);
		uint32_t free = ~vc->lr_used & vc->lr_all;
		int i = free ? __builtin_ctz(free) : evictable_lr(v, irq->priority);
		if (i < 0) {
			/* Out of list registers: a maintenance interrupt when
			 * they drain. */
			hcr |= ICH_HCR_UIE;
			break;
		}
		inject(v, (unsigned)intid, irq, (unsigned)i);
	}
	if (hcr != vc->hcr) {
		vc->hcr = hcr;
		gic->hcr_write(hcr);
	}
	/* Answer a vCPU waiting for this fold (sync_remote). */
	if (__atomic_load_n(&vc->sync_req, __ATOMIC_ACQUIRE) && atomic_xchg(&vc->sync_req, 0)) {
		atomic_add(&vc->sync_gen, 1);
		send_event();
	}
	spin_unlock(&g->vgic.lock);
}

/* Makes sure what t's list registers and timers hold is in its virqs: at
 * once when t runs here; else a request and a doorbell, then a wait for
 * t's fold (while answering requests made to us, so two vCPUs reading each
 * other cannot deadlock). Called without the lock. */
static void sync_remote(struct vcpu *t)
{
	struct vcpu *self = this_vcpu();
	if (t == self) {
		spin_lock(&t->guest->vgic.lock);
		sync_lrs(t);
		spin_unlock(&t->guest->vgic.lock);
		return;
	}
	if (!__atomic_load_n(&t->vgic.live, __ATOMIC_ACQUIRE))
		return; /* not in its guest: nothing it holds changes meanwhile */
	uint32_t gen = __atomic_load_n(&t->vgic.sync_gen, __ATOMIC_ACQUIRE);
	__atomic_store_n(&t->vgic.sync_req, 1, __ATOMIC_RELEASE);
	gic->send_sgi(cpus[t->pcpu].mpidr, t->pcpu, INTID_DOORBELL);
	uint64_t deadline = deadline_after_us(WAIT_LIMIT_US);
	while (__atomic_load_n(&t->vgic.sync_gen, __ATOMIC_ACQUIRE) == gen &&
	       __atomic_load_n(&t->vgic.live, __ATOMIC_ACQUIRE)) {
		if (self && __atomic_load_n(&self->vgic.sync_req, __ATOMIC_ACQUIRE))
			vgic_flush(self);
		if (!wait_event_until(deadline)) {
			/* Its CPU does not answer doorbells: what it holds is
			 * read as last folded, rather than waiting for ever. */
			hyp_printf("hyp: guest %s cpu=%u vCPU %u did not fold its list registers "
				   "in %u ms\n",
				   t->guest->name, t->pcpu, t->id, WAIT_LIMIT_US / 1000);
			return;
		}
	}
}

/* On v's CPU as it stops running: empties every list register v holds. An
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
		irq->in_lr = irq->lr_pending = irq->lr_active = irq->lr_dirty = false;
		if (state & GIC_LR_ACTIVE) {
			if (irq->hw)
				gic->irq_clear_active(irq->hw_intid);
		}
		if (state & GIC_LR_PENDING) {
			if (intid < 16 && v->guest->vgic.version == GIC_V2)
				irq->sgi_sources |= (uint8_t)BIT(irq->lr_source);
			else
				irq->pending = true;
		}
		update(v, intid);
	}
	vc->lr_used = 0;
	atomic_add(&vc->sync_gen, 1);
	send_event();
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
	v->vgic.timer_out[0] = v->vgic.timer_out[1] = false;
}

void vgic_cpu_off(struct vcpu *v)
{
	spin_lock(&v->guest->vgic.lock);
	/* No longer live first: a vCPU that waits for this one to apply a
	 * write goes on, rather than wait while this one waits for it to park
	 * (guest_reset). */
	end_live(v);
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
	vc->lr_all = (uint32_t)BIT(n) - 1;
	spin_lock(&v->guest->vgic.lock);
	fold_lrs(v);
	reset_timer_irqs(v);
	__atomic_store_n(&vc->live, true, __ATOMIC_RELEASE);
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

void vgic_cpu_leave(struct vcpu *v)
{
	spin_lock(&v->guest->vgic.lock);
	end_live(v);
	/* Parked or stopped by another vCPU, it leaves nothing behind in this
	 * CPU's interface: what its list registers held goes back to its
	 * virqs (or is dropped, as at CPU_OFF), and no maintenance interrupt
	 * stays enabled on a CPU that now idles at EL2. */
	fold_lrs(v);
	spin_unlock(&v->guest->vgic.lock);
	gic->hcr_write(0);
	gic->vcpu_if_reset();
	send_event(); /* a vCPU in sync_remote looks again */
}

void vgic_switch_out(struct vcpu *v, struct vgic_saved *s)
{
	struct vgic_cpu *vc = &v->vgic;
	spin_lock(&v->guest->vgic.lock);
	/* Its virqs up to date, and what others post from now on waits in
	 * them (not live), as for any vCPU that is not running; what its
	 * list registers still hold goes with it, as it is. */
	sync_lrs(v);
	end_live(v);
	for (uint32_t used = vc->lr_used; used; used &= used - 1) {
		unsigned i = (unsigned)__builtin_ctz(used);
		s->lr[i] = gic->lr_read(i);
		gic->lr_clear(i);
	}
	spin_unlock(&v->guest->vgic.lock);
	gic->vcpu_if_save(&s->cpu_if);
	gic->hcr_write(0);
	send_event(); /* a vCPU in sync_remote looks again */
}

/* Its list registers and interface back as vgic_switch_out left them. */
static void restore_lrs(struct vcpu *v, const struct vgic_saved *s)
{
	for (uint32_t used = v->vgic.lr_used; used; used &= used - 1) {
		unsigned i = (unsigned)__builtin_ctz(used);
		gic->lr_restore(i, s->lr[i]);
	}
	gic->vcpu_if_restore(&s->cpu_if);
}

void vgic_switch_in(struct vcpu *v, const struct vgic_saved *s)
{
	restore_lrs(v, s);
	gic->hcr_write(v->vgic.hcr);
	struct vgic_cpu *vc = &v->vgic;
	spin_lock(&v->guest->vgic.lock);
	__atomic_store_n(&vc->live, true, __ATOMIC_RELEASE);
	bool idle = !vc->queued && !vc->lr_used && !vc->posted;
	spin_unlock(&v->guest->vgic.lock);
	/* What came meanwhile, and the writes others made; whatever comes
	 * from now on comes with a doorbell (it is live). */
	if (!idle || __atomic_load_n(&vc->sync_req, __ATOMIC_ACQUIRE))
		vgic_flush(v);
}

void vgic_leave_saved(struct vcpu *v, const struct vgic_saved *s)
{
	restore_lrs(v, s);
	vgic_cpu_leave(v);
}

bool vgic_wants_cpu(const struct vcpu *v, const struct vgic_saved *s)
{
	if (__atomic_load_n(&v->vgic.queued, __ATOMIC_RELAXED))
		return true;
	for (uint32_t used = v->vgic.lr_used; used; used &= used - 1)
		if (gic->lr_raw_pending(s->lr[__builtin_ctz(used)]))
			return true;
	return false;
}

bool vgic_timer_in_flight(struct vcpu *v, unsigned intid)
{
	const struct virq *irq = virq_of(v, intid);
	return irq->in_lr || irq->pending || irq->active;
}

bool vgic_lr_pending(const struct vcpu *v)
{
	for (uint32_t used = v->vgic.lr_used; used; used &= used - 1)
		if (gic->lr_state((unsigned)__builtin_ctz(used)) & GIC_LR_PENDING)
			return true;
	return false;
}

void vgic_raise(struct vcpu *t, unsigned intid, unsigned source)
{
	struct guest *g = t->guest;
	spin_lock(&g->vgic.lock);
	struct virq *irq = virq_of(t, intid);
	if (intid < 16 && g->vgic.version == GIC_V2)
		irq->sgi_sources |= (uint8_t)BIT(source); /* one interrupt per source */
	else
		irq->pending = true;
	struct vcpu *k = update(t, intid);
	spin_unlock(&g->vgic.lock);
	kick(k);
}

/* Under the lock: a level source in a list register whose line moved.
 * When its vCPU runs here (the guest read a device register that drops
 * the line, before it ends the interrupt), the register is written again
 * at once, so that its end costs no maintenance interrupt. Returns the
 * vCPU to kick: one on another CPU whose line rose (its register then
 * asks for the resample), or this one if it already ended it (a fold
 * delivers it again). A line that fell on another CPU keeps its
 * maintenance: one needless look at the end. */
static struct vcpu *refresh_lr(struct guest *g, unsigned intid, struct virq *irq)
{
	struct vcpu *o = &g->vcpus[irq->lr_vcpu];
	if (o != this_vcpu())
		return irq->level ? o : NULL;
	unsigned state = gic->lr_state(irq->lr);
	if (!state) /* ended: a line that rose is delivered again by a fold */
		return irq->level ? o : NULL;
	lr_put(o, irq->lr, intid, irq, state);
	return NULL;
}

void vgic_set_level(struct guest *g, unsigned intid, bool level)
{
	struct vcpu *bank = &g->vcpus[0];
	spin_lock(&g->vgic.lock);
	struct virq *irq = virq_of(bank, intid);
	struct vcpu *k = NULL;
	if (irq->level != level) {
		irq->level = level;
		k = update_virq(bank, intid, irq);
		if (irq->in_lr && stale_eoi(irq))
			k = refresh_lr(g, intid, irq);
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
	struct vcpu *k = NULL;
	if (ok) {
		irq->pending = true;
		k = update_virq(v, intid, irq);
	}
	spin_unlock(&g->vgic.lock);
	if (!ok) {
		gic->irq_disable(intid); /* re-enabled with the virtual one */
		/* A timer's PPI on a shared CPU is every vCPU's there: enabled
		 * again for the next one that comes in (vcpu_ctx_load). */
		if (intid < GIC_NR_PRIVATE)
			cpus[v->pcpu].ppi_off |= (uint32_t)BIT(intid);
	}
	else if (k != this_vcpu())
		kick(k); /* an SPI retargeted meanwhile, or its owner is not here */
	return ok;
}

/* --- register helpers --- */

static unsigned nr_irqs_of(struct vcpu *bank, unsigned intid0, unsigned n)
{
	(void)bank;
	unsigned nr = bank->guest->vgic.nr_irqs;
	return intid0 >= nr ? 0 : MIN(n, nr - intid0);
}

/* The timer output of a forwarded EL1 timer PPI: its pending state even
 * while the PPI is disabled (GIC: a level input is pending while high). */
static bool timer_level(struct vcpu *bank, unsigned intid)
{
	if (intid == INTID_VTIMER)
		return bank->vgic.timer_out[0];
	if (intid == INTID_PTIMER)
		return bank->vgic.timer_out[1];
	return false;
}

/* Folds the list registers (and timers) of every vCPU that may hold one of
 * the 32 interrupts from intid0, so that reads see the true state. */
static void sync_for_read(struct vcpu *bank, unsigned intid0)
{
	struct guest *g = bank->guest;
	if (intid0 < GIC_NR_PRIVATE) {
		sync_remote(bank);
		return;
	}
	uint32_t holders = 0;
	spin_lock(&g->vgic.lock);
	for (unsigned i = 0; i < 32 && intid0 + i < g->vgic.nr_irqs; i++) {
		const struct virq *irq = virq_of(bank, intid0 + i);
		if (irq->in_lr)
			holders |= BIT(irq->lr_vcpu);
	}
	spin_unlock(&g->vgic.lock);
	for (unsigned c = 0; holders; c++, holders >>= 1)
		if (holders & 1)
			sync_remote(&g->vcpus[c]);
}

uint32_t vgic_bits_read(struct vcpu *bank, unsigned intid0, enum vgic_bits which)
{
	uint32_t v = 0;
	unsigned n = nr_irqs_of(bank, intid0, 32);
	if (which != VGIC_ENABLE && n)
		sync_for_read(bank, intid0);
	spin_lock(&bank->guest->vgic.lock);
	for (unsigned i = 0; i < n; i++) {
		unsigned intid = intid0 + i;
		const struct virq *irq = virq_of(bank, intid);
		bool in = irq->in_lr, b;
		if (which == VGIC_ENABLE)
			b = irq->enabled;
		else if (which == VGIC_PENDING)
			b = irq->pending || irq->sgi_sources || (in && irq->lr_pending) ||
			    (!irq->edge && !irq->hw && irq->level) ||
			    (irq->hw && timer_level(bank, intid));
		else
			b = irq->active || (in && irq->lr_active);
		v |= (uint32_t)b << i;
	}
	spin_unlock(&bank->guest->vgic.lock);
	return v;
}

/* Under the lock: a write to the pending or active state of an interrupt
 * in a list register goes to that register, through its owner. */
static void lr_state_write(struct virq *irq, enum vgic_bits which, bool set)
{
	if (!irq->lr_dirty) {
		irq->want_pending = irq->lr_pending;
		irq->want_active = irq->lr_active;
	}
	if (which == VGIC_PENDING)
		irq->want_pending = set;
	else
		irq->want_active = set;
	irq->lr_dirty = true;
}

/* Under the lock: one interrupt's enable, pending or active state set or
 * cleared; returns the vCPU to kick, if any. */
static struct vcpu *write_one(struct vcpu *bank, unsigned intid, enum vgic_bits which, bool set)
{
	struct virq *irq = virq_of(bank, intid);
	if (which == VGIC_ENABLE) {
		irq->enabled = set;
		struct vcpu *t = target_of(bank, intid, irq);
		if (irq->hw && set && t)
			gic->irq_enable(irq->hw_intid, cpus[t->pcpu].mpidr, t->pcpu);
	} else if (irq->in_lr) {
		lr_state_write(irq, which, set);
	} else if (which == VGIC_PENDING) {
		/* A forwarded interrupt latched pending was acknowledged at
		 * the GIC by us: clearing it ends the physical one. A PPI is
		 * written here only on its own CPU or while its vCPU is not
		 * live, whose start ends it (reset_timer_irqs). */
		if (!set && irq->hw && irq->pending &&
		    (intid >= GIC_NR_PRIVATE || bank == this_vcpu()))
			gic->irq_clear_active(irq->hw_intid);
		irq->pending = set;
		if (!set)
			irq->sgi_sources = 0;
	} else {
		irq->active = set;
		/* The physical one of a forwarded interrupt, too. */
		if (irq->hw && !set && intid >= GIC_NR_PRIVATE)
			gic->irq_clear_active(irq->hw_intid);
	}
	return update(bank, intid);
}

/* Under the lock, on v's CPU: the writes other vCPUs posted to its timers'
 * PPIs. Their kicks name v itself, whose fold follows. */
static void apply_posted(struct vcpu *v)
{
	struct vgic_cpu *vc = &v->vgic;
	if (!vc->posted)
		return;
	vc->posted = false;
	for (unsigned k = VGIC_ENABLE; k <= VGIC_ACTIVE; k++) {
		for (uint32_t m = vc->post_clear[k]; m; m &= m - 1)
			write_one(v, (unsigned)__builtin_ctz(m), (enum vgic_bits)k, false);
		for (uint32_t m = vc->post_set[k]; m; m &= m - 1)
			write_one(v, (unsigned)__builtin_ctz(m), (enum vgic_bits)k, true);
		vc->post_clear[k] = vc->post_set[k] = 0;
	}
}

void vgic_bits_write(struct vcpu *bank, unsigned intid0, enum vgic_bits which, bool set,
		     uint32_t mask)
{
	struct guest *g = bank->guest;
	unsigned n = nr_irqs_of(bank, intid0, 32);
	uint32_t kicks = 0;
	bool posted = false;
	if (n < 32)
		mask &= (uint32_t)BIT(n) - 1;
	spin_lock(&g->vgic.lock);
	/* The timers' PPIs of another vCPU that is live: its CPU applies the
	 * write (the latest of a set and a clear wins), and this one waits. */
	uint32_t post =
		intid0 == 0 && bank->vgic.live && bank != this_vcpu() ? mask & TIMER_PPIS : 0;
	if (post) {
		bank->vgic.post_set[which] =
			(bank->vgic.post_set[which] & ~post) | (set ? post : 0);
		bank->vgic.post_clear[which] =
			(bank->vgic.post_clear[which] & ~post) | (set ? 0 : post);
		bank->vgic.posted = posted = true;
	}
	for (uint32_t m = mask & ~post; m; m &= m - 1) {
		struct vcpu *t = write_one(bank, intid0 + (unsigned)__builtin_ctz(m), which, set);
		if (t)
			kicks |= 1u << t->id;
	}
	spin_unlock(&g->vgic.lock);
	kick_mask(g, kicks);
	if (posted)
		sync_remote(bank);
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
		struct virq *irq = virq_of(bank, intid);
		bool edge = (val >> (2 * i + 1)) & 1;
		/* SGIs are edge, and the forwarded timer PPIs level, for good. */
		if (intid < 16 || (irq->hw && intid < GIC_NR_PRIVATE) || irq->edge == edge)
			continue;
		/* A forwarded SPI is configured at the GIC itself, while the
		 * guest has it disabled (as the spec requires of the guest;
		 * a change while enabled is ignored). */
		if (irq->hw) {
			if (irq->enabled)
				continue;
			gic->irq_set_edge(irq->hw_intid, edge);
		}
		irq->edge = edge;
	}
	spin_unlock(&bank->guest->vgic.lock);
}

void vgic_ctlr_write(struct guest *g, uint32_t ctlr)
{
	uint32_t kicks = 0;
	spin_lock(&g->vgic.lock);
	g->vgic.ctlr = ctlr & (GICD_CTLR_ENABLE_G0 | GICD_CTLR_ENABLE_G1);
	for (unsigned c = 0; c < g->nvcpus; c++)
		for (unsigned intid = 0; intid < g->vgic.nr_irqs; intid++) {
			if (intid >= GIC_NR_PRIVATE && c)
				break;
			struct vcpu *t = update(&g->vcpus[c], intid);
			if (t)
				kicks |= 1u << t->id;
		}
	spin_unlock(&g->vgic.lock);
	kick_mask(g, kicks);
}

/* Writes an SPI's route (GICv2 target mask, or GICv3 IROUTER: one of the
 * two, by version) and moves it to its new target's queue. */
static void set_route(struct guest *g, unsigned intid, uint8_t targets, uint64_t irouter)
{
	if (intid < GIC_NR_PRIVATE || intid >= g->vgic.nr_irqs)
		return;
	struct vcpu *bank = &g->vcpus[0];
	spin_lock(&g->vgic.lock);
	struct virq *irq = virq_of(bank, intid);
	struct vcpu *old = target_of(bank, intid, irq);
	if (old && !irq->in_lr)
		queue_del(old, intid);
	if (g->vgic.version == GIC_V2)
		irq->targets = targets & (uint8_t)(BIT(g->nvcpus) - 1);
	else
		irq->irouter = irouter;
	struct vcpu *t = update(bank, intid);
	struct vcpu *now = target_of(bank, intid, irq);
	if (irq->hw && irq->enabled && now)
		gic->irq_enable(irq->hw_intid, cpus[now->pcpu].mpidr, now->pcpu);
	spin_unlock(&g->vgic.lock);
	kick(t);
}

void vgic_set_targets(struct guest *g, unsigned intid, uint8_t mask)
{
	set_route(g, intid, mask, 0);
}

uint8_t vgic_get_targets(struct guest *g, unsigned intid)
{
	struct virq *irq = virq_of(&g->vcpus[0], intid);
	return irq && intid >= GIC_NR_PRIVATE ? irq->targets : 0;
}

/* GICD_IROUTER: Aff0 [7:0], Aff1 [15:8], Aff2 [23:16], IRM [31], Aff3
 * [39:32]; the rest RES0. */
void vgic_set_irouter(struct guest *g, unsigned intid, uint64_t val)
{
	set_route(g, intid, 0, val & (0xff00ffffffULL | GICD_IROUTER_IRM));
}

uint64_t vgic_get_irouter(struct guest *g, unsigned intid)
{
	struct virq *irq = virq_of(&g->vcpus[0], intid);
	return irq && intid >= GIC_NR_PRIVATE ? irq->irouter : 0;
}

uint8_t vgic_sgi_sources(struct vcpu *bank, unsigned sgi)
{
	sync_remote(bank);
	spin_lock(&bank->guest->vgic.lock);
	struct virq *irq = virq_of(bank, sgi);
	uint8_t m = irq->sgi_sources;
	if (irq->in_lr && irq->lr_pending)
		m |= (uint8_t)BIT(irq->lr_source);
	spin_unlock(&bank->guest->vgic.lock);
	return m;
}

void vgic_sgi_sources_write(struct vcpu *bank, unsigned sgi, uint8_t mask, bool set)
{
	struct guest *g = bank->guest;
	spin_lock(&g->vgic.lock);
	struct virq *irq = virq_of(bank, sgi);
	mask &= (uint8_t)(BIT(g->nvcpus) - 1);
	if (set)
		irq->sgi_sources |= mask;
	else
		irq->sgi_sources &= (uint8_t)~mask;
	if (!set && irq->in_lr && irq->lr_pending && (mask & BIT(irq->lr_source)))
		lr_state_write(irq, VGIC_PENDING, false);
	struct vcpu *t = update(bank, sgi);
	spin_unlock(&g->vgic.lock);
	kick(t);
}
