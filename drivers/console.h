/* The hypervisor console: whole lines, never interleaved between CPUs,
 * through an output ring so that no CPU waits on the UART holding a lock. */
#pragma once
#include "types.h"

/* The PL011 at uart_base, 115200 8N1 from clock_hz (0: as set before us). */
void console_init(uint64_t uart_base, uint32_t clock_hz);
/* Before the MMU is on only one CPU runs and exclusives may not work on
 * Device memory, so locking starts here. */
void console_enable_locking(void);
void console_write(const char *s, size_t len);
/* Guest output, each line behind "[name] ". A line may come in pieces
 * (end_line false): the next piece from the same guest continues it, and
 * anything else printed first ends it. */
void console_stream_write(const char *name, const char *buf, size_t len, bool end_line);
void hyp_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint64_t console_uart_base(void);
/* The UART's interrupt is taken from now on: output waiting for room in
 * its FIFO is moved by the transmit interrupt, not by a waiting writer. */
void console_enable_tx_irq(void);
/* From the UART's interrupt handler. */
void console_tx_irq(void);
/* Waits until everything written is on the wire (before powering off). */
void console_flush(void);
/* A hypervisor bug is being reported: the lock may be held by the CPU that
 * failed. What the ring holds goes out, then every write goes straight to
 * the UART, lock-free. */
void console_panic(void);
