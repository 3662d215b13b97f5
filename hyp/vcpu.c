#include "hyp/vcpu.h"

#include "arch/hcr.h"
#include "arch/sysreg.h"
#include "drivers/console.h"
#include "arch/gic.h"
#include "drivers/gic.h"
#include "hyp/el2_regs.h"
#include "hyp/guest.h"
#include "hyp/irq.h"
#include "hyp/sched.h"
#include "hyp/vcpu_ctx.h"
#include "lib/string.h"
#include "wait.h"

struct cpu cpus[MAX_CPUS];
extern uint8_t cpu_stacks[];
extern void call_on_stack(void *arg, void (*fn)(void *), void *sp) __attribute__((noreturn));

struct gp_regs *cpu_frame(unsigned idx)
{
	return (struct gp_regs *)(cpu_stacks + (idx + 1) * STACK_SLOT - GP_REGS_SIZE);
}

uint64_t cpu_stack_base(unsigned idx)
{
	return (uintptr_t)cpu_stacks + idx * STACK_SLOT + STACK_GUARD;
}

_Static_assert(__builtin_offsetof(struct cpu, stack_top) == 0, "boot/vectors.S loads it at [tpidr_el2]");

void cpu_init(unsigned idx, uint64_t mpidr)
{
	struct cpu *c = &cpus[idx];
	c->stack_top = (uintptr_t)cpu_stacks + (idx + 1) * STACK_SLOT;
	c->idx = idx;
	c->mpidr = mpidr;
	write_sysreg(tpidr_el2, (uintptr_t)c);
	el2_regs_init();
	gic->cpu_init(idx, mpidr);
	/* The doorbell wakes this CPU from its idle WFI before any vCPU ran. */
	gic->irq_enable(INTID_DOORBELL, mpidr, idx);
}

/* One transition of the table in vcpu.h. Sequentially consistent, as is
 * the guest's state: vcpu_try_power_on and guest_reset each write one and
 * read the other. */
static bool move(struct vcpu *v, uint32_t from, uint32_t to)
{
	return atomic_cas(&v->state, from, to);
}

/* Makes v's CPU look at its new state: an event for a CPU waiting in WFE
 * (a reset waiting for a park), a doorbell for one in the guest or asleep
 * in WFI. */
static void ring(struct vcpu *v)
{
	send_event();
	if (v != this_vcpu())
		gic->send_sgi(cpus[v->pcpu].mpidr, v->pcpu, INTID_DOORBELL);
}

int vcpu_try_power_on(struct vcpu *v, uint64_t entry, uint64_t context)
{
	/* Claim first, then write: a CPU_ON that loses changes nothing. */
	if (!move(v, VCPU_OFF, VCPU_CLAIMED))
		return -EBUSY;
	/* A reset parks the guest's vCPUs one by one; one parked already
	 * must not be started by another not yet parked (it would run the
	 * old boot's code while RAM is rewritten). The claim, then the guest's
	 * state: a reset that found v OFF had made the guest RESETTING before
	 * (both sides sequentially consistent), so this sees it. */
	if (__atomic_load_n(&v->guest->state, __ATOMIC_SEQ_CST) != GUEST_RUNNING) {
		/* Back to OFF, unless a stop took it meanwhile (it stays so). */
		move(v, VCPU_CLAIMED, VCPU_OFF);
		ring(v); /* a reset waiting on CLAIMED looks again */
		return -EAGAIN;
	}
	v->entry = entry;
	v->context = context;
	/* A stop that came in between wins; the call still succeeded. */
	if (move(v, VCPU_CLAIMED, VCPU_ON_PENDING))
		ring(v);
	return 0;
}

bool vcpu_self_off(struct vcpu *v)
{
	if (!move(v, VCPU_RUNNING, VCPU_OFF))
		return false;
	send_event();
	return true;
}

void vcpu_request_stop(struct vcpu *v)
{
	if (atomic_xchg(&v->state, VCPU_STOPPED) != VCPU_STOPPED)
		ring(v);
}

void vcpu_park_and_wait(struct vcpu *v)
{
	/* A sibling switched out on this very CPU answers no doorbell while
	 * we wait here: parked from here. */
	if (cpus[v->pcpu].shared && v->pcpu == this_cpu()->idx && v != this_vcpu()) {
		sched_park_local(v);
		return;
	}
	uint64_t deadline = deadline_after_us(WAIT_LIMIT_US);
	for (;;) {
		switch (vcpu_state_of(v)) {
		case VCPU_OFF:
		case VCPU_STOPPED:
			return;
		case VCPU_RUNNING:
			if (move(v, VCPU_RUNNING, VCPU_PARK_REQ))
				ring(v);
			break;
		case VCPU_ON_PENDING:
			move(v, VCPU_ON_PENDING, VCPU_OFF); /* or it started: park it */
			break;
		default: /* CLAIMED, PARK_REQ: the other side is moving, and SEVs */
			if (!wait_event_until(deadline)) {
				/* Its CPU does not answer: the guest cannot be
				 * reset safely; stopping it ends the wait. */
				guest_stop(v->guest, "a vCPU did not leave for the reset within 1 s");
				return;
			}
		}
	}
}

bool vcpu_is_on(const struct vcpu *v)
{
	uint32_t s = vcpu_state_of(v);
	return s == VCPU_RUNNING || s == VCPU_PARK_REQ;
}

bool vcpu_is_on_pending(const struct vcpu *v)
{
	uint32_t s = vcpu_state_of(v);
	return s == VCPU_CLAIMED || s == VCPU_ON_PENDING;
}

/* Architectural reset values for the EL1 state a guest may rely on. */
static void reset_el1_state(void)
{
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
	write_sysreg(tcr_el1, 0);
	write_sysreg(ttbr0_el1, 0);
	write_sysreg(ttbr1_el1, 0);
	write_sysreg(mair_el1, 0);
	write_sysreg(vbar_el1, 0);
	write_sysreg(cpacr_el1, 0);
	write_sysreg(contextidr_el1, 0);
	write_sysreg(tpidr_el1, 0);
	write_sysreg(tpidr_el0, 0);
	write_sysreg(tpidrro_el0, 0);
	write_sysreg(sp_el0, 0);
	write_sysreg(sp_el1, 0);
	write_sysreg(elr_el1, 0);
	write_sysreg(spsr_el1, 0);
	write_sysreg(esr_el1, 0);
	write_sysreg(far_el1, 0);
	write_sysreg(cntkctl_el1, 0);
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
}

void vcpu_start(struct vcpu *v)
{
	struct guest *g = v->guest;
	guest_load_cpu_state(g, v);
	reset_el1_state();
	if (cpus[v->pcpu].shared)
		vcpu_ctx_clear(v);
	vgic_cpu_reset(v);
	memset(v->regs, 0, sizeof(*v->regs));
	v->regs->x[0] = v->context;
	write_sysreg(elr_el2, v->entry);
	/* EL1h, DAIF masked (booting.rst and PSCI CPU_ON both require it). */
	write_sysreg(spsr_el2, SPSR_M_EL1H | SPSR_DAIF);
	if (!move(v, VCPU_ON_PENDING, VCPU_RUNNING)) {
		vgic_cpu_leave(v);
		return; /* cancelled by a reset, or stopped: run_loop decides */
	}
	isb();
	vcpu_enter(v->regs);
}

/* On v's own CPU: PARK_REQ -> OFF, or out for good when STOPPED. */
void vcpu_check_requests(struct vcpu *v)
{
	for (;;) {
		uint32_t s = vcpu_state_of(v);
		if (s == VCPU_STOPPED)
			guest_cpu_stopped(v);
		if (s != VCPU_PARK_REQ)
			return;
		if (move(v, VCPU_PARK_REQ, VCPU_OFF)) {
			send_event(); /* the resetting vCPU waits for this */
			vcpu_park();
		}
	}
}

/* Nothing to run: sleep until an interrupt. WFI wakes for a pending
 * interrupt even with PSTATE.I masked (Arm ARM D1.6.2), so every state
 * change comes with a doorbell; console input is taken here too. */
static void idle(struct vcpu *v)
{
	wfi();
	irq_handle_pending(v, false);
}

static void run_loop(void *arg)
{
	struct vcpu *v = arg;
	for (;;) {
		switch (vcpu_state_of(v)) {
		case VCPU_ON_PENDING:
			vcpu_start(v);
			break;
		case VCPU_STOPPED:
			guest_cpu_stopped(v); /* does not return */
		case VCPU_PARK_REQ:
			if (move(v, VCPU_PARK_REQ, VCPU_OFF))
				send_event();
			break;
		default:
			idle(v);
		}
	}
}

void vcpu_run_loop(void)
{
	struct cpu *c = this_cpu();
	if (c->shared) {
		/* A vCPU leaving for good (off, parked, stopped) leaves nothing
		 * in the interface, and no timer armed: its level would keep
		 * the loop's WFI awake for nobody. One switched out has taken
		 * both along. */
		if (c->vcpu) {
			write_sysreg(cntv_ctl_el0, 0);
			write_sysreg(cntp_ctl_el0, 0);
			isb();
			vgic_cpu_leave(c->vcpu);
		}
		c->vcpu = NULL;
		call_on_stack(c, sched_loop, cpu_frame(c->idx));
	}
	vgic_cpu_leave(c->vcpu);
	c->vcpu->regs = cpu_frame(c->idx);
	call_on_stack(c->vcpu, run_loop, cpu_frame(c->idx));
}

void vcpu_park(void)
{
	vcpu_run_loop();
}
