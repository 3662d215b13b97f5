/* Constants shared by assembly and C. */
#pragma once

#define MAX_CPUS   8
#define STACK_SIZE 16384
/* Below each CPU's stack, a page EL2 leaves unmapped: an overflow faults
 * (and is reported) instead of writing over the next CPU's stack. */
#define STACK_GUARD 4096
#define STACK_SLOT  (STACK_GUARD + STACK_SIZE)
#define PANIC_STACK_SIZE 8192 /* where an EL2 exception is reported from */
/* The running guest's general registers live at the top of each CPU's stack:
 * one vCPU per physical CPU, so the vectors save them with sp-relative
 * stores and never need to look up where the vCPU is. */
#define GP_REGS_SIZE 256 /* x0..x30, padded to 16 bytes */
