/* The physical GIC as the hypervisor drives it: its own interrupts, and the
 * virtualization interface's list registers. GICv3 (system registers) and
 * GICv2/GIC-400 (memory-mapped) sit behind one small set of calls. */
#pragma once
#include "drivers/platform.h"
#include "types.h"

/* A list register, version-neutral. */
struct gic_lr {
	uint32_t vintid;
	uint32_t pintid; /* HW: physical INTID; else for v2 SGIs the source vCPU */
	uint8_t priority;
	bool hw;	/* deactivating the virtual one deactivates pintid */
	bool eoi_maint; /* maintenance interrupt when the guest deactivates it */
	unsigned state; /* GIC_LR_PENDING and/or GIC_LR_ACTIVE */
};

/* What a vCPU leaves in the virtual CPU interface besides its list
 * registers: active priorities (GICv3 ICH_AP0R<n>/AP1R<n>, GICv2 GICH_APR
 * in apr[0]) and the VMCR. */
struct gic_vcpu_if {
	uint32_t apr[8];
	uint32_t vmcr;
};

struct gic_ops {
	void (*cpu_init)(unsigned cpu, uint64_t mpidr);
	/* Inline on the interrupt path: gic_ack, gic_eoi (gic_cpuif.h). Each
	 * takes or gives what the acknowledge returned (GIC_IAR_INTID). */
	uint32_t (*ack)(void);
	void (*eoi)(uint32_t iar); /* priority drop (EOImode = 1) */
	void (*deactivate)(uint32_t iar);
	void (*send_sgi)(uint64_t mpidr, unsigned cpu, unsigned sgi);
	/* Enables a PPI on this CPU, or routes an SPI to cpu and enables it. */
	void (*irq_enable)(uint32_t intid, uint64_t mpidr, unsigned cpu);
	void (*irq_disable)(uint32_t intid);
	/* Clears the active state (ICACTIVER), for a forwarded interrupt whose
	 * guest restarted before deactivating it; PPIs on this CPU. */
	void (*irq_clear_active)(uint32_t intid);
	/* Edge- (true) or level-triggered (GICD_ICFGR) for an SPI that is
	 * disabled: changing an enabled one is UNPREDICTABLE (GIC v3/v4
	 * 12.9.9). */
	void (*irq_set_edge)(uint32_t intid, bool edge);
	unsigned (*lr_count)(void);
	void (*lr_write)(unsigned i, const struct gic_lr *lr);
	/* gic_cpuif.h: gic_lr_write_hw, gic_lr_empty. */
	void (*lr_write_hw)(unsigned i, uint32_t intid, uint8_t priority);
	uint32_t (*lr_empty)(void);
	void (*lr_clear)(unsigned i);
	void (*hcr_write)(uint32_t hcr);
	/* State of list register i: GIC_LR_PENDING and/or GIC_LR_ACTIVE. */
	unsigned (*lr_state)(unsigned i);
	/* The virtual CPU interface as after reset: no active priorities
	 * (ICH_AP0R/AP1R, GICH_APR) and a zero VMCR (PMR, enables). */
	void (*vcpu_if_reset)(void);
	/* A vCPU leaving a shared CPU (hyp/sched.c) and coming back: its
	 * active priorities and VMCR, and list register i as it is. */
	void (*vcpu_if_save)(struct gic_vcpu_if *s);
	void (*vcpu_if_restore)(const struct gic_vcpu_if *s);
	uint64_t (*lr_read)(unsigned i);
	void (*lr_restore)(unsigned i, uint64_t raw);
	bool (*lr_raw_pending)(uint64_t raw);
	/* A PPI's active state on this CPU, index cpu (an EL1 timer's,
	 * forwarded to the vCPU that leaves): read, and set again when it
	 * comes back. */
	bool (*irq_active)(uint32_t intid, unsigned cpu);
	void (*irq_set_active)(uint32_t intid, unsigned cpu);
};

#define GIC_LR_PENDING BIT(0)
#define GIC_LR_ACTIVE  BIT(1)

extern const struct gic_ops *gic;
/* Forwarded interrupts are deactivated by the hypervisor when the guest
 * ends them (EOI maintenance), not through the list registers' hardware
 * link: set for QEMU's GICv2 model (gicv2.c says why). */
extern bool gic_soft_deactivate;

/* GICD_ICFGR's bit for intid (an SPI, disabled): edge or level. The same
 * register in GICv2 and GICv3 distributors. */
void gic_dist_set_edge(uint64_t gicd, uint32_t intid, bool edge);

/* 0, or -EINVAL when the platform has no GIC we drive. */
int gic_init(const struct platform *p);
/* INTIDs the host distributor implements (SGIs, PPIs and SPIs). */
unsigned gic_nr_irqs(void);

extern const struct gic_ops gicv3_ops, gicv2_ops;
void gicv3_dist_init(const struct platform *p);
/* The part of the redistributor region the host's CPUs use: up to the end
 * of the last frame whose affinity is one of theirs (each CPU looks for
 * its own from the start of the region). Read before EL2 maps it, so
 * that the rest, often most of a region sized for the largest system,
 * is not mapped at all. */
uint64_t gicv3_gicr_used_size(const struct platform *p);
void gicv2_dist_init(const struct platform *p);
