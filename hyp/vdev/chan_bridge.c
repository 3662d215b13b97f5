#include "hyp/vdev/chan_bridge.h"

#include "arch/sysreg.h"
#include "atomic.h"
#include "hyp/guest.h"
#include "hyp/vdev/chan_pci.h"
#include "hyp/vdev/vdev.h"
#include "hyp/vgic/vgic_inject.h"
#include "lib/string.h"
#include "mm/stage2.h"
#include "spinlock.h"

struct chan_bridge {
	struct guest *g;
	spinlock_t lock; /* the functions' state: their own guest and ringing peers */
	unsigned n;
	struct chan_slot slot[MAX_CHANNELS];
	struct chan_fn fn[MAX_CHANNELS];
	bool line[MAX_CHANNELS]; /* each function's INTx as last given to the vGIC */
};

struct channel {
	const struct channel_config *cfg;
	uint64_t pa;
	struct chan_bridge *peer[MAX_CHANNEL_PEERS]; /* by ID; NULL: not made */
	unsigned slot[MAX_CHANNEL_PEERS];
};

/* Written whole before use (chan_setup, chan_bridge_create): not cleared
 * at every boot (__noinit). A guest's bridge is bridge_of[its id], or
 * NULL. */
static struct channel channels[MAX_CHANNELS] __noinit;
static unsigned nchannels;
static struct chan_bridge bridges[MAX_GUESTS] __noinit;
static struct chan_bridge *bridge_of[MAX_GUESTS];
static uint32_t dropped;

void chan_setup(const struct channel_config *cfg, unsigned n, const uint64_t *pa)
{
	nchannels = MIN(n, (unsigned)MAX_CHANNELS);
	for (unsigned i = 0; i < nchannels; i++)
		channels[i] = (struct channel){.cfg = &cfg[i], .pa = pa[i]};
}

uint32_t chan_dropped(void)
{
	return dropped;
}

/* The function's INTx to the vGIC, under its bridge's lock: the level
 * and the line change together, whoever changes the state. Most accesses
 * (a doorbell written, a register read with nothing pending) leave the
 * line as it was, and the vGIC is not asked. */
static inline void update_line(struct chan_bridge *b, unsigned k)
{
	spin_assert_held(&b->lock);
	bool level = chan_fn_intx(&b->fn[k]);
	if (level == b->line[k])
		return;
	b->line[k] = level;
	vgic_set_level(b->g, b->slot[k].intid, level);
}

/* Power-on state, as firmware leaves it: the BARs assigned and the
 * Interrupt Line naming the INTID its INTA is routed to. */
static void reset_fn(struct chan_bridge *b, unsigned k)
{
	const struct chan_slot *s = &b->slot[k];
	chan_fn_reset(&b->fn[k], (uint16_t)s->id, s->size, (uint32_t)s->bar0, s->bar2);
	b->fn[k].int_line = (uint8_t)s->intid;
}

/* ECAM, bus 0: device k is channel slot k, function 0; nothing else. */
static uint64_t ecam_read(struct vcpu *v, void *dev, uint64_t off, unsigned width)
{
	(void)v;
	struct chan_bridge *b = dev;
	unsigned d = (unsigned)(off >> 15) & 31, f = (unsigned)(off >> 12) & 7;
	if (width > 4 || off >= CHAN_ECAM_SIZE || f || d >= b->n)
		return ~0ULL >> (64 - 8 * width); /* no device: all ones */
	spin_lock(&b->lock);
	uint32_t val = chan_cfg_read(&b->fn[d], (unsigned)off & 0xfff, width);
	spin_unlock(&b->lock);
	return val;
}

static void ecam_write(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val)
{
	(void)v;
	struct chan_bridge *b = dev;
	unsigned d = (unsigned)(off >> 15) & 31, f = (unsigned)(off >> 12) & 7;
	if (width > 4 || off >= CHAN_ECAM_SIZE || f || d >= b->n)
		return;
	spin_lock(&b->lock);
	chan_cfg_write(&b->fn[d], (unsigned)off & 0xfff, width, (uint32_t)val);
	update_line(b, d); /* Interrupt Disable */
	spin_unlock(&b->lock);
}

/* Which function's BAR0 ipa is in, or -1 (nothing decodes it). */
static int bar0_at(const struct chan_bridge *b, uint64_t ipa)
{
	for (unsigned k = 0; k < b->n; k++) {
		uint64_t base = chan_fn_bar0(&b->fn[k]);
		if (base && ipa - base < CHAN_BAR0_SIZE)
			return (int)k;
	}
	return -1;
}

static uint64_t window_read(struct vcpu *v, void *dev, uint64_t off, unsigned width)
{
	(void)v;
	struct chan_bridge *b = dev;
	uint64_t ipa = CHAN_WINDOW_IPA + off;
	spin_lock(&b->lock);
	int k = bar0_at(b, ipa);
	uint64_t val = ~0ULL >> (64 - 8 * width); /* a master abort reads all ones */
	if (k >= 0 && width == 4) {
		val = chan_bar0_read(&b->fn[k], (unsigned)(ipa - chan_fn_bar0(&b->fn[k])));
		update_line(b, (unsigned)k); /* IntrStatus read clears it */
	}
	spin_unlock(&b->lock);
	return val;
}

/* A doorbell from slot k of b: the target peer's IntrStatus set and its
 * line raised; one already pending is not raised again, so a peer ringing
 * in a loop costs the target nothing more. */
static void ring(struct chan_bridge *b, unsigned k, uint32_t val)
{
	struct channel *c = &channels[b->slot[k].chan];
	unsigned to = val >> 16, vector = val & 0xffff;
	struct chan_bridge *t = to < c->cfg->npeers ? c->peer[to] : NULL;
	if (!t || vector || __atomic_load_n(&t->g->state, __ATOMIC_ACQUIRE) != GUEST_RUNNING) {
		atomic_add(&dropped, 1);
		return;
	}
	/* The ringer's stores to the memory reach the target before its
	 * interrupt does. */
	dsb(ish);
	spin_lock(&t->lock);
	chan_fn_ring(&t->fn[c->slot[to]]);
	update_line(t, c->slot[to]);
	spin_unlock(&t->lock);
}

static void window_write(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val)
{
	(void)v;
	struct chan_bridge *b = dev;
	uint64_t ipa = CHAN_WINDOW_IPA + off;
	uint32_t bell;
	spin_lock(&b->lock);
	int k = bar0_at(b, ipa);
	bool rang = false;
	if (k >= 0 && width == 4) {
		rang = chan_bar0_write(&b->fn[k], (unsigned)(ipa - chan_fn_bar0(&b->fn[k])),
				       (uint32_t)val, &bell);
		update_line(b, (unsigned)k);
	}
	spin_unlock(&b->lock);
	if (rang) /* outside this bridge's lock: a peer may ring it meanwhile */
		ring(b, (unsigned)k, bell);
}

/* The guest starts again: its functions at power-on, lines low. The
 * channel's memory keeps what the peers wrote. */
static void bridge_reset(void *dev)
{
	struct chan_bridge *b = dev;
	spin_lock(&b->lock);
	for (unsigned k = 0; k < b->n; k++) {
		reset_fn(b, k);
		b->line[k] = true; /* told to the vGIC whatever it holds */
		update_line(b, k);
	}
	spin_unlock(&b->lock);
}

int chan_bridge_create(struct guest *g)
{
	static struct chan_slot slots[MAX_CHANNELS]; /* guests are made one at a time */
	if (!nchannels)
		return 0;
	/* The same layout its device tree describes (hyp/config/guest_fdt.c). */
	unsigned n = chan_layout(g->id, channels[0].cfg, nchannels, slots);
	if (!n)
		return 0;
	struct chan_bridge *b = &bridges[g->id];
	memset(b, 0, sizeof(*b));
	b->g = g;
	b->n = n;
	bridge_of[g->id] = b;
	for (unsigned k = 0; k < b->n; k++) {
		b->slot[k] = slots[k];
		reset_fn(b, k);
		struct channel *c = &channels[slots[k].chan];
		if (!c->pa)
			return -ENOMEM;
		int ret = stage2_map(&g->s2, ipa_init(slots[k].bar2), pa_init(c->pa), slots[k].size,
				     PGT_PROT_RW | PGT_PROT_SHARED);
		if (ret < 0)
			return -ENOMEM;
	}
	struct emu_region ecam = {CHAN_ECAM_IPA, CHAN_ECAM_SIZE, ecam_read, ecam_write, b,
				  bridge_reset,	 NULL,		 0};
	struct emu_region window = {CHAN_WINDOW_IPA, CHAN_WINDOW_SIZE, window_read, window_write,
				    b,		     NULL,	       NULL,	    0};
	if (emu_add(g, &ecam) < 0 || emu_add(g, &window) < 0)
		return -ENOSPC;
	/* Reachable by the peers only now that it is whole. */
	for (unsigned k = 0; k < b->n; k++) {
		struct channel *c = &channels[slots[k].chan];
		c->slot[slots[k].id] = k;
		__atomic_store_n(&c->peer[slots[k].id], b, __ATOMIC_RELEASE);
	}
	return 0;
}

unsigned chan_bridge_slots(const struct guest *g, const struct chan_slot **slots)
{
	const struct chan_bridge *b = bridge_of[g->id];
	*slots = b ? b->slot : NULL;
	return b && b->g == g ? b->n : 0;
}

void chan_bridge_destroy(struct guest *g)
{
	struct chan_bridge *b = bridge_of[g->id];
	if (!b || b->g != g)
		return;
	bridge_of[g->id] = NULL;
	for (unsigned k = 0; k < b->n; k++)
		__atomic_store_n(&channels[b->slot[k].chan].peer[b->slot[k].id], NULL,
				 __ATOMIC_RELEASE);
	b->g = NULL;
	b->n = 0;
}
