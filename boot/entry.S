/* EL2 entry: arm64 Image header, self-relocation, stacks, BSS, then C.
 * Position independent: QEMU -kernel, U-Boot booti and the Raspberry Pi
 * firmware each load us at a different address. */
#include "arch/asm.h"
#include "hyp_defs.h"

	.section .text.head, "ax"
	.global _start
_start:
	arm64_image_header primary_entry

primary_entry:
	mov	x20, x0			/* DTB from the loader */
	adr	x19, _start
	apply_relocations x19
	clear_bss
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

/* Secondary CPUs released from a spin table (no PSCI) arrive here with
 * x0 = 0: their index is in spin_cpu_index, cleaned to memory by the CPU
 * that released them (one at a time). */
	.global spin_table_entry
spin_table_entry:
	adr_l	x9, spin_cpu_index
	ldr	w0, [x9]
	b	secondary_entry

/* sp = top of CPU x0's stack, below the guest register frame. */
set_cpu_stack:
	adr_l	x9, cpu_stacks
	add	x0, x0, #1
	mov	x10, #STACK_SLOT
	madd	x9, x0, x10, x9
	sub	sp, x9, #GP_REGS_SIZE
	ret

/* Vectors and a sane EL2 before any C runs. */
el2_early_setup:
	adr_l	x9, el2_vectors
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

/* Not in .bss: nothing needs them zeroed (a vCPU's frame is written
 * whole before it first runs), so boot does not spend time clearing them. */
	.section .stacks, "aw", %nobits
	.balign	4096
	.global panic_stack, cpu_stacks
panic_stack:
	.space	PANIC_STACK_SIZE
cpu_stacks:
	.space	MAX_CPUS * STACK_SLOT
