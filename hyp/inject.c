#include "hyp/inject.h"

#include "arch/sysreg.h"
#include "arch/esr.h"

/* Vector offsets from VBAR_EL1 by where the exception came from. */
#define VEC_CUR_SP0    0x000
#define VEC_CUR_SPX    0x200
#define VEC_LOWER_A64  0x400
#define VEC_LOWER_A32  0x600
#define SPSR_M_MASK    0xfULL
#define SPSR_M_AARCH32 BIT(4)

static void inject(uint64_t esr, uint64_t far)
{
	uint64_t spsr = read_sysreg(spsr_el2);
	uint64_t mode = spsr & SPSR_M_MASK, off;
	if (spsr & SPSR_M_AARCH32)
		off = VEC_LOWER_A32;
	else if (mode == SPSR_M_EL1H)
		off = VEC_CUR_SPX;
	else if (mode == SPSR_M_EL1T)
		off = VEC_CUR_SP0;
	else
		off = VEC_LOWER_A64;
	write_sysreg(elr_el1, read_sysreg(elr_el2));
	write_sysreg(spsr_el1, spsr);
	write_sysreg(esr_el1, esr);
	write_sysreg(far_el1, far);
	write_sysreg(elr_el2, read_sysreg(vbar_el1) + off);
	write_sysreg(spsr_el2, SPSR_M_EL1H | SPSR_DAIF);
}

static bool from_el0(void)
{
	uint64_t spsr = read_sysreg(spsr_el2);
	return (spsr & SPSR_M_AARCH32) || (spsr & SPSR_M_MASK) == 0;
}

void inject_external_abort(bool instruction, uint64_t far)
{
	unsigned ec = instruction ? (from_el0() ? EC_IABT_LOW : EC_IABT_CUR)
				  : (from_el0() ? EC_DABT_LOW : EC_DABT_CUR);
	inject((uint64_t)ec << ESR_EC_SHIFT | ESR_IL | FSC_SEA, far);
}

void inject_undef(void)
{
	inject((uint64_t)EC_UNKNOWN << ESR_EC_SHIFT | ESR_IL, 0);
}
