#include "drivers/pl011.h"

#include "arch/mmio.h"
#include "wait.h"

/* A byte takes 87 us at 115200 baud: a UART that has not moved for 10 ms
 * is stuck (a wrong clock, flow control) and must not hang the boot. */
#define STUCK_US 10000

static inline uint32_t rd(uint64_t base, unsigned off)
{
	return mmio_read32(base + off);
}

static inline void wr(uint64_t base, unsigned off, uint32_t v)
{
	mmio_write32(base + off, v);
}

#define CR_UARTEN BIT(0)
#define CR_TXE	  BIT(8)
#define CR_RXE	  BIT(9)
#define LCR_FEN	  BIT(4)
#define LCR_WLEN8 (3u << 5)

/* 115200 8N1 with FIFOs, from the reference clock (LCR_H latches the
 * IBRD/FBRD written before it).
 * A UART already set so is left alone: nothing queued is cut. With no
 * known clock, the firmware's setting stays. */
void pl011_init(uint64_t base, uint32_t clock_hz)
{
	if (clock_hz) {
		uint32_t div = pl011_divisor_115200(clock_hz);
		uint32_t ibrd = div >> 6, fbrd = div & 63;
		if (rd(base, PL011_IBRD) != ibrd || rd(base, PL011_FBRD) != fbrd ||
		    (rd(base, PL011_LCR_H) & 0x7e) != (LCR_WLEN8 | LCR_FEN)) {
			uint64_t d = deadline_after_us(STUCK_US);
			if (rd(base, PL011_CR) & CR_UARTEN)
				while ((rd(base, PL011_FR) & PL011_FR_BUSY) && !deadline_passed(d))
					;
			wr(base, PL011_CR, 0);
			wr(base, PL011_IBRD, ibrd);
			wr(base, PL011_FBRD, fbrd);
			wr(base, PL011_LCR_H, LCR_WLEN8 | LCR_FEN);
		}
	}
	/* Written whole: no loopback or hardware flow control left on by
	 * firmware (CTS unconnected on the header would stall every byte). */
	wr(base, PL011_CR, CR_UARTEN | CR_TXE | CR_RXE);
}

void pl011_putc(uint64_t base, char c)
{
	if (rd(base, PL011_FR) & PL011_FR_TXFF) {
		uint64_t d = deadline_after_us(STUCK_US);
		while (rd(base, PL011_FR) & PL011_FR_TXFF)
			if (deadline_passed(d))
				return; /* the byte is lost, the boot goes on */
	}
	wr(base, PL011_DR, (uint8_t)c);
}

int pl011_getc(uint64_t base)
{
	if (rd(base, PL011_FR) & PL011_FR_RXFE)
		return -1;
	return (int)(rd(base, PL011_DR) & 0xff);
}

void pl011_enable_rx_irq(uint64_t base)
{
	wr(base, PL011_ICR, 0x7ff);
	wr(base, PL011_IMSC, PL011_INT_RX | PL011_INT_RT);
}

bool pl011_tx_ready(uint64_t base)
{
	return !(rd(base, PL011_FR) & PL011_FR_TXFF);
}

void pl011_write_byte(uint64_t base, char c)
{
	wr(base, PL011_DR, (uint8_t)c);
}

void pl011_set_tx_irq(uint64_t base, bool on)
{
	wr(base, PL011_IMSC, PL011_INT_RX | PL011_INT_RT | (on ? PL011_INT_TX : 0));
}

bool pl011_tx_irq_pending(uint64_t base)
{
	return rd(base, PL011_MIS) & PL011_INT_TX;
}
