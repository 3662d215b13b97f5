#include "drivers/gic.h"

#include "arch/gic.h"
#include "arch/mmio.h"
#include "drivers/gic_cpuif.h"
#include "spinlock.h"

const struct gic_ops *gic;
struct gic_cpuif gic_cpuif;
bool gic_soft_deactivate;
static unsigned nr_irqs;

unsigned gic_nr_irqs(void)
{
	return nr_irqs;
}

int gic_init(const struct platform *p)
{
	if (p->gic == GIC_V3) {
		gic = &gicv3_ops;
		gic_cpuif.v3 = true;
		gicv3_dist_init(p);
	} else if (p->gic == GIC_V2 && p->gich_base && p->gicv_base) {
		gic = &gicv2_ops;
		gicv2_dist_init(p);
	} else {
		return -EINVAL;
	}
	/* GICD_TYPER.ITLinesNumber: 32 * (N + 1) INTIDs, 1020 at most. */
	uint64_t gicd = p->gicd_base;
	nr_irqs = MIN(((*(volatile uint32_t *)(uintptr_t)(gicd + GICD_TYPER) & 0x1f) + 1) * 32,
		      1020u);
	return 0;
}

/* GICD_ICFGR holds 16 interrupts a word, of several guests: one writer at
 * a time. */
static spinlock_t icfgr_lock;

void gic_dist_set_edge(uint64_t gicd, uint32_t intid, bool edge)
{
	uint64_t reg = gicd + GICD_ICFGR + (intid / 16) * 4;
	uint32_t bit = BIT(2 * (intid % 16) + 1);
	spin_lock(&icfgr_lock);
	uint32_t v = mmio_read32(reg);
	mmio_write32(reg, edge ? v | bit : v & ~bit);
	spin_unlock(&icfgr_lock);
}
