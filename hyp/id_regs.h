/* What a guest sees in the ID registers that HCR_EL2.TID3 traps: the
 * hardware's values, minus what the hypervisor does not give guests, and
 * PARange equal to the guest's own IPA size. Plain C, host-tested. */
#pragma once
#include "types.h"

/* The ID space is op0=3, op1=0, CRn=0, CRm=1..7 (Arm ARM D23.3.1). */
#define ID_REG(crm, op2) ((crm) << 3 | (op2))
#define ID_AA64PFR0	 ID_REG(4, 0)
#define ID_AA64PFR1	 ID_REG(4, 1)
#define ID_AA64ZFR0	 ID_REG(4, 4)
#define ID_AA64SMFR0	 ID_REG(4, 5)
#define ID_AA64DFR0	 ID_REG(5, 0)
#define ID_AA64ISAR1	 ID_REG(6, 1)
#define ID_AA64ISAR2	 ID_REG(6, 2)
#define ID_AA64MMFR0	 ID_REG(7, 0)
#define ID_AA64MMFR1	 ID_REG(7, 1)
#define ID_AA64MMFR3	 ID_REG(7, 3)
#define ID_AA64MMFR4	 ID_REG(7, 4)

uint64_t id_reg_filter(unsigned id, uint64_t hw, unsigned guest_parange);
