/* VTCR_EL2 and VTTBR_EL2 fields (Arm ARM D23.2.170, D23.2.172). */
#pragma once
#include "types.h"

#define VTCR_EL2_T0SZ_SHIFT 0
#define VTCR_EL2_SL0_SHIFT  6
#define VTCR_EL2_IRGN0_WBWA (1ULL << 8)
#define VTCR_EL2_ORGN0_WBWA (1ULL << 10)
#define VTCR_EL2_SH0_INNER  (3ULL << 12)
#define VTCR_EL2_TG0_4K	    (0ULL << 14)
#define VTCR_EL2_PS_SHIFT   16
#define VTCR_EL2_VS	    BIT(19)
#define VTCR_EL2_RES1	    BIT(31)
#define VTCR_EL2_DS	    BIT(32)
#define VTCR_EL2_SL2	    BIT(33)

#define VTTBR_EL2_VMID_SHIFT 48
/* With 52-bit output addresses, table address bits [51:48] go to [5:2]. */
#define VTTBR_EL2_BADDR_HI_SHIFT 2

/* TCR_EL2 (non-VHE) fields, for the hypervisor's own stage 1. */
#define TCR_EL2_RES1	   (BIT(31) | BIT(23))
#define TCR_EL2_IRGN0_WBWA (1ULL << 8)
#define TCR_EL2_ORGN0_WBWA (1ULL << 10)
#define TCR_EL2_SH0_INNER  (3ULL << 12)
#define TCR_EL2_PS_SHIFT   16

/* MAIR_EL2 attribute slots used by the EL2 stage-1 descriptors. */
#define MAIR_IDX_NORMAL 0
#define MAIR_IDX_DEVICE 1
#define MAIR_EL2_VALUE	(0xffULL | (0x04ULL << 8))

/* SCTLR_EL2 (non-VHE): M, C, I, SA plus RES1 bits (4,5,11,16,18,22,23,28,29). */
#define SCTLR_EL2_M    BIT(0)
#define SCTLR_EL2_C    BIT(2)
#define SCTLR_EL2_SA   BIT(3)
#define SCTLR_EL2_I    BIT(12)
#define SCTLR_EL2_WXN  BIT(19) /* writable implies execute-never */
#define SCTLR_EL2_RES1 0x30c50830ULL
