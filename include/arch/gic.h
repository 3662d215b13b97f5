/* GIC register layout (Arm IHI 0069, GICv3/v4; IHI 0048, GICv2). */
#pragma once
#include "types.h"

/* Distributor (both versions; v3 adds IROUTER). */
#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_IIDR	0x0008
#define GICD_TYPER2	0x000c
#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ISPENDR	0x0200
#define GICD_ICPENDR	0x0280
#define GICD_ISACTIVER	0x0300
#define GICD_ICACTIVER	0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR	0x0800
#define GICD_ICFGR	0x0c00
#define GICD_IGRPMODR	0x0d00
#define GICD_SGIR	0x0f00
#define GICD_CPENDSGIR	0x0f10
#define GICD_SPENDSGIR	0x0f20
#define GICD_IROUTER	0x6000
#define GICD_PIDR2	0xffe8

#define GICD_CTLR_ENABLE_G0 BIT(0)
#define GICD_CTLR_ENABLE_G1 BIT(1)
#define GICD_CTLR_ARE	    BIT(4)
#define GICD_CTLR_DS	    BIT(6)
#define GICD_CTLR_RWP	    BIT(31)
#define GICD_IROUTER_IRM    BIT(31)

/* Redistributor: RD_base frame, then SGI_base frame 64 KiB above. */
#define GICR_FRAME_SIZE		   0x10000
#define GICR_STRIDE		   (2 * GICR_FRAME_SIZE)
#define GICR_CTLR		   0x0000
#define GICR_IIDR		   0x0004
#define GICR_TYPER		   0x0008
#define GICR_WAKER		   0x0014
#define GICR_PIDR2		   0xffe8
#define GICR_TYPER_LAST		   BIT(4)
#define GICR_WAKER_PROCESSOR_SLEEP BIT(1)
#define GICR_WAKER_CHILDREN_ASLEEP BIT(2)
#define GICR_SGI_BASE		   GICR_FRAME_SIZE

/* GICv2 CPU interface and virtual interface control (GICH). */
#define GICC_CTLR	  0x0000
#define GICC_PMR	  0x0004
#define GICC_BPR	  0x0008
#define GICC_IAR	  0x000c
#define GICC_EOIR	  0x0010
#define GICC_DIR	  0x1000
#define GICC_CTLR_ENABLE  BIT(0)
#define GICC_CTLR_EOIMODE BIT(9)
#define GICH_HCR	  0x0000
#define GICH_VTR	  0x0004
#define GICH_VMCR	  0x0008
#define GICH_MISR	  0x0010
#define GICH_EISR0	  0x0020
#define GICH_ELRSR0	  0x0030
#define GICH_APR	  0x00f0
#define GICH_LR0	  0x0100
#define GICV_SIZE	  0x2000

/* ICH_HCR_EL2 / GICH_HCR. */
#define ICH_HCR_EN  BIT(0)
#define ICH_HCR_UIE BIT(1)

#define GIC_SPURIOUS	 1020
#define GIC_NR_PRIVATE	 32
#define GIC_PRIO_DEFAULT 0xa0

/* Interrupts the hypervisor itself uses. */
#define INTID_DOORBELL	  0  /* SGI: "look at your vCPU's pending interrupts" */
#define INTID_MAINTENANCE 25 /* PPI: GIC virtualization maintenance */
#define INTID_HYP_TIMER	  26 /* PPI: EL2 physical timer: a shared CPU's slices (hyp/sched.c) */
#define INTID_VTIMER	  27 /* PPI: EL1 virtual timer */
#define INTID_PTIMER	  30 /* PPI: EL1 physical timer */
