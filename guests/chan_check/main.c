/*
 * Channels between guests (docs/config.md, /channels), from two bare-metal
 * peers of one channel: each finds its PCI function on the hypervisor's
 * ECAM, and peer 0 and peer 1 ping-pong "rounds" messages through the
 * shared memory, each message a sequence number the other must see whole
 * and in order before it answers (no loss, no reordering, the stores
 * visible before the doorbell), then say how many counter ticks a round
 * trip took. bootargs: rounds=N (default 10000); "nonpeer": instead, a
 * guest that is not a peer touches the bridge's ECAM and window and must
 * get an abort for each; "storm=N": ring the other peer N times as fast as
 * it can; "reset": the target of a storm, which takes its doorbells,
 * leaves a mark in the memory, resets itself (SYSTEM_RESET) and checks
 * that its registers came back to power-on and the memory kept the mark;
 * "stream": 64 MiB through the channel in 64 KiB messages, and the same
 * copies within one guest (make bench); "echo": serve the other peer
 * (a Linux guest's chan tool, guests/linux/chan.c) forever or for
 * rounds=N ping-pong messages, answering each numbered message with its
 * number and each text in the other's outbox with "echo: " and the text.
 */
#include "chan.h"
#include "gic_lite.h"
#include "libguest.h"

struct msgs {
	volatile uint64_t seq[2];   /* what peer 0 / peer 1 last sent */
	volatile uint64_t ready[2]; /* set once its function is set up */
	volatile uint64_t rung_at[2]; /* CNTPCT as peer 0 / 1 last rang */
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

/* The chan tool's text outboxes: 4 KiB per peer from 4 KiB x (1 + ID). */
struct outbox {
	volatile uint32_t seq, len;
	volatile char text[4096 - 8];
};

static struct outbox *outbox(struct chan *c, unsigned peer)
{
	return (struct outbox *)((uintptr_t)c->mem + 4096 * (1 + peer));
}

/* A peer's server: whatever woke it, it answers what changed. */
static void echo(struct chan *c, struct msgs *m, unsigned rounds)
{
	unsigned me = c->id, other = 1 - c->id, served = 0, bad = 0;
	struct outbox *in = outbox(c, other), *out = outbox(c, me);
	uint32_t text_seen = in->seq;
	m->seq[me] = m->seq[other];
	m->ready[me] = 1;
	gprintf("chan_check: echo: serving peer %u\n", other);
	while (!rounds || served < rounds) {
		if (!chan_wait(c, ~0u))
			continue;
		uint64_t n = m->seq[other];
		if (n != m->seq[me]) {
			bad += n != m->seq[me] + 1;
			m->seq[me] = n;
			served++;
			chan_ring(c, other);
		}
		if (in->seq != text_seen) {
			static const char prefix[] = "echo: ";
			uint32_t len = in->len, i = 0, j;
			if (len > sizeof(in->text) - sizeof(prefix))
				len = sizeof(in->text) - sizeof(prefix);
			for (j = 0; prefix[j]; j++)
				out->text[i++] = prefix[j];
			for (j = 0; j < len; j++)
				out->text[i++] = in->text[j];
			out->text[i] = 0;
			out->len = i;
			__asm__ volatile("dmb ish" ::: "memory");
			out->seq = out->seq + 1;
			text_seen = in->seq;
			gprintf("chan_check: echo: answered \"%s\"\n", (const char *)out->text);
			chan_ring(c, other);
		}
	}
	gprintf("chan_check: echo: served %u numbered messages, out-of-order=%u\n", served, bad);
}

#define MARK   0x5eed5eed5eed5eedULL
#define WARMUP 10 /* ping-pong rounds before the figures start */

/* The storm's target: a doorbell or more, a mark, a reset; then the
 * registers at power-on, the mark still there, and the rest of the storm
 * taken as it comes (one interrupt per pending state, not per ring). */
static void reset_target(const struct guest_info *gi, struct chan *c, struct msgs *m)
{
	volatile uint64_t *mark = (volatile uint64_t *)((uintptr_t)c->mem + 0x1000);
	if (!gi->resets) {
		m->ready[c->id] = 1;
		bool got = chan_wait(c, 1u << 22);
		*mark = MARK;
		gprintf("chan_check: reset: doorbell %s, mark left, resetting\n",
			got ? "taken" : "NOT taken");
		system_reset();
	}
	gprintf("chan_check: reset: back (reset %u): mark %s\n", gi->resets,
		*mark == MARK ? "kept" : "LOST");
	unsigned taken = 0;
	while (!m->seq[1 - c->id] && chan_wait(c, 1u << 22))
		taken++;
	gprintf("chan_check: reset: %u interrupts taken for the rest of the storm\n", taken);
}

/* Rings the other peer n times, as fast as the doorbell goes. */
static void storm(struct chan *c, struct msgs *m, unsigned n)
{
	unsigned other = 1 - c->id;
	while (!m->ready[other])
		delay_ms(1);
	uint64_t t0 = read_sysreg(cntvct_el0);
	for (unsigned i = 0; i < n; i++)
		chan_ring(c, other);
	m->seq[c->id] = 1; /* done; then a last ring to say so */
	chan_ring(c, other);
	gprintf("chan_check: storm: %u doorbells rung in %llu ticks\n", n,
		(unsigned long long)(read_sysreg(cntvct_el0) - t0));
}

/* 64 MiB through the channel in 64 KiB messages: peer 0 copies one in,
 * rings; peer 1 copies it out, rings back. Beside it, the same two copies
 * within one guest (its own RAM), which is what the channel costs over. */
static uint8_t stream_buf[2][65536] __attribute__((aligned(64)));

static void copy64(volatile uint64_t *to, const volatile uint64_t *from, size_t bytes)
{
	for (size_t i = 0; i < bytes / 8; i++)
		to[i] = from[i];
}

static void stream(struct chan *c, struct msgs *m)
{
	unsigned other = 1 - c->id;
	volatile uint64_t *area = (volatile uint64_t *)((uintptr_t)c->mem + 0x10000);
	size_t piece = sizeof(stream_buf[0]), total = 64u << 20;
	m->ready[c->id] = 1;
	while (!m->ready[other])
		delay_ms(1);
	uint64_t t0 = read_sysreg(cntvct_el0);
	for (size_t done = 0; done < total; done += piece) {
		if (c->id == 0) {
			copy64(area, (uint64_t *)stream_buf[0], piece);
			chan_ring(c, other);
			chan_wait(c, 1u << 22);
		} else {
			chan_wait(c, 1u << 22);
			copy64((uint64_t *)stream_buf[0], area, piece);
			chan_ring(c, other);
		}
	}
	uint64_t through = read_sysreg(cntvct_el0) - t0;
	t0 = read_sysreg(cntvct_el0);
	for (size_t done = 0; done < total; done += piece) {
		copy64((uint64_t *)stream_buf[1], (uint64_t *)stream_buf[0], piece);
		copy64((uint64_t *)stream_buf[0], (uint64_t *)stream_buf[1], piece);
	}
	uint64_t local = read_sysreg(cntvct_el0) - t0;
	if (c->id == 0)
		gprintf("chan_check: stream: 64 MiB in 64 KiB messages in %llu ticks, the same "
			"copies in one guest %llu ticks\n",
			(unsigned long long)through, (unsigned long long)local);
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
	if (gi->resets) /* a reset puts the function back to power-on */
		gprintf("chan_check: after reset %u: Command=0x%x\n", gi->resets,
			*(volatile uint16_t *)(uintptr_t)(CHAN_ECAM + 4));
	struct chan c;
	if (chan_find(0, 0, &c) < 0) {
		gprintf("chan_check: no channel function found\n");
		system_off();
	}
	gprintf("chan_check: id=%u intid=%u mem=0x%llx size=0x%llx\n", c.id, c.intid,
		(unsigned long long)(uintptr_t)c.mem, (unsigned long long)c.size);
	struct msgs *m = (struct msgs *)c.mem;
	if (bootarg_has(gi, "reset")) {
		reset_target(gi, &c, m);
		delay_ms(500);
		system_off();
	}
	if (bootarg_has(gi, "stream")) {
		stream(&c, m);
		delay_ms(100);
		system_off();
	}
	if (bootarg_has(gi, "echo")) {
		echo(&c, m, (unsigned)bootarg_u64(gi, "rounds", 0));
		delay_ms(100);
		system_off();
	}
	if (bootarg_u64(gi, "storm", 0)) {
		storm(&c, m, (unsigned)bootarg_u64(gi, "storm", 0));
		system_off();
	}
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
	/* A doorbell's latency: from the ringer's stamp to the target's
	 * acknowledge, on the physical counter both guests read (their
	 * virtual counters have their own offsets). Both figures leave out
	 * the first rounds (the peers' start, the console's lines) and the
	 * last (its answer races the other's closing line: QEMU runs a vCPU
	 * that does not sleep for a whole time slice). */
	uint64_t t0 = 0, t1 = 0, latency = 0;
	for (unsigned i = 1; i <= rounds; i++) {
		if (i == WARMUP + 1)
			t0 = read_sysreg(cntvct_el0);
		if (i == rounds && t0)
			t1 = read_sysreg(cntvct_el0);
		if (me == 0) {
			m->seq[0] = i;
			m->rung_at[0] = read_sysreg(cntpct_el0);
			chan_ring(&c, other);
			if (!chan_wait(&c, 1u << 20)) {
				lost++;
				break;
			}
			latency += i > WARMUP && i < rounds ? c.taken_at - m->rung_at[1] : 0;
			bad += m->seq[1] != i;
		} else {
			if (!chan_wait(&c, 1u << 20)) {
				lost++;
				break;
			}
			latency += i > WARMUP && i < rounds ? c.taken_at - m->rung_at[0] : 0;
			bad += m->seq[0] != i;
			m->seq[1] = i;
			m->rung_at[1] = read_sysreg(cntpct_el0);
			chan_ring(&c, other);
		}
	}
	uint64_t ticks = t1 - t0, steady = rounds - WARMUP - 1;
	gprintf("chan_check: id=%u rounds=%u out-of-order=%u lost=%u ticks-per-round=%llu "
		"ring-to-handler=%llu\n",
		me, rounds, bad, lost, (unsigned long long)(t1 ? ticks / steady : 0),
		(unsigned long long)(t1 ? latency / steady : 0));
	delay_ms(200); /* the other side's last line first */
	system_off();
}
