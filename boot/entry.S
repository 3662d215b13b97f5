/* EL2 entry: arm64 Image header, self-relocation, stacks, BSS, then C.
 * Position independent: QEMU -kernel, U-Boot booti and the Raspberry Pi
 * firmware each load us at a different address. */
#include "hyp_defs.h"

#define R_AARCH64_RELATIVE 1027

	.section .text.head, "ax"
	.global _start
_start:
	/* arm64 Image header (Linux Documentation/arch/arm64/booting.rst). */
	b	primary_entry
	.word	0
	.quad	0			/* text_offset */
	.quad	__image_size		/* effective image size, BSS included */
	.quad	0xa			/* LE, 4K pages, anywhere in RAM */
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.word	0

primary_entry:
	mov	x20, x0			/* DTB from the loader */
	/* Apply our own R_AARCH64_RELATIVE relocations (link base is 0). */
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
2:
	/* Clear BSS (8-byte aligned by the linker script). */
	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
3:	cmp	x9, x10
	b.hs	4f
	str	xzr, [x9], #8
	b	3b
4:
	mov	x0, #0
	bl	set_cpu_stack
	mrs	x9, CurrentEL
	lsr	x9, x9, #2
	cmp	x9, #2
	b.ne	wrong_el
	bl	el2_early_setup
	mov	x0, x20
	bl	hyp_main
	b	park

wrong_el:
	mov	x0, x9
	mov	x1, x20
	bl	boot_wrong_el
	b	park

/* Secondary CPUs arrive here from PSCI CPU_ON with x0 = our CPU index. */
	.global secondary_entry
secondary_entry:
	mov	x20, x0
	bl	set_cpu_stack
	bl	el2_early_setup
	mov	x0, x20
	bl	secondary_main
	b	park

/* sp = top of CPU x0's stack, below the guest register frame. */
set_cpu_stack:
	adrp	x9, cpu_stacks
	add	x9, x9, :lo12:cpu_stacks
	add	x0, x0, #1
	mov	x10, #STACK_SIZE
	madd	x9, x0, x10, x9
	sub	sp, x9, #GP_REGS_SIZE
	ret

/* Vectors and a sane EL2 before any C runs. */
el2_early_setup:
	adrp	x9, el2_vectors
	add	x9, x9, :lo12:el2_vectors
	msr	vbar_el2, x9
	msr	tpidr_el2, xzr		/* no struct cpu yet */
	mov	x9, #(1 << 31)		/* HCR_EL2.RW, nothing trapped yet */
	msr	hcr_el2, x9
	isb
	ret

	.global park
park:
	wfi
	b	park

	.bss
	.balign	16
	.global cpu_stacks
cpu_stacks:
	.space	MAX_CPUS * STACK_SIZE
