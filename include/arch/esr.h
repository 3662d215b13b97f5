/* ESR_ELx: exception classes and the ISS fields the hypervisor reads
 * (Arm ARM D23.2.41). */
#pragma once
#ifndef __ASSEMBLER__
#include "types.h"
#endif

#define ESR_EC_SHIFT 26
#define ESR_EC(esr)  (((esr) >> ESR_EC_SHIFT) & 0x3f)
#define ESR_IL_BIT   25
#define ESR_IL	     BIT(ESR_IL_BIT)
#define ESR_ISS(esr) ((esr)&GENMASK(24, 0))

/* Exception classes handled at EL2 (D23.2.41 Table D23-23). */
#define EC_UNKNOWN  0x00
#define EC_WFX	    0x01
#define EC_FP	    0x07
#define EC_PAC	    0x09
#define EC_HVC64    0x16
#define EC_SMC64    0x17
#define EC_SYSREG   0x18
#define EC_SVE	    0x19
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define EC_SME	    0x1d

/* ESR_ELx[31:24] (EC, IL, ISS bit 24) of the shortest paths: a data abort
 * from a 32-bit instruction with a valid syndrome (ISV), HVC64, and a
 * trapped MSR/MRS. */
#define ESR_TOP_DABT_IL_ISV ((EC_DABT_LOW << 2) | 3)
#define ESR_TOP_HVC64	    ((EC_HVC64 << 2) | 2)
#define ESR_TOP_SYSREG	    ((EC_SYSREG << 2) | 2) /* ISS [24:22] are RES0 */

/* Data-abort ISS fields. */
#define DABT_ISV_BIT   24
#define DABT_ISV       BIT(DABT_ISV_BIT)
#define DABT_SAS_SHIFT 22
#define DABT_SSE       BIT(21)
#define DABT_SRT_SHIFT 16
#define DABT_SF	       BIT(15)
#define DABT_WNR       BIT(6)
#define DABT_S1PTW     BIT(7)
#define DABT_FSC_MASK  0x3fULL
#define FSC_SEA	       0x10 /* synchronous external abort, not on a walk */
