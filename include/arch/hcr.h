/* HCR_EL2 fields (Arm ARM D23.2.48). */
#pragma once
#include "types.h"

#define HCR_EL2_VM     BIT(0)
#define HCR_EL2_SWIO   BIT(1)
#define HCR_EL2_FMO    BIT(3)
#define HCR_EL2_IMO    BIT(4)
#define HCR_EL2_AMO    BIT(5)
#define HCR_EL2_FB     BIT(9)
#define HCR_EL2_BSU_IS (1ULL << 10)
#define HCR_EL2_TWI    BIT(13)
#define HCR_EL2_TWE    BIT(14)
#define HCR_EL2_TID3   BIT(18)
#define HCR_EL2_TSC    BIT(19)
#define HCR_EL2_TIDCP  BIT(20)
#define HCR_EL2_TACR   BIT(21)
#define HCR_EL2_TSW    BIT(22)
#define HCR_EL2_RW     BIT(31)
#define HCR_EL2_TLOR   BIT(35)
#define HCR_EL2_TERR   BIT(36)
#define HCR_EL2_APK    BIT(40)
#define HCR_EL2_API    BIT(41)
#define HCR_EL2_FWB    BIT(46) /* FEAT_S2FWB: stage 2 may force write-back */

/* CPTR_EL2 (non-VHE layout): RES1 bits, plus TZ (SVE), TSM (SME), TTA
 * (trace registers) and TAM (activity monitors) traps. */
#define CPTR_EL2_RES1 (0x33ffULL & ~BIT(10) & ~BIT(8) & ~BIT(12))
#define CPTR_EL2_TZ   BIT(8)
#define CPTR_EL2_TFP  BIT(10)
#define CPTR_EL2_TSM  BIT(12)
#define CPTR_EL2_TTA  BIT(20)
#define CPTR_EL2_TAM  BIT(30)
/* What a guest runs with: FP/SIMD its own (but on a shared CPU until another
 * vCPU's are moved out: hyp/vcpu_ctx.c), the rest trapped. */
#define CPTR_EL2_GUEST (CPTR_EL2_RES1 | CPTR_EL2_TZ | CPTR_EL2_TSM | CPTR_EL2_TTA | CPTR_EL2_TAM)

/* MDCR_EL2 (D23.2.108): HPMN [4:0]; no event counting at EL2 (HPMD,
 * PMUv3p1), no cycle counting at EL2 (HCCD, PMUv3p5), trace filter
 * control traps (TTRF, FEAT_TRF). */
#define MDCR_EL2_HPMN_MASK 0x1fULL
#define MDCR_EL2_TPMCR	   BIT(5) /* PMCR_EL0 accesses trap */
#define MDCR_EL2_TPM	   BIT(6) /* every PMU register access traps */
#define MDCR_EL2_TDA	   BIT(9)  /* debug register accesses trap */
#define MDCR_EL2_TDOSA	   BIT(10) /* OS lock and power-down registers trap */
#define MDCR_EL2_TDRA	   BIT(11) /* debug ROM address registers trap */
#define MDCR_EL2_HPMD	   BIT(17)
#define MDCR_EL2_TTRF	   BIT(19)
#define MDCR_EL2_HCCD	   BIT(23)

/* SCTLR_EL1 value for a guest entering with MMU and caches off: RES1 bits
 * only (Arm ARM D23.2.118, bits 29, 28, 23, 22, 20, 11). */
#define SCTLR_EL1_RES1 0x30d00800ULL
