/* The guest trap dispatcher: ESR_EL2 is read once, in the vectors; HVC
 * goes straight to handle_guest_hvc, every other exception class picks its
 * handler from a table. Each handler is small and named for what it
 * handles. */
#pragma once
#include "arch/esr.h"
#include "arch/sysreg.h"
#include "hyp/vcpu.h"
#include "types.h"

typedef void (*trap_handler)(struct vcpu *v, struct gp_regs *r, uint64_t esr);

void handle_smc(struct vcpu *v, struct gp_regs *r, uint64_t esr);
void handle_sysreg(struct vcpu *v, struct gp_regs *r, uint64_t esr);
void handle_iabt(struct vcpu *v, struct gp_regs *r, uint64_t esr);
/* The vectors' own entries, after ESR_EL2 (esr) chose how much to save. */
/* HVC: the guest's x0-x3 as they arrived (SMCCC function id and
 * arguments), and the syndrome; returns the guest's x0. */
int64_t handle_guest_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t esr);
void handle_guest_dabt(struct gp_regs *r, uint64_t esr);
void handle_guest_sync(struct gp_regs *r, uint64_t esr);
void handle_guest_serror(struct gp_regs *r, uint64_t esr);
/* A shared CPU's vectors: every exception with the whole frame. */
void handle_shared_sync(struct gp_regs *r);
void handle_shared_serror(struct gp_regs *r);

/* PSCI function fid with its arguments: the value for x0 (the calling
 * vCPU is this CPU's). */
int64_t psci_handle(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

/* Steps over the trapped instruction (for traps whose preferred return is
 * the instruction itself: SMC, MSR/MRS, data aborts): 4 bytes, or 2 for a
 * 16-bit T32 instruction (ESR_EL2.IL = 0) of an AArch32 EL0 task. */
static inline void skip_instruction(uint64_t esr)
{
	/* 4 bytes, or 2 for a 16-bit T32 instruction (IL clear) */
	write_sysreg(elr_el2, read_sysreg(elr_el2) + 2 + ((esr & ESR_IL) >> 24));
}
