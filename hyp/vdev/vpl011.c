#include "hyp/vdev/vpl011.h"

#include "drivers/console.h"
#include "drivers/pl011.h"
#include "hyp/vgic/vgic_inject.h"
#include "lib/string.h"
#include "nospec.h"

/* PrimeCell identification of a PL011 r1p5 (TRM 3.3.14-3.3.15). */
static const uint8_t periph_id[4] = {0x11, 0x10, 0x34, 0x00};
static const uint8_t cell_id[4] = {0x0d, 0xf0, 0x05, 0xb1};

void vpl011_init(struct vpl011 *u, struct guest *g, const char *name, unsigned intid)
{
	memset(u, 0, sizeof(*u));
	u->guest = g;
	u->name = name;
	u->intid = intid;
	u->cr = 0x300; /* TXE | RXE, as after reset */
}

void vpl011_reset(struct vpl011 *u)
{
	spin_lock(&u->lock);
	u->len = 0;
	u->rx_head = u->rx_count = 0;
	u->lcr_h = u->ibrd = u->fbrd = u->ifls = u->imsc = u->dmacr = u->ris_cleared = 0;
	u->cr = 0x300;
	/* The virtual GIC was reset with the guest: its line is low. */
	u->line_level = false;
	spin_unlock(&u->lock);
}

/* Raw interrupt status: receive while data waits; transmit always, as the
 * output FIFO is drained at once, until acknowledged through ICR. */
static uint32_t ris(const struct vpl011 *u)
{
	uint32_t r = PL011_INT_TX & ~u->ris_cleared;
	if (u->rx_count)
		r |= PL011_INT_RX | PL011_INT_RT;
	return r;
}

/* Called with the lock held; the level goes to the GIC after unlocking. */
static bool level_changed(struct vpl011 *u)
{
	bool level = (ris(u) & u->imsc) != 0;
	if (level == u->line_level)
		return false;
	u->line_level = level;
	return true;
}

static void unlock_and_signal(struct vpl011 *u, bool changed)
{
	bool level = u->line_level;
	spin_unlock(&u->lock);
	if (changed)
		vgic_set_level(u->guest, u->intid, level);
}

/* Prints what is buffered: a whole line, or the start of one. The line
 * buffer is the lock's: a guest's other vCPUs may be writing to it. */
static void emit(struct vpl011 *u, bool end_line)
{
	spin_assert_held(&u->lock);
	console_stream_write(u->name, u->line, u->len, end_line);
	u->len = 0;
}

static void flush_locked(struct vpl011 *u)
{
	if (u->len)
		emit(u, false);
}

void vpl011_flush(struct vpl011 *u)
{
	spin_lock(&u->lock);
	flush_locked(u);
	spin_unlock(&u->lock);
}

/* Output is printed a line at a time so that guests do not interleave
 * mid-line; a partial line (a shell prompt, typed echo) is printed when the
 * guest's driver says it has nothing more to send by masking its transmit
 * interrupt. */
static void put(struct vpl011 *u, char c)
{
	if (c == '\r')
		return;
	if (c == '\n') {
		emit(u, true);
		return;
	}
	u->line[u->len++] = c;
	if (u->len == VPL011_LINE)
		emit(u, false);
}

bool vpl011_receive(struct vpl011 *u, uint8_t c)
{
	spin_lock(&u->lock);
	bool ok = u->rx_count < VPL011_RX_FIFO;
	if (ok)
		u->rx[(u->rx_head + u->rx_count++) % VPL011_RX_FIFO] = c;
	unlock_and_signal(u, level_changed(u));
	return ok;
}

uint64_t vpl011_read(struct vcpu *v, void *dev, uint64_t off, unsigned width)
{
	struct vpl011 *u = dev;
	uint64_t val = 0;
	bool changed = false;
	(void)v, (void)width;
	spin_lock(&u->lock);
	switch (off) {
	case PL011_DR:
		if (u->rx_count) {
			val = u->rx[u->rx_head];
			u->rx_head = (u->rx_head + 1) % VPL011_RX_FIFO;
			u->rx_count--;
			changed = level_changed(u);
		}
		break;
	case PL011_FR:
		val = PL011_FR_TXFE | (u->rx_count ? 0 : PL011_FR_RXFE);
		break;
	case PL011_IBRD:
		val = u->ibrd;
		break;
	case PL011_FBRD:
		val = u->fbrd;
		break;
	case PL011_LCR_H:
		val = u->lcr_h;
		break;
	case PL011_CR:
		val = u->cr;
		break;
	case PL011_IFLS:
		val = u->ifls;
		break;
	case PL011_IMSC:
		val = u->imsc;
		break;
	case PL011_RIS:
		val = ris(u);
		break;
	case PL011_MIS:
		val = ris(u) & u->imsc;
		break;
	case PL011_DMACR:
		val = u->dmacr;
		break;
	default:
		if (off >= PL011_PERIPHID0 && off < PL011_PERIPHID0 + 16)
			val = periph_id[index_nospec((off - PL011_PERIPHID0) / 4, 4)];
		else if (off >= PL011_CELLID0 && off < PL011_CELLID0 + 16)
			val = cell_id[index_nospec((off - PL011_CELLID0) / 4, 4)];
	}
	unlock_and_signal(u, changed);
	return val;
}

void vpl011_write(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val)
{
	struct vpl011 *u = dev;
	(void)v, (void)width;
	spin_lock(&u->lock);
	/* The data register, the one written for every byte, first. */
	if (off == PL011_DR) {
		put(u, (char)val);
		u->ris_cleared &= ~PL011_INT_TX; /* more to send: TX is raised again */
		unlock_and_signal(u, level_changed(u));
		return;
	}
	switch (off) {
	case PL011_IBRD:
		u->ibrd = (uint32_t)val;
		break;
	case PL011_FBRD:
		u->fbrd = (uint32_t)val;
		break;
	case PL011_LCR_H:
		u->lcr_h = (uint32_t)val;
		break;
	case PL011_CR:
		u->cr = (uint32_t)val;
		break;
	case PL011_IFLS:
		u->ifls = (uint32_t)val;
		break;
	case PL011_IMSC:
		if ((u->imsc & PL011_INT_TX) && !(val & PL011_INT_TX))
			flush_locked(u); /* transmission done */
		u->imsc = (uint32_t)val & 0x7ff;
		break;
	case PL011_ICR:
		u->ris_cleared |= (uint32_t)val & PL011_INT_TX;
		break;
	case PL011_DMACR:
		u->dmacr = (uint32_t)val;
		break;
	}
	unlock_and_signal(u, level_changed(u));
}
