/* The interrupt path's own GIC operations, inline: acknowledge, priority
 * drop, the empty list registers and a forwarded interrupt's list
 * register. Each is one or two accesses to the CPU or virtual interface
 * (system registers on GICv3, memory-mapped on GICv2), which a call
 * through gic_ops would more than double. The drivers' gic_ops use the
 * same functions; host builds (fuzzing) go through gic_ops, whose GIC
 * there is a model. */
#pragma once
#include "arch/gic.h"
#include "arch/mmio.h"
#include "arch/sysreg.h"
#include "drivers/gic.h"

#define ICH_LR_STATE_PENDING (1ULL << 62)
#define ICH_LR_HW	     BIT(61)
#define ICH_LR_GROUP1	     BIT(60)
#define ICH_LR_EOI	     BIT(41)
#define ICH_LR_PRIO_SHIFT    48
#define ICH_LR_PINTID_SHIFT  32

#define GICH_LR_PENDING	   (1U << 28)
#define GICH_LR_HW	   BIT(31)
#define GICH_LR_EOI	   BIT(19)
#define GICH_LR_PRIO_SHIFT 23 /* priority[7:3] in bits [27:23] */
#define GICH_LR_PID_SHIFT  10

/* What gic_ack returns, and gic_eoi and gic->deactivate take back: the
 * INTID in bits [9:0] (the hypervisor enables no LPIs) and, on GICv2, an
 * SGI's source CPU in bits [12:10], which GICC_EOIR and GICC_DIR must be
 * given as GICC_IAR gave it (each source's SGI is an interrupt of its own
 * there). */
#define GIC_IAR_INTID(iar) ((iar)&0x3ff)

/* Which interface this machine has, and GICv2's CPU (GICC) and virtual
 * interface control (GICH) frames: set by gic_init. */
struct gic_cpuif {
	bool v3;
	uint64_t gicc, gich;
};
extern struct gic_cpuif gic_cpuif;

#ifndef HOST_ARCH
/* ICH_LR<n>_EL2 = v: the register is named in the instruction, so n picks
 * one of sixteen MSRs (S3_4_C12_C12_<n>, then S3_4_C12_C13_<n-8>) by a
 * computed branch into a table of MSR + branch pairs. */
static inline void gicv3_lr_set(unsigned n, uint64_t v)
{
	uint64_t tmp;
	__asm__ volatile("adr	%0, 1f\n"
			 "add	%0, %0, %2, lsl #3\n"
			 "br	%0\n"
			 "1:\n"
			 ".irp m, 0, 1, 2, 3, 4, 5, 6, 7\n"
			 "msr	S3_4_C12_C12_\\m, %1\n"
			 "b	2f\n"
			 ".endr\n"
			 ".irp m, 0, 1, 2, 3, 4, 5, 6, 7\n"
			 "msr	S3_4_C12_C13_\\m, %1\n"
			 "b	2f\n"
			 ".endr\n"
			 "2:\n"
			 : "=&r"(tmp)
			 : "r"(v), "r"((uint64_t)(n & 15))
			 : "memory");
}

/* ICC_IAR1_EL1: an INTID below 1024 (no LPIs are enabled). */
static inline uint32_t gicv3_ack(void)
{
	return (uint32_t)read_sysreg(S3_0_C12_C12_0) & 0x3ff;
}

/* EOImode 1: the priority drop only. No ISB here: the exception return
 * orders it, and the interrupt loop (hyp/irq.c) makes one before its next
 * acknowledge. */
static inline void gicv3_eoi(uint32_t intid)
{
	write_sysreg(S3_0_C12_C12_1, intid); /* ICC_EOIR1_EL1 */
}

static inline uint32_t gicv3_lr_empty(void)
{
	return (uint32_t)read_sysreg(S3_4_C12_C11_5); /* ICH_ELRSR_EL2 */
}

/* Pending, group 1, HW-linked to the physical INTID of the same number. */
static inline void gicv3_lr_write_hw(unsigned i, uint32_t intid, uint8_t priority)
{
	gicv3_lr_set(i, ICH_LR_STATE_PENDING | ICH_LR_HW | ICH_LR_GROUP1 |
				(uint64_t)priority << ICH_LR_PRIO_SHIFT |
				(uint64_t)intid << ICH_LR_PINTID_SHIFT | intid);
}

static inline uint32_t gicv2_ack(void)
{
	return mmio_read32(gic_cpuif.gicc + GICC_IAR) & 0x1fff; /* CPUID, INTID */
}

static inline void gicv2_eoi(uint32_t iar)
{
	mmio_write32(gic_cpuif.gicc + GICC_EOIR, iar);
}

/* At most VGIC_MAX_LRS (16) list registers are used: ELRSR0 covers them. */
static inline uint32_t gicv2_lr_empty(void)
{
	return mmio_read32(gic_cpuif.gich + GICH_ELRSR0);
}

static inline void gicv2_lr_write_hw(unsigned i, uint32_t intid, uint8_t priority)
{
	uint32_t v = GICH_LR_PENDING | (uint32_t)(priority >> 3) << GICH_LR_PRIO_SHIFT | intid;
	/* Without the hardware link (gic_soft_deactivate), the guest's EOI
	 * raises a maintenance interrupt and the hypervisor ends it. */
	v |= gic_soft_deactivate ? GICH_LR_EOI : GICH_LR_HW | intid << GICH_LR_PID_SHIFT;
	mmio_write32(gic_cpuif.gich + GICH_LR0 + 4 * i, v);
}

static inline uint32_t gic_ack(void)
{
	return gic_cpuif.v3 ? gicv3_ack() : gicv2_ack();
}
static inline void gic_eoi(uint32_t iar)
{
	if (gic_cpuif.v3)
		gicv3_eoi(iar);
	else
		gicv2_eoi(iar);
}
/* List registers that hold nothing (ELRSR); one with EOI maintenance
 * requested is not counted until its maintenance is handled. */
static inline uint32_t gic_lr_empty(void)
{
	return gic_cpuif.v3 ? gicv3_lr_empty() : gicv2_lr_empty();
}
/* A forwarded interrupt, pending, hardware-linked to the physical one of
 * the same INTID (or, with gic_soft_deactivate, asking for EOI
 * maintenance). */
static inline void gic_lr_write_hw(unsigned i, uint32_t intid, uint8_t priority)
{
	if (gic_cpuif.v3)
		gicv3_lr_write_hw(i, intid, priority);
	else
		gicv2_lr_write_hw(i, intid, priority);
}
#else
static inline uint32_t gic_ack(void)
{
	return gic->ack();
}
static inline void gic_eoi(uint32_t iar)
{
	gic->eoi(iar);
}
static inline uint32_t gic_lr_empty(void)
{
	return gic->lr_empty();
}
static inline void gic_lr_write_hw(unsigned i, uint32_t intid, uint8_t priority)
{
	gic->lr_write_hw(i, intid, priority);
}
#endif
