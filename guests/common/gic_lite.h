/* A minimal GIC driver for the test guests: v3 or v2, from the device
 * tree. cpu is the vCPU index (its MPIDR Aff0). */
#pragma once
#include "types.h"

extern int gic_version; /* 3, 2, or 0 when none was found */
extern uint64_t gicd, gicr, gicc;

void gic_find(const void *dtb);
void gic_cpu_init(unsigned cpu);
void gic_enable(unsigned cpu, unsigned intid);
void gic_disable(unsigned cpu, unsigned intid);
/* The INTID acknowledged, or 1020..1023 when none is pending. */
unsigned gic_ack(void);
/* The whole IAR value (on v2 with an SGI's source CPU in bits [12:10]). */
unsigned gic_ack_iar(void);
/* Ends an interrupt: the value gic_ack_iar returned (or the INTID). */
void gic_eoi(unsigned iar);
void send_sgi(unsigned target, unsigned sgi);
/* Waits (WFI, interrupts masked) for an interrupt and acknowledges it;
 * 1023 after max_wfi wake-ups without one. */
unsigned wait_irq(unsigned max_wfi);
