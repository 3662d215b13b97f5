/* Exceptions the hypervisor makes a guest take at EL1, as the hardware would
 * have (Arm ARM D1.10: vector offsets, ELR/SPSR/ESR/FAR_EL1). */
#pragma once
#include "types.h"

/* A synchronous external abort on a data access (or instruction fetch). */
void inject_external_abort(bool instruction, uint64_t far);
void inject_undef(void);
