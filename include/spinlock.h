/* A test-and-set lock whose waiters sleep in WFE: the releasing store clears
 * the exclusive monitor of every waiter, which wakes it (Arm ARM D1.6.1). */
#pragma once
#include <stdint.h>

#include "atomic.h"

typedef struct {
	volatile uint32_t v;
} spinlock_t;

#ifdef HOST_ARCH
#include "host_spinlock.h" /* host fuzzing: a lock that reports misuse */
#else

/* Tries first; waits in WFE only while the lock is held (the LDAXR that
 * saw it held armed the monitor whose clearing wakes us). */
static inline void spin_lock(spinlock_t *l)
{
	uint32_t tmp;
	exclusives_check("spin_lock");
	__asm__ volatile("	b	2f\n"
			 "1:	wfe\n"
			 "2:	ldaxr	%w0, [%1]\n"
			 "	cbnz	%w0, 1b\n"
			 "	stxr	%w0, %w2, [%1]\n"
			 "	cbnz	%w0, 2b\n"
			 : "=&r"(tmp)
			 : "r"(&l->v), "r"(1)
			 : "memory");
}

static inline void spin_unlock(spinlock_t *l)
{
	__asm__ volatile("stlr wzr, [%0]" : : "r"(&l->v) : "memory");
}

/* Documents that the caller holds l; checked by the device fuzzer. */
static inline void spin_assert_held(const spinlock_t *l)
{
	(void)l;
}
#endif
