/* Console input: the physical UART's receive interrupt delivers each byte
 * to the guest that has focus; Ctrl-] moves focus to the next guest. Each
 * guest's virtual PL011 attaches itself here (hyp/vdev/vdev.c); the core
 * tells it of guests that stop and CPUs that leave: it knows no guest. */
#pragma once
#include "types.h"

#define CONSOLE_SWITCH_KEY 0x1d /* Ctrl-] */

struct platform;
struct vpl011;

/* Guest id's console, named name, on the physical CPUs in cpus (a mask). */
void console_mux_attach(unsigned id, const char *name, struct vpl011 *u, uint32_t cpus);
void console_mux_init(const struct platform *p);
/* The UART's INTID, or ~0 when input is not interrupt driven. */
unsigned console_mux_irq(void);
void console_mux_rx(void);
/* A CPU going off: move the UART interrupt to a CPU that still runs. */
void console_mux_cpu_leaving(unsigned cpu);
/* A guest stopped: give focus to the next one if it had it. */
void console_mux_guest_stopped(unsigned guest_id);
