/* What a vCPU leaves in its CPU when it shares that CPU with others
 * (hyp/sched.c): its registers, EL1 system registers, EL1 timers, FP/SIMD,
 * pointer-authentication keys and virtual CPU interface, saved as it goes
 * and loaded as it comes back. A CPU named once in the configuration never
 * switches: its vCPU's state stays in the CPU (hyp/vcpu.h). */
#pragma once
#include "hyp/vcpu.h"
#include "hyp/vgic/vgic.h"
#include "types.h"

/* The EL1 registers a switch saves and loads, in the order it loads them
 * (vcpu_ctx.c: the Cortex-A72 erratum 1319367 sequence). */
enum el1_reg {
	EL1_SCTLR, EL1_TCR, EL1_TTBR0, EL1_TTBR1, EL1_MAIR, EL1_AMAIR, EL1_VBAR,
	EL1_CONTEXTIDR, EL1_CPACR, EL1_TPIDR_EL0, EL1_TPIDR, EL1_TPIDRRO_EL0, EL1_SP_EL0,
	EL1_SP, EL1_ELR, EL1_SPSR, EL1_ESR, EL1_FAR, EL1_AFSR0, EL1_AFSR1, EL1_PAR,
	EL1_MDSCR, EL1_CNTKCTL, EL1_CSSELR,
	EL1_NREGS
};

struct vcpu_ctx {
	struct gp_regs gp; /* first, 16-byte aligned: SP_EL2 is just past it in the guest */
	uint64_t elr, spsr; /* where it resumes: ELR_EL2, SPSR_EL2 */
	uint64_t el1[EL1_NREGS];
	uint64_t cntv_ctl, cntv_cval, cntp_ctl, cntp_cval;
	uint64_t apkeys[10]; /* APIA, APIB, APDA, APDB, APGA: lo, hi */
	uint64_t fp[64];     /* q0-q31 */
	uint64_t fpcr, fpsr;
	uint32_t ppi_active; /* EL1 timer PPIs active at the GIC as it left */
	struct vgic_saved vgic;
} __attribute__((aligned(16)));

/* On v's CPU, v loaded, in a trap: all of v goes into its context (its
 * general registers are there already: the shared vectors save them in
 * gp); the CPU keeps no timer of it armed. */
void vcpu_ctx_save(struct vcpu *v);
/* Back: v's EL2 controls (stage 2: VTCR and VTTBR, HCR, VMPIDR, ...), EL1
 * registers, timers, FP/SIMD, keys and interface; guest_resume takes its
 * general registers from gp. */
void vcpu_ctx_load(struct vcpu *v);
/* Once, at boot: which optional registers the CPUs have. */
void vcpu_ctx_init(void);
/* A vCPU starting on a shared CPU finds none of the last one's registers
 * that its reset values do not cover (reset_el1_state): FP/SIMD, keys,
 * the timers' compare values are zeroed. */
void vcpu_ctx_clear(struct vcpu *v);
/* v's FP/SIMD access trapped (CPTR_EL2.TFP, lazy builds): the CPU's FP/SIMD
 * registers go to their owner's context, v's come in. False in eager
 * builds, where no such trap is the hypervisor's. */
bool vcpu_ctx_fp_trap(struct vcpu *v);
/* The earliest deadline of v's armed, unmasked EL1 timers (physical
 * counter), or ~0; v switched out. */
uint64_t vcpu_ctx_timer_deadline(const struct vcpu *v);

/* The local TLB rule (Xen's and KVM's last_vcpu_ran): a VMID's entries on
 * a CPU may be another vCPU's of the same guest (the guest invalidates
 * per CPU for its own vCPUs); when a vCPU runs where another vCPU of its
 * guest ran last, that VMID's local TLB and the I-cache are invalidated
 * first. *last is the guest's last vCPU on this CPU (-1: none yet); it
 * becomes id. Host-tested (tests/unit/test_sched.c). */
static inline bool s2_local_flush_needed(int8_t *last, unsigned id)
{
	bool flush = *last >= 0 && *last != (int8_t)id;
	*last = (int8_t)id;
	return flush;
}
