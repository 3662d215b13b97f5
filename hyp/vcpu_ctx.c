#include "hyp/vcpu_ctx.h"

#include "arch/hcr.h"
#include "arch/sysreg.h"
#include "drivers/gic.h"
#include "hyp/guest.h"
#include "lib/string.h"

#define SCTLR_M	    BIT(0)
#define TCR_EPD0    BIT(7)
#define TCR_EPD1    BIT(23)
#define TIMER_ON    (BIT(0) | BIT(1)) /* CNT*_CTL: ENABLE, IMASK */
#define FIELD(r, s) (((r) >> (s)) & 0xf)

extern void fpsimd_save(uint64_t *q);
extern void fpsimd_restore(const uint64_t *q);

/* FP/SIMD (q0-q31, FPCR, FPSR: 528 bytes) moves lazily by default: a
 * vCPU's registers stay in the CPU when it leaves, and the CPU traps
 * (CPTR_EL2.TFP) every other vCPU's FP/SIMD access until the first one,
 * which moves them then (vcpu_ctx_fp_trap). Guests that do not use FP/SIMD
 * between switches (bare-metal ones, a Linux kernel in its own code) pay
 * nothing; one that does pays a trap. FP_EAGER=1 builds move them at every
 * switch instead (docs/performance.md: both measured). */
#ifdef HYP_FP_EAGER
#define FP_LAZY false
#else
#define FP_LAZY true
#endif

static void fp_save(struct vcpu_ctx *c)
{
	fpsimd_save(c->fp);
	c->fpcr = read_sysreg(fpcr);
	c->fpsr = read_sysreg(fpsr);
}

static void fp_load(const struct vcpu_ctx *c)
{
	fpsimd_restore(c->fp);
	write_sysreg(fpcr, c->fpcr);
	write_sysreg(fpsr, c->fpsr);
}

/* FEAT_PAuth: a guest's keys are its own (HCR_EL2.APK and API let it use
 * them untrapped), so they go with it. Every CPU alike: looked up once. */
static bool pauth;

void vcpu_ctx_init(void)
{
	uint64_t isar1 = read_sysreg(id_aa64isar1_el1), isar2 = read_sysreg(S3_0_C0_C6_2);
	pauth = FIELD(isar1, 4) || FIELD(isar1, 8) || FIELD(isar1, 24) || FIELD(isar1, 28) ||
		FIELD(isar2, 12) || FIELD(isar2, 8);
}

#define EL1_REGS(X)                                                                   \
	X(EL1_SCTLR, sctlr_el1) X(EL1_TCR, tcr_el1) X(EL1_TTBR0, ttbr0_el1)           \
	X(EL1_TTBR1, ttbr1_el1) X(EL1_MAIR, mair_el1) X(EL1_AMAIR, amair_el1)         \
	X(EL1_VBAR, vbar_el1) X(EL1_CONTEXTIDR, contextidr_el1) X(EL1_CPACR, cpacr_el1) \
	X(EL1_TPIDR_EL0, tpidr_el0) X(EL1_TPIDR, tpidr_el1)                           \
	X(EL1_TPIDRRO_EL0, tpidrro_el0) X(EL1_SP_EL0, sp_el0) X(EL1_SP, sp_el1)       \
	X(EL1_ELR, elr_el1) X(EL1_SPSR, spsr_el1) X(EL1_ESR, esr_el1)                 \
	X(EL1_FAR, far_el1) X(EL1_AFSR0, afsr0_el1) X(EL1_AFSR1, afsr1_el1)           \
	X(EL1_PAR, par_el1) X(EL1_MDSCR, mdscr_el1) X(EL1_CNTKCTL, cntkctl_el1)       \
	X(EL1_CSSELR, csselr_el1)

#define KEYS(X)                                                                     \
	X(0, S3_0_C2_C1_0) X(1, S3_0_C2_C1_1) X(2, S3_0_C2_C1_2) X(3, S3_0_C2_C1_3) \
	X(4, S3_0_C2_C2_0) X(5, S3_0_C2_C2_1) X(6, S3_0_C2_C2_2) X(7, S3_0_C2_C2_3) \
	X(8, S3_0_C2_C3_0) X(9, S3_0_C2_C3_1)

static void save_timers(struct vcpu_ctx *c, unsigned cpu)
{
	static const unsigned ppis[] = {INTID_VTIMER, INTID_PTIMER};
	c->cntv_ctl = read_sysreg(cntv_ctl_el0);
	c->cntv_cval = read_sysreg(cntv_cval_el0);
	c->cntp_ctl = read_sysreg(cntp_ctl_el0);
	c->cntp_cval = read_sysreg(cntp_cval_el0);
	/* Off here: the next vCPU's are not these. */
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
	isb();
	/* A forwarded timer interrupt the guest has not ended keeps its PPI
	 * active at the GIC, which would hold back the next vCPU's: it is
	 * cleared, and set again when this vCPU comes back. */
	c->ppi_active = 0;
	for (unsigned i = 0; i < ARRAY_SIZE(ppis); i++)
		if (gic->irq_active(ppis[i], cpu)) {
			c->ppi_active |= BIT(ppis[i]);
			gic->irq_clear_active(ppis[i]);
		}
}

static void load_timers(struct vcpu *v, const struct vcpu_ctx *c, unsigned cpu)
{
	/* Disabled at the GIC for the last vCPU whose guest had them off:
	 * this one's own enable is in its vGIC, which disables them again at
	 * their first firing if it too has them off. */
	struct cpu *pc = &cpus[cpu];
	for (uint32_t m = pc->ppi_off; m; m &= m - 1)
		gic->irq_enable((uint32_t)__builtin_ctz(m), pc->mpidr, cpu);
	pc->ppi_off = 0;
	/* Active again only for an interrupt still in flight in its vGIC:
	 * one nothing will deactivate would hold its timer back for good. */
	for (uint32_t m = c->ppi_active; m; m &= m - 1) {
		unsigned ppi = (unsigned)__builtin_ctz(m);
		if (vgic_timer_in_flight(v, ppi))
			gic->irq_set_active(ppi, cpu);
	}
	write_sysreg(cntv_cval_el0, c->cntv_cval);
	write_sysreg(cntp_cval_el0, c->cntp_cval);
	write_sysreg(cntv_ctl_el0, c->cntv_ctl);
	write_sysreg(cntp_ctl_el0, c->cntp_ctl);
}

void vcpu_ctx_save(struct vcpu *v)
{
	struct vcpu_ctx *c = v->ctx;
	c->elr = read_sysreg(elr_el2);
	c->spsr = read_sysreg(spsr_el2);
	/* The interface first: its fold reads the timers' outputs. */
	vgic_switch_out(v, &c->vgic);
	save_timers(c, v->pcpu);
#define SAVE(i, r) c->el1[i] = read_sysreg(r);
	EL1_REGS(SAVE)
#undef SAVE
	if (pauth) {
#define SAVE_KEY(i, r) c->apkeys[i] = read_sysreg(r);
		KEYS(SAVE_KEY)
#undef SAVE_KEY
	}
	if (!FP_LAZY)
		fp_save(c);
	/* Cortex-A72 erratum 1319367 (KVM's SPECULATIVE_AT): until the next
	 * vCPU's registers are in, no speculative AT may walk with this
	 * one's stage 1 under the next one's stage 2: stage 1 "on" with
	 * both table walks disabled. */
	write_sysreg(sctlr_el1, c->el1[EL1_SCTLR] | SCTLR_M);
	write_sysreg(tcr_el1, c->el1[EL1_TCR] | TCR_EPD0 | TCR_EPD1);
	isb();
}

void vcpu_ctx_load(struct vcpu *v)
{
	struct vcpu_ctx *c = v->ctx;
	struct guest *g = v->guest;
	/* Stage 2 and the EL2 controls first (VTCR with VTTBR: this guest's
	 * IPA size), then its EL1 registers, walks still off (erratum
	 * 1319367), then its translation control. */
	guest_switch_el2(g, v);
	if (s2_local_flush_needed(&cpus[v->pcpu].last_ran[g->id], v->id))
		__asm__ volatile("isb\n tlbi vmalls12e1\n ic iallu\n dsb nsh\n isb" ::: "memory");
	write_sysreg(tcr_el1, c->el1[EL1_TCR] | TCR_EPD0 | TCR_EPD1);
	isb();
#define LOAD(i, r) \
	if (i != EL1_TCR) \
		write_sysreg(r, c->el1[i]);
	EL1_REGS(LOAD)
#undef LOAD
	isb();
	write_sysreg(tcr_el1, c->el1[EL1_TCR]);
	if (pauth) {
#define LOAD_KEY(i, r) write_sysreg(r, c->apkeys[i]);
		KEYS(LOAD_KEY)
#undef LOAD_KEY
	}
	if (!FP_LAZY)
		fp_load(c);
	else /* ERET synchronizes it */
		write_sysreg(cptr_el2, CPTR_EL2_GUEST |
					       (cpus[v->pcpu].fp_owner == v ? 0 : CPTR_EL2_TFP));
	load_timers(v, c, v->pcpu);
	write_sysreg(elr_el2, c->elr);
	write_sysreg(spsr_el2, c->spsr);
	isb();
	vgic_switch_in(v, &c->vgic);
}

bool vcpu_ctx_fp_trap(struct vcpu *v)
{
	if (!FP_LAZY)
		return false;
	struct cpu *pc = &cpus[v->pcpu];
	write_sysreg(cptr_el2, CPTR_EL2_GUEST); /* EL2's own moves trap too */
	isb();
	if (pc->fp_owner != v) {
		if (pc->fp_owner)
			fp_save(pc->fp_owner->ctx);
		fp_load(v->ctx);
		pc->fp_owner = v;
	}
	return true;
}

void vcpu_ctx_clear(struct vcpu *v)
{
	struct vcpu_ctx *c = v->ctx;
	struct cpu *pc = &cpus[v->pcpu];
	memset(c->fp, 0, sizeof(c->fp));
	c->fpcr = c->fpsr = 0;
	if (FP_LAZY) {
		/* What the CPU holds is another vCPU's, or this one's from
		 * before its restart: either way not for it to see. */
		if (pc->fp_owner == v)
			pc->fp_owner = NULL;
		write_sysreg(cptr_el2, CPTR_EL2_GUEST | CPTR_EL2_TFP);
	} else {
		fp_load(c);
	}
	if (pauth) {
#define CLEAR_KEY(i, r) write_sysreg(r, 0);
		KEYS(CLEAR_KEY)
#undef CLEAR_KEY
	}
	write_sysreg(cntv_cval_el0, 0);
	write_sysreg(cntp_cval_el0, 0);
}

uint64_t vcpu_ctx_timer_deadline(const struct vcpu *v)
{
	const struct vcpu_ctx *c = v->ctx;
	uint64_t at = ~0ULL;
	/* The virtual counter is the physical one less the guest's offset. */
	uint64_t off = v->guest->cntvoff;
	if ((c->cntv_ctl & TIMER_ON) == BIT(0))
		at = c->cntv_cval > ~0ULL - off ? ~0ULL : c->cntv_cval + off;
	if ((c->cntp_ctl & TIMER_ON) == BIT(0) && c->cntp_cval < at)
		at = c->cntp_cval;
	return at;
}
