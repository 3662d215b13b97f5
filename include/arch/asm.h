/* Assembly helpers shared by the hypervisor's and the test guests' entry. */
/* clang-format off */
#pragma once

#define R_AARCH64_RELATIVE 1027

/* \reg = address of \sym, PC-relative (position independent). */
.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

/* The 64-byte arm64 Image header (Linux Documentation/arch/arm64/booting.rst):
 * QEMU -kernel, U-Boot booti and the Raspberry Pi firmware all read it.
 * text_offset 0, little-endian, 4 KiB pages, loadable anywhere in RAM. */
.macro arm64_image_header entry
	b	\entry
	.word	0
	.quad	0
	.quad	__image_size
	.quad	0xa
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.word	0
.endm

/* Applies our own R_AARCH64_RELATIVE relocations: linked at 0, running at
 * \base. Clobbers x9-x13. */
.macro apply_relocations base
	adr_l	x9, __rela_start
	adr_l	x10, __rela_end
1:	cmp	x9, x10
	b.hs	2f
	ldp	x11, x12, [x9], #24
	ldr	x13, [x9, #-8]
	cmp	w12, #R_AARCH64_RELATIVE
	b.ne	1b
	add	x13, x13, \base
	str	x13, [x11, \base]
	b	1b
2:
.endm

/* Zeroes __bss_start..__bss_end (8-byte aligned), 64 bytes a step while
 * it can (the MMU is off: no DC ZVA on Device memory). Clobbers x9-x11. */
.macro clear_bss
	adr_l	x9, __bss_start
	adr_l	x10, __bss_end
	sub	x11, x10, #64
3:	cmp	x9, x11
	b.hi	4f
	stp	xzr, xzr, [x9]
	stp	xzr, xzr, [x9, #16]
	stp	xzr, xzr, [x9, #32]
	stp	xzr, xzr, [x9, #48]
	add	x9, x9, #64
	b	3b
4:	cmp	x9, x10
	b.hs	5f
	str	xzr, [x9], #8
	b	4b
5:
.endm
