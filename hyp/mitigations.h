/* Speculation: which CPUs need the branch-history clearing loop on every
 * entry from a guest (Spectre-BHB), and how many branches it takes. Plain
 * C, host-tested; boot/vectors.S holds the loop, el2_regs.c picks it. */
#pragma once
#include "types.h"

/* The loop's branch count for a CPU by its MIDR_EL1 (as Linux decides,
 * from Arm's Spectre-BHB guidance); 0 when it needs none. */
unsigned bhb_loop_k(uint64_t midr);
