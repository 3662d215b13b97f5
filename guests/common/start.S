/* Test-guest entry: arm64 Image header, self-relocation, BSS, stack, EL1
 * vectors, then main(dtb). Entered at EL1h with the MMU off, x0 = DTB; a
 * guest started at EL2 (natively, QEMU virt with virtualization=on) first
 * makes EL1 the guest's own, as a boot loader would, and drops there. */
#include "arch/asm.h"

	.section .text.head, "ax"
	.global _start
_start:
	arm64_image_header entry

entry:
	mov	x20, x0
	mrs	x9, CurrentEL
	cmp	x9, #(2 << 2)
	b.ne	1f
	mov	x9, #(1 << 31)			/* HCR_EL2.RW: EL1 is AArch64, nothing trapped */
	msr	hcr_el2, x9
	mov	x9, #3				/* CNTHCTL_EL2: EL1 counter and timer access */
	msr	cnthctl_el2, x9
	msr	cntvoff_el2, xzr
	mrs	x9, id_aa64pfr0_el1		/* GIC system registers: open them to EL1 */
	ubfx	x9, x9, #24, #4
	cbz	x9, 2f
	mov	x9, #0xf			/* ICC_SRE_EL2: Enable | DIB | DFB | SRE */
	msr	S3_4_C12_C9_5, x9
2:	ldr	x9, =0x30d00800			/* SCTLR_EL1: RES1 bits, MMU and caches off */
	msr	sctlr_el1, x9
	mov	x9, #0x3c5			/* EL1h, DAIF masked */
	msr	spsr_el2, x9
	adr	x9, 1f
	msr	elr_el2, x9
	isb
	eret
1:
	adr	x19, _start
	apply_relocations x19
	clear_bss
	adr_l	x9, __stack_top
	mov	sp, x9
	adr_l	x9, guest_vectors
	msr	vbar_el1, x9
	isb
	mov	x0, x20
	bl	main
5:	wfi
	b	5b

/* The registers a C call may clobber (x0-x18, x30), on the stack. */
.macro save_caller_regs
	sub	sp, sp, #176
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
.endm

.macro restore_caller_regs
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x30, [sp, #144]
	add	sp, sp, #176
.endm

/* Synchronous exceptions at EL1 go to guest_sync_exception(esr, far, elr,
 * lr), which returns where to resume. Anything else is reported as is. */
	.section .text.vectors, "ax"
	.balign	2048
guest_vectors:
	.balign	128
	b	other
	.balign	128
	b	other
	.balign	128
	b	other
	.balign	128
	b	other
	.balign	128
	b	sync
	.balign	128
	b	irq
	.balign	128
	b	other
	.balign	128
	b	other
	.rept	8
	.balign	128
	b	other
	.endr

sync:
	save_caller_regs
	mrs	x0, esr_el1
	mrs	x1, far_el1
	mrs	x2, elr_el1
	mov	x3, x30
	bl	guest_sync_exception
	msr	elr_el1, x0
	restore_caller_regs
	eret

/* IRQs at EL1 (taken with PSTATE.I set, so never nested) go to
 * guest_irq(); the interrupted code's caller-saved registers survive. */
irq:
	save_caller_regs
	bl	guest_irq
	restore_caller_regs
	eret

other:
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	bl	guest_other_exception
6:	wfi
	b	6b

/* Secondary vCPUs started with PSCI CPU_ON(entry = secondary_start,
 * context = a struct secondary_ctx *): the context's first word is the
 * stack top. The entry state itself (EL, DAIF, x0) is left for C to check. */
	.text
	.global	secondary_start
secondary_start:
	mrs	x1, daif
	mrs	x2, CurrentEL
	ldr	x9, [x0]
	mov	sp, x9
	adr_l	x9, guest_vectors
	msr	vbar_el1, x9
	isb
	bl	secondary_main
7:	wfi
	b	7b
