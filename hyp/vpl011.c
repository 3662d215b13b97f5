#include "hyp/vpl011.h"

#include "drivers/console.h"
#include "drivers/pl011.h"
#include "lib/string.h"

/* PrimeCell identification of a PL011 r1p5 (TRM 3.3.14-3.3.15). */
static const uint8_t periph_id[4] = {0x11, 0x10, 0x34, 0x00};
static const uint8_t cell_id[4] = {0x0d, 0xf0, 0x05, 0xb1};

void vpl011_init(struct vpl011 *u, const char *name)
{
	memset(u, 0, sizeof(*u));
	u->name = name;
	u->cr = 0x300; /* TXE | RXE, as after reset */
}

void vpl011_flush(struct vpl011 *u)
{
	char out[VPL011_LINE + 32];
	size_t n = 0, nl = strlen(u->name);
	if (!u->len)
		return;
	out[n++] = '[';
	memcpy(out + n, u->name, nl);
	n += nl;
	out[n++] = ']';
	out[n++] = ' ';
	memcpy(out + n, u->line, u->len);
	n += u->len;
	out[n++] = '\n';
	console_write(out, n);
	u->len = 0;
}

static void put(struct vpl011 *u, char c)
{
	if (c == '\r')
		return;
	if (c == '\n') {
		if (!u->len)
			u->line[u->len++] = ' ';
		vpl011_flush(u);
		return;
	}
	u->line[u->len++] = c;
	if (u->len == VPL011_LINE)
		vpl011_flush(u);
}

uint64_t vpl011_read(struct vcpu *v, void *dev, uint64_t off, unsigned width)
{
	struct vpl011 *u = dev;
	(void)v, (void)width;
	switch (off) {
	case PL011_DR:
		return 0;
	case PL011_FR:
		/* Output is taken at once: the FIFO is always empty. */
		return PL011_FR_TXFE | PL011_FR_RXFE;
	case PL011_IBRD:
		return u->ibrd;
	case PL011_FBRD:
		return u->fbrd;
	case PL011_LCR_H:
		return u->lcr_h;
	case PL011_CR:
		return u->cr;
	case PL011_IFLS:
		return u->ifls;
	case PL011_IMSC:
		return u->imsc;
	case PL011_RIS:
		return PL011_INT_TX; /* transmit FIFO below its level */
	case PL011_MIS:
		return PL011_INT_TX & u->imsc;
	case PL011_DMACR:
		return u->dmacr;
	}
	if (off >= PL011_PERIPHID0 && off < PL011_PERIPHID0 + 16)
		return periph_id[(off - PL011_PERIPHID0) / 4];
	if (off >= PL011_CELLID0 && off < PL011_CELLID0 + 16)
		return cell_id[(off - PL011_CELLID0) / 4];
	return 0;
}

void vpl011_write(struct vcpu *v, void *dev, uint64_t off, unsigned width, uint64_t val)
{
	struct vpl011 *u = dev;
	(void)v, (void)width;
	switch (off) {
	case PL011_DR:
		put(u, (char)val);
		break;
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
		u->imsc = (uint32_t)val;
		break;
	case PL011_DMACR:
		u->dmacr = (uint32_t)val;
		break;
	}
}
