/* GICv2 / GIC-400 physical driver: memory-mapped distributor and CPU
 * interface, and the GICH virtual interface control block. */
#include "arch/gic.h"
#include "arch/mmio.h"
#include "arch/sysreg.h"
#include "drivers/gic.h"
#include "drivers/gic_cpuif.h"

static uint64_t gicd, gicc, gich;
/* GICv2 names CPUs by CPU interface number, read back from ITARGETSR0. */
static uint8_t cpu_if_mask[8];

void gicv2_dist_init(const struct platform *p)
{
	gicd = p->gicd_base;
	gicc = p->gicc_base;
	gich = p->gich_base;
	gic_cpuif.gicc = gicc;
	gic_cpuif.gich = gich;
	/* QEMU's GICv2 model (GICD_IIDR 0x43b, where a GIC-400 gives
	 * 0x0200143b) does not look at the physical CPU interface again when
	 * a guest deactivates a hardware-linked interrupt: a level interrupt
	 * still asserted then (a timer re-armed in its handler) is not
	 * signalled until something else touches the GIC, and a guest idle
	 * in WFI waits for ever. There, the hypervisor deactivates forwarded
	 * interrupts itself when the guest ends them. */
	gic_soft_deactivate = mmio_read32(gicd + GICD_IIDR) == 0x43b;
#ifdef HYP_GICV2_HW_LINK
	/* make GICV2_HW_LINK=1: the GIC-400's path (the list registers'
	 * hardware link) on QEMU too, for the tests it can pass there. */
	gic_soft_deactivate = false;
#endif
	unsigned lines = ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1) * 32;
	mmio_write32(gicd + GICD_CTLR, 0);
	for (unsigned i = 32; i < lines; i += 32) {
		mmio_write32(gicd + GICD_ICENABLER + i / 8, ~0U);
		mmio_write32(gicd + GICD_ICPENDR + i / 8, ~0U);
		mmio_write32(gicd + GICD_ICACTIVER + i / 8, ~0U);
	}
	for (unsigned i = 32; i < lines; i++)
		mmio_write8(gicd + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT);
	mmio_write32(gicd + GICD_CTLR, 1);
}

static void gicv2_cpu_init(unsigned cpu, uint64_t mpidr)
{
	(void)mpidr;
	cpu_if_mask[cpu & 7] = mmio_read8(gicd + GICD_ITARGETSR);
	mmio_write32(gicd + GICD_ICENABLER, ~0U);
	mmio_write32(gicd + GICD_ICPENDR, ~0U);
	mmio_write32(gicd + GICD_ICACTIVER, ~0U);
	for (unsigned i = 0; i < GIC_NR_PRIVATE; i++)
		mmio_write8(gicd + GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT);
	mmio_write32(gicc + GICC_PMR, 0xff);
	mmio_write32(gicc + GICC_BPR, 0);
	mmio_write32(gicc + GICC_CTLR, GICC_CTLR_ENABLE | GICC_CTLR_EOIMODE);
	for (unsigned i = 0; i < gicv2_ops.lr_count(); i++)
		gicv2_ops.lr_clear(i);
	mmio_write32(gich + GICH_HCR, 0);
}

static void gicv2_deactivate(uint32_t iar)
{
	mmio_write32(gicc + GICC_DIR, iar);
}

static void gicv2_send_sgi(uint64_t mpidr, unsigned cpu, unsigned sgi)
{
	(void)mpidr;
	dsb(ishst);
	mmio_write32(gicd + GICD_SGIR, (uint32_t)cpu_if_mask[cpu & 7] << 16 | (sgi & 0xf));
}

static void gicv2_irq_enable(uint32_t intid, uint64_t mpidr, unsigned cpu)
{
	(void)mpidr;
	if (intid >= GIC_NR_PRIVATE)
		mmio_write8(gicd + GICD_ITARGETSR + intid, cpu_if_mask[cpu & 7]);
	mmio_write32(gicd + GICD_ISENABLER + (intid / 32) * 4, BIT(intid % 32));
}

static void gicv2_irq_disable(uint32_t intid)
{
	mmio_write32(gicd + GICD_ICENABLER + (intid / 32) * 4, BIT(intid % 32));
}

static void gicv2_irq_set_edge(uint32_t intid, bool edge)
{
	gic_dist_set_edge(gicd, intid, edge);
}

static void gicv2_irq_clear_active(uint32_t intid)
{
	mmio_write32(gicd + GICD_ICACTIVER + (intid / 32) * 4, BIT(intid % 32));
}

static unsigned gicv2_lr_count(void)
{
	return (mmio_read32(gich + GICH_VTR) & 0x3f) + 1;
}

static void gicv2_lr_write(unsigned i, const struct gic_lr *lr)
{
	/* Group 0: a GICv2 guest enables its interrupts with GICC_CTLR bit 0,
	 * which on the virtual CPU interface is EnableGrp0. */
	uint32_t v = (lr->state & GIC_LR_PENDING ? GICH_LR_PENDING : 0) |
		     (lr->state & GIC_LR_ACTIVE ? GICH_LR_PENDING << 1 : 0) |
		     (uint32_t)(lr->priority >> 3) << GICH_LR_PRIO_SHIFT | (lr->vintid & 0x3ff);
	if (lr->hw)
		v |= GICH_LR_HW | (lr->pintid & 0x3ff) << GICH_LR_PID_SHIFT;
	else
		v |= (lr->eoi_maint ? GICH_LR_EOI : 0) | (lr->pintid & 7) << GICH_LR_PID_SHIFT;
	mmio_write32(gich + GICH_LR0 + 4 * i, v);
}

static void gicv2_lr_clear(unsigned i)
{
	mmio_write32(gich + GICH_LR0 + 4 * i, 0);
}

static unsigned gicv2_lr_state(unsigned i)
{
	uint32_t v = mmio_read32(gich + GICH_LR0 + 4 * i);
	return (v & GICH_LR_PENDING ? GIC_LR_PENDING : 0) |
	       (v & (GICH_LR_PENDING << 1) ? GIC_LR_ACTIVE : 0);
}

static void gicv2_vcpu_if_reset(void)
{
	mmio_write32(gich + GICH_APR, 0);
	mmio_write32(gich + GICH_VMCR, 0);
}

static void gicv2_vcpu_if_save(struct gic_vcpu_if *s)
{
	s->apr[0] = mmio_read32(gich + GICH_APR);
	s->vmcr = mmio_read32(gich + GICH_VMCR);
}

static void gicv2_vcpu_if_restore(const struct gic_vcpu_if *s)
{
	mmio_write32(gich + GICH_APR, s->apr[0]);
	mmio_write32(gich + GICH_VMCR, s->vmcr);
}

static uint64_t gicv2_lr_read(unsigned i)
{
	return mmio_read32(gich + GICH_LR0 + 4 * i);
}

static void gicv2_lr_restore(unsigned i, uint64_t raw)
{
	mmio_write32(gich + GICH_LR0 + 4 * i, (uint32_t)raw);
}

static bool gicv2_lr_raw_pending(uint64_t raw)
{
	return raw & GICH_LR_PENDING;
}

/* GICD_ISACTIVER0 is banked per CPU: this CPU's SGIs and PPIs. */
static bool gicv2_irq_active(uint32_t intid, unsigned cpu)
{
	(void)cpu;
	return mmio_read32(gicd + GICD_ISACTIVER) & BIT(intid);
}

static void gicv2_irq_set_active(uint32_t intid, unsigned cpu)
{
	(void)cpu;
	mmio_write32(gicd + GICD_ISACTIVER, BIT(intid));
}

static void gicv2_hcr_write(uint32_t hcr)
{
	mmio_write32(gich + GICH_HCR, hcr);
}

const struct gic_ops gicv2_ops = {
	.cpu_init = gicv2_cpu_init,
	.ack = gicv2_ack,
	.eoi = gicv2_eoi,
	.deactivate = gicv2_deactivate,
	.send_sgi = gicv2_send_sgi,
	.irq_enable = gicv2_irq_enable,
	.irq_disable = gicv2_irq_disable,
	.irq_clear_active = gicv2_irq_clear_active,
	.irq_set_edge = gicv2_irq_set_edge,
	.lr_count = gicv2_lr_count,
	.lr_write = gicv2_lr_write,
	.lr_write_hw = gicv2_lr_write_hw,
	.lr_clear = gicv2_lr_clear,
	.lr_empty = gicv2_lr_empty,
	.hcr_write = gicv2_hcr_write,
	.lr_state = gicv2_lr_state,
	.vcpu_if_reset = gicv2_vcpu_if_reset,
	.vcpu_if_save = gicv2_vcpu_if_save,
	.vcpu_if_restore = gicv2_vcpu_if_restore,
	.lr_read = gicv2_lr_read,
	.lr_restore = gicv2_lr_restore,
	.lr_raw_pending = gicv2_lr_raw_pending,
	.irq_active = gicv2_irq_active,
	.irq_set_active = gicv2_irq_set_active,
};
