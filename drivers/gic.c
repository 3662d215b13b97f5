#include "drivers/gic.h"

#include "arch/gic.h"
#include "drivers/gic_cpuif.h"

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
