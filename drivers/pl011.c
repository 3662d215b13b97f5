#include "drivers/pl011.h"

#include "arch/mmio.h"

static inline uint32_t rd(uint64_t base, unsigned off)
{
	return mmio_read32(base + off);
}

static inline void wr(uint64_t base, unsigned off, uint32_t v)
{
	mmio_write32(base + off, v);
}

/* The firmware or QEMU has set the baud rate; we only make sure the UART
 * transmits and receives (CR: UARTEN | TXE | RXE). */
void pl011_init(uint64_t base)
{
	wr(base, PL011_CR, rd(base, PL011_CR) | BIT(0) | BIT(8) | BIT(9));
}

void pl011_putc(uint64_t base, char c)
{
	while (rd(base, PL011_FR) & PL011_FR_TXFF)
		;
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
