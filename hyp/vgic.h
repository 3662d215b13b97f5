/* Virtual GIC: per-guest interrupt state, delivery to vCPUs through the
 * hardware list registers, and the register helpers the distributor and
 * redistributor emulations (vgic_v3.c, vgic_v2.c) share. */
#pragma once
#include "arch/gic.h"
#include "drivers/platform.h"
#include "hyp/vgic_layout.h"
#include "spinlock.h"
#include "types.h"

#define VGIC_MAX_LRS 16

struct vcpu;
struct guest;

struct virq {
	uint8_t priority;
	bool enabled;
	bool edge;    /* ICFGR: edge-triggered, else level-sensitive */
	bool pending; /* latched: an edge, a forwarded HW interrupt or ISPENDR */
	bool level;   /* line of a level-sensitive emulated source */
	bool active;  /* set through ISACTIVER */
	bool in_lr;   /* held by a list register on its vCPU's CPU */
	bool hw;      /* forwarded from the physical interrupt hw_intid */
	uint16_t hw_intid;
	uint8_t target;	    /* SPI: index of the vCPU it goes to */
	uint8_t sgi_source; /* GICv2 SGI: the requesting vCPU */
};

struct vgic_cpu {
	struct virq priv[GIC_NR_PRIVATE];
	uint64_t pending_map[2]; /* INTIDs waiting for a list register */
	uint16_t lr_intid[VGIC_MAX_LRS];
	uint32_t lr_used;
	uint32_t hcr;
	bool sleep; /* GICR_WAKER.ProcessorSleep */
};

struct vgic {
	spinlock_t lock;
	enum gic_version version;
	uint32_t ctlr; /* GICD_CTLR enable bits */
	struct virq spi[VGIC_NR_SPIS];
};

void vgic_guest_init(struct guest *g);
/* On v's CPU as v starts, and as it stops running (CPU_OFF, reset). */
void vgic_cpu_reset(struct vcpu *v);
void vgic_cpu_off(struct vcpu *v);
/* Latches intid pending (an SGI or an edge) for vCPU t; from any CPU. */
void vgic_raise(struct vcpu *t, unsigned intid, unsigned source);
/* Sets the line of a level-sensitive emulated SPI; from any CPU. */
void vgic_set_level(struct guest *g, unsigned intid, bool level);
/* A physical interrupt forwarded to v (on v's CPU): false when the guest
 * has it disabled (the caller deactivates it). */
bool vgic_forward_hw(struct vcpu *v, unsigned intid);
/* Moves pending interrupts into list registers; on v's own CPU only. */
void vgic_flush(struct vcpu *v);

/* --- register helpers for the emulated distributor and redistributors ---
 * bank is the vCPU whose SGIs/PPIs INTIDs below 32 name. */
enum vgic_bits { VGIC_ENABLE, VGIC_PENDING, VGIC_ACTIVE };

/* The ISENABLER..ICACTIVER block (GICD_ISENABLER <= off < GICD_IPRIORITYR),
 * laid out alike in GICv2 and GICv3 distributors and the GICv3 SGI frame:
 * which state a register sets or clears, and its first INTID. */
static inline enum vgic_bits vgic_bitmap_reg(uint64_t off, bool *set, unsigned *intid0)
{
	unsigned reg = (unsigned)(off - GICD_ISENABLER) / 0x80; /* 0..5 */
	*set = !(reg & 1);
	*intid0 = (unsigned)(off & 0x7f) * 8;
	return reg < 2 ? VGIC_ENABLE : reg < 4 ? VGIC_PENDING : VGIC_ACTIVE;
}
/* Access widths the GIC architecture allows (GICv3 12.1.3, GICv2 4.1.4):
 * the bitmap, group and configuration registers are word-accessible only;
 * IPRIORITYR and ITARGETSR are byte- or word-accessible. Other accesses
 * read as zero and ignore writes, so no sub-word access can reach bits a
 * word access would filter (the SGI/PPI banks) or shift by 32 or more. */
static inline bool vgic_word_access(uint64_t off, unsigned width)
{
	return width == 4 && !(off & 3);
}
static inline bool vgic_byte_or_word_access(uint64_t off, unsigned width)
{
	return width == 1 || (width == 4 && !(off & 3));
}
uint32_t vgic_bits_read(struct vcpu *bank, unsigned intid0, enum vgic_bits which);
void vgic_bits_write(struct vcpu *bank, unsigned intid0, enum vgic_bits which, bool set,
		     uint32_t mask);
uint32_t vgic_prio_read(struct vcpu *bank, unsigned intid0, unsigned width);
void vgic_prio_write(struct vcpu *bank, unsigned intid0, unsigned width, uint32_t val);
uint32_t vgic_cfg_read(struct vcpu *bank, unsigned intid0);
void vgic_cfg_write(struct vcpu *bank, unsigned intid0, uint32_t val);
void vgic_ctlr_write(struct guest *g, uint32_t ctlr);
void vgic_route_spi(struct guest *g, unsigned intid, unsigned vcpu);
unsigned vgic_spi_target(struct guest *g, unsigned intid);
