/* EL2 exception vectors (Arm ARM D1.10.2). Lower-EL exceptions save the
 * guest's registers in the frame at the top of this CPU's stack, call C
 * with a pointer to it, restore and ERET. The C code preserves x19-x29
 * (AAPCS64) and never touches x18 (-ffixed-x18), so most paths save and
 * restore only x0-x17 and x30; traps whose emulation reads or writes a
 * register above x15 (a system register's or a data abort's Rt) save the
 * whole frame, decided by ESR_EL2 before anything else. A vCPU (re)starts
 * from a whole frame (vcpu_enter).
 * Exceptions taken from EL2 itself are bugs: they are reported with
 * ESR/FAR/ELR and the CPU stops. */
#include "arch/asm.h"
#include "arch/esr.h"
#include "hyp_defs.h"

/* x0-x17 and x30; xzr rides along in x30's pair (struct gp_regs: x[31]
 * reads as zero). */
.macro save_caller_regs
	sub	sp, sp, #GP_REGS_SIZE
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x30, xzr, [sp, #16 * 15]
.endm

/* The rest of the frame: x18-x29. */
.macro save_callee_regs
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
.endm

/* Restores what save_caller_regs saved and returns to the guest: x18-x29
 * still hold the guest's. Inline after each short path's call. */
.macro resume_caller
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldr	x30, [sp, #16 * 15]
	add	sp, sp, #GP_REGS_SIZE
	eret
.endm

.macro vector_entry label
	.balign	128
	b	\label
.endm

	.section .text.vectors, "ax"
	.balign	2048
	.global el2_vectors
el2_vectors:
	/* Current EL with SP_EL0: never used. */
	vector_entry hyp_unexpected_sync
	vector_entry hyp_unexpected_irq
	vector_entry hyp_unexpected_fiq
	vector_entry hyp_unexpected_serror
	/* Current EL with SP_EL2. */
	vector_entry hyp_unexpected_sync
	vector_entry hyp_unexpected_irq
	vector_entry hyp_unexpected_fiq
	vector_entry hyp_unexpected_serror
	/* Lower EL, AArch64: a synchronous exception is decided here, in its
	 * own slot (32 instructions), by ESR_EL2.EC before anything else. */
	.balign	128
guest_sync:
	save_caller_regs
	mrs	x1, esr_el2
	/* ESR_EL2[31:24]: EC, IL and ISS bit 24 (a data abort's ISV) at once */
	lsr	w9, w1, #24
	cmp	w9, #ESR_TOP_DABT_IL_ISV
	b.eq	mmio
	cmp	w9, #ESR_TOP_HVC64
	b.eq	hvc
	cmp	w9, #ESR_TOP_SYSREG
	b.eq	sysreg
	ubfx	x9, x1, #ESR_EC_SHIFT, #6
	cmp	x9, #EC_DABT_LOW
	b.eq	dabt
	cmp	x9, #EC_HVC64
	b.eq	hvc
	cmp	x9, #EC_SYSREG
	b.eq	guest_sync_whole
	mov	x0, sp
	bl	handle_guest_sync
	b	guest_resume_caller
	.if . - guest_sync > 128
	.error "guest_sync outgrew its vector slot"
	.endif
	/* An interrupt, in its own slot too. */
	.balign	128
guest_irq:
	save_caller_regs
	bl	handle_guest_irq
	resume_caller
	.if . - guest_irq > 128
	.error "guest_irq outgrew its vector slot"
	.endif
	vector_entry guest_fiq
	vector_entry guest_serror
	/* Lower EL, AArch32 (EL0 compat tasks): same frame, same handlers. */
	vector_entry guest_sync
	vector_entry guest_irq
	vector_entry guest_fiq
	vector_entry guest_serror

#ifdef HYP_MITIGATIONS
/* Spectre-BHB: on an affected CPU (hyp/mitigations.c) every entry from a
 * guest first overwrites the branch history with k taken branches, then
 * waits for them (DSB, ISB), before EL2 makes a branch the guest could
 * have trained; then it goes on as in el2_vectors. One scratch register,
 * kept below the frame. el2_regs.c points VBAR_EL2 at the table for k. */
.macro bhb_entry k, target
	.balign	128
	str	x0, [sp, #-16]!
	mov	x0, #\k
1:	b	2f
2:	subs	x0, x0, #1
	b.ne	1b
	dsb	nsh
	isb
	ldr	x0, [sp], #16
	b	\target
.endm

.macro bhb_vectors name, k, sync=guest_sync, irq=guest_irq, serror=guest_serror
	.balign	2048
	.global	\name
\name:
	vector_entry hyp_unexpected_sync
	vector_entry hyp_unexpected_irq
	vector_entry hyp_unexpected_fiq
	vector_entry hyp_unexpected_serror
	vector_entry hyp_unexpected_sync
	vector_entry hyp_unexpected_irq
	vector_entry hyp_unexpected_fiq
	vector_entry hyp_unexpected_serror
	bhb_entry \k, \sync
	bhb_entry \k, \irq
	bhb_entry \k, \serror
	bhb_entry \k, \serror
	bhb_entry \k, \sync
	bhb_entry \k, \irq
	bhb_entry \k, \serror
	bhb_entry \k, \serror
.endm

	bhb_vectors el2_vectors_bhb8, 8
	bhb_vectors el2_vectors_bhb24, 24
	bhb_vectors el2_vectors_bhb32, 32
	bhb_vectors el2_vectors_shared_bhb8, 8, shared_sync, shared_irq, shared_serror
	bhb_vectors el2_vectors_shared_bhb24, 24, shared_sync, shared_irq, shared_serror
	bhb_vectors el2_vectors_shared_bhb32, 32, shared_sync, shared_irq, shared_serror
#endif

/* A shared CPU's vectors (hyp/sched.c). While one of its vCPUs runs, SP_EL2
 * points just past that vCPU's frame in its own context (struct vcpu_ctx),
 * so an exit saves the whole frame there, then moves to the CPU's stack
 * (struct cpu: stack_top, first). A switch is then only another frame to
 * resume from: sched_exit returns it. */
.macro shared_entry
	save_caller_regs
	save_callee_regs
	mov	x19, sp
	mrs	x9, tpidr_el2
	ldr	x9, [x9]
	mov	sp, x9
	mov	x0, x19
.endm
.macro shared_exit
	mov	x0, x19
	bl	sched_exit
	mov	sp, x0
	b	guest_resume
.endm

	.balign	2048
	.global	el2_vectors_shared_table
el2_vectors_shared_table:
	vector_entry hyp_unexpected_sync
	vector_entry hyp_unexpected_irq
	vector_entry hyp_unexpected_fiq
	vector_entry hyp_unexpected_serror
	vector_entry hyp_unexpected_sync
	vector_entry hyp_unexpected_irq
	vector_entry hyp_unexpected_fiq
	vector_entry hyp_unexpected_serror
	vector_entry shared_sync
	vector_entry shared_irq
	vector_entry shared_serror
	vector_entry shared_serror
	vector_entry shared_sync
	vector_entry shared_irq
	vector_entry shared_serror
	vector_entry shared_serror

shared_sync:
	shared_entry
	bl	handle_shared_sync
	shared_exit
shared_irq:
	shared_entry
	bl	handle_shared_irq
	shared_exit
shared_serror:
	shared_entry
	bl	handle_shared_serror
	shared_exit

guest_sync_whole:
	save_callee_regs
	mov	x0, sp
	bl	handle_guest_sync
	b	guest_resume

/* A trapped MSR/MRS moves one register, Rt (ISS [9:5]): x0-x15 are in
 * what save_caller_regs saved; any other needs all of the frame. */
sysreg:
	tbnz	x1, #9, guest_sync_whole
	mov	x0, sp
	bl	handle_guest_sync
	resume_caller

/* SMCCC: the function id and arguments stay in x0-x3 for the call
 * (x1 back from the frame, as the syndrome took it); the result goes
 * to x0 only. */
hvc:
	mov	x4, x1
	ldr	x1, [sp, #8]
	bl	handle_guest_hvc
	str	x0, [sp]
	resume_caller

/* A data abort with a valid syndrome (ISV, which a fault on a stage-1
 * walk never has) by a 32-bit instruction (IL), whose transfer register
 * is x0-x15 (SRT bit 4 clear), is emulated from what save_caller_regs
 * saved; any other needs all of the frame. */
mmio:
	tbnz	x1, #DABT_SRT_SHIFT + 4, dabt
	mov	x0, sp
	bl	handle_guest_mmio
	resume_caller
dabt:
	save_callee_regs
	mov	x0, sp
	bl	handle_guest_dabt
	b	guest_resume

guest_fiq:
guest_serror:
	save_caller_regs
	mov	x0, sp
	mrs	x1, esr_el2
	bl	handle_guest_serror
	b	guest_resume_caller

/* Restores the whole frame at sp and enters the guest. Also the first
 * entry: vcpu_enter(frame) jumps here with sp pointing at the frame. */
	.global guest_resume
guest_resume:
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
guest_resume_caller:
	resume_caller

/* x0 = the frame at the top of this CPU's stack. */
	.global vcpu_enter
vcpu_enter:
	mov	sp, x0
	b	guest_resume

/* An exception at EL2 is a hypervisor bug: report it and stop the machine.
 * The stack may be what failed (an overflow into its guard page), so the
 * report runs on a stack of its own; the first CPU to get here reports,
 * any other stops where it is. x29, sp and x30 are the failing code's, for
 * the backtrace. With the MMU still off only the boot CPU runs, and the
 * lock (an exclusive) would never complete on a BCM2711: no lock then. */
.macro unexpected label, kind
\label:
	mov	x4, x29
	mov	x5, sp
	mov	x6, x30
	mrs	x9, sctlr_el2
	tbz	x9, #0, 2f
	adr_l	x9, panic_lock
1:	ldaxr	w10, [x9]
	cbnz	w10, park
	mov	w10, #1
	stxr	w11, w10, [x9]
	cbnz	w11, 1b
2:	adr_l	x9, panic_stack
	add	sp, x9, #PANIC_STACK_SIZE
	mov	x0, #\kind
	mrs	x1, esr_el2
	mrs	x2, far_el2
	mrs	x3, elr_el2
	bl	hyp_panic_exception
	b	park
.endm
	unexpected hyp_unexpected_sync, 0
	unexpected hyp_unexpected_irq, 1
	unexpected hyp_unexpected_fiq, 2
	unexpected hyp_unexpected_serror, 3

	.pushsection .bss
	.balign	4
panic_lock:
	.word	0
	.popsection

/* call_on_stack(arg, fn, sp): runs fn(arg) on a fresh stack; fn never returns. */
	.global call_on_stack
call_on_stack:
	mov	sp, x2
	br	x1
