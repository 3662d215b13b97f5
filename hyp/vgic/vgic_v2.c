/* GICv2 distributor as each guest sees it, emulated through stage-2 data
 * aborts. The guest's CPU interface is the hardware's GICV frame, mapped at
 * its GICC address; SGIs are GICD_SGIR writes. */
#include "hyp/vgic/vgic_v2.h"

#include "hyp/guest.h"
#include "hyp/vgic/vgic.h"

#define IIDR_ARM 0x0200043b

/* ITARGETSR byte for intid: the accessing vCPU for its own SGIs/PPIs
 * (read-only), the mask as written for SPIs. */
static uint32_t target_byte(struct vcpu *v, unsigned intid)
{
	if (intid >= v->guest->vgic.nr_irqs)
		return 0;
	return intid < GIC_NR_PRIVATE ? 1u << v->id : vgic_get_targets(v->guest, intid);
}

/* Everything but the identification and control registers: its own
 * function, so that vgicd_v2_read's path to those needs no frame. */
static uint64_t __attribute__((noinline))
gicd_read_irq_regs(struct vcpu *v, uint64_t off, unsigned width)
{
	bool bytes_ok = (off >= GICD_IPRIORITYR && off < GICD_ICFGR) ||
			(off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 16);
	if (bytes_ok ? !vgic_byte_or_word_access(off, width) : !vgic_word_access(off, width))
		return 0;
	if (off >= GICD_ISENABLER && off < GICD_IPRIORITYR) {
		bool set;
		unsigned intid0;
		enum vgic_bits kind = vgic_bitmap_reg(off, &set, &intid0);
		return vgic_bits_read(v, intid0, kind);
	}
	if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR)
		return vgic_prio_read(v, (unsigned)(off - GICD_IPRIORITYR), width);
	if (off >= GICD_ITARGETSR && off < GICD_ICFGR) {
		uint32_t val = 0;
		unsigned intid0 = (unsigned)(off - GICD_ITARGETSR);
		for (unsigned i = 0; i < width; i++)
			val |= target_byte(v, intid0 + i) << (8 * i);
		return val;
	}
	if (off >= GICD_ICFGR && off < GICD_IGRPMODR)
		return vgic_cfg_read(v, (unsigned)(off - GICD_ICFGR) * 4);
	if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 16) {
		/* One byte per SGI of the reading vCPU: the sources it is
		 * pending from (GICv2 4.3.20, 4.3.21). */
		uint32_t val = 0;
		unsigned sgi0 = (unsigned)(off & 0xf);
		for (unsigned i = 0; i < width; i++)
			val |= (uint32_t)vgic_sgi_sources(v, sgi0 + i) << (8 * i);
		return val;
	}
	return 0;
}

uint64_t vgicd_v2_read(struct vcpu *v, void *dev, uint64_t off, unsigned width)
{
	struct guest *g = dev;
	/* An if-chain, not a switch's search tree: the registers a driver
	 * reads most cost one compare each. */
	if (off == GICD_TYPER)
		return g->vgic.typer;
	if (off == GICD_CTLR)
		return g->vgic.ctlr ? 1 : 0;
	if (off == GICD_IIDR)
		return IIDR_ARM;
	return gicd_read_irq_regs(v, off, width);
}

void vgicd_v2_write(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val)
{
	struct guest *g = dev;
	bool bytes_ok = (off >= GICD_IPRIORITYR && off < GICD_ICFGR) ||
			(off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 16);
	if (bytes_ok ? !vgic_byte_or_word_access(off, width) : !vgic_word_access(off, width))
		return;
	if (off == GICD_CTLR) {
		vgic_ctlr_write(g, val & 1 ? GICD_CTLR_ENABLE_G0 | GICD_CTLR_ENABLE_G1 : 0);
	} else if (off >= GICD_ISENABLER && off < GICD_IPRIORITYR) {
		bool set;
		unsigned intid0;
		enum vgic_bits kind = vgic_bitmap_reg(off, &set, &intid0);
		vgic_bits_write(v, intid0, kind, set, (uint32_t)val);
	} else if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR) {
		vgic_prio_write(v, (unsigned)(off - GICD_IPRIORITYR), width, (uint32_t)val);
	} else if (off >= GICD_ITARGETSR && off < GICD_ICFGR) {
		unsigned intid0 = (unsigned)(off - GICD_ITARGETSR);
		for (unsigned i = 0; i < width; i++)
			vgic_set_targets(g, intid0 + i, (uint8_t)(val >> (8 * i)));
	} else if (off >= GICD_ICFGR && off < GICD_IGRPMODR) {
		vgic_cfg_write(v, (unsigned)(off - GICD_ICFGR) * 4, (uint32_t)val);
	} else if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 16) {
		unsigned sgi0 = (unsigned)(off & 0xf);
		for (unsigned i = 0; i < width; i++)
			vgic_sgi_sources_write(v, sgi0 + i, (uint8_t)(val >> (8 * i)),
					       off >= GICD_SPENDSGIR);
	} else if (off == GICD_SGIR) {
		/* TargetListFilter [25:24]: 0 the list [23:16], 1 all others, 2 self,
		 * 3 reserved (no SGI). */
		unsigned filter = (val >> 24) & 3, list = (val >> 16) & 0xff, sgi = val & 0xf;
		for (unsigned i = 0; i < g->nvcpus && filter != 3; i++) {
			bool hit = filter == 0	 ? (list >> i) & 1
				   : filter == 1 ? i != v->id
						 : i == v->id;
			if (hit)
				vgic_raise(&g->vcpus[i], sgi, v->id);
		}
	}
}
