/* Console input: the physical UART's receive interrupt delivers each byte
 * to the guest that has focus; Ctrl-] moves focus to the next guest. */
#pragma once
#include "types.h"

#define CONSOLE_SWITCH_KEY 0x1d /* Ctrl-] */

struct platform;

void console_mux_init(const struct platform *p);
/* The UART's INTID, or ~0 when input is not interrupt driven. */
unsigned console_mux_irq(void);
void console_mux_rx(void);
/* A CPU going off: move the UART interrupt to a CPU that still runs. */
void console_mux_cpu_leaving(unsigned cpu);
/* A guest stopped: give focus to the next one if it had it. */
void console_mux_guest_stopped(unsigned guest_id);
