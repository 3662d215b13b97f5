/* The core (hyp/): a guest, its configuration, stage 2, RAM, vCPUs and the
 * table of its emulated regions; its life cycle (create, reset, stop).
 * The core's files: guests and vCPUs (guest.c, vcpu.c: a guest and its
 * vCPUs are one life cycle, tied both ways), the trap dispatcher
 * (trap.c), physical interrupts (irq.c, which the idle vCPU loop calls and
 * which calls back into it: one path), PSCI, system and ID registers, MMIO
 * dispatch (mmio.c), speculation mitigations. It uses its rooms one way:
 * hyp/config/ (what to build), hyp/vgic/ (interrupts), hyp/vdev/ (the
 * devices, through their regions' ops). */
#pragma once
#include "hyp/config/boot_layout.h"
#include "atomic.h"
#include "hyp/config/config.h"
#include "hyp/vcpu.h"
#include "hyp/vgic/vgic.h"
#include "hyp/vdev/vdev.h"
#include "mm/stage2.h"
#include "types.h"


/* A guest's life: NONE until created (a refused guest stays NONE), then
 * RUNNING; RUNNING -> RESETTING by the one vCPU whose SYSTEM_RESET wins the
 * compare-and-swap, back to RUNNING when it restarts the guest; any live
 * state -> STOPPED (SYSTEM_OFF, a fault, a failed reload), for good. */
enum guest_state { GUEST_NONE, GUEST_RUNNING, GUEST_RESETTING, GUEST_STOPPED };

struct guest {
	const struct guest_config *cfg;
	const char *name;
	unsigned id;
	const void *host_fdt; /* where its devices' nodes are copied from */
	struct stage2 s2;
	paddr_t ram_pa;
	struct boot_layout layout; /* where its kernel, initrd and DTB go */
	unsigned guest_parange;	   /* what ID_AA64MMFR0_EL1.PARange shows it */
	uint64_t hcr;
	bool shares_cpu;  /* a vCPU on a shared CPU (hyp/sched.c): no PMU, no debug */
	uint64_t cntvoff; /* one for all its vCPUs: its counter starts near 0 */
	struct vcpu vcpus[MAX_GUEST_CPUS];
	unsigned nvcpus;
	/* Emulated regions (hyp/vdev/vdev.h): its devices, its vGIC's frames;
	 * the MMIO path looks an access up here. */
	struct emu_region emu[MAX_EMU_REGIONS];
	unsigned nemu;
	struct vgic vgic;
	uint32_t state;		/* enum guest_state */
	uint32_t vcpus_running; /* vCPUs not yet stopped after a guest stop */
	uint8_t reports[64];	/* log lines so far, per exception class */
	uint32_t resets;	/* SYSTEM_RESETs so far */
	uint64_t load_us;	/* zeroing its RAM and loading it took, the last time */
};

extern struct guest guests[MAX_GUESTS];

struct platform;
struct cpu_mm_features;
struct phys_ranges;

/* Builds the guest (stage 2, RAM, images, vCPUs). On failure prints why,
 * names the guest, and leaves nothing allocated that others could miss. */
int guest_create(struct guest *g, const struct guest_config *cfg, unsigned id,
		 const struct platform *plat, const struct cpu_mm_features *feat,
		 struct phys_ranges *free_mem, struct page_pool *pool);
/* Copies the images into guest RAM and writes its device tree. */
int guest_load_images(struct guest *g);
/* Programs this CPU's EL2 for running v (VTTBR, VTCR, HCR, ...), as v
 * starts (its VMID's local TLB invalidated), or as it comes back to a
 * shared CPU (guest_switch_el2: the TLB as hyp/vcpu_ctx.c's rule says). */
void guest_load_cpu_state(struct guest *g, struct vcpu *v);
void guest_switch_el2(struct guest *g, struct vcpu *v);
/* Marks the guest stopped; every vCPU leaves as soon as it traps. */
void guest_stop(struct guest *g, const char *why);
/* SYSTEM_RESET from vCPU self: park the others, reload the images and
 * restart the boot vCPU. A second caller meanwhile only leaves. */
void guest_reset(struct guest *g, struct vcpu *self) __attribute__((noreturn));
/* Whether the guest was created and has not stopped. */
bool guest_alive(const struct guest *g);
/* Called on a vCPU's CPU once its guest stopped. */
void guest_cpu_stopped(struct vcpu *v) __attribute__((noreturn));
/* Whether to log one more event of exception class ec (or a REPORT_*
 * event) for this guest: a few per class, so a guest looping on a fault
 * cannot flood the console. */
#define REPORT_INPUT 0x3f /* an exception class no trap uses */
#define REPORTS_PER_CLASS 4
static inline bool guest_should_report(struct guest *g, unsigned ec)
{
	uint8_t *n = &g->reports[ec & 63];
	return atomic_fetch_add8(n, *n < REPORTS_PER_CLASS) < REPORTS_PER_CLASS;
}
unsigned guests_running(void);
