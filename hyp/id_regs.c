#include "hyp/id_regs.h"

#define FIELD(shift) (0xfULL << (shift))

uint64_t id_reg_filter(unsigned id, uint64_t hw, unsigned guest_parange)
{
	switch (id) {
	case ID_AA64PFR0:
		/* SVE (trapped by CPTR_EL2.TZ), MPAM, AMU (CPTR_EL2.TAM). RAS
		 * stays: its error records read as none (TERR, RAZ/WI). */
		return hw & ~(FIELD(32) | FIELD(40) | FIELD(44));
	case ID_AA64PFR1:
		/* MTE (needs tagged stage 2), SME (trapped), MPAM_frac, NMI,
		 * GCS and THE (need HCRX_EL2 enables we do not set). */
		return hw & ~(FIELD(8) | FIELD(16) | FIELD(24) | FIELD(36) | FIELD(44) | FIELD(48));
	case ID_AA64ZFR0:
	case ID_AA64SMFR0:
		return 0;
	case ID_AA64DFR0: {
		/* Trace, SPE, trace filter, TRBE, BRBE: not given to guests;
		 * nor a PMU before PMUv3p1, which cannot keep EL2 uncounted
		 * (el2_regs.c traps it). */
		uint64_t pmuver = (hw >> 8) & 0xf, hide = FIELD(4) | FIELD(32) | FIELD(40) |
							   FIELD(44) | FIELD(52);
		if (pmuver && pmuver < 4)
			hide |= FIELD(8);
		return hw & ~hide;
	}
	case ID_AA64ISAR1:
		/* LS64 needs HCRX_EL2.EnALS. */
		return hw & ~FIELD(60);
	case ID_AA64ISAR2:
		/* MOPS needs HCRX_EL2.MSCEn; SYSREG_128 needs HCRX_EL2.D128En. */
		return hw & ~(FIELD(16) | FIELD(32));
	case ID_AA64MMFR1:
		/* LORegions (trapped by HCR_EL2.TLOR). */
		return hw & ~FIELD(16);
	case ID_AA64MMFR0:
		return (hw & ~FIELD(0)) | guest_parange;
	case ID_AA64MMFR3:
	case ID_AA64MMFR4:
		/* TCR2, SCTLR2, permission indirection and overlays need HCRX_EL2
		 * and fine-grained trap set-up: none of it for guests yet. */
		return 0;
	default:
		return hw;
	}
}
