/* Read-modify-write atomics, the only ones in the hypervisor (scripts/lint.sh
 * checks): they are exclusives (LDAXR/STLXR, no LSE in the target build),
 * and an exclusive store to memory the MMU does not map as Normal (all of
 * it, with SCTLR_EL2.M = 0) need never succeed: on a BCM2711 it never does,
 * so the CPU retries for ever. QEMU's TCG lets it pass; checked builds
 * (CHECKS=1, the default; make bench builds without) stop with a PANIC line
 * instead. Plain loads and stores (__atomic_load_n/__atomic_store_n) are
 * no exclusives and may run at any time. */
#pragma once
#include "types.h"

#ifdef HOST_ATOMIC_HOOK
/* Host tests of the life cycles (tests/unit/test_lifecycle.c): another
 * CPU's move, made just before each read-modify-write. */
extern void (*host_atomic_hook)(uint32_t *p);
#define ATOMIC_RACE(p)                        \
	do {                                  \
		if (host_atomic_hook)         \
			host_atomic_hook(p);  \
	} while (0)
#else
#define ATOMIC_RACE(p) ((void)(p))
#endif

#if defined(HYP_CHECKS) && !defined(HOST_ARCH)
#include "arch/sysreg.h"
#include "arch/vtcr.h"
void hyp_panic_mmu_off(const char *what) __attribute__((noreturn));
static inline void exclusives_check(const char *what)
{
	if (!(read_sysreg(sctlr_el2) & SCTLR_EL2_M))
		hyp_panic_mmu_off(what);
}
#else
static inline void exclusives_check(const char *what)
{
	(void)what;
}
#endif

/* *p from -> to, sequentially consistent; false if *p was not from. */
static inline bool atomic_cas(uint32_t *p, uint32_t from, uint32_t to)
{
	exclusives_check("compare-and-swap");
	ATOMIC_RACE(p);
	return __atomic_compare_exchange_n(p, &from, to, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

/* *p = v; the old value. */
static inline uint32_t atomic_xchg(uint32_t *p, uint32_t v)
{
	exclusives_check("exchange");
	ATOMIC_RACE(p);
	return __atomic_exchange_n(p, v, __ATOMIC_ACQ_REL);
}

/* *p += v (v may be -1u); the new value. */
static inline uint32_t atomic_add(uint32_t *p, uint32_t v)
{
	exclusives_check("add");
	return __atomic_add_fetch(p, v, __ATOMIC_ACQ_REL);
}

/* *p += v on a byte, no ordering (a counter); the old value. */
static inline uint8_t atomic_fetch_add8(uint8_t *p, uint8_t v)
{
	exclusives_check("add");
	return __atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}
