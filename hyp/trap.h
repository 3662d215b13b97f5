/* The guest trap dispatcher: ESR_EL2 is read once and the exception class
 * picks the handler from a table. Each handler is small and named for what
 * it handles. */
#pragma once
#include "arch/esr.h"
#include "arch/sysreg.h"
#include "hyp/vcpu.h"
#include "types.h"

typedef void (*trap_handler)(struct vcpu *v, struct gp_regs *r, uint64_t esr);

void handle_hvc(struct vcpu *v, struct gp_regs *r, uint64_t esr);
void handle_smc(struct vcpu *v, struct gp_regs *r, uint64_t esr);
void handle_sysreg(struct vcpu *v, struct gp_regs *r, uint64_t esr);
void handle_dabt(struct vcpu *v, struct gp_regs *r, uint64_t esr);
void handle_iabt(struct vcpu *v, struct gp_regs *r, uint64_t esr);
/* PSCI over HVC or SMC: the function id is in x0, the result goes there. */
void psci_handle(struct vcpu *v, struct gp_regs *r);

/* Steps over the trapped instruction (for traps whose preferred return is
 * the instruction itself: SMC, MSR/MRS, data aborts): 4 bytes, or 2 for a
 * 16-bit T32 instruction (ESR_EL2.IL = 0) of an AArch32 EL0 task. */
static inline void skip_instruction(uint64_t esr)
{
	write_sysreg(elr_el2, read_sysreg(elr_el2) + ((esr & ESR_IL) ? 4 : 2));
}
