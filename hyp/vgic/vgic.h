/* The virtual GIC room (hyp/vgic/): per-guest interrupt state, delivery
 * to vCPUs through the hardware list registers, the register helpers the
 * distributor and redistributor emulations (vgic_v3.c, vgic_v2.c) share,
 * and the timers' fast path (vgic_timer.h). Called by the core: the
 * guest's and each vCPU's life cycle (guest.c, vcpu.c), interrupts from
 * the hardware (irq.c), trapped ICC_SGI1R_EL1 (sysreg_trap.c), and by the
 * MMIO path through the emulated-region table. Devices see only its
 * injection interface (vgic_inject.h). Its per-vCPU state lives in struct
 * vcpu and it reads the core's vCPUs (where each runs, whether it is
 * live): the vGIC and the vCPU are one design, tied both ways on purpose. */
#pragma once
#include "arch/gic.h"
#include "drivers/platform.h"
#include "hyp/vgic/vgic_layout.h"
#include "spinlock.h"
#include "drivers/gic.h"
#include "types.h"

#define VGIC_MAX_LRS 16

struct vcpu;
struct guest;

/* One virtual interrupt. While it sits in a list register (in_lr), that
 * register is the truth about its pending and active state: lr_pending and
 * lr_active are copies taken at the owner's last sync, and the owner
 * (lr_vcpu) refreshes them on request (vgic.c: sync_remote). */
struct virq {
	uint8_t priority;
	bool enabled;
	bool edge;    /* ICFGR: edge-triggered, else level-sensitive */
	bool pending; /* latched: an edge, a forwarded HW interrupt or ISPENDR */
	bool level;   /* line of a level-sensitive emulated source */
	bool active;  /* active while not in a list register */
	bool in_lr;   /* held by a list register of vCPU lr_vcpu */
	bool lr_pending, lr_active;
	bool lr_eoi;	   /* its list register asks for a maintenance interrupt at EOI */
	bool lr_dirty;	   /* a write changed pending/active: the owner applies it */
	bool want_pending; /* what the write asked for (lr_dirty) */
	bool want_active;
	bool hw; /* forwarded from the physical interrupt hw_intid */
	uint16_t hw_intid;
	uint8_t lr_vcpu;
	uint8_t lr;	     /* its list register there */
	uint8_t targets;     /* SPI, GICv2 ITARGETSR: a mask of vCPUs */
	uint64_t irouter;    /* SPI, GICv3 GICD_IROUTER as written */
	uint8_t sgi_sources; /* GICv2 SGI: the vCPUs it is pending from */
	uint8_t lr_source;   /* GICv2 SGI in a list register: its source */
};

#define VGIC_MAP_WORDS ((VGIC_MAX_IRQS + 63) / 64)

struct vgic_cpu {
	struct virq priv[GIC_NR_PRIVATE];
	uint64_t pending_map[VGIC_MAP_WORDS]; /* INTIDs waiting for a list register */
	uint32_t queued;		      /* the words of pending_map with a bit set */
	/* The EL1 timers' PPIs (bits INTID_VTIMER, INTID_PTIMER) the fast path
	 * may take: enabled, not active, no write pending, the distributor
	 * on. Kept by update(), under the lock. */
	uint32_t timer_fast;
	uint16_t lr_intid[VGIC_MAX_LRS];
	uint32_t lr_used;
	uint32_t lr_all; /* a bit per list register of the CPU's (VGIC_MAX_LRS at most) */
	uint32_t hcr;
	bool sleep;	   /* GICR_WAKER.ProcessorSleep */
	bool timer_out[2]; /* EL1 virtual, physical timer outputs at the last sync */
	uint32_t sync_req; /* another vCPU wants the list registers folded */
	uint32_t sync_gen; /* folds done: sync_remote waits for it to move */
	/* Live: its guest runs on its CPU (vgic_cpu_reset to vgic_cpu_leave).
	 * Then the EL1 timers' PPIs are that CPU's alone, so that their fast
	 * path takes no lock: another vCPU's write to their enable, pending or
	 * active state is posted here, by kind ([VGIC_ENABLE..VGIC_ACTIVE]),
	 * and the owner applies it at its next fold. */
	bool live;
	bool posted; /* something in post_set or post_clear */
	uint32_t post_set[3], post_clear[3];
};

struct vgic {
	spinlock_t lock;
	enum gic_version version;
	uint32_t ctlr;	  /* GICD_CTLR enable bits */
	unsigned nr_irqs; /* INTIDs it implements: a multiple of 32 */
	uint32_t typer;	  /* GICD_TYPER's ITLinesNumber and CPUNumber */
	struct virq *spi; /* nr_irqs - 32 of them, from the pool */
};

/* The guest's distributor with nr_irqs INTIDs (a multiple of 32), its
 * SPI state taken from the shared pool; -ENOMEM when the pool is out. */
int vgic_create(struct guest *g, unsigned nr_irqs);
/* Gives a guest refused after vgic_create its share back. */
void vgic_destroy(struct guest *g);
void vgic_guest_init(struct guest *g);
/* On v's CPU as v starts, and as it stops running (CPU_OFF, reset). */
void vgic_cpu_reset(struct vcpu *v);
void vgic_cpu_off(struct vcpu *v);
/* On v's CPU whenever it leaves its guest for good or for a while (park,
 * stop, a start cancelled): no longer live (struct vgic_cpu). vgic_cpu_off
 * does it too. */
void vgic_cpu_leave(struct vcpu *v);
/* A vCPU that leaves a shared CPU for a while (hyp/sched.c): what its
 * list registers and interface held. */
struct vgic_saved {
	uint64_t lr[VGIC_MAX_LRS];
	struct gic_vcpu_if cpu_if;
};
/* On v's CPU: v leaves (its virqs folded, no longer live, the interface
 * emptied into s), and comes back (s restored, live, then a fold for what
 * came meanwhile). vgic_leave_saved: v, switched out, leaves for good
 * (parked, stopped), as vgic_cpu_leave does for a running one. */
void vgic_switch_out(struct vcpu *v, struct vgic_saved *s);
void vgic_switch_in(struct vcpu *v, const struct vgic_saved *s);
void vgic_leave_saved(struct vcpu *v, const struct vgic_saved *s);
/* Whether v, switched out, has an interrupt to take (a hint: read without
 * the lock; whoever queues one kicks v's CPU after). */
bool vgic_wants_cpu(const struct vcpu *v, const struct vgic_saved *s);
/* v, switched out: its forwarded timer PPI intid is in a list register,
 * pending or active in its vGIC (its physical active state is then v's). */
bool vgic_timer_in_flight(struct vcpu *v, unsigned intid);
/* On v's CPU, v loaded: a list register holds a pending interrupt. */
bool vgic_lr_pending(const struct vcpu *v);
/* Latches intid pending (an SGI or an edge) for vCPU t; from any CPU. */
void vgic_raise(struct vcpu *t, unsigned intid, unsigned source);
/* Sets the line of a level-sensitive emulated SPI; from any CPU. */
#include "hyp/vgic/vgic_inject.h" /* vgic_set_level */
/* The vCPU a forwarded SPI goes through: v when its guest owns it, else
 * its owner's vCPU 0 (a shared CPU runs several guests); NULL: no owner. */
struct vcpu *vgic_hw_owner(unsigned intid, struct vcpu *v);
/* A physical interrupt forwarded to v (on v's CPU): false when the guest
 * has it disabled (the caller deactivates it). */
bool vgic_forward_hw(struct vcpu *v, unsigned intid);
/* The EL1 timers' fast path is vgic_forward_timer (vgic_timer.h). */
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
/* GICv2 ITARGETSR byte and GICv3 GICD_IROUTER: kept as written (targets of
 * vCPUs the guest does not have read as zero); the SPI goes to one vCPU. */
void vgic_set_targets(struct guest *g, unsigned intid, uint8_t mask);
uint8_t vgic_get_targets(struct guest *g, unsigned intid);
void vgic_set_irouter(struct guest *g, unsigned intid, uint64_t val);
uint64_t vgic_get_irouter(struct guest *g, unsigned intid);
/* GICv2 GICD_SPENDSGIR/CPENDSGIR: the sources bank's SGI sgi is pending from. */
uint8_t vgic_sgi_sources(struct vcpu *bank, unsigned sgi);
void vgic_sgi_sources_write(struct vcpu *bank, unsigned sgi, uint8_t mask, bool set);
