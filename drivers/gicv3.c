/* GICv3 physical driver: distributor, this CPU's redistributor, the system
 * register CPU interface and the ICH_* virtualization registers. */
#include "arch/gic.h"
#include "arch/mmio.h"
#include "arch/sysreg.h"
#include "drivers/gic.h"
#include "drivers/gic_cpuif.h"

#define ICC_SRE_SRE	 BIT(0)
#define ICC_SRE_ENABLE	 BIT(3)
#define ICC_CTLR_EOIMODE BIT(1)

static uint64_t gicd, gicr_base, gicr_size;
static uint64_t gicr_of_cpu[8];

static void wait_rwp(uint64_t reg)
{
	while (mmio_read32(reg) & GICD_CTLR_RWP)
		;
}

void gicv3_dist_init(const struct platform *p)
{
	gicd = p->gicd_base;
	gicr_base = p->gicr_base;
	gicr_size = p->gicr_size;
	unsigned lines = ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1) * 32;
	mmio_write32(gicd + GICD_CTLR, 0);
	wait_rwp(gicd + GICD_CTLR);
	for (unsigned i = 32; i < lines; i += 32) {
		mmio_write32(gicd + GICD_ICENABLER + i / 8, ~0U);
		mmio_write32(gicd + GICD_ICPENDR + i / 8, ~0U);
		mmio_write32(gicd + GICD_ICACTIVER + i / 8, ~0U);
		mmio_write32(gicd + GICD_IGROUPR + i / 8, ~0U);
	}
	for (unsigned i = 32; i < lines; i++)
		mmio_write8(gicd + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT);
	wait_rwp(gicd + GICD_CTLR);
	/* Affinity routing, then group 1: bits 0, 1, 4 mean that in both the
	 * single-security view (DS=1) and the non-secure view. */
	mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ARE);
	wait_rwp(gicd + GICD_CTLR);
	mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1 | GICD_CTLR_ENABLE_G0);
	wait_rwp(gicd + GICD_CTLR);
}

/* GICR_TYPER[63:32], Aff3.Aff2.Aff1.Aff0, from an MPIDR. */
static uint64_t gicr_affinity(uint64_t mpidr)
{
	return (mpidr & 0xffffff) | ((mpidr >> 8) & 0xff000000);
}

/* This CPU's redistributor: the frame whose GICR_TYPER affinity matches. */
static uint64_t find_gicr(uint64_t mpidr)
{
	uint64_t aff = gicr_affinity(mpidr);
	for (uint64_t r = gicr_base; r < gicr_base + gicr_size; r += GICR_STRIDE) {
		uint64_t typer = mmio_read64(r + GICR_TYPER);
		if ((typer >> 32) == aff)
			return r;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return 0;
}

uint64_t gicv3_gicr_used_size(const struct platform *p)
{
	uint64_t used = 0;
	for (uint64_t off = 0; off + GICR_STRIDE <= p->gicr_size; off += GICR_STRIDE) {
		uint64_t typer = mmio_read64(p->gicr_base + off + GICR_TYPER);
		for (unsigned i = 0; i < p->ncpus; i++)
			if ((typer >> 32) == gicr_affinity(p->cpu_mpidr[i]))
				used = off + GICR_STRIDE;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return used ? used : p->gicr_size;
}

static void gicv3_cpu_init(unsigned cpu, uint64_t mpidr)
{
	uint64_t r = find_gicr(mpidr);
	gicr_of_cpu[cpu & 7] = r;
	mmio_write32(r + GICR_WAKER, mmio_read32(r + GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP);
	while (mmio_read32(r + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)
		;
	uint64_t sgi = r + GICR_SGI_BASE;
	mmio_write32(sgi + GICD_ICENABLER, ~0U);
	mmio_write32(sgi + GICD_ICPENDR, ~0U);
	mmio_write32(sgi + GICD_ICACTIVER, ~0U);
	mmio_write32(sgi + GICD_IGROUPR, ~0U);
	for (unsigned i = 0; i < GIC_NR_PRIVATE; i++)
		mmio_write8(sgi + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT);
	wait_rwp(r + GICR_CTLR);
	/* System register interface at EL2 and for EL1 (virtualized). */
	write_sysreg(S3_4_C12_C9_5, ICC_SRE_SRE | ICC_SRE_ENABLE); /* ICC_SRE_EL2 */
	isb();
	write_sysreg(S3_0_C4_C6_0, 0xff);		/* ICC_PMR_EL1 */
	write_sysreg(S3_0_C12_C12_3, 0);		/* ICC_BPR1_EL1 */
	write_sysreg(S3_0_C12_C12_4, ICC_CTLR_EOIMODE); /* ICC_CTLR_EL1 */
	write_sysreg(S3_0_C12_C12_7, 1);		/* ICC_IGRPEN1_EL1 */
	isb();
	/* Virtual interface: off until a vCPU runs; no LR left in use. */
	for (unsigned i = 0; i < gicv3_ops.lr_count(); i++)
		gicv3_ops.lr_clear(i);
	write_sysreg(S3_4_C12_C11_7, 0); /* ICH_VMCR_EL2 */
}

static void gicv3_deactivate(uint32_t intid)
{
	write_sysreg(S3_0_C12_C11_1, intid); /* ICC_DIR_EL1 */
	isb();
}

static void gicv3_send_sgi(uint64_t mpidr, unsigned cpu, unsigned sgi)
{
	(void)cpu;
	/* ICC_SGI1R_EL1: Aff3 [55:48], Aff2 [39:32], INTID [27:24], Aff1
	 * [23:16], target list [15:0] (bit = Aff0). */
	uint64_t v = ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
		     (uint64_t)(sgi & 0xf) << 24 | ((mpidr >> 8) & 0xff) << 16 | BIT(mpidr & 0xf);
	dsb(ishst);
	write_sysreg(S3_0_C12_C11_5, v);
	isb();
}

static void gicv3_irq_enable(uint32_t intid, uint64_t mpidr, unsigned cpu)
{
	if (intid < GIC_NR_PRIVATE) {
		uint64_t sgi = gicr_of_cpu[cpu & 7] + GICR_SGI_BASE;
		mmio_write32(sgi + GICD_ISENABLER, BIT(intid));
		return;
	}
	uint64_t aff = (mpidr & 0xffffff) | ((mpidr >> 8) & 0xff00000000ULL);
	mmio_write64(gicd + GICD_IROUTER + intid * 8, aff);
	mmio_write32(gicd + GICD_ISENABLER + (intid / 32) * 4, BIT(intid % 32));
}

static void gicv3_irq_disable(uint32_t intid)
{
	if (intid < GIC_NR_PRIVATE) {
		uint64_t mpidr = read_sysreg(mpidr_el1);
		uint64_t r = find_gicr(mpidr);
		mmio_write32(r + GICR_SGI_BASE + GICD_ICENABLER, BIT(intid));
		return;
	}
	mmio_write32(gicd + GICD_ICENABLER + (intid / 32) * 4, BIT(intid % 32));
}

static void gicv3_irq_set_edge(uint32_t intid, bool edge)
{
	gic_dist_set_edge(gicd, intid, edge);
}

static void gicv3_irq_clear_active(uint32_t intid)
{
	if (intid < GIC_NR_PRIVATE) {
		uint64_t r = find_gicr(read_sysreg(mpidr_el1));
		mmio_write32(r + GICR_SGI_BASE + GICD_ICACTIVER, BIT(intid));
		return;
	}
	mmio_write32(gicd + GICD_ICACTIVER + (intid / 32) * 4, BIT(intid % 32));
}

static unsigned gicv3_lr_count(void)
{
	return (unsigned)(read_sysreg(S3_4_C12_C11_1) & 0x1f) + 1; /* ICH_VTR_EL2.ListRegs */
}

static void gicv3_lr_write(unsigned i, const struct gic_lr *lr)
{
	uint64_t v = (lr->state & GIC_LR_PENDING ? ICH_LR_STATE_PENDING : 0) |
		     (lr->state & GIC_LR_ACTIVE ? ICH_LR_STATE_PENDING << 1 : 0) | ICH_LR_GROUP1 |
		     (uint64_t)lr->priority << ICH_LR_PRIO_SHIFT | lr->vintid;
	if (lr->hw)
		v |= ICH_LR_HW | (uint64_t)(lr->pintid & 0x3ff) << ICH_LR_PINTID_SHIFT;
	else if (lr->eoi_maint)
		v |= ICH_LR_EOI;
	gicv3_lr_set(i, v);
}

/* ICH_LR<n>_EL2 is S3_4_C12_C12_<n> for n < 8 and S3_4_C12_C13_<n-8>. */
#define LR_CASES(X)  \
	X(0, C12, 0) \
	X(1, C12, 1) \
	X(2, C12, 2) \
	X(3, C12, 3) \
	X(4, C12, 4) \
	X(5, C12, 5) \
	X(6, C12, 6) \
	X(7, C12, 7) \
	X(8, C13, 0) \
	X(9, C13, 1) \
	X(10, C13, 2) X(11, C13, 3) X(12, C13, 4) X(13, C13, 5) X(14, C13, 6) X(15, C13, 7)

static uint64_t lr_get(unsigned i)
{
#define R(n, crm, op2) \
	case n:        \
		return read_sysreg(S3_4_C12_##crm##_##op2);
	switch (i) {
		LR_CASES(R)
	}
#undef R
	return 0;
}

static unsigned gicv3_lr_state(unsigned i)
{
	uint64_t state = lr_get(i) & (3ULL << 62); /* ICH_LR_EL2.State */
	return (state & ICH_LR_STATE_PENDING ? GIC_LR_PENDING : 0) |
	       (state & (ICH_LR_STATE_PENDING << 1) ? GIC_LR_ACTIVE : 0);
}

/* ICH_VTR_EL2.PREbits [28:26] + 1 preemption bits: 1, 2 or 4 active
 * priority registers per group (GICv3 12.4.1, 12.4.2). */
static void gicv3_vcpu_if_reset(void)
{
	unsigned pre = (unsigned)((read_sysreg(S3_4_C12_C11_1) >> 26) & 7) + 1;
	unsigned n = pre >= 7 ? 4 : pre == 6 ? 2 : 1;
	write_sysreg(S3_4_C12_C8_0, 0); /* ICH_AP0R0_EL2 */
	write_sysreg(S3_4_C12_C9_0, 0); /* ICH_AP1R0_EL2 */
	if (n > 1) {
		write_sysreg(S3_4_C12_C8_1, 0);
		write_sysreg(S3_4_C12_C9_1, 0);
	}
	if (n > 2) {
		write_sysreg(S3_4_C12_C8_2, 0);
		write_sysreg(S3_4_C12_C9_2, 0);
		write_sysreg(S3_4_C12_C8_3, 0);
		write_sysreg(S3_4_C12_C9_3, 0);
	}
	write_sysreg(S3_4_C12_C11_7, 0); /* ICH_VMCR_EL2 */
	isb();
}

/* ICH_AP0R<n>_EL2 is S3_4_C12_C8_<n>, ICH_AP1R<n>_EL2 S3_4_C12_C9_<n>. */
static unsigned ap_regs(void)
{
	unsigned pre = (unsigned)((read_sysreg(S3_4_C12_C11_1) >> 26) & 7) + 1;
	return pre >= 7 ? 4 : pre == 6 ? 2 : 1;
}

static void gicv3_vcpu_if_save(struct gic_vcpu_if *s)
{
	unsigned n = ap_regs();
	s->apr[0] = (uint32_t)read_sysreg(S3_4_C12_C8_0);
	s->apr[4] = (uint32_t)read_sysreg(S3_4_C12_C9_0);
	if (n > 1) {
		s->apr[1] = (uint32_t)read_sysreg(S3_4_C12_C8_1);
		s->apr[5] = (uint32_t)read_sysreg(S3_4_C12_C9_1);
	}
	if (n > 2) {
		s->apr[2] = (uint32_t)read_sysreg(S3_4_C12_C8_2);
		s->apr[6] = (uint32_t)read_sysreg(S3_4_C12_C9_2);
		s->apr[3] = (uint32_t)read_sysreg(S3_4_C12_C8_3);
		s->apr[7] = (uint32_t)read_sysreg(S3_4_C12_C9_3);
	}
	s->vmcr = (uint32_t)read_sysreg(S3_4_C12_C11_7);
}

static void gicv3_vcpu_if_restore(const struct gic_vcpu_if *s)
{
	unsigned n = ap_regs();
	write_sysreg(S3_4_C12_C8_0, s->apr[0]);
	write_sysreg(S3_4_C12_C9_0, s->apr[4]);
	if (n > 1) {
		write_sysreg(S3_4_C12_C8_1, s->apr[1]);
		write_sysreg(S3_4_C12_C9_1, s->apr[5]);
	}
	if (n > 2) {
		write_sysreg(S3_4_C12_C8_2, s->apr[2]);
		write_sysreg(S3_4_C12_C9_2, s->apr[6]);
		write_sysreg(S3_4_C12_C8_3, s->apr[3]);
		write_sysreg(S3_4_C12_C9_3, s->apr[7]);
	}
	write_sysreg(S3_4_C12_C11_7, s->vmcr);
}

static uint64_t gicv3_lr_read(unsigned i)
{
	return lr_get(i);
}

static void gicv3_lr_restore(unsigned i, uint64_t raw)
{
	gicv3_lr_set(i, raw);
}

static bool gicv3_lr_raw_pending(uint64_t raw)
{
	return raw & ICH_LR_STATE_PENDING;
}

/* A PPI of this CPU (cpu: its index, as cpu_init was given). */
static bool gicv3_irq_active(uint32_t intid, unsigned cpu)
{
	return mmio_read32(gicr_of_cpu[cpu & 7] + GICR_SGI_BASE + GICD_ISACTIVER) & BIT(intid);
}

static void gicv3_irq_set_active(uint32_t intid, unsigned cpu)
{
	mmio_write32(gicr_of_cpu[cpu & 7] + GICR_SGI_BASE + GICD_ISACTIVER, BIT(intid));
}

static void gicv3_lr_clear(unsigned i)
{
	gicv3_lr_set(i, 0);
}

static void gicv3_hcr_write(uint32_t hcr)
{
	write_sysreg(S3_4_C12_C11_0, hcr); /* ICH_HCR_EL2 */
	isb();
}

const struct gic_ops gicv3_ops = {
	.cpu_init = gicv3_cpu_init,
	.ack = gicv3_ack,
	.eoi = gicv3_eoi,
	.deactivate = gicv3_deactivate,
	.send_sgi = gicv3_send_sgi,
	.irq_enable = gicv3_irq_enable,
	.irq_disable = gicv3_irq_disable,
	.irq_clear_active = gicv3_irq_clear_active,
	.irq_set_edge = gicv3_irq_set_edge,
	.lr_count = gicv3_lr_count,
	.lr_write = gicv3_lr_write,
	.lr_write_hw = gicv3_lr_write_hw,
	.lr_clear = gicv3_lr_clear,
	.lr_empty = gicv3_lr_empty,
	.hcr_write = gicv3_hcr_write,
	.lr_state = gicv3_lr_state,
	.vcpu_if_reset = gicv3_vcpu_if_reset,
	.vcpu_if_save = gicv3_vcpu_if_save,
	.vcpu_if_restore = gicv3_vcpu_if_restore,
	.lr_read = gicv3_lr_read,
	.lr_restore = gicv3_lr_restore,
	.lr_raw_pending = gicv3_lr_raw_pending,
	.irq_active = gicv3_irq_active,
	.irq_set_active = gicv3_irq_set_active,
};
