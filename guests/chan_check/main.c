/*
 * Channels between guests (docs/config.md, /channels), from two bare-metal
 * peers of one channel: each finds its PCI function on the hypervisor's
 * ECAM, and peer 0 and peer 1 ping-pong "rounds" messages through the
 * shared memory, each message a sequence number the other must see whole
 * and in order before it answers (no loss, no reordering, the stores
 * visible before the doorbell), then say how many counter ticks a round
 * trip took. bootargs: rounds=N (default 10000); "nonpeer": instead, a
 * guest that is not a peer touches the bridge's ECAM and window and must
 * get an abort for each.
 */
#include "chan.h"
#include "gic_lite.h"
#include "libguest.h"

struct msgs {
	volatile uint64_t seq[2];   /* what peer 0 / peer 1 last sent */
	volatile uint64_t ready[2]; /* set once its function is set up */
};

static void nonpeer(void)
{
	static const uint64_t probes[] = {CHAN_ECAM, 0x10000000, 0x11000000};
	unsigned aborts = 0;
	for (unsigned i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		caught_clear();
		caught.count = 0;
		(void)*(volatile uint32_t *)(uintptr_t)probes[i];
		if (caught.count)
			aborts++;
		gprintf("chan_check: nonpeer read 0x%llx -> %s\n", (unsigned long long)probes[i],
			caught.count ? "abort" : "NO FAULT (not isolated)");
	}
	gprintf("chan_check: nonpeer aborts=%u of %u\n", aborts,
		(unsigned)(sizeof(probes) / sizeof(probes[0])));
}

int main(const void *dtb)
{
	struct guest_info g;
	struct guest_info *gi = &g;
	guest_init(dtb, gi);
	gic_find(gi->dtb);
	gic_cpu_init(0);
	if (bootarg_has(gi, "nonpeer")) {
		nonpeer();
		system_off();
	}
	struct chan c;
	if (chan_find(0, 0, &c) < 0) {
		gprintf("chan_check: no channel function found\n");
		system_off();
	}
	gprintf("chan_check: id=%u intid=%u mem=0x%llx size=0x%llx\n", c.id, c.intid,
		(unsigned long long)(uintptr_t)c.mem, (unsigned long long)c.size);
	struct msgs *m = (struct msgs *)c.mem;
	unsigned rounds = (unsigned)bootarg_u64(gi, "rounds", 10000), bad = 0, lost = 0;
	unsigned me = c.id, other = 1 - c.id;
	/* A doorbell to a peer not yet running reaches no one (it is
	 * dropped, as ivshmem's are): meet in the memory first. */
	m->ready[me] = 1;
	for (unsigned ms = 0; !m->ready[other]; ms++) {
		if (ms == 10000) {
			gprintf("chan_check: id=%u: peer %u never came\n", me, other);
			system_off();
		}
		delay_ms(1);
	}
	uint64_t t0 = read_sysreg(cntvct_el0);
	for (unsigned i = 1; i <= rounds; i++) {
		if (me == 0) {
			m->seq[0] = i;
			chan_ring(&c, other);
			if (!chan_wait(&c, 1u << 20)) {
				lost++;
				break;
			}
			bad += m->seq[1] != i;
		} else {
			if (!chan_wait(&c, 1u << 20)) {
				lost++;
				break;
			}
			bad += m->seq[0] != i;
			m->seq[1] = i;
			chan_ring(&c, other);
		}
	}
	uint64_t ticks = read_sysreg(cntvct_el0) - t0;
	gprintf("chan_check: id=%u rounds=%u out-of-order=%u lost=%u ticks-per-round=%llu\n", me,
		rounds, bad, lost, (unsigned long long)(rounds ? ticks / rounds : 0));
	delay_ms(200); /* the other side's last line first */
	system_off();
}
