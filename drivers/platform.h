/* What the host device tree says about the machine. Plain C, host-tested. */
#pragma once
#include "hyp_defs.h"
#include "mm/phys_alloc.h"
#include "types.h"

enum psci_conduit { PSCI_CONDUIT_NONE, PSCI_CONDUIT_SMC, PSCI_CONDUIT_HVC };
enum gic_version { GIC_NONE, GIC_V2, GIC_V3 };

struct platform {
	const void *fdt; /* the host device tree itself (read-only at EL2) */
	struct phys_range mem[PHYS_MAX_RANGES / 2];
	unsigned nmem;
	uint64_t cpu_mpidr[MAX_CPUS];
	uint64_t cpu_release[MAX_CPUS]; /* spin-table release address, 0: PSCI */
	unsigned ncpus;
	uint64_t uart_base;
	unsigned uart_irq;   /* its INTID, 0 if unknown */
	uint32_t uart_clock; /* its reference clock in Hz, 0 if unknown */
	enum psci_conduit psci;
	enum gic_version gic;
	uint64_t gicd_base, gicd_size;
	uint64_t gicr_base, gicr_size; /* v3 redistributors */
	uint64_t gicc_base, gicc_size; /* v2 CPU interface */
	uint64_t gich_base, gich_size; /* v2 virtual interface control */
	uint64_t gicv_base, gicv_size; /* v2 virtual CPU interface */
	uint64_t pm_base, pm_size;     /* BCM2835 power-management watchdog */
	uint64_t gpio_base;	       /* BCM2711 GPIO (the console's pins), 0 if none */
	/* The nodes the hypervisor keeps (drivers/host_owned.c) and their
	 * parents, found in platform_parse's one walk; -ENOENT if absent. */
	int gic_node, uart_node, pm_node;
	int gic_parent, uart_parent, pm_parent;
	/* Blocks every CPU depends on: the BCM2836-style ARM local block
	 * (counter prescaler, local interrupts), a memory-mapped timer. */
	int local_node, local_parent, timer_mem_node, timer_mem_parent;
	/* The root's children read here and at boot, found in one scan of
	 * the root: their offsets, or -ENOENT. */
	int chosen, aliases, psci_node, cpus_node, reserved_memory;
};

/* The console UART from /chosen/stdout-path, else the first PL011; 0 if none. */
uint64_t platform_find_uart(const void *fdt);
enum psci_conduit platform_find_psci(const void *fdt);
/* 0, or a negative error with *why set. The blob must have passed fdt_check. */
int platform_parse(const void *fdt, struct platform *p, const char **why);
