/* A virtual CPU. Each runs on one physical CPU for its whole life (no
 * migration). A CPU named once in the configuration is dedicated to its
 * vCPU (partitioning, as Jailhouse and Bao do): EL1 state never needs
 * switching there, it is set once when the vCPU (re)starts. A CPU named
 * more than once is shared by its vCPUs (hyp/sched.c), which switch. */
#pragma once
#include "arch/sysreg.h"
#include "hyp/vgic/vgic.h"
#include "hyp_defs.h"
#include "types.h"

struct guest;

/* x0..x30, then a zero: the vectors store xzr in x[31], so that an
 * emulated access names its register 0-31 without a special case (a load
 * into xzr lands there and is dropped). */
struct gp_regs {
	uint64_t x[32];
};
_Static_assert(sizeof(struct gp_regs) == GP_REGS_SIZE, "frame size");

/* The life cycle of a vCPU. Every change is one compare-and-swap (or, into
 * STOPPED, an exchange), made only by the actor named here, so any two
 * PSCI calls from any vCPUs end in a defined state:
 *
 *   OFF --------> CLAIMED      a CPU_ON (or the guest's start) won the vCPU
 *   CLAIMED ----> ON_PENDING   the same caller, once entry and context are set
 *   ON_PENDING -> RUNNING      its own CPU, entering the guest
 *   RUNNING ----> OFF          its own CPU: CPU_OFF, or SYSTEM_RESET's caller
 *   RUNNING ----> PARK_REQ     SYSTEM_RESET's caller, for every other vCPU
 *   PARK_REQ ---> OFF          its own CPU, at its next exit
 *   ON_PENDING -> OFF          SYSTEM_RESET's caller: a start from the old boot
 *   CLAIMED ----> OFF          the claimer, when the guest is no longer RUNNING:
 *                              a reset that has begun parks every vCPU, and no
 *                              vCPU may start one it has parked already
 *   any --------> STOPPED      guest_stop: terminal
 *
 * A CPU whose vCPU is not RUNNING sleeps in WFI and still takes interrupts
 * (console input, doorbells); whoever moves a vCPU to ON_PENDING, PARK_REQ
 * or STOPPED rings its CPU's doorbell. */
enum vcpu_state {
	VCPU_OFF,
	VCPU_CLAIMED,
	VCPU_ON_PENDING,
	VCPU_RUNNING,
	VCPU_PARK_REQ,
	VCPU_STOPPED,
};

struct vcpu {
	struct guest *guest;
	unsigned id;	      /* index in the guest, also its MPIDR Aff0 */
	unsigned pcpu;	      /* the physical CPU it runs on */
	uint32_t state;	      /* enum vcpu_state, changed atomically */
	uint64_t entry;	      /* IPA to start at, from boot or CPU_ON */
	uint64_t context;     /* x0 at start */
	struct gp_regs *regs; /* frame at the top of pcpu's stack */
	/* The page its last MMIO trap hit (HPFAR_EL2 as reported), its
	 * emulated region and that page's offset in it: the next trap most
	 * likely hits it again (a driver polling or writing one device). */
	uint64_t mmio_hpfar;
	const struct emu_region *mmio_emu;
	uint64_t mmio_page_off;
	struct vgic_cpu vgic;
	/* On a shared CPU (hyp/sched.c). */
	uint32_t priority;    /* higher runs first */
	uint64_t slice;	      /* its time slice, in counter ticks */
	uint64_t ran_at;      /* when it last came in: least recent first among equals */
	bool blocked;	      /* in WFI: runs again once it has an interrupt */
	bool saved;	      /* its state is in its context (hyp/vcpu_ctx.h) */
	struct vcpu_ctx *ctx; /* where it goes when switched out: from the page pool,
			       * only on a shared CPU (sched_setup); written whole by
			       * its first switch-out before anything reads it */
};

#define MAX_CPU_VCPUS  16 /* vCPUs sharing one CPU */
#define CPU_MAX_GUESTS 8  /* MAX_GUESTS (hyp/config/config.h) */

/* Per physical CPU. */
struct cpu {
	uint64_t stack_top; /* first: a shared CPU's vectors move to it (boot/vectors.S) */
	unsigned idx;
	uint64_t mpidr;
	struct vcpu *vcpu; /* the vCPU it runs (owns, when dedicated); NULL: none */
	/* Its vCPUs: one (dedicated), or several (shared, hyp/sched.c). */
	struct vcpu *rq[MAX_CPU_VCPUS];
	unsigned nrq;
	bool shared;
	bool loop_ready;	      /* its shared vectors and EL2 timer are set up */
	bool resched;		      /* look again at who runs, at this exit */
	uint32_t ppi_off;	      /* timer PPIs a guest had disabled (vgic_forward_hw) */
	struct vcpu *fp_owner;	      /* whose FP/SIMD registers it holds (lazy: vcpu_ctx.c) */
	uint64_t slice_end;	      /* the running vCPU's slice ends (CNTPCT) */
	int8_t last_ran[CPU_MAX_GUESTS]; /* each guest's last vCPU here (vcpu_ctx.h) */
};

extern struct cpu cpus[MAX_CPUS];

/* The lowest address of CPU idx's stack (STACK_SIZE bytes; the guard page
 * is just below). */
uint64_t cpu_stack_base(unsigned idx);

/* v's state (the table above), sequentially consistent: vcpu_try_power_on
 * and guest_reset each write one and read the other. */
static inline uint32_t vcpu_state_of(const struct vcpu *v)
{
	return __atomic_load_n(&v->state, __ATOMIC_SEQ_CST);
}

static inline struct cpu *this_cpu(void)
{
	return (struct cpu *)(uintptr_t)read_sysreg_const(tpidr_el2);
}

static inline struct vcpu *this_vcpu(void)
{
	return this_cpu()->vcpu;
}

/* The guest's registers at the top of CPU idx's stack, where a dedicated
 * CPU's vectors save them and vcpu_enter loads them (a shared CPU's are in
 * each vCPU's context: hyp/vcpu_ctx.h). */
struct gp_regs *cpu_frame(unsigned idx);
/* Enters the guest with the registers in frame (and ELR/SPSR_EL2). */
void vcpu_enter(struct gp_regs *frame) __attribute__((noreturn));
/* On v's CPU: ON_PENDING -> RUNNING and into the guest from its entry
 * point; returns only when the start was cancelled meanwhile. */
void vcpu_start(struct vcpu *v);

/* Per-CPU set-up, on that CPU: its struct cpu and GIC interface. */
void cpu_init(unsigned idx, uint64_t mpidr);
/* Waits for the vCPU of this CPU to be switched on, then enters it. Runs on
 * a fresh stack each time, so a vCPU can go off and on for ever. */
void vcpu_run_loop(void) __attribute__((noreturn));
/* Leaves the current trap for good: back to vcpu_run_loop. */
void vcpu_park(void) __attribute__((noreturn));
/* Acts on a stop or park request another CPU made for v (after a doorbell). */
void vcpu_check_requests(struct vcpu *v);
/* guest_stop: v leaves its guest for good. */
void vcpu_request_stop(struct vcpu *v);
/* SYSTEM_RESET's caller: v (not the caller) leaves the guest and ends OFF,
 * including a start still pending from the old boot. Returns when it has. */
void vcpu_park_and_wait(struct vcpu *v);
/* CPU_OFF or SYSTEM_RESET's caller, on its own CPU: RUNNING -> OFF. False
 * when a request got there first (the caller then acts on it). */
bool vcpu_self_off(struct vcpu *v);
/* OFF -> CLAIMED -> ON_PENDING with entry and context: 0; -EBUSY if it
 * was not off, -EAGAIN if its guest is not RUNNING (being reset or
 * stopped); nothing is changed then. */
int vcpu_try_power_on(struct vcpu *v, uint64_t entry, uint64_t context);
/* What PSCI AFFINITY_INFO reports. */
bool vcpu_is_on(const struct vcpu *v);
bool vcpu_is_on_pending(const struct vcpu *v);
