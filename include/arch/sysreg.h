/* System register access. Target code only, but for the host fuzzers of
 * the emulated devices (HOST_ARCH), which bring their own machine. */
#pragma once
#include "types.h"

#ifdef HOST_ARCH
/* Host fuzzing (tests/fuzz/host/host_arch.h): registers are variables of
 * the simulated machine, WFE lets its other CPUs run. */
#include "host_arch.h"
#else
#define read_sysreg(r)                                       \
	({                                                   \
		uint64_t __v;                                \
		__asm__ volatile("mrs %0, " #r : "=r"(__v)); \
		__v;                                         \
	})
/* For registers that do not change while the caller runs (TPIDR_EL2):
 * the compiler may merge or hoist the read. */
#define read_sysreg_const(r)                        \
	({                                          \
		uint64_t __v;                       \
		__asm__("mrs %0, " #r : "=r"(__v)); \
		__v;                                \
	})
#define write_sysreg(r, v)                                         \
	do {                                                       \
		uint64_t __v = (uint64_t)(v);                      \
		__asm__ volatile("msr " #r ", %x0" : : "rZ"(__v)); \
	} while (0)

#define isb()	 __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
/* Wakes the CPUs waiting in WFE once the stores they wait for are visible:
 * a SEV may overtake earlier stores without the DSB, and the waiter sleeps
 * on the old value (Arm ARM D1.6.1, K11.2.2). The only SEV in the
 * hypervisor (scripts/lint.sh). */
#define send_event() __asm__ volatile("dsb ish\n sev" ::: "memory")
#define wfe()	 __asm__ volatile("wfe" ::: "memory")
#define wfi()	 __asm__ volatile("wfi" ::: "memory")
#endif

/* MPIDR_EL1 (Arm ARM D23.2): affinity fields; Aff3 sits at bit 32. */
#define MPIDR_AFF_MASK 0xff00ffffffULL

/* ID_AA64MMFR0_EL1 (Arm ARM D23.2.74) */
#define ID_AA64MMFR0_PARANGE_MASK   0xfULL
#define ID_AA64MMFR0_TGRAN4_SHIFT   28
#define ID_AA64MMFR0_TGRAN4_2_SHIFT 40
/* ID_AA64MMFR1_EL1.VMIDBits: 0b0010 means 16-bit VMIDs. */
#define ID_AA64MMFR1_VMIDBITS_SHIFT 4
#define ID_AA64MMFR2_FWB_SHIFT	    40 /* FEAT_S2FWB */
#define ID_AA64MMFR1_VMIDBITS_16    2

/* CurrentEL.EL is bits [3:2]. */
#define CURRENTEL_EL(v) (((v) >> 2) & 3)

/* SPSR_EL2 M[3:0] and DAIF masks (Arm ARM C5.2.19). */
#define SPSR_M_EL1H 0x5
#define SPSR_M_EL1T 0x4
#define SPSR_DAIF   (0xfULL << 6)
