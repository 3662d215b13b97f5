/* Arm PL011 UART: the physical console (PL011 TRM, DDI 0183). */
#pragma once
#include "types.h"

#define PL011_DR	0x00
#define PL011_RSR	0x04
#define PL011_FR	0x18
#define PL011_ILPR	0x20
#define PL011_IBRD	0x24
#define PL011_FBRD	0x28
#define PL011_LCR_H	0x2c
#define PL011_CR	0x30
#define PL011_IFLS	0x34
#define PL011_IMSC	0x38
#define PL011_RIS	0x3c
#define PL011_MIS	0x40
#define PL011_ICR	0x44
#define PL011_DMACR	0x48
#define PL011_PERIPHID0 0xfe0
#define PL011_CELLID0	0xff0

#define PL011_FR_BUSY BIT(3)
#define PL011_FR_RXFE BIT(4)
#define PL011_FR_TXFF BIT(5)
#define PL011_FR_TXFE BIT(7)

#define PL011_INT_RX BIT(4)
#define PL011_INT_TX BIT(5)
#define PL011_INT_RT BIT(6)

/* The baud-rate divisor clock / (16 * 115200) in 1/64ths, rounded (PL011
 * TRM 3.3.6): IBRD is its integer part (>> 6), FBRD the fraction (& 63). */
static inline uint32_t pl011_divisor_115200(uint32_t clock_hz)
{
	return (uint32_t)(((uint64_t)clock_hz * 4 + 57600) / 115200);
}

/* 115200 8N1 from a reference clock of clock_hz (0: as the firmware set it). */
void pl011_init(uint64_t base, uint32_t clock_hz);
void pl011_putc(uint64_t base, char c);
/* Next received byte, or -1 when the receive FIFO is empty. */
int pl011_getc(uint64_t base);
/* Interrupt on received data (and on receive timeout). */
void pl011_enable_rx_irq(uint64_t base);
/* Room in the transmit FIFO for one more byte, and that byte. */
bool pl011_tx_ready(uint64_t base);
void pl011_write_byte(uint64_t base, char c);
/* The transmit interrupt (FIFO level at or below its trigger), besides the
 * receive ones; and whether it is raised. */
void pl011_set_tx_irq(uint64_t base, bool on);
bool pl011_tx_irq_pending(uint64_t base);
