/* Host device-tree nodes handed to a guest (a guest's devices = "..."):
 * found in the host device tree, their registers passed through and their
 * SPIs forwarded, and each node copied into the guest's device tree with
 * what its driver needs. Plain C, host-tested. */
#pragma once
#include "drivers/fdt_write.h"
#include "hyp/config/config.h"

/* Finds each of g's devices in the host tree and adds its registers (whole
 * 4 KiB pages, at the same or the configured IPA) to g's passthrough ranges
 * and its SPIs to g's interrupts, so that config_validate() checks them as
 * it checks raw ones. On failure fills g->error and returns -EINVAL. */
int devices_resolve(struct guest_config *g, const void *host_fdt);

/* Where a bus master's DMA lands: bus addresses [bus, bus + last] reach
 * the CPU's physical [cpu, cpu + last]. */
struct dma_window {
	uint64_t bus, cpu, last;
};
#define MAX_DMA_WINDOWS 4

/* node's DMA windows through every dma-ranges above it (Devicetree spec
 * 2.3.9): how many (0: none reaches memory), or -1 when no bus restricts
 * or translates it (every address reaches itself). */
int devices_dma_windows(const void *fdt, int node, struct dma_window *w, unsigned max);

/* Writes the guest's copy of each device node under the root: compatible
 * and the driver's own properties, reg at the guest's addresses, interrupts
 * for the guest's GIC (interrupt-parent gic_phandle), clocks with a fixed
 * rate as fixed-clock nodes (phandles from first_phandle up), status okay. */
void devices_write_nodes(struct fdt_writer *w, const struct guest_config *g, const void *host_fdt,
			 uint32_t gic_phandle, uint32_t first_phandle);
