#include "hyp/vdev/vdev.h"

#include "hyp/config/config.h"
#include "hyp/guest.h"
#include "hyp/vdev/chan_bridge.h"
#include "hyp/vdev/console_mux.h"
#include "hyp/vdev/vpl011.h"

/* One virtual PL011 per guest: its console. console_mux.c keeps a sink
 * for each guest id. */
_Static_assert(MAX_GUESTS <= 8, "console_mux.c's MAX_SINKS");
static struct vpl011 consoles[MAX_GUESTS] __noinit; /* written whole by vpl011_init */

int emu_add(struct guest *g, const struct emu_region *r)
{
	if (g->nemu == MAX_EMU_REGIONS)
		return -ENOSPC;
	g->emu[g->nemu++] = *r;
	return 0;
}

static void console_reset(void *dev)
{
	vpl011_reset(dev);
}

static void console_quiesce(void *dev)
{
	vpl011_flush(dev); /* a line cut short is printed, not lost */
}

int vdevs_create(struct guest *g)
{
	struct vpl011 *u = &consoles[g->id];
	vpl011_init(u, g, g->name, VGIC_UART_INTID);
	struct emu_region r = {g->cfg->console_ipa, VPL011_SIZE, vpl011_read, vpl011_write,
			       u,		     console_reset, console_quiesce, VGIC_UART_INTID};
	if (emu_add(g, &r) < 0)
		return -ENOSPC;
	uint32_t cpus = 0;
	for (unsigned i = 0; i < g->cfg->ncpus; i++)
		cpus |= 1u << g->cfg->cpus[i];
	console_mux_attach(g->id, g->name, u, cpus);
	return chan_bridge_create(g);
}

void vdevs_destroy(struct guest *g)
{
	chan_bridge_destroy(g);
	console_mux_guest_stopped(g->id);
}

void vdevs_quiesce(struct guest *g)
{
	for (unsigned i = 0; i < g->nemu; i++)
		if (g->emu[i].quiesce)
			g->emu[i].quiesce(g->emu[i].dev);
}

void vdevs_reset(struct guest *g)
{
	for (unsigned i = 0; i < g->nemu; i++)
		if (g->emu[i].reset)
			g->emu[i].reset(g->emu[i].dev);
}
