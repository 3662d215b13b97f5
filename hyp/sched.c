#include "hyp/sched.h"

#include "arch/sysreg.h"
#include "atomic.h"
#include "drivers/console.h"
#include "lib/printf.h"
#include "drivers/gic.h"
#include "drivers/psci_fw.h"
#include "hyp/el2_regs.h"
#include "hyp/guest.h"
#include "hyp/irq.h"
#include "hyp/trap.h"
#include "hyp/vcpu_ctx.h"
#include "hyp/vdev/console_mux.h"
#include "mm/page_pool.h"
#include "wait.h"

_Static_assert(CPU_MAX_GUESTS >= MAX_GUESTS, "cpu.last_ran has a byte per guest");

#define NEVER	 (~0ULL)
#define TIMER_EN BIT(0) /* CNTHP_CTL_EL2.ENABLE, IMASK clear */

void sched_add(struct vcpu *v)
{
	struct cpu *c = &cpus[v->pcpu];
	const struct guest_config *cfg = v->guest->cfg;
	uint64_t hz = read_sysreg(cntfrq_el0);
	v->priority = cfg->priority;
	v->slice = hz / 1000000 * cfg->time_slice_us + hz % 1000000 * cfg->time_slice_us / 1000000;
	v->ran_at = 0;
	v->blocked = v->saved = false;
	if (c->nrq < MAX_CPU_VCPUS) /* config_validate keeps to it */
		c->rq[c->nrq++] = v;
}

int sched_setup(unsigned ncpus, struct page_pool *pool)
{
	vcpu_ctx_init();
	for (unsigned i = 0; i < ncpus && i < MAX_CPUS; i++) {
		struct cpu *c = &cpus[i];
		for (unsigned g = 0; g < CPU_MAX_GUESTS; g++)
			c->last_ran[g] = -1;
		c->shared = c->nrq > 1;
		c->vcpu = c->nrq == 1 ? c->rq[0] : NULL;
		if (!c->shared)
			continue;
		/* Contexts for its vCPUs, from the pool: only a configuration
		 * that shares CPUs pays for them. */
		size_t pages = (c->nrq * sizeof(struct vcpu_ctx) + PAGE_SIZE - 1) / PAGE_SIZE;
		struct vcpu_ctx *ctx = page_pool_alloc(pool, pages, 1);
		if (!ctx)
			return -ENOMEM;
		for (unsigned k = 0; k < c->nrq; k++) {
			c->rq[k]->guest->shares_cpu = true;
			c->rq[k]->ctx = &ctx[k];
			c->rq[k]->regs = &ctx[k].gp;
		}
		char line[160];
		size_t n = (size_t)fmt_snprintf(line, sizeof(line), "hyp: cpu=%u shared by", i);
		for (unsigned k = 0; k < c->nrq && n < sizeof(line); k++)
			n += (size_t)fmt_snprintf(line + n, sizeof(line) - n, " %s/%u(p%u)",
						  c->rq[k]->guest->name, c->rq[k]->id,
						  c->rq[k]->priority);
		hyp_printf("%s\n", line);
	}
	return 0;
}

/* The EL2 physical timer at `at` (CNTPCT), or off. */
static void arm(uint64_t at)
{
	if (at == NEVER) {
		write_sysreg(cnthp_ctl_el2, 0);
		return;
	}
	write_sysreg(cnthp_cval_el2, at);
	write_sysreg(cnthp_ctl_el2, TIMER_EN);
}

void sched_timer_irq(void)
{
	write_sysreg(cnthp_ctl_el2, 0); /* its level drops; re-armed by whoever looks next */
	this_cpu()->resched = true;
}

/* v, switched out here, can run now: a start, or a vCPU that is not
 * waiting, or one in WFI with an interrupt to take or a timer due. Else
 * *wake gets its timer's deadline if earlier. */
static bool runnable(const struct vcpu *v, uint64_t now, uint64_t *wake)
{
	uint32_t s = vcpu_state_of(v);
	if (s == VCPU_ON_PENDING)
		return true;
	if (s != VCPU_RUNNING || !v->saved)
		return false;
	if (!v->blocked || vgic_wants_cpu(v, &v->ctx->vgic))
		return true;
	uint64_t at = vcpu_ctx_timer_deadline(v);
	if (at <= now)
		return true;
	if (at < *wake)
		*wake = at;
	return false;
}

/* Higher priority first; among equals the one that came in least recently. */
static bool better(const struct vcpu *v, const struct vcpu *than)
{
	return !than || v->priority > than->priority ||
	       (v->priority == than->priority && v->ran_at < than->ran_at);
}

/* A switched-out vCPU leaves for good: what its interface held is dropped
 * as for a running one (vgic_cpu_leave). No vCPU is in the CPU. */
static void drop(struct vcpu *v)
{
	if (v->saved)
		vgic_leave_saved(v, &v->ctx->vgic);
	v->saved = v->blocked = false;
}

/* Requests other CPUs made of v (switched out): parked (-> OFF) or
 * stopped. Whoever made them waits, or has rung; no vCPU is in the CPU. */
static void serve(struct vcpu *v)
{
	uint32_t s = vcpu_state_of(v);
	if (s == VCPU_PARK_REQ && atomic_cas(&v->state, VCPU_PARK_REQ, VCPU_OFF)) {
		drop(v);
		send_event(); /* the resetting vCPU waits for this */
	} else if (s == VCPU_STOPPED && v->saved) {
		drop(v);
	}
}

/* Whether v, switched out, has a request only the loop serves. */
static bool has_request(const struct vcpu *v)
{
	uint32_t s = vcpu_state_of(v);
	return v->saved && (s == VCPU_PARK_REQ || s == VCPU_STOPPED);
}

bool sched_cpu_busy(const struct cpu *c)
{
	for (unsigned i = 0; i < c->nrq; i++)
		if (vcpu_state_of(c->rq[i]) != VCPU_STOPPED)
			return true;
	return false;
}

/* v comes in: its context loaded (not for a start), its slice begun, the
 * hypervisor timer at the slice's end or at wake, whichever is first. */
static void switch_to(struct cpu *c, struct vcpu *v, uint64_t now, uint64_t wake, bool start)
{
	c->vcpu = v;
	c->resched = false;
	v->ran_at = now;
	v->blocked = false;
	if (!start) {
		v->saved = false;
		vcpu_ctx_load(v);
	}
	/* Its slice from here, the switch not counted in it. The slice
	 * matters only with another vCPU here; a waiting one's timer always
	 * does. Both are looked at again at the interrupt. */
	c->slice_end = read_sysreg(cntpct_el0) + v->slice;
	arm(c->nrq > 1 && c->slice_end < wake ? c->slice_end : wake);
}

/* Runs v from the loop: starts it, or loads and enters it. Returns only
 * when a start was cancelled meanwhile (vcpu_start). */
static void run(struct cpu *c, struct vcpu *v, uint64_t now, uint64_t wake)
{
	bool start = vcpu_state_of(v) == VCPU_ON_PENDING;
	switch_to(c, v, now, wake, start);
	if (!start)
		vcpu_enter(v->regs);
	vcpu_start(v);
	c->vcpu = NULL;
}

void sched_loop(void *arg)
{
	struct cpu *c = arg;
	if (!c->loop_ready) { /* its vectors and timer, once */
		el2_vectors_shared();
		gic->irq_enable(INTID_HYP_TIMER, c->mpidr, c->idx);
		c->loop_ready = true;
	}
	for (;;) {
		c->vcpu = NULL;
		uint64_t now = read_sysreg(cntpct_el0), wake = NEVER;
		struct vcpu *best = NULL;
		for (unsigned i = 0; i < c->nrq; i++) {
			struct vcpu *v = c->rq[i];
			serve(v);
			if (runnable(v, now, &wake) && better(v, best))
				best = v;
		}
		if (best) {
			run(c, best, now, wake);
			continue;
		}
		if (!sched_cpu_busy(c)) {
			/* Every guest here stopped: as a dedicated CPU does. */
			arm(NEVER);
			console_mux_cpu_leaving(c->idx);
			psci_fw_cpu_off();
		}
		/* Nothing to run: sleep until an interrupt (a doorbell from
		 * whoever gives a vCPU here something to do, the hypervisor
		 * timer at the earliest waiting timer, console input). */
		arm(wake);
		wfi();
		irq_handle_pending(NULL, false);
	}
}

struct gp_regs *sched_exit(struct gp_regs *frame)
{
	struct cpu *c = this_cpu();
	if (!c->resched)
		return frame;
	c->resched = false;
	struct vcpu *cur = c->vcpu, *best = NULL;
	uint64_t now = read_sysreg(cntpct_el0), wake = NEVER;
	bool serve_first = false;
	for (unsigned i = 0; i < c->nrq; i++) {
		struct vcpu *v = c->rq[i];
		if (v == cur)
			continue;
		serve_first |= has_request(v);
		if (runnable(v, now, &wake) && better(v, best))
			best = v;
	}
	bool expired = (int64_t)(now - c->slice_end) >= 0;
	bool runs = !cur->blocked && vcpu_state_of(cur) == VCPU_RUNNING;
	bool turn = best && (best->priority > cur->priority ||
			     (expired && best->priority == cur->priority));
	if (runs && !turn && !serve_first) {
		if (expired)
			c->slice_end = now + cur->slice;
		bool equal = best && best->priority == cur->priority;
		arm(equal && c->slice_end < wake ? c->slice_end : wake);
		return frame;
	}
	vcpu_ctx_save(cur);
	cur->saved = true;
	c->vcpu = NULL;
	/* Straight to the vCPU chosen here, when it only has to be loaded;
	 * to the loop when a request must be served first, a vCPU starts or
	 * nothing else runs. */
	if (serve_first || !best || vcpu_state_of(best) != VCPU_RUNNING || !best->saved)
		vcpu_run_loop();
	/* cur, waiting, may have a deadline too. */
	uint64_t at = cur->blocked ? vcpu_ctx_timer_deadline(cur) : NEVER;
	switch_to(c, best, now, at < wake ? at : wake, false);
	return best->regs;
}

void sched_wfx(struct gp_regs *frame, uint64_t esr)
{
	(void)frame;
	struct cpu *c = this_cpu();
	struct vcpu *v = c->vcpu;
	skip_instruction(esr);
	c->resched = true;
	/* ISS.TI: 0 WFI, 1 WFE, 2 WFIT, 3 WFET. WFE and the timed forms
	 * yield (a spinning lock's holder may be waiting for this CPU). */
	if ((esr & 3) != 0) {
		c->slice_end = read_sysreg(cntpct_el0);
		return;
	}
	/* WFI with an interrupt to take completes at once, as on hardware. */
	vgic_flush(v);
	if (!vgic_lr_pending(v))
		v->blocked = true;
}

void sched_park_local(struct vcpu *v)
{
	uint64_t deadline = deadline_after_us(WAIT_LIMIT_US);
	for (;;) {
		uint32_t s = vcpu_state_of(v);
		switch (s) {
		case VCPU_OFF:
		case VCPU_STOPPED:
			return;
		case VCPU_RUNNING:
		case VCPU_PARK_REQ:
		case VCPU_ON_PENDING:
			if (atomic_cas(&v->state, s, VCPU_OFF)) {
				drop(v);
				return;
			}
			break;
		default: /* CLAIMED: a CPU_ON on another CPU is deciding */
			if (!wait_event_until(deadline)) {
				guest_stop(v->guest, "a vCPU did not leave for the reset within 1 s");
				return;
			}
		}
	}
}
