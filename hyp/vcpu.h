/* A virtual CPU. Each runs on one physical CPU for its whole life
 * (partitioning, as Jailhouse and Bao do), so EL1 state never needs
 * switching: it is set once when the vCPU (re)starts. */
#pragma once
#include "hyp/vgic.h"
#include "hyp_defs.h"
#include "types.h"

struct guest;

struct gp_regs {
	uint64_t x[31];
	uint64_t pad;
};
_Static_assert(sizeof(struct gp_regs) == GP_REGS_SIZE, "frame size");

enum vcpu_state {
	VCPU_OFF,	 /* waits (WFE) for PSCI CPU_ON */
	VCPU_ON_PENDING, /* CPU_ON accepted, entry point set */
	VCPU_RUNNING,
	VCPU_STOPPED,  /* its guest stopped */
	VCPU_PARK_REQ, /* its guest resets: leave the guest, then go OFF */
};

struct vcpu {
	struct guest *guest;
	unsigned id;	      /* index in the guest, also its MPIDR Aff0 */
	unsigned pcpu;	      /* the physical CPU it runs on */
	uint32_t state;	      /* enum vcpu_state, changed atomically */
	uint64_t entry;	      /* IPA to start at, from boot or CPU_ON */
	uint64_t context;     /* x0 at start */
	struct gp_regs *regs; /* frame at the top of pcpu's stack */
	struct vgic_cpu vgic;
};

/* Per physical CPU. */
struct cpu {
	unsigned idx;
	uint64_t mpidr;
	struct vcpu *vcpu; /* NULL when no guest owns this CPU */
};

extern struct cpu cpus[MAX_CPUS];

static inline struct cpu *this_cpu(void)
{
	uint64_t v;
	__asm__("mrs %0, tpidr_el2" : "=r"(v));
	return (struct cpu *)(uintptr_t)v;
}

static inline struct vcpu *this_vcpu(void)
{
	return this_cpu()->vcpu;
}

/* Per-CPU set-up, on that CPU: its struct cpu and GIC interface. */
void cpu_init(unsigned idx, uint64_t mpidr);
/* Waits for the vCPU of this CPU to be switched on, then enters it. Runs on
 * a fresh stack each time, so a vCPU can go off and on for ever. */
void vcpu_run_loop(void) __attribute__((noreturn));
/* Leaves the current trap for good: back to vcpu_run_loop. */
void vcpu_park(void) __attribute__((noreturn));
/* Acts on a stop or park request another CPU made for v (after a doorbell). */
void vcpu_check_requests(struct vcpu *v);
/* Makes v leave its guest: STOPPED for good, or PARK_REQ until CPU_ON; for
 * PARK_REQ, waits until it has left. */
void vcpu_request(struct vcpu *v, enum vcpu_state request);
/* Atomically OFF -> ON_PENDING; false if it was not off. */
bool vcpu_try_power_on(struct vcpu *v, uint64_t entry, uint64_t context);
