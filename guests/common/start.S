/* Test-guest entry: arm64 Image header, self-relocation, BSS, stack, EL1
 * vectors, then main(dtb). Entered at EL1h with the MMU off, x0 = DTB. */
#define R_AARCH64_RELATIVE 1027

	.section .text.head, "ax"
	.global _start
_start:
	b	entry
	.word	0
	.quad	0			/* text_offset */
	.quad	__image_size
	.quad	0xa			/* LE, 4K, anywhere */
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.word	0

entry:
	mov	x20, x0
	adr	x19, _start
	adrp	x9, __rela_start
	add	x9, x9, :lo12:__rela_start
	adrp	x10, __rela_end
	add	x10, x10, :lo12:__rela_end
1:	cmp	x9, x10
	b.hs	2f
	ldp	x11, x12, [x9], #24
	ldr	x13, [x9, #-8]
	cmp	w12, #R_AARCH64_RELATIVE
	b.ne	1b
	add	x13, x13, x19
	str	x13, [x11, x19]
	b	1b
2:	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
3:	cmp	x9, x10
	b.hs	4f
	stp	xzr, xzr, [x9], #16
	b	3b
4:	adrp	x9, __stack_top
	add	sp, x9, :lo12:__stack_top
	adrp	x9, guest_vectors
	add	x9, x9, :lo12:guest_vectors
	msr	vbar_el1, x9
	isb
	mov	x0, x20
	bl	main
5:	wfi
	b	5b

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
	b	other
	.balign	128
	b	other
	.balign	128
	b	other
	.rept	8
	.balign	128
	b	other
	.endr

sync:
	sub	sp, sp, #256
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
	mrs	x0, esr_el1
	mrs	x1, far_el1
	mrs	x2, elr_el1
	mov	x3, x30
	bl	guest_sync_exception
	msr	elr_el1, x0
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
	add	sp, sp, #256
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
	adrp	x9, guest_vectors
	add	x9, x9, :lo12:guest_vectors
	msr	vbar_el1, x9
	isb
	bl	secondary_main
7:	wfi
	b	7b
