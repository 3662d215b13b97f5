#include "drivers/gic.h"

const struct gic_ops *gic;

int gic_init(const struct platform *p)
{
	if (p->gic == GIC_V3) {
		gic = &gicv3_ops;
		gicv3_dist_init(p);
	} else if (p->gic == GIC_V2 && p->gich_base && p->gicv_base) {
		gic = &gicv2_ops;
		gicv2_dist_init(p);
	} else {
		return -EINVAL;
	}
	return 0;
}
