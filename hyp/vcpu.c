#include "hyp/vcpu.h"

#include "arch/hcr.h"
#include "arch/sysreg.h"
#include "drivers/console.h"
#include "arch/gic.h"
#include "drivers/gic.h"
#include "hyp/guest.h"
#include "lib/string.h"

struct cpu cpus[MAX_CPUS];
extern uint8_t cpu_stacks[];
extern void vcpu_enter(struct gp_regs *regs) __attribute__((noreturn));
extern void call_on_stack(void *arg, void (*fn)(void *), void *sp) __attribute__((noreturn));

static struct gp_regs *cpu_frame(unsigned idx)
{
	return (struct gp_regs *)(cpu_stacks + (idx + 1) * STACK_SIZE - GP_REGS_SIZE);
}

void cpu_init(unsigned idx, uint64_t mpidr)
{
	struct cpu *c = &cpus[idx];
	c->idx = idx;
	c->mpidr = mpidr;
	write_sysreg(tpidr_el2, (uintptr_t)c);
	gic->cpu_init(idx, mpidr);
}

bool vcpu_try_power_on(struct vcpu *v, uint64_t entry, uint64_t context)
{
	uint32_t expected = VCPU_OFF;
	v->entry = entry;
	v->context = context;
	/* The release orders entry/context before the state change; only one of
	 * several racing CPU_ONs can win the exchange. */
	if (!__atomic_compare_exchange_n(&v->state, &expected, VCPU_ON_PENDING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return false;
	dsb(ish);
	sev();
	return true;
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

static void vcpu_start(struct vcpu *v)
{
	struct guest *g = v->guest;
	guest_load_cpu_state(g, v);
	reset_el1_state();
	vgic_cpu_reset(v);
	memset(v->regs, 0, sizeof(*v->regs));
	v->regs->x[0] = v->context;
	write_sysreg(elr_el2, v->entry);
	/* EL1h, DAIF masked (booting.rst and PSCI CPU_ON both require it). */
	write_sysreg(spsr_el2, SPSR_M_EL1H | SPSR_DAIF);
	uint32_t pending = VCPU_ON_PENDING;
	if (!__atomic_compare_exchange_n(&v->state, &pending, VCPU_RUNNING, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return; /* stopped or parked meanwhile: run_loop decides */
	isb();
	vcpu_enter(v->regs);
}

static void park(struct vcpu *v)
{
	__atomic_store_n(&v->state, VCPU_OFF, __ATOMIC_RELEASE);
	dsb(ish);
	sev();
}

void vcpu_check_requests(struct vcpu *v)
{
	uint32_t s = __atomic_load_n(&v->state, __ATOMIC_ACQUIRE);
	if (s == VCPU_STOPPED)
		guest_cpu_stopped(v);
	if (s == VCPU_PARK_REQ) {
		park(v);
		vcpu_park();
	}
}

void vcpu_request(struct vcpu *v, enum vcpu_state request)
{
	uint32_t s = __atomic_load_n(&v->state, __ATOMIC_ACQUIRE);
	if (request == VCPU_PARK_REQ && s != VCPU_RUNNING)
		return; /* off already, or on its way through run_loop */
	__atomic_store_n(&v->state, request, __ATOMIC_RELEASE);
	dsb(ish);
	sev(); /* a vCPU waiting in run_loop */
	if (v != this_vcpu())
		gic->send_sgi(cpus[v->pcpu].mpidr, v->pcpu, INTID_DOORBELL);
	while (request == VCPU_PARK_REQ &&
	       __atomic_load_n(&v->state, __ATOMIC_ACQUIRE) == VCPU_PARK_REQ)
		wfe();
}

static void run_loop(void *arg)
{
	struct vcpu *v = arg;
	for (;;) {
		uint32_t s = __atomic_load_n(&v->state, __ATOMIC_ACQUIRE);
		if (s == VCPU_ON_PENDING)
			vcpu_start(v);
		if (s == VCPU_STOPPED)
			guest_cpu_stopped(v); /* does not return */
		if (s == VCPU_PARK_REQ)
			park(v);
		wfe();
	}
}

void vcpu_run_loop(void)
{
	struct cpu *c = this_cpu();
	c->vcpu->regs = cpu_frame(c->idx);
	call_on_stack(c->vcpu, run_loop, cpu_frame(c->idx));
}

void vcpu_park(void)
{
	vcpu_run_loop();
}
