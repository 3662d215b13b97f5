/* Shared CPUs: more vCPUs than CPUs. A CPU named more than once in the
 * configuration runs its vCPUs in turn (no migration between CPUs): the
 * highest priority first, round robin among equals, each for its time
 * slice (docs/config.md: priority, time-slice-us); a vCPU in WFI gives the
 * CPU up until it has an interrupt or its timer fires. Each switch saves
 * and loads the whole vCPU (hyp/vcpu_ctx.h), its guest's VTCR_EL2 and
 * VTTBR_EL2 with it. A dedicated CPU never comes here. */
#pragma once
#include "hyp/vcpu.h"

/* As a guest is made: v joins its CPU's vCPUs. */
void sched_add(struct vcpu *v);
struct page_pool;
/* Once every guest is made: a CPU with one vCPU is that vCPU's alone
 * (cpus[].vcpu), one with more is shared, its vCPUs' contexts taken from
 * the pool. -ENOMEM when the pool is out. */
int sched_setup(unsigned ncpus, struct page_pool *pool);
/* A shared CPU's loop, on a fresh stack with no vCPU in the CPU: serves
 * requests (park, stop), picks a vCPU and starts or resumes it, or sleeps
 * in WFI until one can run. */
void sched_loop(void *cpu) __attribute__((noreturn));
/* The shared vectors' exit, after every trap (the guest's frame, in its
 * context): a switch when one is due. Returns the frame to resume, the
 * same or the incoming vCPU's. */
struct gp_regs *sched_exit(struct gp_regs *frame);
/* A trapped WFI, WFE, WFIT or WFET. */
void sched_wfx(struct gp_regs *frame, uint64_t esr);
/* The EL2 physical timer's interrupt: a slice ended or a waiting vCPU's
 * timer is due. */
void sched_timer_irq(void);
/* SYSTEM_RESET's caller parks v, a sibling switched out on the same CPU. */
void sched_park_local(struct vcpu *v);
/* Whether c still has a vCPU that may run (not stopped). */
bool sched_cpu_busy(const struct cpu *c);
