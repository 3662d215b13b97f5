/* EL2 control registers a guest's behaviour depends on, set to known
 * values on every CPU: whatever firmware left there must not decide what
 * guests can reach (IMPLEMENTATION DEFINED registers, fine-grained traps,
 * HCRX_EL2 enables). */
#pragma once
#include "types.h"

/* CNTHCTL_EL2 (E2H = 0): EL1 reads the physical counter and uses its
 * physical timer; the event stream wakes every WFE on this CPU each time
 * counter bit 11 turns to 1 (about every 65 us at 62.5 MHz, 76 us at the
 * Pi 4's 54 MHz), so that no wait in WFE outlives a lost event
 * (include/wait.h). Guests may see the extra wake-ups, as the
 * architecture allows. */
#define CNTHCTL_EL1PCTEN    BIT(0)
#define CNTHCTL_EL1PCEN	    BIT(1)
#define CNTHCTL_EVNTEN	    BIT(2)
#define CNTHCTL_EVNTI_SHIFT 4
#define CNTHCTL_EL2_VALUE \
	(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN | CNTHCTL_EVNTEN | 11 << CNTHCTL_EVNTI_SHIFT)

/* On each CPU, before it runs a guest; also picks the vectors that clear
 * the branch history where the CPU needs it. */
void el2_regs_init(void);
/* The Spectre-BHB loop's branch count on this CPU, 0 when not used. */
unsigned el2_bhb_loop(void);
/* MDCR_EL2 for guests on this CPU: PMU counters theirs, nothing counted
 * at EL2, trace filtering trapped. */
uint64_t el2_guest_mdcr(void);
/* A shared CPU's vectors (boot/vectors.S, hyp/sched.c): every exit saves
 * the whole frame and may switch vCPUs; a dedicated CPU keeps the short
 * paths. */
void el2_vectors_shared(void);
