/* Boot CPU: read the machine, build the EL2 map, create every guest, start
 * the CPUs that run them. Secondary CPUs join in secondary_main(). */
#include "arch/sysreg.h"
#include "atomic.h"
#include "arch/vtcr.h"
#include "board.h"
#include "drivers/console.h"
#include "drivers/fdt.h"
#include "drivers/platform.h"
#include "drivers/bcm2711_gpio.h"
#include "drivers/bcm2835_pm.h"
#include "drivers/spin_table.h"
#include "drivers/psci_fw.h"
#include "drivers/rpi_firmware.h"
#include "drivers/gic.h"
#include "hyp/config/config.h"
#include "hyp/config/devices.h"
#include "hyp/config/channels.h"
#include "lib/printf.h"
#include "hyp/config/direct_map.h"
#include "hyp/el2_regs.h"
#include "hyp/vdev/chan_bridge.h"
#include "hyp/vdev/console_mux.h"
#include "hyp/guest.h"
#include "hyp/sched.h"
#include "mm/el2_mmu.h"
#include "mm/phys_alloc.h"
#include "mm/stage2.h"
#include "spinlock.h"
#include "wait.h"

/* Page tables for EL2 and every guest's stage 2: 16 MiB, never guest-mapped. */
#define POOL_PAGES 4096 /* as linker.ld reserves */

extern uint8_t __image_start[], __text_end[], __rodata_end[], __stacks_start[], __data_end[];
extern uint8_t __bss_end[];
extern uint8_t panic_stack[];
extern uint8_t __pool_start[], __pool_end[], __image_end[];
extern const uint8_t hyp_config_dtb[], hyp_config_dtb_end[];
extern void secondary_entry(void);
extern void spin_table_entry(void);

static uint64_t pool_bitmap[POOL_PAGES / 64];
static struct page_pool pool;
static struct platform plat;
static struct cpu_mm_features feat;
static struct guest_config configs[MAX_GUESTS] __noinit; /* parsed whole before use (parse_guest) */
static struct channel_config channel_cfgs[MAX_CHANNELS] __noinit; /* parsed whole before use */
static struct phys_ranges free_mem;
/* What holds host RAM (free_mem has none of it), for the refusals of
 * direct-mapped guests: the hypervisor, firmware, those guests. */
#define MAX_HELD (PHYS_MAX_RANGES + MAX_GUESTS)
static struct mem_use held[MAX_HELD];
static unsigned nheld;

static void __attribute__((noreturn)) fatal(const char *what, const char *why)
{
	hyp_printf("hyp: FATAL %s: %s\n", what, why);
	console_flush();
	psci_fw_system_off();
}

uint32_t spin_cpu_index;
static volatile uint32_t cpus_up;

/* The spin table's memory operations (drivers/spin_table.c), at EL2. */
static int st_map(uint64_t page)
{
	return el2_map(pa_init(page), PAGE_SIZE, PGT_PROT_RW);
}
static void st_unmap(uint64_t page)
{
	el2_unmap(pa_init(page), PAGE_SIZE);
}
static void st_write64(uint64_t pa, uint64_t v)
{
	*(volatile uint64_t *)(uintptr_t)pa = v;
}
static void st_write32(uint64_t pa, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)pa = v;
}
static void st_clean(uint64_t pa, uint64_t size)
{
	dcache_clean_range(pa_init(pa), size);
}
static void st_event(void)
{
	send_event();
}
static const struct spin_table_ops spin_ops = {st_map,	 st_unmap, st_write64,
					       st_write32, st_clean, st_event};

/* PSCI CPU_ON, or the spin table (its index and entry cleaned to memory:
 * it waits with its MMU off, then an event); one CPU at a time, as they
 * share spin_cpu_index. */
static int64_t start_cpu(unsigned i)
{
	if (!plat.cpu_release[i])
		return psci_fw_cpu_on(plat.cpu_mpidr[i], pa_init((uintptr_t)secondary_entry), i);
	uint32_t up = cpus_up;
	if (spin_table_release(&spin_ops, plat.cpu_release[i], (uintptr_t)spin_table_entry,
			       (uintptr_t)&spin_cpu_index, i) < 0)
		return PSCI_RET_INTERNAL_FAILURE;
	uint64_t deadline = deadline_after_us(WAIT_LIMIT_US);
	while (cpus_up == up)
		if (!wait_event_until(deadline))
			return PSCI_RET_INTERNAL_FAILURE;
	return PSCI_RET_SUCCESS;
}

static void read_cpu_features(void)
{
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1), mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	uint64_t mmfr2 = read_sysreg(S3_0_C0_C7_2); /* ID_AA64MMFR2_EL1 */
	unsigned tgran4 = (mmfr0 >> ID_AA64MMFR0_TGRAN4_SHIFT) & 0xf;
	unsigned tgran4_2 = (mmfr0 >> ID_AA64MMFR0_TGRAN4_2_SHIFT) & 0xf;
	feat.parange = mmfr0 & ID_AA64MMFR0_PARANGE_MASK;
	/* TGran4_2 = 0b0011: stage 2 supports 52 bits with 4 KiB; 0b0000: as
	 * stage 1, where TGran4 = 0b0001 means the same. */
	feat.lpa2_s2 = tgran4_2 == 3 || (tgran4_2 == 0 && tgran4 == 1);
	feat.vmid16 = ((mmfr1 >> ID_AA64MMFR1_VMIDBITS_SHIFT) & 0xf) == ID_AA64MMFR1_VMIDBITS_16;
	feat.fwb = ((mmfr2 >> ID_AA64MMFR2_FWB_SHIFT) & 0xf) != 0;
}

static unsigned boot_cpu_index(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
	for (unsigned i = 0; i < plat.ncpus; i++)
		if ((plat.cpu_mpidr[i] & MPIDR_AFF_MASK) == mpidr)
			return i;
	return 0;
}

static int map_device(uint64_t base, uint64_t size)
{
	if (!base || !size)
		return 0;
	uint64_t start = ALIGN_DOWN(base, PAGE_SIZE);
	return el2_map(pa_init(start), ALIGN_UP(base + size, PAGE_SIZE) - start,
		       PGT_PROT_RW | PGT_PROT_DEVICE);
}

static void unmap_device(uint64_t base, uint64_t size)
{
	uint64_t start = ALIGN_DOWN(base, PAGE_SIZE);
	el2_unmap(pa_init(start), ALIGN_UP(base + size, PAGE_SIZE) - start);
}

static int map_gic(void)
{
	int ret = map_device(plat.gicd_base, plat.gicd_size);
	if (!ret && plat.gic == GIC_V3)
		ret = map_device(plat.gicr_base, gicv3_gicr_used_size(&plat));
	if (!ret)
		ret = map_device(plat.gicc_base, plat.gicc_size);
	if (!ret)
		ret = map_device(plat.gich_base, plat.gich_size);
	return ret;
}

/* Takes [base, base + size) out of free host RAM, noting who holds it. */
static int hold(uint64_t base, uint64_t size, const char *what, const char *guest)
{
	if (nheld == MAX_HELD)
		return -ENOMEM;
	held[nheld++] = (struct mem_use){base, size, what, guest};
	return phys_reserve(&free_mem, base, size);
}

static void setup_memory(const void *dtb)
{
	uint64_t image = (uintptr_t)__image_start;
	uint64_t pool_base = (uintptr_t)__pool_start, pool_end = (uintptr_t)__pool_end;
	uint64_t a, s;

	if (pool_end - pool_base != POOL_PAGES * PAGE_SIZE)
		fatal("page pool", "linker.ld and POOL_PAGES disagree");
	page_pool_init(&pool, pool_base, POOL_PAGES, pool_bitmap);
	int ret = 0;
	for (unsigned i = 0; i < plat.nmem; i++)
		ret |= phys_add(&free_mem, plat.mem[i].base, plat.mem[i].size);
	ret |= hold(image, pool_end - image, "the hypervisor's image and page pool", NULL);
	ret |= hold((uintptr_t)dtb, fdt_totalsize(dtb), "the host device tree", NULL);
	for (unsigned i = 0; fdt_memreserve(dtb, i, &a, &s) == 0; i++)
		ret |= hold(a, s, "reserved memory (/memreserve/)", NULL);
	/* Firmware's memory: /reserved-memory regions, spin-table pages. */
	int rsv = plat.reserved_memory;
	for (int n = rsv >= 0 ? fdt_first_child(dtb, rsv) : -1; n >= 0;
	     n = fdt_next_sibling(dtb, n))
		for (unsigned i = 0; fdt_reg_cpu(dtb, n, i, &a, &s) == 0; i++)
			ret |= hold(a, s, "reserved memory (/reserved-memory)", NULL);
	for (unsigned i = 0; i < plat.ncpus; i++)
		if (plat.cpu_release[i])
			ret |= hold(ALIGN_DOWN(plat.cpu_release[i], PAGE_SIZE), PAGE_SIZE,
				    "a CPU's spin table", NULL);
	/* A range we could not record might be handed to a guest: stop. */
	if (ret < 0)
		fatal("host memory map", "more free ranges than the allocator tracks");

	if (el2_mmu_init(&pool, feat.parange) < 0 ||
	    el2_map(pa_init(image), (uintptr_t)__text_end - image, PGT_PROT_R | PGT_PROT_X) < 0 ||
	    el2_map(pa_init((uintptr_t)__text_end), (uintptr_t)__rodata_end - (uintptr_t)__text_end,
		    PGT_PROT_R) < 0 ||
	    el2_map(pa_init((uintptr_t)__rodata_end),
		    (uintptr_t)__stacks_start - (uintptr_t)__rodata_end, PGT_PROT_RW) < 0 ||
	    el2_map(pa_init((uintptr_t)panic_stack), PANIC_STACK_SIZE, PGT_PROT_RW) < 0 ||
	    el2_map(pa_init(ALIGN_DOWN(plat.uart_base, PAGE_SIZE)), PAGE_SIZE,
		    PGT_PROT_RW | PGT_PROT_DEVICE) < 0)
		fatal("EL2 page tables", "out of pool memory");
	/* The host device tree stays readable: guests' devices are copied
	 * from it whenever their device tree is written. */
	if (el2_map(pa_init(ALIGN_DOWN((uintptr_t)dtb, PAGE_SIZE)),
		    ALIGN_UP((uintptr_t)dtb + fdt_used_size(dtb), PAGE_SIZE) -
			    ALIGN_DOWN((uintptr_t)dtb, PAGE_SIZE),
		    PGT_PROT_R) < 0)
		fatal("EL2 page tables", "out of pool memory");
	/* Each CPU's stack, not the guard page below it. */
	for (unsigned i = 0; i < MAX_CPUS; i++)
		if (el2_map(pa_init(cpu_stack_base(i)), STACK_SIZE, PGT_PROT_RW) < 0)
			fatal("EL2 page tables", "out of pool memory");
	if (map_gic() < 0 || map_device(plat.pm_base, plat.pm_size) < 0)
		fatal("EL2 page tables", "out of pool memory");
	/* The pool last: it holds the tables being built above. */
	if (el2_map(pa_init(pool_base), pool_end - pool_base, PGT_PROT_RW) < 0)
		fatal("EL2 page tables", "out of pool memory");
	/* Everything written so far went to memory with the MMU off: the
	 * relocated data, BSS, this CPU's stack, the tables above. Lines
	 * firmware left cached there must not hide it once caches are on.
	 * (The text is only read, .noinit is first written with caches on,
	 * pool pages taken later are zeroed whole through the cache, and
	 * each secondary CPU does its own stack.) */
	dcache_inval_range_mmu_off((uintptr_t)__text_end,
				   (uintptr_t)__bss_end - (uintptr_t)__text_end);
	dcache_inval_range_mmu_off(cpu_stack_base(0), STACK_SIZE); /* entry.S: slot 0 */
	for (size_t i = 0; i < POOL_PAGES; i += 64)
		if (pool_bitmap[i / 64]) /* 64 pages at a time: most are free */
			for (size_t k = i; k < i + 64; k++)
				if (page_pool_page_used(&pool, k))
					dcache_inval_range_mmu_off(pool_base + k * PAGE_SIZE,
								   PAGE_SIZE);
	el2_mmu_enable();
	console_enable_locking();
}

#ifdef HYP_CHECKS
/* What the hardening promises, asked of the MMU itself on the boot CPU's
 * tables (every CPU uses them): WXN on, the text not writable, and every
 * CPU's stack guard page unmapped, so an overflow on any CPU faults. */
static void check_hardening(void)
{
	if (!(read_sysreg(sctlr_el2) & SCTLR_EL2_WXN))
		fatal("W^X", "SCTLR_EL2.WXN is off");
	if (el2_can_access((uintptr_t)__image_start, true))
		fatal("W^X", "the hypervisor's text is writable");
	for (unsigned i = 0; i < MAX_CPUS; i++)
		if (el2_can_access(cpu_stack_base(i) - STACK_GUARD, false) ||
		    !el2_can_access(cpu_stack_base(i), true))
			fatal("stack guard pages", "a CPU's guard page is mapped, or its stack is not");
	hyp_printf("hyp: W^X on (SCTLR_EL2.WXN, text read-only), %u stack guard pages unmapped\n",
		   MAX_CPUS);
}
#endif

/* The message to the Raspberry Pi firmware: 16-byte aligned, in RAM the
 * VideoCore reads and writes itself (kept coherent by hand). */
static uint32_t fw_msg[RPI_FW_MSG_WORDS] __attribute__((aligned(64)));

/* Where the VideoCore sees fw_msg: through the firmware node's dma-ranges
 * (the Pi 4's lowest GiB at bus address 0xc0000000); 0 if it cannot. */
static uint32_t fw_msg_bus(int fw)
{
	uint64_t pa = (uintptr_t)fw_msg;
	struct dma_window w[MAX_DMA_WINDOWS];
	int n = devices_dma_windows(plat.fdt, fw, w, MAX_DMA_WINDOWS);
	if (n < 0)
		return pa >> 32 ? 0 : (uint32_t)pa;
	for (int i = 0; i < n; i++)
		if (pa >= w[i].cpu && pa - w[i].cpu <= w[i].last && !((w[i].bus + pa - w[i].cpu) >> 32))
			return (uint32_t)(w[i].bus + (pa - w[i].cpu));
	return 0;
}

/* A device handed over on a clock the Raspberry Pi firmware runs (CPRMAN's
 * EMMC, EMMC2, UART) gets a fixed clock of the rate the firmware reports,
 * asked once before any guest starts: the clock controller stays the
 * firmware's, and without a rate its driver would not probe. */
static void firmware_clocks(const bool *accepted, int n)
{
	const void *fdt = plat.fdt;
	unsigned devices = 0;
	for (int i = 0; i < n; i++)
		devices += accepted[i] ? configs[i].ndevices : 0;
	if (!devices)
		return; /* no walk of the tree at every boot for nothing */
	int mb = fdt_find_compatible(fdt, -1, "brcm,bcm2835-mbox");
	int fw = fdt_find_compatible(fdt, -1, "raspberrypi,bcm2835-firmware");
	uint64_t mbox, size;
	uint32_t bus = fw >= 0 ? fw_msg_bus(fw) : 0;
	if (mb < 0 || !bus || fdt_reg_cpu(fdt, mb, 0, &mbox, &size) < 0 || map_device(mbox, size) < 0)
		return;
	for (int i = 0; i < n; i++)
		for (unsigned d = 0; accepted[i] && d < configs[i].ndevices; d++) {
			struct guest_device *dev = &configs[i].devices[d];
			uint32_t id = rpi_fw_clock_of(fdt, dev->node), hz = 0;
			if (!id)
				continue;
			rpi_fw_clock_request(fw_msg, id);
			dcache_clean_inval_range(pa_init((uintptr_t)fw_msg), sizeof(fw_msg));
			int ret = rpi_fw_call(mbox, bus);
			dcache_clean_inval_range(pa_init((uintptr_t)fw_msg), sizeof(fw_msg));
			if (ret == 0 && rpi_fw_clock_reply(fw_msg, id, &hz) == 0) {
				dev->clock_hz = hz;
				hyp_printf("hyp: guest %s device %s: firmware clock %u at %u Hz\n",
					   configs[i].name, dev->name, id, hz);
			} else {
				hyp_printf("hyp: guest %s device %s: firmware clock %u not answered\n",
					   configs[i].name, dev->name, id);
			}
		}
	unmap_device(mbox, size);
}

/* Each channel's memory, carved from host RAM once and zeroed: a peer's
 * reset does not clear it (the others keep their data). A channel that
 * cannot have it is refused. */
static void carve_channels(int nch, uint64_t *pa)
{
	for (int c = 0; c < nch; c++) {
		struct channel_config *ch = &channel_cfgs[c];
		paddr_t p;
		pa[c] = 0;
		if (!ch->error[0] &&
		    phys_alloc(&free_mem, ch->size, MIN(ch->size, (uint64_t)SZ_2M), &p) < 0)
			fmt_snprintf(ch->error, sizeof(ch->error), "not enough free RAM for its %llu KiB",
				     (unsigned long long)(ch->size >> 10));
		if (ch->error[0]) {
			hyp_printf("hyp: channel %s refused: %s\n", ch->name, ch->error);
			continue;
		}
		if (el2_map(p, ch->size, PGT_PROT_RW) < 0)
			fatal("EL2 page tables", "out of pool memory");
		memory_zero((void *)(uintptr_t)pa_addr(p), ch->size);
		dcache_clean_inval_range(p, ch->size);
		el2_unmap(p, ch->size);
		pa[c] = pa_addr(p);
		/* docs/security.md: with FEAT_S2FWB every peer sees the memory
		 * write-back whatever it maps it as; without, as it maps it. */
		hyp_printf("hyp: channel %s size=0x%llx pa=0x%llx peers=%u memory=%s\n", ch->name,
			   (unsigned long long)ch->size, (unsigned long long)pa[c], ch->npeers,
			   feat.fwb ? "write-back (forced at stage 2)" : "as each peer maps it");
	}
}

static void create_guests(void)
{
	const char *why = "";
	const void *cfg_dtb = hyp_config_dtb;
	size_t cfg_size = (size_t)(hyp_config_dtb_end - hyp_config_dtb);
	int n = config_parse(cfg_dtb, cfg_size, configs, MAX_GUESTS, &why);
	if (n < 0)
		fatal("guest configuration", why);
	int nch = channels_parse(cfg_dtb, configs, (unsigned)n, channel_cfgs, MAX_CHANNELS, &why);
	if (nch < 0)
		fatal("channels", why);
	for (int c = 0; c < nch; c++)
		for (unsigned k = 0; !channel_cfgs[c].error[0] && k < channel_cfgs[c].npeers; k++)
			configs[channel_cfgs[c].peer[k]].channels |= 1u << c;

	/* What no guest may be given: every byte of host RAM (the hypervisor,
	 * its tables and other guests' RAM live there) and every node the
	 * hypervisor drives, derived from the host device tree. */
	static struct host_range owned[HOST_OWNED_MAX];
	int nowned = host_owned_ranges(&plat, owned, HOST_OWNED_MAX);
	if (nowned < 0)
		fatal("host device tree", "more ranges of its own than the hypervisor tracks");
	struct config_limits lim = {
		.max_ipa_bits = stage2_max_ipa_bits(&feat),
		.pa_bits = parange_to_bits(feat.parange),
		.ncpus = plat.ncpus,
		.owned = owned,
		.nowned = (unsigned)nowned,
		.uart_irq = plat.uart_irq,
		.nr_irqs = gic_nr_irqs(),
	};
	/* Every guest checked first, direct-mapped ones given their fixed
	 * physical RAM, so that the others' RAM is then placed around it. */
	struct config_taken taken = {0};
	bool accepted[MAX_GUESTS] = {false};
	for (int i = 0; i < n; i++) {
		struct guest_config *cfg = &configs[i];
		if (devices_resolve(cfg, plat.fdt) < 0 || config_validate(cfg, &lim, &taken) < 0 ||
		    (cfg->direct_map &&
		     direct_map_check(cfg, plat.mem, plat.nmem, held, nheld) < 0)) {
			hyp_printf("hyp: guest %s refused: %s\n", cfg->name, cfg->error);
			continue;
		}
		if (cfg->direct_map && hold(cfg->ram_ipa, cfg->ram_size, NULL, cfg->name) < 0)
			fatal("host memory map", "more free ranges than the allocator tracks");
		config_take(&taken, cfg);
		accepted[i] = true;
	}
	firmware_clocks(accepted, n);
	uint64_t chan_pa[MAX_CHANNELS];
	carve_channels(nch, chan_pa);
	chan_setup(channel_cfgs, (unsigned)nch, chan_pa);
	for (int i = 0; i < n; i++)
		if (accepted[i])
			guest_create(&guests[i], &configs[i], (unsigned)i, &plat, &feat, &free_mem,
				     &pool);
	if (sched_setup(plat.ncpus, &pool) < 0)
		fatal("shared CPUs", "no pool memory for the vCPUs' contexts");
}

void hyp_main(uint64_t dtb_pa)
{
	const void *dtb = (const void *)(uintptr_t)dtb_pa;
	const char *why = "";

#ifdef HYP_BRINGUP
#ifdef BOARD_GPIO
	bcm2711_gpio_uart0_pins(BOARD_GPIO);
#endif
	console_init(BOARD_UART, BOARD_UART_CLOCK);
	hyp_printf("hyp: bring-up: EL2 reached (CurrentEL=%llu), MMU off, device tree at 0x%llx\n",
		   (unsigned long long)(read_sysreg(CurrentEL) >> 2),
		   (unsigned long long)dtb_pa);
#else
	console_init(BOARD_UART, BOARD_UART_CLOCK);
#endif
	if (fdt_check(dtb, SZ_2M, &why) < 0)
		fatal("host device tree invalid", why);
	if (platform_parse(dtb, &plat, &why) < 0)
		fatal("host device tree unusable", why);
	/* A Pi 4's console is UART0, the block right after the GPIO's: its
	 * pins set here, before the first line, whatever set them before. */
	if (plat.gpio_base && plat.uart_base == plat.gpio_base + 0x1000)
		bcm2711_gpio_uart0_pins(plat.gpio_base);
	if (plat.uart_base)
		console_init(plat.uart_base, plat.uart_clock ? plat.uart_clock : BOARD_UART_CLOCK);
	plat.uart_base = console_uart_base();
	psci_fw_init(plat.psci);
	bcm2835_pm_init(plat.pm_base);
	for (unsigned i = 0; i < plat.ncpus; i++)
		if (plat.psci == PSCI_CONDUIT_NONE && !plat.cpu_release[i] &&
		    (plat.cpu_mpidr[i] & MPIDR_AFF_MASK) !=
			    (read_sysreg(mpidr_el1) & MPIDR_AFF_MASK))
			fatal("host device tree",
			      "no /psci node and no spin table: cannot start CPUs");
	unsigned boot = boot_cpu_index();
	read_cpu_features();
	hyp_printf("hyp: " BOARD_NAME
		   " EL2 boot cpu=%u of %u, PARange=%u bits, LPA2=%s, VMID=%s bits, "
		   "gic=v%u, psci=%s\n",
		   boot, plat.ncpus, parange_to_bits(feat.parange), feat.lpa2_s2 ? "yes" : "no",
		   feat.vmid16 ? "16" : "8",
		   plat.gic == GIC_V3	? 3
		   : plat.gic == GIC_V2 ? 2
					: 0,
		   plat.psci == PSCI_CONDUIT_SMC   ? "smc"
		   : plat.psci == PSCI_CONDUIT_HVC ? "hvc"
						   : "none (spin table)");

#ifdef HYP_SELFTEST_MMU_OFF
	static spinlock_t before_mmu;
	spin_lock(&before_mmu); /* a Pi 4 would hang here: a checked build stops */
#endif
	/* Short lines: every character of the boot log is boot time. v1:
	 * guest indexes clamped; bhb-kN: the branch-history loop on every
	 * guest exit (docs/security.md). */
#ifdef HYP_MITIGATIONS
	if (el2_bhb_loop())
		hyp_printf("hyp: mitigations=v1,bhb-k%u\n", el2_bhb_loop());
	else
		hyp_printf("hyp: mitigations=v1\n");
#else
	hyp_printf("hyp: mitigations=off\n");
#endif
	setup_memory(dtb);
#ifdef HYP_CHECKS
	check_hardening();
#endif
	if (gic_init(&plat) < 0)
		fatal("host device tree", "no GICv3, or GICv2 with virtualization extensions");
	/* How forwarded interrupts end: hw-link (a GIC-400), or the
	 * hypervisor deactivates them (QEMU's GICv2 model, drivers/gicv2.c). */
	if (plat.gic == GIC_V2)
		hyp_printf("hyp: gicv2 eoi=%s\n", gic_soft_deactivate ? "hypervisor" : "hw-link");
	for (unsigned i = 0; i < plat.ncpus; i++)
		cpus[i].mpidr = plat.cpu_mpidr[i];
	cpu_init(boot, plat.cpu_mpidr[boot]);
	create_guests();
	if (!guests_running())
		fatal("no guest could start", "nothing to run");
	/* What the hypervisor holds at run time: its image and the page pool
	 * (EL2 and stage-2 tables; guest RAM comes from host memory). */
	hyp_printf("hyp: memory image=%llu KiB pool=%llu KiB, %llu pages in use\n",
		   (unsigned long long)(((uintptr_t)__data_end - (uintptr_t)__image_start) >> 10),
		   (unsigned long long)(POOL_PAGES * PAGE_SIZE >> 10),
		   (unsigned long long)(pool.npages - pool.free_pages));
	console_mux_init(&plat);

	for (unsigned i = 0; i < plat.ncpus; i++) {
		if (i == boot || !cpus[i].nrq)
			continue;
		int64_t r = start_cpu(i);
		if (r != PSCI_RET_SUCCESS) {
			hyp_printf("hyp: cpu=%u did not start (PSCI error %lld)\n", i,
				   (long long)r);
			for (unsigned k = 0; k < cpus[i].nrq; k++)
				guest_stop(cpus[i].rq[k]->guest, "one of its CPUs did not start");
		}
	}
	if (cpus[boot].nrq)
		vcpu_run_loop();
	psci_fw_cpu_off();
}

void secondary_main(unsigned idx)
{
	/* What this CPU wrote to its stack with the MMU off (setup_memory). */
	dcache_inval_range_mmu_off(cpu_stack_base(idx), STACK_SIZE);
	el2_mmu_enable();
	cpu_init(idx, plat.cpu_mpidr[idx]);
	atomic_add((uint32_t *)&cpus_up, 1);
	send_event();
	vcpu_run_loop();
}
