/* Trapped MSR/MRS (EC 0x18): the ID registers (TID3), the GICv3 SGI
 * registers, ACTLR_EL1 (TACR), the RAS error records (TERR) and, on a
 * shared CPU, the debug registers are emulated; IMPLEMENTATION DEFINED (TIDCP), LORegion (TLOR), trace (TTA) and
 * activity monitor (TAM) registers, and anything else, are UNDEFINED. */
#include "arch/sysreg.h"
#include "drivers/console.h"
#include "hyp/guest.h"
#include "hyp/id_regs.h"
#include "hyp/inject.h"
#include "arch/esr.h"
#include "hyp/trap.h"
#include "hyp/vgic/vgic_v3.h"

/* ISS for EC 0x18 (Arm ARM D23.2.41). */
#define SYS_DIR_READ BIT(0)
#define SYS_CRM(iss) (((iss) >> 1) & 0xf)
#define SYS_RT(iss)  (((iss) >> 5) & 0x1f)
#define SYS_CRN(iss) (((iss) >> 10) & 0xf)
#define SYS_OP1(iss) (((iss) >> 14) & 0x7)
#define SYS_OP2(iss) (((iss) >> 17) & 0x7)
#define SYS_OP0(iss) (((iss) >> 20) & 0x3)

#define R(crm, op2)            \
	case ID_REG(crm, op2): \
		return read_sysreg(S3_0_C0_C##crm##_##op2)
#define R8(crm)    \
	R(crm, 0); \
	R(crm, 1); \
	R(crm, 2); \
	R(crm, 3); \
	R(crm, 4); \
	R(crm, 5); \
	R(crm, 6); \
	R(crm, 7)

/* The hardware value of ID register (CRm, op2); unallocated ones read 0. */
static uint64_t read_hw_id_reg(unsigned id)
{
	switch (id) {
		R8(1);
		R8(2);
		R8(3);
		R8(4);
		R8(5);
		R8(6);
		R8(7);
	}
	return 0;
}

void handle_sysreg(struct vcpu *v, struct gp_regs *r, uint64_t esr)
{
	uint64_t iss = ESR_ISS(esr);
	unsigned rt = SYS_RT(iss);
	/* First, as the one a running guest traps on most (every IPI):
	 * ICC_SGI1R_EL1, ICC_ASGI1R_EL1, ICC_SGI0R_EL1 writes trap with
	 * HCR_EL2.IMO/FMO set (GICv3 12.1.5). Only SGI1R generates SGIs here:
	 * every virtual interrupt is Group 1 (SGI0R would raise Group 0 ones)
	 * and there is no other Security state for ASGI1R to target. */
	if (SYS_OP0(iss) == 3 && SYS_CRN(iss) == 12 && SYS_CRM(iss) == 11 &&
	    !(iss & SYS_DIR_READ) &&
	    ((SYS_OP1(iss) == 0 && SYS_OP2(iss) == 5) || (SYS_OP1(iss) == 1 && SYS_OP2(iss) == 6) ||
	     (SYS_OP1(iss) == 2 && SYS_OP2(iss) == 7))) {
		if (SYS_OP1(iss) == 0)
			vgic_v3_sgi(v, rt == 31 ? 0 : r->x[rt]);
		skip_instruction(esr);
		return;
	}
	bool id_space =
		SYS_OP0(iss) == 3 && SYS_OP1(iss) == 0 && SYS_CRN(iss) == 0 && SYS_CRM(iss) >= 1;
	if (id_space && (iss & SYS_DIR_READ)) {
		unsigned id = ID_REG(SYS_CRM(iss), SYS_OP2(iss));
		uint64_t val = id_reg_filter(id, read_hw_id_reg(id), v->guest->guest_parange);
		if (id == ID_AA64DFR0 && v->guest->shares_cpu)
			val &= ~(0xfULL << 8); /* PMUVer: no PMU on a shared CPU */
		if (rt != 31)
			r->x[rt] = val;
		skip_instruction(esr);
		return;
	}
	/* RAZ/WI: ACTLR_EL1 (op0=3 op1=0 CRn=1 CRm=0 op2=1, IMPLEMENTATION
	 * DEFINED contents: none given), and the RAS error records ERRIDR,
	 * ERRSELR, ERX* (CRn=5, CRm=3..5): ERRIDR_EL1.NUM = 0, no records. */
	bool actlr = SYS_OP0(iss) == 3 && SYS_OP1(iss) == 0 && SYS_CRN(iss) == 1 &&
		     SYS_CRM(iss) == 0 && SYS_OP2(iss) == 1;
	bool ras = SYS_OP0(iss) == 3 && SYS_OP1(iss) == 0 && SYS_CRN(iss) == 5 &&
		   SYS_CRM(iss) >= 3 && SYS_CRM(iss) <= 5;
	/* A guest on a shared CPU: its debug registers (op0=2, MDCR_EL2.TDA,
	 * TDOSA, TDRA) are not switched, so they read as zero and ignore
	 * writes: no breakpoints, watchpoints or single step. */
	bool debug = SYS_OP0(iss) == 2 && v->guest->shares_cpu;
	if (actlr || ras || debug) {
		if ((iss & SYS_DIR_READ) && rt != 31)
			r->x[rt] = 0;
		skip_instruction(esr);
		return;
	}
	if (guest_should_report(v->guest, EC_SYSREG))
		hyp_printf("hyp: guest %s cpu=%u unhandled sysreg op0=%u op1=%u crn=%u crm=%u "
			   "op2=%u %s "
			   "pc=0x%llx: undefined\n",
			   v->guest->name, v->pcpu, (unsigned)SYS_OP0(iss), (unsigned)SYS_OP1(iss),
			   (unsigned)SYS_CRN(iss), (unsigned)SYS_CRM(iss), (unsigned)SYS_OP2(iss),
			   iss & SYS_DIR_READ ? "read" : "write",
			   (unsigned long long)read_sysreg(elr_el2));
	inject_undef();
}
