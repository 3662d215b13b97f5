/* EL2 control registers a guest's behaviour depends on, set to known
 * values on every CPU: whatever firmware left there must not decide what
 * guests can reach (IMPLEMENTATION DEFINED registers, fine-grained traps,
 * HCRX_EL2 enables). */
#pragma once
#include "types.h"

/* On each CPU, before it runs a guest. */
void el2_regs_init(void);
/* MDCR_EL2 for guests on this CPU: PMU counters theirs, nothing counted
 * at EL2, trace filtering trapped. */
uint64_t el2_guest_mdcr(void);
