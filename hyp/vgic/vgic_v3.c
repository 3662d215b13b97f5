/* GICv3 distributor and redistributors as each guest sees them, emulated
 * through stage-2 data aborts; SGIs through the trapped ICC_SGI1R_EL1. The
 * CPU interface is the hardware's virtual one (ICH_*), never trapped. */
#include "hyp/vgic/vgic_v3.h"
#include "nospec.h"

#include "hyp/guest.h"
#include "hyp/vgic/vgic.h"

#define IIDR_ARM	0x0000043b
#define PIDR2_GICV3	0x3b
#define TYPER_IDBITS_10 (9U << 19)

/* The register window shared by GICD (SPIs) and the GICR SGI frame (SGIs
 * and PPIs): enable/pending/active bitmaps, priorities, configuration. */
static bool irq_regs_read(struct vcpu *bank, uint64_t off, unsigned width, unsigned base,
			  uint64_t *val)
{
	bool prio = off >= GICD_IPRIORITYR && off < GICD_ITARGETSR;
	if (prio ? !vgic_byte_or_word_access(off, width) : !vgic_word_access(off, width)) {
		*val = 0;
		return true;
	}
	if (off >= GICD_IGROUPR && off < GICD_ISENABLER) {
		*val = ~0U; /* every interrupt is group 1 */
	} else if (off >= GICD_ISENABLER && off < GICD_IPRIORITYR) {
		bool set;
		unsigned intid0;
		enum vgic_bits kind = vgic_bitmap_reg(off, &set, &intid0);
		*val = vgic_bits_read(bank, base + intid0, kind);
	} else if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR) {
		*val = vgic_prio_read(bank, base + (unsigned)(off - GICD_IPRIORITYR), width);
	} else if (off >= GICD_ICFGR && off < GICD_IGRPMODR) {
		*val = vgic_cfg_read(bank, base + (unsigned)(off - GICD_ICFGR) * 4);
	} else {
		return false;
	}
	return true;
}

static bool irq_regs_write(struct vcpu *bank, uint64_t off, unsigned width, unsigned base,
			   uint64_t val)
{
	bool prio = off >= GICD_IPRIORITYR && off < GICD_ITARGETSR;
	if (prio ? !vgic_byte_or_word_access(off, width) : !vgic_word_access(off, width))
		return true;
	if (off >= GICD_IGROUPR && off < GICD_ISENABLER) {
		/* group 1 only: writes ignored */
	} else if (off >= GICD_ISENABLER && off < GICD_IPRIORITYR) {
		bool set;
		unsigned intid0;
		enum vgic_bits kind = vgic_bitmap_reg(off, &set, &intid0);
		vgic_bits_write(bank, base + intid0, kind, set, (uint32_t)val);
	} else if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR) {
		vgic_prio_write(bank, base + (unsigned)(off - GICD_IPRIORITYR), width,
				(uint32_t)val);
	} else if (off >= GICD_ICFGR && off < GICD_IGRPMODR) {
		vgic_cfg_write(bank, base + (unsigned)(off - GICD_ICFGR) * 4, (uint32_t)val);
	} else {
		return false;
	}
	return true;
}

/* The registers of the SGIs and PPIs (INTIDs 0-31) in that window: with
 * affinity routing they live in each redistributor's SGI frame, and the
 * distributor's copies are RAZ/WI; the SGI frame has nothing else (GICv3
 * 12.10: its other offsets are reserved). */
static bool private_regs(uint64_t off)
{
	return (off >= GICD_IGROUPR && off < GICD_IPRIORITYR && (off & 0x7f) < 4) ||
	       (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 32) ||
	       (off >= GICD_ICFGR && off < GICD_ICFGR + 8);
}

/* Everything but the identification and control registers: its own
 * function, so that vgicd_v3_read's path to those needs no frame. */
static uint64_t __attribute__((noinline))
gicd_read_irq_regs(struct vcpu *v, struct guest *g, uint64_t off, unsigned width)
{
	uint64_t val = 0;
	(void)v;
	if (off >= GICD_IROUTER + 32 * 8 && off < GICD_IROUTER + g->vgic.nr_irqs * 8) {
		unsigned intid = (unsigned)(off - GICD_IROUTER) / 8;
		uint64_t r = vgic_get_irouter(g, intid);
		return width == 8 ? r : (off & 4) ? r >> 32 : (uint32_t)r;
	}
	/* With affinity routing the first word (SGIs, PPIs) lives in GICR. */
	if (off >= GICD_IGROUPR && off < GICD_IGRPMODR) {
		if (!private_regs(off) && irq_regs_read(&g->vcpus[0], off, width, 0, &val))
			return val;
	}
	return 0;
}

uint64_t vgicd_v3_read(struct vcpu *v, void *dev, uint64_t off, unsigned width)
{
	struct guest *g = dev;
	/* An if-chain, not a switch's search tree: the registers a driver
	 * reads most cost one compare each. */
	if (off == GICD_TYPER)
		return g->vgic.typer | TYPER_IDBITS_10;
	if (off == GICD_CTLR)
		return g->vgic.ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
	if (off == GICD_IIDR)
		return IIDR_ARM;
	if (off == GICD_PIDR2)
		return PIDR2_GICV3;
	return gicd_read_irq_regs(v, g, off, width);
}

void vgicd_v3_write(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val)
{
	struct guest *g = dev;
	(void)v;
	if (off == GICD_CTLR) {
		vgic_ctlr_write(g, (uint32_t)val);
		return;
	}
	if (off >= GICD_IROUTER + 32 * 8 && off < GICD_IROUTER + g->vgic.nr_irqs * 8) {
		/* Kept as written, 64-bit or either half (GICv3 12.9.22). */
		unsigned intid = (unsigned)(off - GICD_IROUTER) / 8;
		uint64_t r = vgic_get_irouter(g, intid);
		if (width == 8)
			r = val;
		else if (off & 4)
			r = (uint32_t)r | val << 32;
		else
			r = (r & ~0xffffffffULL) | (uint32_t)val;
		vgic_set_irouter(g, intid, r);
		return;
	}
	if (off >= GICD_IGROUPR && off < GICD_IGRPMODR) {
		if (!private_regs(off))
			irq_regs_write(&g->vcpus[0], off, width, 0, val);
	}
}

uint64_t vgicr_read(struct vcpu *v, void *dev, uint64_t off, unsigned width)
{
	struct guest *g = dev;
	unsigned idx = (unsigned)(off / GICR_STRIDE);
	uint64_t val = 0;
	(void)v;
	if (idx >= g->nvcpus)
		return 0;
	struct vcpu *r = &g->vcpus[index_nospec(idx, g->nvcpus)];
	off %= GICR_STRIDE;
	if (off >= GICR_SGI_BASE) {
		off -= GICR_SGI_BASE;
		return private_regs(off) && irq_regs_read(r, off, width, 0, &val) ? val : 0;
	}
	switch (off) {
	case GICR_IIDR:
		return IIDR_ARM;
	case GICR_TYPER:
	case GICR_TYPER + 4: {
		/* Affinity = the vCPU's MPIDR Aff0; processor number; Last. */
		uint64_t typer = (uint64_t)idx << 32 | (uint64_t)idx << 8 |
				 (idx == g->nvcpus - 1 ? GICR_TYPER_LAST : 0);
		return off == GICR_TYPER ? (width == 8 ? typer : (uint32_t)typer) : typer >> 32;
	}
	case GICR_WAKER:
		return r->vgic.sleep ? GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP : 0;
	case GICR_PIDR2:
		return PIDR2_GICV3;
	}
	return 0;
}

void vgicr_write(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val)
{
	struct guest *g = dev;
	unsigned idx = (unsigned)(off / GICR_STRIDE);
	(void)v;
	if (idx >= g->nvcpus)
		return;
	struct vcpu *r = &g->vcpus[index_nospec(idx, g->nvcpus)];
	off %= GICR_STRIDE;
	if (off >= GICR_SGI_BASE) {
		if (private_regs(off - GICR_SGI_BASE))
			irq_regs_write(r, off - GICR_SGI_BASE, width, 0, val);
		return;
	}
	if (off == GICR_WAKER)
		r->vgic.sleep = val & GICR_WAKER_PROCESSOR_SLEEP;
}

/* ICC_SGI1R_EL1 (GICv3 12.2.21): INTID [27:24], IRM [40], target list
 * [15:0] for Aff0 = RS [47:44] * 16 + bit, with Aff1-3 [23:16], [39:32],
 * [55:48]; our vCPUs are Aff0 0..n-1 with Aff1-3 and RS all 0. */
void vgic_v3_sgi(struct vcpu *v, uint64_t val)
{
	struct guest *g = v->guest;
	unsigned intid = (val >> 24) & 0xf;
	bool all = val & BIT(40);
	uint64_t aff123_rs = val & (0xffULL << 16 | 0xffULL << 32 | 0xfULL << 44 | 0xffULL << 48);
	for (unsigned i = 0; i < g->nvcpus; i++) {
		bool hit = all ? i != v->id : (!aff123_rs && (val & BIT(i)));
		if (hit)
			vgic_raise(&g->vcpus[i], intid, v->id);
	}
}
