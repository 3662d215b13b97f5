/* Spectre v1 (bounds check bypass): an index a guest chooses, checked
 * against a bound, still reaches the array under speculation unless the
 * index itself is clamped without a branch. index_nospec(i, n) is i when
 * i < n and 0 otherwise, by a compare-and-select the CPU does not predict,
 * followed by CSDB (Arm's "Cache Speculation Side-channels" whitepaper).
 * MITIGATIONS=0 builds, and the host builds of the tests, leave i as it is
 * (the bound check before it decides). */
#pragma once
#include "types.h"

static inline unsigned long index_nospec(unsigned long i, unsigned long n)
{
#if defined(HYP_MITIGATIONS) && !defined(HOST_ARCH)
	unsigned long mask;
	__asm__ volatile("cmp	%1, %2\n"
			 "sbc	%0, xzr, xzr\n" /* all ones if i < n (borrow), else 0 */
			 "csdb"
			 : "=r"(mask)
			 : "r"(i), "r"(n)
			 : "cc");
	return i & mask;
#else
	(void)n;
	return i;
#endif
}
