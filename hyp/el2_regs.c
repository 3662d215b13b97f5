#include "hyp/el2_regs.h"

#include "arch/hcr.h"
#include "arch/sysreg.h"
#include "hyp/mitigations.h"

#define FIELD(reg, shift) (((reg) >> (shift)) & 0xf)

void el2_regs_init(void)
{
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1), mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1);

	/* No AArch32 CP15 traps (guests are AArch64 at EL1); EL1 gets none of
	 * the IMPLEMENTATION DEFINED controls ACTLR_EL2 can open. */
	write_sysreg(hstr_el2, 0);
	write_sysreg(actlr_el2, 0);
	/* FEAT_FGT: every fine-grained trap at its reset value; the features
	 * whose registers that traps (the "n" bits: PIE, POE, GCS, SME, ...)
	 * are hidden from guests by id_regs.c. */
	if (FIELD(mmfr0, 56)) {
		write_sysreg(S3_4_C1_C1_4, 0); /* HFGRTR_EL2 */
		write_sysreg(S3_4_C1_C1_5, 0); /* HFGWTR_EL2 */
		write_sysreg(S3_4_C1_C1_6, 0); /* HFGITR_EL2 */
		write_sysreg(S3_4_C3_C1_4, 0); /* HDFGRTR_EL2 */
		write_sysreg(S3_4_C3_C1_5, 0); /* HDFGWTR_EL2 */
	}
	/* FEAT_HCX: no extended enables (LS64, MOPS, TCR2, ...: all hidden). */
	if (FIELD(mmfr1, 40))
		write_sysreg(S3_4_C1_C2_2, 0); /* HCRX_EL2 */
	/* FEAT_TRF: no trace at EL2. */
	if (FIELD(dfr0, 40))
		write_sysreg(S3_4_C1_C2_1, 0); /* TRFCR_EL2 */
	/* FEAT_SPE: no profiling at EL2. */
	if (FIELD(dfr0, 32))
		write_sysreg(S3_4_C9_C9_0, 0); /* PMSCR_EL2 */
	write_sysreg(cnthp_ctl_el2, 0);
	write_sysreg(cnthctl_el2, CNTHCTL_EL2_VALUE);
	unsigned k = el2_bhb_loop();
	if (k) {
		extern uint8_t el2_vectors_bhb8[], el2_vectors_bhb24[], el2_vectors_bhb32[];
		write_sysreg(vbar_el2, k == 8	 ? el2_vectors_bhb8
				       : k == 24 ? el2_vectors_bhb24
						 : el2_vectors_bhb32);
	}
	isb();
}

void el2_vectors_shared(void)
{
	extern uint8_t el2_vectors_shared_table[];
	uint8_t *table = el2_vectors_shared_table;
#ifdef HYP_MITIGATIONS
	extern uint8_t el2_vectors_shared_bhb8[], el2_vectors_shared_bhb24[],
		el2_vectors_shared_bhb32[];
	unsigned k = el2_bhb_loop();
	if (k)
		table = k == 8 ? el2_vectors_shared_bhb8 : k == 24 ? el2_vectors_shared_bhb24
								   : el2_vectors_shared_bhb32;
#endif
	write_sysreg(vbar_el2, table);
	isb();
}

unsigned el2_bhb_loop(void)
{
#ifdef HYP_MITIGATIONS
	unsigned k = bhb_loop_k(read_sysreg(midr_el1));
#ifdef HYP_MITIGATIONS_ALWAYS
	if (!k)
		k = 8; /* make bench MITIGATIONS=always: the A72's cost on any CPU */
#endif
	return k;
#else
	return 0;
#endif
}

uint64_t el2_guest_mdcr(void)
{
	static uint64_t known; /* every CPU alike: worked out once */
	if (known)
		return known;
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1);
	unsigned pmuver = FIELD(dfr0, 8);
	uint64_t mdcr = 0;
	/* PMUVer 0xf is IMPLEMENTATION DEFINED: no architected PMU. Before
	 * PMUv3p1 (the Cortex-A72's PMUv3) there is no HPMD: a guest setting
	 * PMEVTYPER.NSH would count the hypervisor's events. Such a PMU is
	 * not the guest's: every access traps and is UNDEFINED, and
	 * id_regs.c shows no PMU. */
	if (pmuver && pmuver != 0xf && pmuver < 4) {
		mdcr |= MDCR_EL2_TPM | MDCR_EL2_TPMCR;
	} else if (pmuver && pmuver != 0xf) {
		mdcr |= (read_sysreg(pmcr_el0) >> 11) & MDCR_EL2_HPMN_MASK;
		mdcr |= MDCR_EL2_HPMD;
		if (pmuver >= 6)
			mdcr |= MDCR_EL2_HCCD;
	}
	if (FIELD(dfr0, 40))
		mdcr |= MDCR_EL2_TTRF;
	known = mdcr;
	return mdcr;
}
