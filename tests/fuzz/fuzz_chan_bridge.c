/* The channels' PCI host bridge (hyp/vdev/chan_bridge.c) as guests reach
 * it: three guests, two channels (one with all three peers, one with two),
 * random ECAM and window accesses of every width from any of them,
 * doorbells to any ID and vector, resets, guests that stop. The vGIC and
 * stage 2 are recorded here, not simulated. After every step:
 *   - every function's INTx line, as the vGIC last heard it, is what its
 *     state says (Status.InterruptStatus and Command.InterruptDisable as
 *     the guest reads them), for every guest, whoever acted;
 *   - the ECAM reads all ones where no function is;
 *   - each channel's memory is mapped once per peer, at its BAR2, size
 *     aligned, and nowhere for a guest that is not a peer;
 *   - the count of dropped doorbells only grows;
 *   - no lock is misused (the host spinlock reports it). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyp/guest.h"
#include "hyp/vdev/chan_bridge.h"
#include "hyp/vdev/chan_pci.h"
#include "hyp/vdev/vdev.h"
#include "mm/stage2.h"
#include "tests/fuzz/fuzz_input.h"

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "not %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
			abort();                                                     \
		}                                                                    \
	} while (0)

#define NG 3
struct guest guests[MAX_GUESTS];
static struct guest_config cfgs[NG];
static struct channel_config chans[2];
static bool level[NG][1020];
static struct {
	uint64_t ipa, pa, size;
} maps[NG][8];
static unsigned nmaps[NG];

/* What the bridge needs of the machine, recorded. */
uint64_t host_sysreg_read(const char *name)
{
	(void)name;
	return 0;
}
void host_sysreg_write(const char *name, uint64_t v)
{
	(void)name, (void)v;
}
void host_wfe(void) {}
void host_lock_error(const char *what)
{
	fprintf(stderr, "lock misuse: %s\n", what);
	abort();
}
void vgic_set_level(struct guest *g, unsigned intid, bool l)
{
	CHECK(intid >= 32 && intid < 1020);
	level[g->id][intid] = l;
}
int stage2_map(struct stage2 *s2, ipaddr_t ipa, paddr_t pa, uint64_t size, unsigned prot)
{
	(void)prot;
	struct guest *g = (struct guest *)((char *)s2 - offsetof(struct guest, s2));
	unsigned gi = (unsigned)(g - guests);
	CHECK(nmaps[gi] < 8);
	maps[gi][nmaps[gi]].ipa = ipa_addr(ipa);
	maps[gi][nmaps[gi]].pa = pa_addr(pa);
	maps[gi][nmaps[gi]++].size = size;
	return 0;
}
int emu_add(struct guest *g, const struct emu_region *r)
{
	CHECK(g->nemu < MAX_EMU_REGIONS);
	g->emu[g->nemu++] = *r;
	return 0;
}

static const struct emu_region *region(struct guest *g, uint64_t base)
{
	for (unsigned i = 0; i < g->nemu; i++)
		if (g->emu[i].base == base)
			return &g->emu[i];
	return NULL;
}

static void setup(void)
{
	static const uint64_t pa[2] = {0x80000000, 0x90000000};
	memset(guests, 0, sizeof(guests));
	memset(level, 0, sizeof(level));
	memset(nmaps, 0, sizeof(nmaps));
	for (unsigned i = 0; i < NG; i++) {
		cfgs[i] = (struct guest_config){.ipa_bits = 40};
		snprintf(cfgs[i].name, sizeof(cfgs[i].name), "g%u", i);
	}
	chans[0] = (struct channel_config){.name = "all", .size = 0x10000, .peer = {2, 0, 1}, .npeers = 3};
	chans[1] = (struct channel_config){.name = "two", .size = 0x1000, .peer = {0, 1}, .npeers = 2};
	chan_setup(chans, 2, pa);
	for (unsigned i = 0; i < NG; i++) {
		struct guest *g = &guests[i];
		g->id = i;
		g->cfg = &cfgs[i];
		g->name = cfgs[i].name;
		CHECK(chan_bridge_create(g) == 0);
		g->state = GUEST_RUNNING;
	}
}

/* Every guest's lines as its functions' state says. */
static void check_lines(void)
{
	for (unsigned i = 0; i < NG; i++) {
		const struct chan_slot *s;
		unsigned n = chan_bridge_slots(&guests[i], &s);
		CHECK(n == (i == 2 ? 1u : 2u));
		for (unsigned k = 0; k < n; k++) {
			const struct emu_region *e = region(&guests[i], CHAN_ECAM_IPA);
			uint16_t cmd = (uint16_t)e->read(NULL, e->dev, ((uint64_t)k << 15) + 4, 2);
			uint16_t st = (uint16_t)e->read(NULL, e->dev, ((uint64_t)k << 15) + 6, 2);
			bool pending = st & CHAN_STATUS_INTX;
			CHECK(level[i][s[k].intid] == (pending && !(cmd & CHAN_CMD_INTX_OFF)));
		}
		/* Memory: once per channel it is a peer of, at its BAR2. */
		CHECK(nmaps[i] == n);
		for (unsigned k = 0; k < n; k++) {
			CHECK(maps[i][k].ipa == s[k].bar2 && maps[i][k].size == s[k].size);
			CHECK(maps[i][k].ipa % maps[i][k].size == 0);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	setup();
	check_lines();
	for (unsigned step = 0; step < 96 && in.n; step++) {
		struct guest *g = &guests[fuzz_pick(&in, NG)];
		const struct emu_region *ecam = region(g, CHAN_ECAM_IPA);
		const struct emu_region *win = region(g, CHAN_WINDOW_IPA);
		unsigned width = 1u << fuzz_pick(&in, 4);
		switch (fuzz_pick(&in, 6)) {
		case 0: { /* ECAM read anywhere */
			uint64_t off = (fuzz_u32(&in) % CHAN_ECAM_SIZE) & ~(uint64_t)(width - 1);
			uint64_t v = ecam->read(NULL, ecam->dev, off, width);
			const struct chan_slot *s;
			unsigned n = chan_bridge_slots(g, &s);
			if ((off >> 15) >= n || (off >> 12) & 7 || width == 8)
				CHECK(v == (~0ULL >> (64 - 8 * width)));
			break;
		}
		case 1: { /* ECAM write, mostly into the headers */
			uint64_t off = ((uint64_t)fuzz_pick(&in, 3) << 15) | (fuzz_u8(&in) & 0x3f);
			off &= ~(uint64_t)(width - 1);
			ecam->write(NULL, ecam->dev, off, width, fuzz_u32(&in));
			break;
		}
		case 2: { /* window read: a BAR0 register or nothing */
			uint64_t off = fuzz_pick(&in, 4) ? (fuzz_pick(&in, 3) << 12) | (fuzz_u8(&in) & 0xfc)
							 : fuzz_u32(&in) % CHAN_WINDOW_SIZE;
			off &= ~(uint64_t)(width - 1);
			(void)win->read(NULL, win->dev, off, width);
			break;
		}
		case 3: { /* window write: mask, status, doorbells to any ID */
			uint64_t off = (fuzz_pick(&in, 3) << 12) | (fuzz_pick(&in, 5) * 4);
			uint32_t v = fuzz_pick(&in, 2) ? (uint32_t)fuzz_pick(&in, 5) << 16 | fuzz_pick(&in, 2)
						       : fuzz_u32(&in);
			uint32_t dropped = chan_dropped();
			win->write(NULL, win->dev, off, 4, v);
			CHECK(chan_dropped() >= dropped);
			break;
		}
		case 4: /* a guest resets: its functions at power-on */
			for (unsigned i = 0; i < g->nemu; i++)
				if (g->emu[i].reset)
					g->emu[i].reset(g->emu[i].dev);
			break;
		default: /* a guest stops or starts again: rings to it are dropped meanwhile */
			g->state = g->state == GUEST_RUNNING ? GUEST_STOPPED : GUEST_RUNNING;
		}
		check_lines();
	}
	return 0;
}
