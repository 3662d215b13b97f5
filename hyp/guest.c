#include "hyp/guest.h"

#include "arch/hcr.h"
#include "arch/sysreg.h"
#include "drivers/console.h"
#include "drivers/platform.h"
#include "drivers/psci_fw.h"
#include "hyp/vdev/console_mux.h"
#include "hyp/el2_regs.h"
#include "hyp/sched.h"
#include "hyp/config/guest_fdt.h"
#include "hyp/vgic/vgic_v2.h"
#include "hyp/vgic/vgic_v3.h"
#include "lib/string.h"
#include "mm/el2_mmu.h"
#include "hyp/vdev/chan_bridge.h"
#include "mm/phys_alloc.h"

struct guest guests[MAX_GUESTS];
static uint32_t running_guests;

/* Guests run at EL1 with stage 2 on; physical interrupts and SErrors come to
 * EL2; SMC traps (TSC); ID registers trap (TID3) so that PARange shows the
 * guest's own IPA size; TLB and barrier ops broadcast inner shareable (FB,
 * BSU) because a guest's vCPUs sit on several CPUs; pointer authentication
 * keys belong to the guest (API, APK). IMPLEMENTATION DEFINED registers
 * (TIDCP), ACTLR_EL1 (TACR), RAS error records (TERR) and LORegions (TLOR)
 * trap: sysreg_trap.c gives RAZ/WI or UNDEF. */
#define GUEST_HCR                                                                           \
	(HCR_EL2_VM | HCR_EL2_SWIO | HCR_EL2_FMO | HCR_EL2_IMO | HCR_EL2_AMO | HCR_EL2_FB | \
	 HCR_EL2_BSU_IS | HCR_EL2_TSC | HCR_EL2_TID3 | HCR_EL2_TIDCP | HCR_EL2_TACR |       \
	 HCR_EL2_TERR | HCR_EL2_TLOR | HCR_EL2_RW | HCR_EL2_APK | HCR_EL2_API)


static int refuse(const struct guest_config *cfg, const char *why, int err)
{
	hyp_printf("hyp: guest %s refused: %s\n", cfg->name, why);
	return err;
}

static uint64_t ram_alignment(const struct guest_config *cfg)
{
	/* Match the IPA's alignment so that stage 2 can use the largest blocks. */
	if (IS_ALIGNED(cfg->ram_ipa, SZ_1G) && cfg->ram_size >= SZ_1G)
		return SZ_1G;
	if (IS_ALIGNED(cfg->ram_ipa, SZ_2M) && cfg->ram_size >= SZ_2M)
		return SZ_2M;
	return PAGE_SIZE;
}

static int map_guest(struct guest *g)
{
	const struct guest_config *cfg = g->cfg;
	int ret = stage2_map(&g->s2, ipa_init(cfg->ram_ipa), g->ram_pa, cfg->ram_size,
			     PGT_PROT_RWX | (cfg->stage2_4k_pages ? PGT_PROT_PAGES : 0));
	for (unsigned i = 0; i < cfg->nmmio && !ret; i++)
		ret = stage2_map(&g->s2, ipa_init(cfg->mmio[i].ipa), pa_init(cfg->mmio[i].pa),
				 cfg->mmio[i].size, PGT_PROT_RW | PGT_PROT_DEVICE);
	return ret;
}

/* The guest's interrupt controller matches the host's version: GICv3 with
 * emulated distributor and redistributors, or GICv2 with an emulated
 * distributor and the hardware's GICV frame as its CPU interface. */
static int add_vgic(struct guest *g, const struct platform *plat)
{
	/* As many INTIDs as its highest SPI needs: no cost for guests that
	 * own none beyond their console's. */
	unsigned nr = VGIC_MIN_IRQS;
	for (unsigned i = 0; i < g->cfg->nirqs; i++)
		nr = MAX(nr, (unsigned)ALIGN_UP(g->cfg->irqs[i] + 1, 32));
	if (vgic_create(g, nr) < 0)
		return -ENOSPC;
	g->vgic.version = plat->gic;
	/* Its frames in the emulated-region table, beside the devices; the
	 * vGIC resets with the guest (vgic_guest_init), not as a device. */
	int ret = 0;
	if (plat->gic == GIC_V3) {
		ret |= emu_add(g, &(struct emu_region){.base = VGIC_GICD_IPA,
						       .size = VGIC_GICD_SIZE,
						       .read = vgicd_v3_read,
						       .write = vgicd_v3_write,
						       .dev = g});
		ret |= emu_add(g, &(struct emu_region){.base = VGIC_GICR_IPA,
						       .size = g->nvcpus * GICR_STRIDE,
						       .read = vgicr_read,
						       .write = vgicr_write,
						       .dev = g});
	} else {
		ret |= emu_add(g, &(struct emu_region){.base = VGIC_GICD_IPA,
						       .size = VGIC_GICD_SIZE,
						       .read = vgicd_v2_read,
						       .write = vgicd_v2_write,
						       .dev = g});
	}
	if (ret < 0)
		return -ENOSPC;
	if (plat->gic == GIC_V2) {
		ret = stage2_map(&g->s2, ipa_init(VGIC_GICC_IPA), pa_init(plat->gicv_base),
				     GICV_SIZE, PGT_PROT_RW | PGT_PROT_DEVICE);
		if (ret < 0)
			return ret;
	}
	vgic_guest_init(g);
	return 0;
}

int guest_create(struct guest *g, const struct guest_config *cfg, unsigned id,
		 const struct platform *plat, const struct cpu_mm_features *feat,
		 struct phys_ranges *free_mem, struct page_pool *pool)
{
	memset(g, 0, sizeof(*g));
	g->cfg = cfg;
	g->name = cfg->name;
	g->id = id;
	g->host_fdt = plat->fdt;
	const char *why;
	int err;
	err = -ENOSPC;
	if (boot_layout(cfg, &g->layout, &why) < 0)
		goto undo_direct;
	why = "no memory for its stage-2 root table";
	err = -ENOMEM;
	if (stage2_init(&g->s2, cfg->ipa_bits, (uint16_t)(id + 1), feat, pool) < 0)
		goto undo_direct;
	why = "not enough free host memory for its RAM";
	/* A direct-mapped guest's RAM was taken from free_mem when it was
	 * checked (hyp/main.c); it is given back below like any other. */
	err = 0;
	g->ram_pa = pa_init(cfg->ram_ipa);
	if (!cfg->direct_map)
		err = phys_alloc(free_mem, cfg->ram_size, ram_alignment(cfg), &g->ram_pa);
	if (err < 0)
		goto undo_s2;
	why = "no memory for its stage-2 tables";
	err = map_guest(g);
	if (err < 0)
		goto undo_ram;
	g->guest_parange = (unsigned)bits_to_parange(cfg->ipa_bits);
	g->hcr = GUEST_HCR | (g->s2.pgt.fwb ? HCR_EL2_FWB : 0);

	g->nvcpus = cfg->ncpus;
	why = "no room for its emulated devices";
	err = vdevs_create(g);
	if (err < 0)
		goto undo_ram;
	err = add_vgic(g, plat);
	if (err < 0) {
		why = err == -ENOSPC ? "no room left for its SPIs in the virtual GIC pool"
				     : "no memory for its stage-2 tables";
		goto undo_vgic;
	}
	for (unsigned i = 0; i < g->nvcpus; i++) {
		struct vcpu *v = &g->vcpus[i];
		v->guest = g;
		v->id = i;
		v->pcpu = cfg->cpus[i];
		v->state = VCPU_OFF;
	}
	why = "its images or device tree do not fit in its memory";
	err = guest_load_images(g);
	if (err < 0)
		goto undo_vgic;
	for (unsigned i = 0; i < g->nvcpus; i++)
		sched_add(&g->vcpus[i]);
	g->cntvoff = read_sysreg(cntpct_el0);
	g->state = GUEST_RUNNING;
	atomic_add(&running_guests, 1);
	vcpu_try_power_on(&g->vcpus[0], g->layout.kernel_ipa, g->layout.dtb_ipa);

	const struct pgt_geometry *geo = &g->s2.pgt.geo;
	hyp_printf("hyp: guest %s ipa-bits=%u levels=%u start-level=%u roots=%u vtcr=0x%llx "
		   "vttbr=0x%llx s2-table-pages=%zu\n",
		   g->name, cfg->ipa_bits, geo->levels, geo->start_level, geo->roots,
		   (unsigned long long)g->s2.vtcr, (unsigned long long)g->s2.vttbr,
		   g->s2.pgt.tables);
	hyp_printf("hyp: guest %s ram ipa=0x%llx pa=0x%llx%s size=0x%llx cpus=%u entry=0x%llx "
		   "zeroed-and-loaded-in=%lluus\n",
		   g->name, (unsigned long long)cfg->ram_ipa,
		   (unsigned long long)pa_addr(g->ram_pa), cfg->direct_map ? " (direct-map)" : "",
		   (unsigned long long)cfg->ram_size,
		   g->nvcpus, (unsigned long long)g->layout.kernel_ipa,
		   (unsigned long long)g->load_us);
	return 0;

	/* A refused guest gives back all it took, in reverse order. */
undo_vgic:
	vgic_destroy(g); /* nothing if it never got its share */
	vdevs_destroy(g);
undo_ram:
	phys_add(free_mem, pa_addr(g->ram_pa), cfg->ram_size);
undo_s2:
	pgt_destroy(&g->s2.pgt);
	return refuse(cfg, why, err);
undo_direct: /* the RAM it was given when it was checked */
	if (cfg->direct_map)
		phys_add(free_mem, cfg->ram_ipa, cfg->ram_size);
	return refuse(cfg, why, err);
}

/* Zeroes the guest's RAM (nothing of an earlier guest, or of an earlier
 * boot of the board, stays readable), copies its images and writes its
 * device tree, then pushes all of it to memory: the guest starts with its
 * caches off. RAM is mapped at EL2 only meanwhile. */
/* Pages of the hypervisor's pool in use (its tables: every guest's stage 2
 * and EL2's own), for the log. */
static size_t pool_in_use(const struct guest *g)
{
	const struct page_pool *p = g->s2.pgt.pool;
	return p->npages - __atomic_load_n(&p->free_pages, __ATOMIC_RELAXED);
}

int guest_load_images(struct guest *g)
{
	const struct guest_config *cfg = g->cfg;
	const struct boot_layout *l = &g->layout;
	uint64_t ram = pa_addr(g->ram_pa);
	uint8_t *to = (uint8_t *)(uintptr_t)ram - cfg->ram_ipa; /* IPA -> hypervisor VA */
	int ret = el2_map(g->ram_pa, cfg->ram_size, PGT_PROT_RW);
	if (ret < 0)
		return ret;
	uint64_t t0 = read_sysreg(cntpct_el0);
	memory_zero((void *)(uintptr_t)ram, cfg->ram_size);
	/* boot_layout() placed every range inside the guest's RAM. */
	memcpy(to + l->kernel_ipa, cfg->kernel, cfg->kernel_size);
	if (cfg->initrd_size)
		memcpy(to + l->initrd_ipa, cfg->initrd, cfg->initrd_size);
	const struct chan_slot *chan;
	unsigned nchan = chan_bridge_slots(g, &chan);
	struct guest_fdt_info info = {cfg,
				      g->nvcpus,
				      l->initrd_ipa,
				      cfg->initrd_size,
				      g->vgic.version == GIC_V3 ? 3u : 2u,
				      g->host_fdt,
				      g->resets,
				      chan,
				      nchan};
	int size = guest_fdt_build(to + l->dtb_ipa, SZ_2M, &info);
	if (size > 0)
		dcache_clean_inval_range(g->ram_pa, cfg->ram_size);
	g->load_us = (read_sysreg(cntpct_el0) - t0) * 1000000 / read_sysreg(cntfrq_el0);
	el2_unmap(g->ram_pa, cfg->ram_size);
	return size < 0 ? size : 0;
}

void guest_switch_el2(struct guest *g, struct vcpu *v)
{
	write_sysreg(vtcr_el2, g->s2.vtcr);
	write_sysreg(vttbr_el2, g->s2.vttbr);
	/* On a shared CPU a vCPU waiting for an interrupt gives the CPU to
	 * another (hyp/sched.c): WFI and WFE trap there, nowhere else. */
	write_sysreg(hcr_el2, g->hcr | (cpus[v->pcpu].shared ? HCR_EL2_TWI | HCR_EL2_TWE : 0));
	/* MPIDR: bit 31 RES1, Aff0 = vCPU index, so the guest sees 0..n-1. */
	write_sysreg(vmpidr_el2, BIT(31) | v->id);
	write_sysreg(cntvoff_el2, g->cntvoff);
	isb();
}

void guest_load_cpu_state(struct guest *g, struct vcpu *v)
{
	/* The same for every guest (a switch leaves them): */
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	/* FP/SIMD is the guest's (on a shared CPU trapped at times, until its
	 * registers are in: hyp/vcpu_ctx.c); SVE, SME, trace and activity
	 * monitor registers trap. */
	write_sysreg(cptr_el2, CPTR_EL2_GUEST);
	/* Debug and all PMU counters belong to the guest; EL2 is not counted.
	 * On a shared CPU neither goes with a switch: the guests there get
	 * no PMU (hidden, its registers undefined) and debug registers that
	 * read as zero and ignore writes (hyp/sysreg_trap.c). */
	write_sysreg(mdcr_el2, el2_guest_mdcr() | (cpus[v->pcpu].shared ? MDCR_EL2_TPM | MDCR_EL2_TPMCR |
							MDCR_EL2_TDA | MDCR_EL2_TDOSA |
							MDCR_EL2_TDRA
						      : 0));
	write_sysreg(cnthctl_el2, CNTHCTL_EL2_VALUE);
	guest_switch_el2(g, v);
	if (cpus[v->pcpu].shared)
		cpus[v->pcpu].last_ran[g->id] = (int8_t)v->id;
	/* A restarted guest must not hit translations from its previous life. */
	__asm__ volatile("tlbi vmalls12e1\n dsb nsh\n isb" ::: "memory");
}

unsigned guests_running(void)
{
	return __atomic_load_n(&running_guests, __ATOMIC_ACQUIRE);
}

bool guest_alive(const struct guest *g)
{
	uint32_t s = __atomic_load_n(&g->state, __ATOMIC_ACQUIRE);
	return s == GUEST_RUNNING || s == GUEST_RESETTING;
}

void guest_stop(struct guest *g, const char *why)
{
	uint32_t old = atomic_xchg(&g->state, GUEST_STOPPED);
	if (old == GUEST_STOPPED || old == GUEST_NONE)
		return;
	vdevs_quiesce(g);
	hyp_printf("hyp: guest %s stopped: %s\n", g->name, why);
	console_mux_guest_stopped(g->id);
	/* Every vCPU leaves the guest at its next interrupt, which the
	 * doorbell makes immediate. */
	for (unsigned i = 0; i < g->nvcpus; i++)
		vcpu_request_stop(&g->vcpus[i]);
	if (atomic_add(&running_guests, -1u) == 0) {
		/* As at boot ("hyp: memory ..."): nothing leaked by resets. */
		hyp_printf("hyp: page pool: %zu pages in use\n", pool_in_use(g));
		if (chan_dropped())
			hyp_printf("hyp: channels: %u doorbells reached no one\n", chan_dropped());
		hyp_printf("hyp: all guests stopped, powering off\n");
		console_flush();
		psci_fw_system_off();
	}
}

void guest_cpu_stopped(struct vcpu *v)
{
	/* A shared CPU goes on with its other vCPUs (its loop turns it off
	 * once every one has stopped). */
	if (cpus[v->pcpu].shared)
		vcpu_run_loop();
	vgic_cpu_leave(v);
	console_mux_cpu_leaving(v->pcpu);
	psci_fw_cpu_off();
}

/* Leaves the guest from a trap on v's own CPU: OFF, or whatever request
 * (park, stop) got there first. */
static void __attribute__((noreturn)) leave(struct vcpu *v)
{
	if (vcpu_self_off(v))
		vcpu_park();
	vcpu_check_requests(v);
	vcpu_park(); /* not reached: a vCPU that is not RUNNING has a request */
}

#define RESETS_REPORTED 4

void guest_reset(struct guest *g, struct vcpu *self)
{
	/* Sequentially consistent: a CPU_ON racing the parking below reads
	 * this after claiming its target (vcpu_try_power_on). */
	if (!atomic_cas(&g->state, GUEST_RUNNING, GUEST_RESETTING))
		leave(self); /* another vCPU resets it, or it stopped */
	vgic_cpu_off(self);
	if (!vcpu_self_off(self))
		leave(self); /* stopped meanwhile */
	/* The other vCPUs leave the guest (a start still pending from the old
	 * boot is cancelled) before its memory is rewritten. */
	for (unsigned i = 0; i < g->nvcpus; i++)
		if (&g->vcpus[i] != self)
			vcpu_park_and_wait(&g->vcpus[i]);

	uint32_t n = ++g->resets;
	vdevs_quiesce(g);
	vgic_guest_init(g);
	vdevs_reset(g); /* after the vGIC's: their lines start low */
	if (guest_load_images(g) < 0) {
		guest_stop(g, "reset failed to reload its images");
		guest_cpu_stopped(self);
	}
	if (n <= RESETS_REPORTED)
		hyp_printf("hyp: guest %s reset: reloading its images (RAM zeroed, in %lluus; page "
			   "pool: %zu pages in use)%s\n",
			   g->name, (unsigned long long)g->load_us, pool_in_use(g),
			   n == RESETS_REPORTED ? " (further resets not reported)" : "");
	g->cntvoff = read_sysreg(cntpct_el0);
	if (!atomic_cas(&g->state, GUEST_RESETTING, GUEST_RUNNING))
		guest_cpu_stopped(self); /* SYSTEM_OFF or a fault won meanwhile */
	/* Every vCPU is OFF (or the guest stopped meanwhile): the restart
	 * cannot fail for any other reason, and must not fail silently. */
	if (vcpu_try_power_on(&g->vcpus[0], g->layout.kernel_ipa, g->layout.dtb_ipa) < 0 &&
	    guest_alive(g))
		guest_stop(g, "reset could not restart its boot vCPU");
	vcpu_park();
}
